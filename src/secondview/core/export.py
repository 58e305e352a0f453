"""Printable documents of a case: Markdown text, and HTML made from it with markdown-it-py.

Five documents, each a pure function of a ``model.Case`` and the date it is made on:

- ``brief``: one page a doctor new to the case can read first: the condition, the first
  opinion, the records and the questions;
- ``questions``: the questions for one doctor, with room under each to write the answer;
- ``packet``: what goes to the second office: a cover note, the records index (kind, date,
  source, attached files with their size and SHA-256) and the release checklist;
- ``comparison``: two opinions side by side (``core.compare``), the verdict and the answers;
- ``decision``: the options with their benefits and risks (and the free-text "notes from
  before" of older versions), the leaning, the choice and its reasons.

``build(what, case, today, ...)`` returns a ``Document``; ``Document.render("md" | "html")``
gives the text to write. Nothing here reads or writes a file.

User text (anything from the case file) is escaped for Markdown by ``esc``/``cell``/
``paragraphs``: control and bidi-override characters become visible placeholders, and every
character that could start Markdown structure (a heading, a list, a quote, a code block, a
link, emphasis, a table cell, raw HTML, an entity) is backslash-escaped, so a title such as
``# x`` or ``[a](javascript:x)`` prints as those characters. The HTML comes from markdown-it-py
with raw HTML off, in one self-contained page: inline print styles, no scripts, no external
resources (a Content-Security-Policy in the page says so to the browser as well).

The sentences written here are our own and describe a process; none of them is medical advice.
"""

from __future__ import annotations

import datetime as _dt
import html as _html
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

from . import compare as _compare
from . import decision as _decision
from . import progress, safe_text
from .field_spec import InvalidValue
from .model import IMPORTANCE_MOST, Case, Item, brief_fields, spec
from .sizes import human_size

WHATS = ("brief", "questions", "packet", "comparison", "decision")
"""The documents, in the order ``all`` writes them."""

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


# ---------------------------------------------------------------------------------------------
# Escaping user text

_INLINE = re.compile(
    r"[\\`*_\[\]|]"  # escapes, code, emphasis, links and images, table cells
    r"|<(?=[A-Za-z/!?])"  # raw HTML and autolinks
    r"|&(?=#?[A-Za-z0-9]+;)"  # entities (&lt; would print as <)
    r"|~(?=~)"  # strikethrough in the renderers that have it
)
_INLINE_HEADING = re.compile(_INLINE.pattern + r"|#")
"""In a heading every # is escaped too: a trailing run would close the heading and vanish."""
_BLOCK_START = re.compile(r"[#>+=~-]|\d{1,9}(?=[.)])")
"""What may begin a block at the start of a line: a heading, a quote, a list, a setext
underline, a fence, an ordered list (digits then . or ))."""


def clean(value: Any) -> str:
    """User text as safe plain text, line breaks kept (``core.safe_text.clean``, multiline)."""
    return safe_text.clean(value, multiline=True)


def lines(value: Any) -> list[str]:
    """The non-empty lines of user text, cleaned and stripped."""
    return [line.strip() for line in clean(value).split("\n") if line.strip()]


def _escape_line(line: str, pattern: re.Pattern[str] = _INLINE) -> str:
    """One stripped line of cleaned text, escaped so it is only text wherever it starts."""
    line = pattern.sub(lambda m: "\\" + m.group(), line)
    start = _BLOCK_START.match(line)
    if start is None:
        return line
    if start.group()[0].isdigit():
        end = start.end()
        return line[:end] + "\\" + line[end:]
    return "\\" + line


def esc(value: Any, joiner: str = " / ") -> str:
    """User text as one line of Markdown that renders as exactly that text.

    Lines are joined with ``joiner`` (a line break would end a table row or a list item);
    leading and trailing whitespace of each line goes (four spaces would start a code block,
    two at the end a line break)."""
    return joiner.join(_escape_line(line) for line in lines(value))


def heading_text(value: Any) -> str:
    """User text for a heading: ``esc`` with every # escaped too (a trailing run of # would be
    read as the heading's closing sequence and dropped)."""
    return " ".join(_escape_line(line, _INLINE_HEADING) for line in lines(value))


def cell(value: Any) -> str:
    """User text for a table cell (``esc``; a pipe is escaped, so it never splits the cell)."""
    return esc(value)


def paragraphs(value: Any) -> list[str]:
    """User text as Markdown paragraphs, one per non-empty line (its line breaks kept)."""
    return [_escape_line(line) for line in lines(value)]


# ---------------------------------------------------------------------------------------------
# Values in words


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


