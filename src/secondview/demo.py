"""The sample case behind ``secondview --demo``: one realistic case with everything filled in.

An invented family, written in our own words: a man of 67 whose surgeon proposes a back
operation, and a second doctor who reads the same scans, refines the diagnosis and proposes a
different first step. Records sit in every transfer state (one request, asked in writing to be
sent to the second doctor, is past the 30 days the law allows), both doctors answered some
questions and others are still open, part of the checklist is done, and the insurance fields
are filled. It records what the two (invented) doctors said; it is not advice, and the case's
notes say so where the person reads them.

Dates are relative to the repository's ``today`` so the overdue request stays overdue.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import secrets
from collections.abc import Mapping
from typing import Any

from .core import model
from .core.ids import new_id
from .core.replica import Write
from .store.paths import Device
from .store.repository import CaseRepository, OpenCase

DEMO_TITLE = "Dad - back surgery"
SECOND_DOCTOR = "Dr. Amara Okafor"

_FALLBACK_CHECKLIST = (
    # (text, phase, done) used only when the content set brings no starter checklist
    ("Decide whether a second opinion is worth it for this decision", "deciding", True),
    ("Check what the insurance covers for a second opinion", "deciding", True),
    ("Choose a second doctor who works independently of the first", "preparing", True),
    ("Request the records the second doctor needs", "preparing", True),
    ("Confirm the second doctor's office has every record", "preparing", False),
    ("Write down the questions to ask", "preparing", False),
    ("Bring someone to the visit to take notes", "visit", False),
    ("Ask for a written copy of the opinion", "visit", False),
    ("Compare the two opinions side by side", "after", False),
    ("Tell the first doctor what you decided", "after", False),
)


def _w(table: str, values: Mapping[str, Any], doc_id: str | None = None) -> Write:
    """A Write of validated values (a schema change that breaks the demo fails loudly here)."""
    return Write(table, doc_id or new_id(), model.parse_fields(table, values))


def _checklist(content: Any, values: Mapping[str, Any]) -> list[Write]:
    """The starter checklist of the content set (else a built-in one), ticked as far as the
    case has come: deciding done, preparing done but for the last step, half the visit."""
    starter: list[Write] = []
    if content is not None and hasattr(content, "starter_writes"):
        starter = [w for w in content.starter_writes(values) if w.table == "checklist"]
    if not starter:
        return [
            _w("checklist", {"text": t, "phase": p, "done": d, "order": float(n)})
            for n, (t, p, d) in enumerate(_FALLBACK_CHECKLIST, 1)
        ]
    order = {p: i for i, p in enumerate(model.PHASES)}
    ranked = sorted(
        starter,
        key=lambda w: (order.get(w.values.get("phase", "preparing"), 9), w.values.get("order", 0)),
    )
    by_phase: dict[str, list[str]] = {}
    for w in ranked:
        by_phase.setdefault(w.values.get("phase", "preparing"), []).append(w.doc_id)
    # As far along as the case is: chosen, prepared (one record still to check), visited.
    visit = by_phase.get("visit", [])
    done_ids = {
        *by_phase.get("deciding", []),
        *by_phase.get("preparing", [])[:-1],
        *visit[: (len(visit) + 1) // 2],
    }
    return [
        dataclasses.replace(w, values={**w.values, "done": True}) if w.doc_id in done_ids else w
        for w in starter
    ]


def build_demo(repo: CaseRepository, content: Any = None) -> OpenCase:
    """Create the sample case in ``repo``'s cases folder and return it as saved.

    Side effects: writes two replica files (this device's and a second, invented device's, to
    show how a case is shared between devices) and updates the list index.
    """
    today = repo.today

    def ago(days: int) -> str:
        return (today - _dt.timedelta(days=days)).isoformat()

    info = {
        "title": DEMO_TITLE,
        "patient": "Walter Brandt, 67",
        "condition": "Narrowing of the spinal canal in the lower back (L4-L5)",
        "urgency": "soon",
        "surgery": True,
        "insurance_plan": "Medicare Part B with a Medigap supplement",
        "covered": "yes",
        "in_network_only": "no",
        "referral_needed": "no",
        "preauth_needed": "unknown",
        "medicare": "yes",
        "notes": (
            "Dad's legs feel heavy and numb after about ten minutes of walking; sitting down "
            "or leaning on a shopping cart eases it.\nAnna (daughter) keeps this case and goes "
            "to the visits with him.\nAn invented sample case: what its doctors say is not "
            "advice."
        ),
    }
    values = model.parse_fields("case", info)
    if content is not None and hasattr(content, "template_fields"):
        values = {**values, **content.template_fields()}
    opened = repo.create(values, extra=[w for w in _checklist(content, values)])

    records = {
        "mri": _w("records", {
            "title": "MRI of the lower back, report", "kind": "imaging_report",
            "date": ago(70), "source": "Riverside Imaging"}),
        "mri_images": _w("records", {
            "title": "MRI of the lower back, images (CD)", "kind": "imaging_images",
            "date": ago(70), "source": "Riverside Imaging",
            "notes": "The second office asked for the images themselves, not only the report."}),
        "xray": _w("records", {
            "title": "Standing and bending X-rays, report", "kind": "imaging_report",
            "date": ago(50), "source": "Riverside Orthopedics"}),
        "pt": _w("records", {
            "title": "Physical therapy notes (6 weeks last spring)", "kind": "physician_notes",
            "date": ago(200), "source": "Lakeside Physical Therapy"}),
        "consult": _w("records", {
            "title": "Dr. Hale's consultation note and surgical plan", "kind": "treatment_plan",
            "date": ago(52), "source": "Riverside Orthopedics"}),
        "meds": _w("records", {
            "title": "Current medication list", "kind": "medication_list",
            "date": ago(15), "source": "Family",
            "notes": "Includes the blood thinner; both doctors need to know about it."}),
        "labs": _w("records", {
            "title": "Pre-operative blood tests", "kind": "labs",
            "date": ago(48), "source": "Riverside Lab"}),
    }
    rid = {key: w.doc_id for key, w in records.items()}
    # The care team: opinions and transfers name their doctor by id, and by name for older
    # versions (an invented area code: 555 numbers are reserved for examples).
    hale_dr = _w("doctors", {
        "name": "Dr. Martin Hale", "role": "first", "specialty": "Orthopedic spine surgery",
        "institution": "Riverside Orthopedics", "phone": "+1 555 0134",
        "fax": "+1 555 0135", "in_network": "yes"})
    okafor_dr = _w("doctors", {
        "name": SECOND_DOCTOR, "role": "second", "specialty": "Neurosurgery (spine)",
        "institution": "University Spine Center", "phone": "+1 555 0178",
        "email": "spine.referrals@university.example",
        "portal": "https://mychart.university.example", "in_network": "unknown",
        "address": "University Spine Center, 2nd floor\n400 College Avenue",
        "notes": "Ask for Maria, the referral coordinator."})
    gp_dr = _w("doctors", {
        "name": "Dr. Ruth Iles", "role": "primary_care", "institution": "Lakeside Family "
        "Practice", "phone": "+1 555 0112", "in_network": "yes"})
    to = f"{SECOND_DOCTOR} (University Spine Center)"
    linked = {"doctor_id": okafor_dr.doc_id}
    transfers = [
        _w("transfers", {"record": rid["mri"], "recipient": to, **linked, "state": "confirmed",
                         "authorisation_signed": True, "requested_on": ago(45),
                         "sent_on": ago(38), "received_on": ago(24), "confirmed_on": ago(20)}),
        _w("transfers", {"record": rid["mri_images"], "recipient": to, **linked,
                         "state": "received",
                         "authorisation_signed": True, "requested_on": ago(45),
                         "sent_on": ago(30), "received_on": ago(18),
                         "notes": "Call the spine center to check the CD opens."}),
        _w("transfers", {"record": rid["xray"], "recipient": to, **linked, "state": "sent",
                         "authorisation_signed": True, "requested_on": ago(38),
                         "sent_on": ago(12)}),
        _w("transfers", {"record": rid["pt"], "recipient": to, **linked, "state": "requested",
                         "authorisation_signed": True, "requested_on": ago(41),
                         "request_kind": "third_party",
                         "notes": "Asked by phone and in writing on the clinic's online "
                                  "form."}),
        _w("transfers", {"record": rid["consult"], "recipient": to, **linked, "state": "confirmed",
                         "authorisation_signed": True, "requested_on": ago(44),
                         "sent_on": ago(35), "received_on": ago(25), "confirmed_on": ago(21)}),
        _w("transfers", {"record": rid["meds"], "recipient": to, **linked, "state": "confirmed",
                         "from_provider": False, "sent_on": ago(15), "received_on": ago(14),
                         "confirmed_on": ago(9), "notes": "Anna e-mailed it herself."}),
    ]
    first = _w("opinions", {
        "doctor": "Dr. Martin Hale", "doctor_id": hale_dr.doc_id, "order": 1,
        "specialty": "Orthopedic spine surgery",
        "institution": "Riverside Orthopedics", "visit_mode": "in_person", "date": ago(52),
        "diagnosis": "Spinal stenosis at L4-L5 pressing on the nerves to both legs.",
        "stage": "Moderate to severe narrowing on the MRI",
        "treatment": "Open the canal (laminectomy) and fuse L4 to L5 with screws and rods.",
        "alternatives": "Keep managing with pain medicine; he did not expect more physical "
                        "therapy to help.",
        "risks": "Infection, bleeding (more so on a blood thinner), nerve injury, the fusion "
                 "not healing, extra wear on the levels next to the fusion in later years.",
        "side_effects": "Stiffness of the fused level; pain from the wound for some weeks.",
        "goals": "Walk further without leg pain and numbness.",
        "recovery": "Two or three nights in hospital; no lifting or golf for three months.",
        "if_waiting": "Likely to stay the same or slowly get worse; waiting a few months is "
                      "safe unless weakness or bladder trouble appears.",
        "evidence": "No studies mentioned; said fusion is how he usually treats this.",
        "written_copy": True,
        "costs": "Medicare Part B after the deductible; the supplement pays most of the 20%.",
    })
    second = _w("opinions", {
        "doctor": SECOND_DOCTOR, **linked, "order": 2, "specialty": "Neurosurgery (spine)",
        "institution": "University Spine Center", "independent": "yes",
        "visit_mode": "in_person", "date": ago(9),
        "diagnosis": "Spinal stenosis at L4-L5 with a small forward slip of L4 "
                     "(grade 1 degenerative spondylolisthesis) that does not move on the "
                     "bending X-rays, so the spine is stable there.",
        "stage": "Moderate narrowing; the slip is stable",
        "treatment": "Three months of guided physical therapy with one epidural steroid "
                     "injection first. If walking has not improved, open the canal "
                     "(decompression) without a fusion.",
        "alternatives": "Decompression with fusion now, which she sees as more surgery than a "
                        "stable slip needs.",
        "risks": "Injection: a few days of soreness, rarely infection or a headache. "
                 "Decompression alone: a small chance of needing a fusion later.",
        "side_effects": "Injection may raise blood sugar for a day or two.",
        "goals": "Walk the dog for half an hour again; avoid a larger operation if a smaller "
                 "one will do.",
        "recovery": "Decompression alone: often home the same or next day; light activity "
                    "within weeks.",
        "if_waiting": "Trying therapy first costs three months; she saw nothing that makes "
                      "waiting unsafe.",
        "evidence": "Referred to randomized trials of decompression with and without fusion "
                    "for a stable slip; said their results differ, and she weighs them with "
                    "his age and health.",
        "written_copy": False,
        "costs": "Part B usually helps pay for therapy and the injection; ask the center "
                 "about its facility fee.",
    })
    questions = [
        ("What exactly is the diagnosis, and how sure are you?", "diagnosis", "high", True),
        ("Is the slipped vertebra stable, or does it move when he bends?", "diagnosis",
         "high", True),
        ("What are the options besides the operation you recommend?", "options", "high", True),
        ("What happens if we wait three months?", "waiting", "normal", True),
        ("How long is recovery, and when can he drive again?", "recovery", "normal", True),
        ("How many of these operations does your team do each year?", "evidence", "normal",
         False),
        ("What will we pay ourselves after Medicare and the supplement?", "cost", "low", False),
        ("Would you speak with Dr. Hale about your view?", "first_plan", "normal", False),
    ]
    q = [
        _w("questions", {"text": t, "category": c, "priority": p, "asked": a,
                         "order": float(n)})
        for n, (t, c, p, a) in enumerate(questions, 1)
    ]
    hale = [
        (0, "Stenosis at L4-L5, clear on the MRI; he was confident."),
        (1, "He had not looked at it that way; said he prefers a fusion either way."),
        (2, "Pain medicine only; did not recommend more therapy."),
        (3, "Probably no harm, but he expects no improvement."),
        (4, "Three months before lifting; driving after about four weeks."),
    ]
    okafor = [
        (0, "The same narrowing, plus a small slip of L4 that she called stable."),
        (1, "Stable: the bending X-rays show no movement, one reason she would try without "
            "a fusion first."),
        (2, "Guided therapy and an injection first; decompression alone if that fails."),
        (3, "Safe to try therapy first; come back at once if weakness or bladder trouble "
            "starts."),
    ]
    opened = repo.apply(
        opened,
        [*records.values(), hale_dr, okafor_dr, gp_dr, *transfers, first, *q],
        "Added the records, the doctors, the transfers, the first opinion and the questions",
    )
    opened = repo.apply(
        opened,
        [_w("answers", {"question": q[i].doc_id, "opinion": first.doc_id, "text": t})
         for i, t in hale],
        "Added Dr. Hale's answers",
    )

    # The second visit was typed in on the daughter's laptop: a second replica file.
    laptop = CaseRepository(
        repo.paths, Device(secrets.token_hex(6), "Anna's laptop"), today=repo.today
    )
    try:
        other = laptop.open(opened.case_id)
        laptop.apply(
            other,
            [second, *(
                _w("answers", {"question": q[i].doc_id, "opinion": second.doc_id, "text": t})
                for i, t in okafor
            )],
            f"Added {SECOND_DOCTOR}'s opinion and answers",
        )
    finally:
        laptop.close()

    opened = repo.reload(opened)
    # The decision as the person has begun it: the options, what matters in each (0-5), the
    # leaning over time. The first opinion's id ties an option to the doctor who offered it.
    fusion = _w("options", {"title": "Decompression with fusion now", "source": "opinion",
                            "opinion": first.doc_id, "order": 1})
    therapy = _w("options", {"title": "Therapy and an injection first, decompression alone "
                             "if needed", "source": "opinion", "opinion": second.doc_id,
                             "order": 2})
    third = _w("options", {"title": "A third opinion before choosing", "source": "own",
                           "order": 3})
    factors = [
        _w("factors", {"option": option.doc_id, "kind": kind, "text": what,
                       "importance": importance})
        for option, kind, what, importance in (
            (fusion, "benefit", "Walking the dog for half an hour again, soonest", 5),
            (fusion, "risk", "A bigger operation than may be needed", 4),
            (therapy, "benefit", "Avoids an operation if it works", 4),
            (therapy, "risk", "Three more months of pain if it does not", 3),
            (third, "risk", "Another month before anything starts", 2),
        )
    ]
    leanings = [
        _w("leanings", {"date": ago(40), "option": fusion.doc_id,
                        "note": "After the first visit"}),
        _w("leanings", {"date": ago(12), "option": therapy.doc_id,
                        "note": "After Dr. Okafor explained the slip is stable"}),
    ]
    decision = _w("decision", {
        "who_decides": "shared",
        "leaning": "Therapy first, then decide again in three months",
        "sure_know": True,
        "sure_values": True,
    }, opened.case_id)  # the decision's id is the case's (one document on every device)
    opened = repo.apply(opened, [fusion, therapy, third, *factors, *leanings, decision],
                        "Started the decision")
    okafor = next(d.id for d in opened.case.doctors if d.name == SECOND_DOCTOR)
    return repo.apply(opened, _follow_up(today, okafor),
                      f"Planned a follow-up with {SECOND_DOCTOR}")


def _follow_up(today: _dt.date, doctor_id: str) -> list[Write]:
    """A planned visit with the second doctor, twelve days ahead, at the time of the place
    (the next steps count the days to it)."""
    visit = _w("appointments", {
        "doctor_id": doctor_id, "date": (today + _dt.timedelta(days=12)).isoformat(),
        "time": "10:15", "zone": "America/Chicago", "mode": "in_person",
        "place": "University Spine Center, clinic 4B", "companions": "Anna",
        "bring": "The medication list and the questions still open",
        "notes": "To go through the therapy plan and the injection before choosing.",
        "status": "planned"})
    return [visit]
