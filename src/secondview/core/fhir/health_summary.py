"""A health summary from an export: the problem list, medicines, allergies and past
procedures, the first things a new doctor reads.

Conditions, MedicationRequests and MedicationStatements, AllergyIntolerances and Procedures
are not records of their own (they are facts, not documents): they become one text, a section
each, the current ones first (active, recurring, relapsed conditions; active medicines and
allergies), then the rest with what became of them, each with its dates. The text is plain,
the same on every device for the same file, and the person edits it afterwards like any other
field. Pure; nothing happens at import.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .reading import Resource
from .values import Malformed, concept_text, element, objects, one_line, record_date, text

SUMMARY_TYPES = ("Condition", "MedicationRequest", "MedicationStatement",
                 "AllergyIntolerance", "Procedure")
"""The resource types the summary is made from."""

SECTIONS = (("Condition", "Problems"), ("Medication", "Medicines"),
            ("AllergyIntolerance", "Allergies"), ("Procedure", "Past procedures"))
"""Each section's resource kind (MedicationRequest and MedicationStatement are one) and title,
in the order a doctor reads them."""

CURRENT = {"active", "recurrence", "relapse", "on-hold", "intended", "unknown", ""}
"""Statuses under which a condition, medicine or allergy is listed among the current ones."""

MOST_PER_SECTION = 40
"""A section lists at most this many (then "and N more"): a long history's first lines are
its current ones, which is what the summary is for."""


@dataclass(frozen=True)
class _Line:
    current: bool
    date: str
    words: str


def _clinical(data: Mapping[str, Any]) -> str:
    """The clinical status's code (a condition's, an allergy's), else the ``status``."""
    concept = element(data, "clinicalStatus")
    for n, coding in enumerate(objects(concept, "coding", "clinicalStatus.")):
        code = text(coding, "code", f"clinicalStatus.coding[{n}].")
        if code:
            return code
    return text(data, "status")


def _when(data: Mapping[str, Any], *names: str) -> str:
    for name in names:
        value = text(data, name) if isinstance(data.get(name), str) else text(
            element(data, name), "start", f"{name}.")
        if value:
            return record_date(value)[0] or value[:10]
    return ""


def _line(r: Resource) -> _Line | None:
    data = r.data
    status = _clinical(data)
    if status in ("entered-in-error", "refuted"):
        return None
    if r.type == "Condition":
        what = concept_text(element(data, "code"), "code.")
        since = _when(data, "onsetDateTime", "onsetPeriod", "recordedDate")
        ended = _when(data, "abatementDateTime", "abatementPeriod")
        dates = ", ".join(p for p in (f"since {since}" if since else "",
                                      f"ended {ended}" if ended else "") if p)
    elif r.type in ("MedicationRequest", "MedicationStatement"):
        what = concept_text(element(data, "medicationCodeableConcept"),
                            "medicationCodeableConcept.") or text(
            element(data, "medicationReference"), "display", "medicationReference.")
        since = _when(data, "authoredOn", "effectiveDateTime", "effectivePeriod", "dateAsserted")
        dates = f"since {since}" if since else ""
        status = "active" if status in ("active", "intended", "on-hold", "") else status
    elif r.type == "AllergyIntolerance":
        what = concept_text(element(data, "code"), "code.")
        criticality = text(data, "criticality")
        dates = f"{criticality} criticality" if criticality in ("high", "low") else ""
    else:  # Procedure
        what = concept_text(element(data, "code"), "code.")
        dates = _when(data, "performedDateTime", "performedPeriod")
        status = "done"
    if not what:
        return None
    current = status in CURRENT
    shown = status if not current and status not in ("done", "completed") else ""
    about = "; ".join(p for p in (dates, shown) if p)
    words = one_line(what) + (f" ({about})" if about else "")
    date = dates.removeprefix("since ")[:10]
    return _Line(current, date, words)


def health_summary(resources: Iterable[Resource]) -> str:
    """The summary of ``resources`` ("" when none is about the patient's health history):
    a titled section per kind, current entries first, then by date, newest first. A
    resource that cannot be read is left out (the summary is a convenience, and the
    resources stay in the exported file)."""
    by_section: dict[str, list[_Line]] = {}
    seen: set[tuple[str, str]] = set()
    for r in resources:
        if r.type not in SUMMARY_TYPES:
            continue
        kind = "Medication" if r.type.startswith("Medication") else r.type
        try:
            line = _line(r)
        except Malformed:
            continue
        if line is None or (kind, line.words) in seen:
            continue
        seen.add((kind, line.words))
        by_section.setdefault(kind, []).append(line)
    out: list[str] = []
    for kind, title in SECTIONS:
        lines = sorted(by_section.get(kind, []), key=lambda x: x.words)
        lines.sort(key=lambda x: x.date, reverse=True)  # newest first, undated last
        lines.sort(key=lambda x: not x.current)  # stable: current first, each by date
        if not lines:
            continue
        out.append(title)
        out += [f"- {x.words}" for x in lines[:MOST_PER_SECTION]]
        if len(lines) > MOST_PER_SECTION:
            out.append(f"- and {len(lines) - MOST_PER_SECTION} more in the exported file")
    return "\n".join(out)



def with_summary(existing: str, summary: str) -> str:
    """The case's summary once ``summary`` (from an export) is added to ``existing`` (what
    the case holds, perhaps edited by the person): the summary itself when the case has
    none; else ``existing`` with the lines it lacks added under their section titles, so
    nothing the person wrote is changed and importing the same file again changes nothing.
    The same on every device for the same two texts."""
    if not existing.strip():
        return summary
    have = {line.strip() for line in existing.splitlines()}
    added: list[str] = []
    title = ""
    for line in summary.splitlines():
        if not line.startswith("- "):
            title = line
        elif line.strip() not in have:
            if title and (not added or title not in added):
                added.append(title)
            added.append(line)
    return existing.rstrip("\n") + "\n" + "\n".join(added) if added else existing