def _text(item: Item | None, name: str) -> str:
    """A text field's value, "" when it is missing or not text."""
    if item is None:
        return ""
    value = item.values.get(name, "")
    return value if isinstance(value, str) else ""


def _date_key(item: Item) -> tuple[str, str, str]:
    date = _text(item, "date")
    return (date or "9999", clean(_text(item, "title")).casefold(), item.id)


def records_in_order(case: Case) -> list[Item]:
    """The case's records, oldest first; undated ones last."""
    return sorted(case.records, key=_date_key)


def doctor_label(opinion: Item, case: Case | None = None) -> str:
    """"Dr X (specialty, institution)" in plain text (user text: escape it)."""
    doctor = " ".join(lines(opinion.values.get("doctor"))) or "A doctor"
    extra = [" ".join(lines(opinion.values.get(n))) for n in ("specialty", "institution")]
    extra = [e for e in extra if e]
    if case is not None:
        first = case.first_opinion()
        if first is not None and first.id == opinion.id:
            extra.insert(0, "first opinion")
    return f"{doctor} ({', '.join(extra)})" if extra else doctor


# ---------------------------------------------------------------------------------------------
# Attached files


@dataclass(frozen=True)
class AttachedFile:
    """A file (or folder) a record points at: its path as given, and its size and SHA-256
    when known; for a folder, how many files it held (see ``store.attachments``)."""

    path: str
    size: int | None = None
    sha256: str = ""
    folder: bool = False
    file_count: int | None = None

    @property
    def name(self) -> str:
        """The file's (or folder's) own name: the office receives files, not this device's
        folders, and the full path would tell them the user's account name."""
        parts = [p for p in re.split(r"[\\/]", self.path) if p]
        return parts[-1] if parts else self.path


