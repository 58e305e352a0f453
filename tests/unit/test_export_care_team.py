"""Exports and the care team (core/export_packet.py, core/export.py, core/care_team.py): the
packet for a doctor lists exactly that doctor's transfers, whatever spelling of the name each
transfer was typed with; the doctor's institution and contact, the patient's date of birth
and who to contact about the case are printed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from secondview.core import care_team, export
from secondview.core.model import Case, Item

TODAY = dt.date(2026, 12, 6)
LIN_AT = "Dr. Sarah Lin (University Cancer Center)"


def _item(table: str, item_id: str, **values: Any) -> Item:
    return Item(table, item_id, values, frozenset(), changed_at=f"2026-01-01/{item_id}")


def lin_case(linked: bool = False, **info: Any) -> Case:
    """The issue's case: three transfers to "Dr. Sarah Lin (University Cancer Center)" and a
    fourth to "Dr. Sarah Lin", the second opinion by "Dr. Sarah Lin"; with ``linked``, the
    upgrade's doctor entry (with a phone) and doctor_id on each."""
    case_id = "c0000000-0000-4000-8000-000000000001"
    lin = care_team.derived_id(case_id, "sarah lin")
    ref = {"doctor_id": lin} if linked else {}
    titles = ("Pathology slides", "Biopsy report", "MRI of the pelvis", "PSA results")
    records = tuple(_item("records", f"r{n}", title=t, kind="other", date=f"2026-0{n}-01")
                    for n, t in enumerate(titles, 1))
    transfers = tuple(
        _item("transfers", f"t{n}", record=f"r{n}", recipient=LIN_AT if n < 4 else "Dr. Sarah Lin",
              state="requested", requested_on="2026-11-20", **ref)
        for n in range(1, 5))
    opinions = (
        _item("opinions", "o1", doctor="Dr. Marcus Webb", order=1, specialty="Urology"),
        _item("opinions", "o2", doctor="Dr. Sarah Lin", order=2,
              specialty="Radiation oncology", **ref),
    )
    doctors = (_item("doctors", lin, name="Dr. Sarah Lin", institution="University Cancer Center",
                     phone="+1 555 0100", email="lin@ucc.example"),) if linked else ()
    return Case(id=case_id, info=_item("case", case_id, title="Dad - prostate",
                                       patient="Tom Hale", **info),
                records=records, transfers=transfers, opinions=opinions, doctors=doctors)


def test_packet_for_a_doctor_lists_every_transfer_to_them() -> None:
    """The issue's bug: the slides were "not requested" in the packet for Dr. Lin."""
    for linked in (False, True):
        case = lin_case(linked)
        doc = export.build("packet", case, TODAY, doctor=export.find_opinion(case, "2"))
        assert "not requested" not in doc.markdown, linked
        assert doc.markdown.count("☑ 2026-11-20") == 4


def test_one_doctor_is_one_recipient() -> None:
    assert len(export.recipients(lin_case())) == 1
    assert len(export.recipients(lin_case(True))) == 1


def test_packet_names_the_doctor_with_institution_and_contact() -> None:
    case = lin_case(True)
    md = export.build("packet", case, TODAY, doctor=export.find_opinion(case, "2")).markdown
    assert "For Dr. Sarah Lin (University Cancer Center)" in md
    assert "+1 555 0100" in md and "lin@ucc.example" in md


def test_packet_prints_birth_date_and_the_case_contact() -> None:
    case = lin_case(True, birth_date="1962-04-03", contact_name="Ann Hale",
                    contact_phone="+1 555 0199", contact_email="ann@example.org")
    md = export.build("packet", case, TODAY).markdown
    assert "1962-04-03" in md
    assert "Ann Hale" in md and "+1 555 0199" in md and "ann@example.org" in md


def test_brief_and_questions_name_the_doctor_with_contact() -> None:
    case = lin_case(True)
    questions = export.build("questions", case, TODAY, doctor=export.find_opinion(case, "2"))
    assert "University Cancer Center" in questions.markdown
    assert "+1 555 0100" in questions.markdown


def test_a_renamed_doctor_is_found_and_printed_by_the_new_name() -> None:
    import dataclasses

    case = lin_case(True)
    renamed = dataclasses.replace(case.doctors[0], values={**case.doctors[0].values,
                                                           "name": "Sarah Lin, MD"})
    case = dataclasses.replace(case, doctors=(renamed,))
    assert export.find_opinion(case, "MD").id == "o2"
    md = export.build("comparison", case, TODAY).markdown
    assert "Sarah Lin, MD" in md and "Dr. Sarah Lin" not in md
