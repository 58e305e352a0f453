"""The parts every printable document is made of: its title, head and end, a labelled field,
a table, values in words, the records in order, how a doctor is named, and ``Document``.

Used by ``export`` (the documents) and ``export_packet``. User text is escaped with
``markdown_escape``. Pure: no I/O.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from . import care_team, progress
from .export_html import to_html
from .field_spec import InvalidValue
from .markdown_escape import clean, esc, heading_text, lines, paragraphs
from .model import Case, Item, spec

FORMATS = ("md", "html")

TITLES = {
    "brief": "Brief for a new doctor",
    "questions": "Questions for the doctor",
    "packet": "Records packet",
    "comparison": "Two opinions side by side",
    "decision": "The decision",
}


class ExportError(ValueError):
    """An export that cannot be made as asked. The message says why and what to do."""


def shown(item: Item | None, name: str) -> str:
    """A field's value in words (still user text: escape it): ``FieldSpec.words``, a field
    the schema does not know read as text, "" for a missing item."""
    if item is None:
        return ""
    value = item.values.get(name)
    try:
        return spec(item.table, name).words(value)
    except InvalidValue:
        return "" if value is None else value if isinstance(value, str) else str(value)


def text_of(item: Item | None, name: str) -> str:
    """A text field's value, "" when it is missing or not text."""
    if item is None:
        return ""
    value = item.values.get(name, "")
    return value if isinstance(value, str) else ""


def _date_key(item: Item) -> tuple[str, str, str]:
    date = text_of(item, "date")
    return (date or "9999", clean(text_of(item, "title")).casefold(), item.id)


def records_in_order(case: Case) -> list[Item]:
    """The case's records, oldest first; undated ones last."""
    return sorted(case.records, key=_date_key)


def doctor_label(opinion: Item, case: Case | None = None, mark_first: bool = True) -> str:
    """"Dr X (specialty, institution)" in plain text (user text: escape it). With ``case``,
    the name is read through the care team (``care_team.doctor_name``), the institution is
    the doctor entry's where the opinion has none, and the first opinion is marked unless
    ``mark_first`` is False."""
    if case is None:
        doctor = " ".join(lines(opinion.values.get("doctor")))
    else:
        doctor = care_team.doctor_name(case, opinion)
    doctor = doctor or "A doctor"
    extra = [" ".join(lines(opinion.values.get(n))) for n in ("specialty", "institution")]
    entry = care_team.doctor_of(case, opinion) if case is not None else None
    if entry is not None and not extra[1]:
        extra[1] = " ".join(lines(entry.values.get("institution")))
    extra = [e for e in extra if e]
    if case is not None and mark_first:
        first = case.first_opinion()
        if first is not None and first.id == opinion.id:
            extra.insert(0, "first opinion")
    return f"{doctor} ({', '.join(extra)})" if extra else doctor


CONTACT_WORDS = {"phone": "Phone", "fax": "Fax", "email": "Email", "portal": "Patient portal",
                 "address": "Address"}


def doctor_contact(doctor: Item | None) -> list[str]:
    """The contact of a care-team entry as one escaped line and a blank, [] when it has none."""
    if doctor is None:
        return []
    parts = [f"{CONTACT_WORDS[name]} {esc(value)}" for name, value
             in care_team.contact_lines(doctor)]
    return [f"**Contact:** {' · '.join(parts)}", ""] if parts else []


def table(head: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    """A Markdown table: ``head`` and ``rows`` already escaped (``cell``)."""
    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(c if c else " " for c in cells) + " |"
    out = [line(head), "|" + "|".join("---" for _ in head) + "|"]
    out.extend(line(r) for r in rows)
    return out


def labelled(label: str, value: Any) -> list[str]:
    """``**Label:** value`` (user text escaped); a value of several lines continues as
    paragraphs of its own. Empty values give nothing."""
    parts = paragraphs(value)
    if not parts:
        return []
    out = [f"**{label}:** {parts[0]}", ""]
    for more in parts[1:]:
        out += [more, ""]
    return out


def health_summary(value: Any) -> list[str]:
    """The case's health summary (``core.fhir.health_summary``'s shape, or the person's own
    text): its section titles bold, its "- " lines as a list, user text escaped; nothing when
    it is empty."""
    out: list[str] = []
    for line in str(value or "").splitlines():
        line = line.strip()
        if line.startswith("- "):
            out.append(f"- {esc(line[2:])}")
        elif line:
            out += (["", f"**{esc(line)}**", ""] if out else [f"**{esc(line)}**", ""])
    return [*out, ""] if out else []


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def made_on(today: _dt.date) -> str:
    return f"{today.day} {_MONTHS[today.month - 1]} {today.year}"


FOOTER = (
    "Written by the patient or their family with secondview, a notebook for getting a "
    "second opinion. It repeats what they were told and what they decided, in their own "
    "words; it is neither a medical record nor medical advice."
)
CONFLICT_NOTE = (
    "Some details were changed differently on two of the family's devices and are not "
    "settled yet; where that happened this document shows one of the versions."
)


def end(case: Case, today: _dt.date) -> list[str]:
    out = ["---", ""]
    if case.conflicts:
        out += [f"*{CONFLICT_NOTE}*", ""]
    out += [f"*{FOOTER} Made on {made_on(today)}.*"]
    return out


def head(what: str, case: Case, today: _dt.date, subtitle: str = "") -> list[str]:
    title = heading_text(case.title) or "Untitled case"
    out = [f"# {TITLES[what]}: {title}", ""]
    patient = esc(case.info.values.get("patient"))
    facts = [f"Patient: {patient}" if patient else "", f"Made on {made_on(today)}"]
    if subtitle:
        facts.insert(0, subtitle)
    out += [" · ".join(f for f in facts if f), ""]
    if case.info.values.get("urgency") == "emergency":
        out += [f"**{progress.EMERGENCY_STEP}**", ""]
    return out


@dataclass(frozen=True)
class Document:
    """One export: which document, its plain-text title and its Markdown.

    ``new_page``: headings (level 2, our own words) printed at the top of a new page.
    ``for_whom``: the office or doctor it was made for ("" for anyone), which its file name
    carries (``export.file_name``).
    """

    what: str
    title: str
    markdown: str
    new_page: tuple[str, ...] = ()
    for_whom: str = ""

    def html(self) -> str:
        """The document as one self-contained HTML page (see ``to_html``)."""
        return to_html(self.markdown, self.title, self.new_page)

    def render(self, fmt: str) -> str:
        """The text of the document in ``fmt`` ("md" or "html")."""
        if fmt == "md":
            return self.markdown
        if fmt == "html":
            return self.html()
        raise ExportError(f"unknown format '{fmt}'; choose one of: {', '.join(FORMATS)}")


def document(what: str, case: Case, body: list[str], new_page: tuple[str, ...] = ()
              ) -> Document:
    text = "\n".join(body).rstrip("\n") + "\n"
    title = f"{TITLES[what]}: {' '.join(lines(case.title)) or 'Untitled case'}"
    return Document(what, title, text, new_page)