def _size(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and value >= 0:
        return value
    if isinstance(value, float) and value >= 0 and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _file_entry(value: Any, record: Item | None = None) -> AttachedFile | None:
    if isinstance(value, str):
        if not value.strip():
            return None
        values: Mapping[str, Any] = record.values if record is not None else {}
        return AttachedFile(
            value.strip(),
            _size(values.get("size", values.get("file_size"))),
            str(values.get("sha256", values.get("file_sha256", "")) or ""),
        )
    if isinstance(value, Mapping):
        path = value.get("path", value.get("file", ""))
        if not isinstance(path, str) or not path.strip():
            return None
        digest = value.get("sha256", "")
        return AttachedFile(path.strip(), _size(value.get("size")),
                            digest if isinstance(digest, str) else "",
                            value.get("kind") == "folder", _size(value.get("file_count")))
    return None


def attached_files(case: Case, record: Item) -> list[AttachedFile]:
    """The files ``record`` points at, with what the case knows of each.

    Read tolerantly, whatever shape the attachment fields have: the case's ``attachments``
    table (items with ``record``, ``path``, ``kind``, ``size``, ``file_count``, ``sha256``),
    by path; else the
    record's ``files`` field: one path, several (one a line), or a list of paths or of
    {path, size, sha256}; a single path takes the record's own ``size``/``sha256`` fields.
    """
    found: list[AttachedFile] = []
    table = getattr(case, "attachments", None)
    if isinstance(table, (tuple, list)):
        for item in table:
            values = getattr(item, "values", {})
            if values.get("record") == record.id:
                entry = _file_entry(dict(values))
                if entry is not None:
                    found.append(entry)
    if found:
        return sorted(found, key=lambda f: f.path)
    files = record.values.get("files")
    if isinstance(files, str):
        paths = [p.strip() for p in clean(files).split("\n") if p.strip()]
        if len(paths) == 1:
            entry = _file_entry(paths[0], record)
            return [entry] if entry else []
        return [AttachedFile(p) for p in paths]
    if isinstance(files, (list, tuple)):
        entries = (_file_entry(v, record if len(files) == 1 else None) for v in files)
        return [e for e in entries if e is not None]
    return []


_HEX64 = re.compile(r"[0-9a-fA-F]{64}")


def _digest(value: str) -> str:
    """A SHA-256 as code (monospace) when it is one; anything else escaped as text."""
    value = value.strip()
    if _HEX64.fullmatch(value):
        return f"`{value.lower()}`"
    return cell(value)


# ---------------------------------------------------------------------------------------------
# Building blocks


def _table(head: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    """A Markdown table: ``head`` and ``rows`` already escaped (``cell``)."""
    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(c if c else " " for c in cells) + " |"
    out = [line(head), "|" + "|".join("---" for _ in head) + "|"]
    out.extend(line(r) for r in rows)
    return out


def _field(label: str, value: Any) -> list[str]:
    """``**Label:** value`` (user text escaped); a value of several lines continues as
    paragraphs of its own. Empty values give nothing."""
    parts = paragraphs(value)
    if not parts:
        return []
    out = [f"**{label}:** {parts[0]}", ""]
    for more in parts[1:]:
        out += [more, ""]
    return out


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def _made_on(today: _dt.date) -> str:
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


def _end(case: Case, today: _dt.date) -> list[str]:
    out = ["---", ""]
    if case.conflicts:
        out += [f"*{CONFLICT_NOTE}*", ""]
    out += [f"*{FOOTER} Made on {_made_on(today)}.*"]
    return out


def _head(what: str, case: Case, today: _dt.date, subtitle: str = "") -> list[str]:
    title = heading_text(case.title) or "Untitled case"
    out = [f"# {TITLES[what]}: {title}", ""]
    patient = esc(case.info.values.get("patient"))
    facts = [f"Patient: {patient}" if patient else "", f"Made on {_made_on(today)}"]
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
    """

    what: str
    title: str
    markdown: str
    new_page: tuple[str, ...] = ()

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


def _document(what: str, case: Case, body: list[str], new_page: tuple[str, ...] = ()
              ) -> Document:
    text = "\n".join(body).rstrip("\n") + "\n"
    title = f"{TITLES[what]}: {' '.join(lines(case.title)) or 'Untitled case'}"
    return Document(what, title, text, new_page)


# ---------------------------------------------------------------------------------------------
# The documents

REASONS = (
    ("cancer", "a cancer diagnosis"),
    ("surgery", "a major or elective operation has been proposed"),
    ("rare", "the diagnosis is rare or unclear"),
    ("not_improving", "the current treatment is not working"),
    ("dismissed", "the patient has felt their concerns were not heard"),
)


def brief(case: Case, today: _dt.date) -> Document:
    """One page for a doctor new to the case: condition, first opinion, records, questions."""
    info = case.info
    out = _head("brief", case, today)
    out += [
        "A summary kept by the patient and family for a doctor who is new to this case. It "
        "repeats earlier doctors' words as the family noted them, so the records themselves "
        "come first wherever the two differ.",
        "",
        "## The condition",
        "",
    ]
    for part in paragraphs(info.values.get("condition")) or ["Not written down yet."]:
        out += [part, ""]
    urgency = shown(info, "urgency")
    if urgency and urgency != "emergency":
        out += [f"**How soon a decision is needed:** {esc(urgency)}", ""]
    reasons = [words for name, words in REASONS if info.values.get(name) is True]
    if reasons:
        out += [f"**Why another opinion:** {'; '.join(reasons)}.", ""]
    out += _field("In the family's words", info.values.get("notes"))

    out += ["## The first opinion", ""]
    first = case.first_opinion()
    if first is None:
        out += ["No opinion has been recorded yet.", ""]
    else:
        who = esc(doctor_label(first))
        date = _text(first, "date")
        out += [f"**From:** {who}" + (f", {esc(date)}" if date else ""), ""]
        for field in brief_fields("opinions"):
            out += _field(field.label, first.values.get(field.name))
        out += [f"**Written copy received:** {shown(first, 'written_copy')}", ""]
        others = len(case.opinions) - 1
        if others > 0:
            out += [f"The case holds {others} later opinion{'' if others == 1 else 's'}; the "
                    "comparison document sets them side by side.", ""]

    out += ["## Records", ""]
    records = records_in_order(case)
    if not records:
        out += ["No records listed yet.", ""]
    for record in records:
        facts = [shown(record, "kind"), _text(record, "date"), _text(record, "source")]
        detail = ", ".join(esc(f) for f in facts if f.strip())
        out.append(f"- {esc(record.values.get('title')) or 'Untitled record'}"
                   + (f" ({detail})" if detail else ""))
    if records:
        out.append("")

    out += ["## Questions the family would like to ask", ""]
    questions = case.questions_in_order()
    if not questions:
        out += ["None written down yet.", ""]
    for n, question in enumerate(questions, 1):
        mark = " **(important)**" if question.values.get("priority") == "high" else ""
        out.append(f"{n}. {esc(question.values.get('text')) or '(empty)'}{mark}")
    if questions:
        out.append("")
    return _document("brief", case, out + _end(case, today))


ANSWER_LINE = "_" * 64
ANSWER_LINES = 3


def questions(case: Case, today: _dt.date, doctor: Item | None = None) -> Document:
    """The questions for ``doctor`` (an opinion) or for any doctor, with room for answers.

    Questions are in the person's order; important ones are marked. An answer this doctor
    already gave is printed under its question; every question keeps lines to write on.
    """
    if doctor is not None:
        out = _head("questions", case, today, f"For {esc(doctor_label(doctor))}")
    else:
        out = _head("questions", case, today) + ["**Doctor:**", "", ANSWER_LINE, ""]
    qs = case.questions_in_order()
    important = sum(1 for q in qs if q.values.get("priority") == "high")
    intro = (
        f"{len(qs)} question{'' if len(qs) == 1 else 's'}, in the order the family wants to "
        "ask them"
    )
    if important:
        intro += f"; the {important} marked important matter most if time runs short"
    out += [intro + ". Write each answer on the lines under its question.", ""]
    condition = esc(case.info.values.get("condition"))
    if condition:
        out += [f"**Condition:** {condition}", ""]
    if not qs:
        out += ["No questions written down yet.", ""]
    given = {}
    if doctor is not None:
        given = {a.question: a for a in case.answers if a.opinion == doctor.id}
    for n, question in enumerate(qs, 1):
        mark = " (important)" if question.values.get("priority") == "high" else ""
        out += [f"### {n}. {heading_text(question.values.get('text')) or '(empty)'}{mark}", ""]
        why = esc(question.values.get("why"))
        if why:
            out += [f"*Why ask:* {why}", ""]
        answer = given.get(question.id)
        answered = paragraphs(answer.values.get("text")) if answer is not None else []
        if answered:
            out += [f"**Answered before:** {answered[0]}", ""]
            for more in answered[1:]:
                out += [more, ""]
        for _ in range(ANSWER_LINES):
            out += [ANSWER_LINE, ""]
    return _document("questions", case, out + _end(case, today))


def recipients(case: Case) -> list[str]:
    """Everyone records were sent or requested for, most transfers first (ties: by name)."""
    counts = Counter(" ".join(lines(t.values.get("recipient"))) for t in case.transfers)
    counts.pop("", None)
    return [name for name, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


HONORIFICS = frozenset({"dr", "doctor", "prof", "professor", "mr", "mrs", "ms", "mx", "md"})


def _name_words(text: str) -> list[str]:
    return [w for w in re.findall(r"\w+", text.casefold()) if w not in HONORIFICS]


def recipient_for(case: Case, opinion: Item) -> str:
    """The recipient, as written on the transfers, that names ``opinion``'s doctor (by the
    last word of the name: "Dr. Li Chen" is "Dr. Chen (City Knee Clinic)"); with none, the
    doctor's label."""
    words = _name_words(" ".join(lines(opinion.values.get("doctor"))))
    if words:
        for name in recipients(case):
            if words[-1] in _name_words(name):
                return name
    return doctor_label(opinion)


RELEASE_STEPS = (
    "general/ask-which-records",
    "general/sign-release",
    "general/request-records",
    "general/pathology-review",
    "general/cancer-scans-and-markers",
    "general/confirm-records-arrived",
)
"""Checklist steps (content/checklists/general.yaml) about getting records to the office."""

CHECKSUM_HELP = (
    "A SHA-256 checksum identifies a file's exact content: compute it on the copy you "
    "received and compare. For example `sha256sum FILE` on Linux, `shasum -a 256 FILE` on "
    "macOS, or `certutil -hashfile FILE SHA256` on Windows. A different value means the copy "
    "is not the same file."
)


FOLDER_CHECKSUM_HELP = (
    "A folder (marked /) has one checksum for everything in it: the SHA-256 of the list of "
    "its files' own checksums, sorted by path. In the received copy of the folder, "
    "`find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum` prints it."
)


def _tick(done: bool) -> str:
    return "\u2611" if done else "\u2610"  # ☑ ☐


def packet(case: Case, today: _dt.date, recipient: str | None = None) -> Document:
    """What goes to the second office: a cover note, the records index with the attached
    files' sizes and checksums, and the release checklist (transfers to ``recipient``).

    ``recipient`` defaults to whoever has the most transfers; "" means nobody in particular.
    """
    if recipient is None:
        names = recipients(case)
        recipient = names[0] if names else ""
    recipient = " ".join(lines(recipient))
    to = esc(recipient) if recipient else "the second doctor's office"
    out = _head("packet", case, today, f"For {to}")
    records = records_in_order(case)
    files = {r.id: attached_files(case, r) for r in records}
    file_count = sum(len(f) for f in files.values())
    patient = esc(case.info.values.get("patient")) or "the patient"
    condition = esc(case.info.values.get("condition"))
    out += [
        "## Cover note",
        "",
        f"To {to}:",
        "",
        f"These are the records of {patient}, sent ahead of a second opinion.",
        "",
        *([f"**Condition, in the family's words:** {condition}", ""] if condition else []),
        f"The index below lists {len(records)} record{'' if len(records) == 1 else 's'}: what "
        "each one is, its date, and the clinic or lab that holds the original.",
        "",
    ]
    if file_count:
        hashed = sum(1 for entries in files.values() for e in entries if e.sha256)
        listed = (f"{file_count} attached file{'' if file_count == 1 else 's'} or "
                  f"folder{'' if file_count == 1 else 's'} {'is' if file_count == 1 else 'are'}"
                  " listed below")
        if hashed:
            listed += (", with the SHA-256 checksum taken of "
                       + ("it" if file_count == 1 else "each" if hashed == file_count
                          else f"{hashed} of them")
                       + ": you can check that the copy you received is complete and "
                       "unchanged")
        out += [listed + ".", ""]
    out += [
        "Please tell us if a record is missing, arrives incomplete or cannot be opened, and "
        "which of them the doctor would still like to see.",
        "",
        "## Records index",
        "",
    ]
    if not records:
        out += ["No records listed yet.", ""]
    else:
        rows = []
        for n, record in enumerate(records, 1):
            count = len(files[record.id])
            rows.append((
                str(n),
                cell(record.values.get("title")) or "Untitled record",
                cell(shown(record, "kind")),
                cell(_text(record, "date")),
                cell(_text(record, "source")),
                str(count) if count else "none",
            ))
        out += _table(("#", "Record", "Kind", "Date", "Held by", "Files"), rows) + [""]
        notes = [(n, paragraphs(r.values.get("notes"))) for n, r in enumerate(records, 1)]
        notes = [(n, p) for n, p in notes if p]
        if notes:
            out += ["Notes on the records:", ""]
            out += [f"- Record {n}: {' / '.join(p)}" for n, p in notes] + [""]
    if file_count:
        out += ["## Attached files and checksums", ""]
        rows = []
        for n, record in enumerate(records, 1):
            for entry in files[record.id]:
                size = human_size(entry.size) or "not known"
                if entry.folder and entry.file_count is not None:
                    size += f" in {entry.file_count:,} file{'' if entry.file_count == 1 else 's'}"
                rows.append((str(n), cell(entry.name) + ("/" if entry.folder else ""), size,
                             _digest(entry.sha256) if entry.sha256 else "not computed"))
        out += _table(("Record", "File or folder", "Size", "SHA-256"), rows)
        out += ["", CHECKSUM_HELP, ""]
        if any(e.folder for entries in files.values() for e in entries):
            out += [FOLDER_CHECKSUM_HELP, ""]

    out += ["## Release checklist", ""]
    mine = [t for t in case.transfers
            if recipient and " ".join(lines(t.values.get("recipient"))) == recipient]
    by_record: dict[str, Item] = {}
    for transfer in mine:
        by_record.setdefault(str(transfer.values.get("record", "")), transfer)
    if recipient:
        out += [f"Where each record stands on its way to {to}. ☑ means done, with the date.",
                ""]
    rows = []
    for n, record in enumerate(records, 1):
        transfer = by_record.get(record.id)
        if transfer is None:
            rows.append((str(n), cell(record.values.get("title")) or "Untitled record",
                         "", "not requested", "", "", ""))
            continue
        provider = transfer.values.get("from_provider", True) is not False
        release = _tick(transfer.values.get("authorisation_signed") is True) if provider \
            else "not needed"
        reached = _state_ticks(transfer)
        rows.append((str(n), cell(record.values.get("title")) or "Untitled record",
                     release, *reached))
    if rows:
        out += _table(("#", "Record", "Release signed", "Requested", "Sent", "Received",
                       "Confirmed"), rows) + [""]
    steps = [i for i in case.checklist if i.values.get("template_id") in RELEASE_STEPS]
    if steps:
        out += ["From the case's checklist:", ""]
        out += [f"- {_tick(i.values.get('done') is True)} {esc(i.values.get('text'))}"
                for i in steps] + [""]
    out += ["Before the visit:", "", "- ☐ Every record above has arrived and opens"]
    if file_count:
        out.append("- ☐ The checksums of the attached files match")
    out += ["- ☐ The office knows which records are still on their way", ""]
    return _document("packet", case, out + _end(case, today), ("Release checklist",))


_STATES = ("requested", "sent", "received", "confirmed")


def _state_ticks(transfer: Item) -> tuple[str, ...]:
    """☑ and its date for each state the transfer has reached, ☐ for the rest; a record the
    family sends themselves was never requested ("not needed")."""
    state = transfer.values.get("state", "requested")
    reached = _STATES.index(state) if state in _STATES else 0
    out = []
    for n, name in enumerate(_STATES):
        date = _text(transfer, f"{name}_on")
        if n == 0 and transfer.values.get("from_provider") is False and not date:
            out.append("not needed")
        else:
            out.append(f"{_tick(True)} {esc(date)}".rstrip() if n <= reached else _tick(False))
    return tuple(out)


MARKS = {
    _compare.RowKind.SAME: "=",
    _compare.RowKind.DIFFERS: "≠",
    _compare.RowKind.ONLY_LEFT: "◐",
    _compare.RowKind.ONLY_RIGHT: "◑",
    _compare.RowKind.NEITHER: "",
}
RELATION_WORDS = {
    "confirmed": "confirms what A said",
    "refined": "refines what A said",
    "changed": "changes what A said",
}


def comparison(case: Case, today: _dt.date, left: Item | None = None,
               right: Item | None = None) -> Document:
    """Two opinions side by side: ``left`` (by default the first opinion) against ``right``
    (by default the latest); ExportError when the case has fewer than two opinions."""
    if left is None or right is None:
        pair = _compare.default_pair(case)
        if pair is None:
            raise ExportError(
                f"'{' '.join(lines(case.title))}' has {len(case.opinions)} opinion"
                f"{'' if len(case.opinions) == 1 else 's'}; a comparison needs two"
            )
        left, right = (left or pair[0]), (right or pair[1])
    if left.id == right.id:
        raise ExportError("choose two different opinions to compare")
    result = _compare.compare(case, left, right)
    a, b = esc(doctor_label(left, case)), esc(doctor_label(right, case))
    out = _head("comparison", case, today)
    out += [
        f"**A:** {a}" + (f", {esc(_text(left, 'date'))}" if _text(left, "date") else ""),
        "",
        f"**B:** {b}" + (f", {esc(_text(right, 'date'))}" if _text(right, "date") else ""),
        "",
        "## What it adds up to",
        "",
        result.verdict.headline,
        "",
    ]
    for relation in (result.diagnosis, result.treatment):
        if not relation.value:
            continue
        who = "settled by the family" if relation.settled else "secondview's reading of the words"
        out.append(f"- {relation.topic.capitalize()}: B {RELATION_WORDS[relation.value]} "
                   f"({who})")
    if result.diagnosis.value or result.treatment.value:
        out.append("")
    for note in result.verdict.notes:
        out += [note, ""]
    out += [
        "## Side by side",
        "",
        "= the same words · ≠ both say something different · ◐ only A says it · ◑ only B "
        "says it.",
        "",
    ]
    rows = [(cell(r.label), cell(r.left), cell(r.right), MARKS[r.kind])
            for r in result.rows if r.kind is not _compare.RowKind.NEITHER]
    if rows:
        out += _table(("", "A: " + esc(left.values.get("doctor")),
                       "B: " + esc(right.values.get("doctor")), ""), rows) + [""]
    else:
        out += ["Neither opinion has details recorded yet.", ""]
    out += ["## Answers to the same questions", ""]
    if result.answers:
        rows = [(cell(row.question.values.get("text")), cell(row.left), cell(row.right),
                 MARKS[row.kind]) for row in result.answers]
        out += _table(("Question", "A", "B", ""), rows) + [""]
    else:
        out += ["Neither doctor's answers are recorded yet.", ""]
    return _document("comparison", case, out + _end(case, today))


NOTES_BEFORE = "*Notes from before (written in an older version of secondview):*"


def _options_section(case: Case) -> list[str]:
    """The options, each with its benefits and risks and how much each matters (0-5); then
    the free-text options and "what matters most" of older versions, when they hold text,
    as notes from before (never lost from an export)."""
    d = case.decision
    opinions = {o.id: o for o in case.opinions}
    out = ["## The options", ""]
    for n, option in enumerate(case.options, start=1):
        where, doctor = _decision.option_source(option, opinions)
        if doctor is not None:
            where = f"recommended by {esc(doctor_label(doctor, case))}"
        else:
            where = esc(where)
        title = esc(option.values.get("title")) or "(untitled)"
        out += [f"{n}\\. **{title}**" + (f" ({where})" if where else ""), ""]
        factors = case.factors_for(option.id)
        for factor in factors:
            kind = "Risk" if factor.values.get("kind") == "risk" else "Benefit"
            out.append(f"- {kind}, matters {_decision.importance(factor)} of "
                       f"{IMPORTANCE_MOST}: {esc(factor.values.get('text'))}")
        if factors:
            out.append("")
        notes = paragraphs(option.values.get("notes"))
        for part in notes:
            out += [part, ""]
    old_options = paragraphs(d.values.get("options")) if d is not None else []
    if old_options:
        out += [NOTES_BEFORE, ""]
        for part in old_options:
            out += [part, ""]
    elif not case.options:
        out += ["None written down yet.", ""]
    old_matters = paragraphs(d.values.get("matters")) if d is not None else []
    if old_matters:
        out += ["## What matters most", "", NOTES_BEFORE, ""]
        for part in old_matters:
            out += [part, ""]
    return out


def decision(case: Case, today: _dt.date) -> Document:
    """The options with their benefits and risks (and any notes from before), the leaning,
    the choice and its reasons; then what each doctor recommended, for reference."""
    d = case.decision
    out = _head("decision", case, today)
    state = _decision.state(case)
    out += [f"**Where it stands:** {state or 'not started'}.", ""]
    who = _decision.WHO_DECIDES_WORDS.get(str(d.values.get("who_decides", "")) if d else "", "")
    if who:
        out += [f"**Who decides:** {who}.", ""]
    out += _options_section(case)
    for heading, name, empty in (
        ("Leaning", "leaning", "No leaning written down yet."),
        ("The choice", "choice", "Not made yet."),
        ("The reasons", "reasons", "Not written down yet."),
    ):
        out += [f"## {heading}", ""]
        parts = paragraphs(d.values.get(name)) if d is not None else []
        for part in parts or [empty]:
            out += [part, ""]
    told = d is not None and d.values.get("doctor_told") is True
    when = _text(d, "told_on") if d is not None else ""
    out += ["## Telling the treating doctor", "",
            ("Told" + (f" on {esc(when)}" if when else "") + ".") if told else "Not yet.", ""]
    opinions = case.opinions_in_order()
    if opinions:
        out += ["## What each doctor recommended", ""]
        for opinion in opinions:
            out += [f"**{esc(doctor_label(opinion, case))}**", ""]
            recommended = paragraphs(opinion.values.get("treatment"))
            for part in recommended or ["No recommendation recorded."]:
                out += [part, ""]
    return _document("decision", case, out + _end(case, today))


def find_opinion(case: Case, ref: str) -> Item:
    """The opinion named by ``ref``: its id, a unique start of it, its number, or (a unique
    part of) the doctor's name. ExportError naming the opinions otherwise."""
    wanted = ref.strip()
    ops = list(case.opinions_in_order())
    if not wanted:
        raise ExportError("name an opinion by its doctor, number or id")
    exact = [o for o in ops if o.id == wanted.lower()]
    if exact:
        return exact[0]
    by_number = [o for o in ops if wanted.isdigit() and o.values.get("order") == int(wanted)]
    by_id = [o for o in ops if o.id.startswith(wanted.lower())]
    folded = wanted.casefold()
    by_name = [o for o in ops
               if folded in " ".join(lines(o.values.get("doctor"))).casefold()]
    for hits in (by_number, by_id, by_name):
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            raise ExportError(f"'{wanted}' fits {len(hits)} opinions; be more precise. "
                              f"Opinions: {_opinion_list(ops)}")
    if not ops:
        raise ExportError("this case has no opinions yet")
    raise ExportError(f"no opinion '{wanted}'. Opinions: {_opinion_list(ops)}")


def _opinion_list(ops: Sequence[Item]) -> str:
    return "; ".join(
        f"{o.values.get('order') or '-'}: {' '.join(lines(o.values.get('doctor')))} "
        f"({o.id[:8]})" for o in ops
    )


def build(what: str, case: Case, today: _dt.date, *, doctor: Item | None = None,
          opinions: tuple[Item, Item] | None = None, recipient: str | None = None
          ) -> Document:
    """The document ``what`` (one of WHATS) of ``case``. ``doctor``: the opinion the
    questions are for (and, without ``recipient``, whose office the packet goes to);
    ``opinions``: the pair to compare."""
    if what == "brief":
        return brief(case, today)
    if what == "questions":
        return questions(case, today, doctor)
    if what == "packet":
        if recipient is None and doctor is not None:
            recipient = recipient_for(case, doctor)
        return packet(case, today, recipient)
    if what == "comparison":
        left, right = opinions if opinions is not None else (None, None)
        return comparison(case, today, left, right)
    if what == "decision":
        return decision(case, today)
    raise ExportError(f"unknown document '{what}'; choose one of: {', '.join(WHATS)}, all")


def build_many(what: str, case: Case, today: _dt.date, *, doctor: Item | None = None,
               opinions: tuple[Item, Item] | None = None) -> tuple[list[Document], list[str]]:
    """The documents ``what`` asks for ("all", or one of WHATS) and, for "all", a note for
    each one that cannot be made yet (a comparison needs two opinions); one document that
    cannot be made raises ExportError."""
    if what != "all":
        return [build(what, case, today, doctor=doctor, opinions=opinions)], []
    made, skipped = [], []
    for name in WHATS:
        try:
            made.append(build(name, case, today, doctor=doctor, opinions=opinions))
        except ExportError as exc:
            skipped.append(f"no {name}: {exc}")
    return made, skipped


def file_name(case: Case, what: str, fmt: str) -> str:
    """A file name for a document: ``<title in ASCII letters>-<what>.<fmt>``."""
    ascii_title = unicodedata.normalize("NFKD", " ".join(lines(case.title)))
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.encode("ascii", "ignore").decode().lower())
    slug = slug.strip("-")[:40].strip("-") or case.id[:8]
    return f"{slug}-{what}.{fmt}"


# ---------------------------------------------------------------------------------------------
# HTML

CSS = """
:root { color-scheme: light; }
html { background: #fff; }
body { font: 11pt/1.45 "DejaVu Serif", Georgia, "Times New Roman", serif; color: #111;
  max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.5em; line-height: 1.2; margin: 0 0 .3em; }
h2 { font-size: 1.15em; margin: 1.2em 0 .35em; padding-bottom: .1em;
  border-bottom: 1px solid #888; }
h3 { font-size: 1em; margin: 1em 0 .3em; }
p { margin: .35em 0; }
ul, ol { margin: .3em 0; padding-left: 1.6em; }
li { margin: .08em 0; }
table { border-collapse: collapse; width: calc(100% - 2px); margin: .5em 1px;
  font-size: .9em; }
th, td { border: 1px solid #888; padding: .2em .35em; text-align: left; vertical-align: top;
  overflow-wrap: break-word; }
th { background: #ececec; }
td.nowrap { white-space: nowrap; }
code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .8em;
  word-break: break-all; }
hr { border: 0; border-top: 1px solid #999; margin: 1.8em 0 .4em; }
em { color: #333; }
@page { margin: 14mm 14mm 16mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 9.5pt; line-height: 1.32; }
  h1 { font-size: 1.45em; }
  h2 { margin: .9em 0 .3em; }
  p { margin: .25em 0; }
  h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
  p, li, tr { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  h2.new-page { break-before: page; page-break-before: always; }
  hr { margin: 2.3em 0 0; }
  th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
""".strip()

NOWRAP_COLUMNS = frozenset({"Date", "Requested", "Sent", "Received", "Confirmed", "Size",
                            "Release signed"})
"""Table columns (by their heading, our own words) whose cells are never wrapped: a date
broken at its hyphens reads badly."""

CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


UNUSED_RULES = ("code", "fence", "blockquote", "reference", "lheading", "html_block",
                "autolink", "html_inline", "image", "link", "entity")
"""markdown-it rules the documents never need: with them off, no link, image or raw HTML can
come out even in theory, and a page renders in half the time (see bench/export.py). The
Markdown itself is escaped for every CommonMark renderer (the tests render it with all
rules on and raw HTML allowed)."""


def markdown_parser() -> Any:
    """markdown-it-py's CommonMark parser with tables, raw HTML off (``<tag>`` is text) and
    the rules in UNUSED_RULES off."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable("table").disable(list(UNUSED_RULES))


def to_html(markdown: str, title: str, new_page: Iterable[str] = ()) -> str:
    """A self-contained HTML page of ``markdown``: inline styles for screen and print, no
    scripts, no external resources. ``title`` is plain text (escaped here); level-2 headings
    whose text is in ``new_page`` start a new printed page."""
    md = markdown_parser()
    tokens = md.parse(markdown)
    breaks = set(new_page)
    keep_whole: set[int] = set()  # columns of the current table whose cells never wrap
    column = 0
    for n, token in enumerate(tokens):
        following = tokens[n + 1] if n + 1 < len(tokens) else None
        if token.type == "heading_open" and token.tag == "h2" and following is not None:
            if following.content in breaks:
                token.attrSet("class", "new-page")
        elif token.type == "table_open":
            keep_whole = set()
        elif token.type == "tr_open":
            column = 0
        elif token.type == "th_open":
            if following is not None and following.content in NOWRAP_COLUMNS:
                keep_whole.add(column)
            column += 1
        elif token.type == "td_open":
            if column in keep_whole:
                token.attrSet("class", "nowrap")
            column += 1
    body = md.renderer.render(tokens, md.options, {})
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{_html.escape(clean(title).replace(chr(10), ' '))}</title>\n"
        f"<style>\n{CSS}\n</style>\n</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n"
    )
