"""The records packet: what goes to the second doctor's office. A cover note, the records
index with the attached files' sizes and SHA-256 checksums (so the office can check its
copies), and the release checklist of the transfers to that office.

``packet(case, today, recipient, present)`` -> ``export_blocks.Document``; ``recipients`` and
``recipient_for`` name the offices. Pure: no I/O. Which attached paths are on this device is
the caller's to find out (``store.attachments.present_paths``) and pass in as ``present``; a
file missing here is named as not on this device, never listed as a file to send. The
sentences are our own.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections import Counter
from collections.abc import Collection

from . import care_team
from . import export_blocks as blocks
from .attached_files import AttachedFile, attached_files
from .content_rules import steps_that_apply
from .export_blocks import Document, doctor_label, records_in_order, shown, text_of
from .markdown_escape import cell, esc, lines, paragraphs
from .model import Case, Item
from .sizes import human_size


def _recipient_names(case: Case) -> dict[str, str]:
    """Doctor id -> the name the packet goes to, for every doctor records were sent or
    requested for, most transfers first (ties: by name). A doctor of the care team is named
    with its institution; one only typed on the transfers by the spelling used most."""
    typed: dict[str, Counter[str]] = {}
    for transfer in case.transfers:
        ref = care_team.doctor_ref(case, transfer)
        if ref:
            text = " ".join(lines(transfer.values.get("recipient")))
            typed.setdefault(ref, Counter())[text] += 1
    names: dict[str, tuple[int, str]] = {}
    for ref, spellings in typed.items():
        entry = next((d for d in case.doctors if d.id == ref), None)
        name = care_team.doctor_label(entry) if entry is not None else min(
            (t for t in spellings if t), key=lambda t: (-spellings[t], t), default="")
        if name:
            names[ref] = (sum(spellings.values()), name)
    return {ref: name for ref, (_, name) in sorted(names.items(),
                                                  key=lambda kv: (-kv[1][0], kv[1][1]))}


def recipients(case: Case) -> list[str]:
    """Everyone records were sent or requested for, most transfers first (ties: by name):
    one name for each doctor, however the transfers spell it (``care_team``)."""
    return list(_recipient_names(case).values())


def _ref_for(case: Case, recipient: str) -> str:
    """The doctor the packet for ``recipient`` goes to: the one ``recipients`` names so, else
    the one of the transfers on which it is typed just so, else the doctor it names
    (``care_team.ref_for_text``)."""
    for ref, name in _recipient_names(case).items():
        if name == recipient:
            return ref
    for transfer in case.transfers:
        if " ".join(lines(transfer.values.get("recipient"))) == recipient:
            return care_team.doctor_ref(case, transfer)
    return care_team.ref_for_text(case, recipient)


HONORIFICS = care_team.TITLES


def _name_words(text: str) -> list[str]:
    return [w for w in re.findall(r"\w+", text.casefold()) if w not in HONORIFICS]


def recipient_for(case: Case, opinion: Item) -> str:
    """The name the packet for ``opinion``'s doctor goes to: the doctor's, when transfers go
    to that doctor (by id, ``care_team.doctor_ref``); else a recipient whose name holds the
    last word of the doctor's ("Dr. Li Chen" is "Dr. Chen (City Knee Clinic)"); with none,
    the doctor's label."""
    names = _recipient_names(case)
    ref = care_team.doctor_ref(case, opinion)
    if ref in names:
        return names[ref]
    words = _name_words(care_team.doctor_name(case, opinion))
    if words:
        for name in names.values():
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


def packet(case: Case, today: _dt.date, recipient: str | None = None,
           present: Collection[str] | None = None) -> Document:
    """What goes to the second office: a cover note, the records index with the attached
    files' sizes and checksums, and the release checklist (transfers to ``recipient``).

    ``recipient`` defaults to whoever has the most transfers; "" means nobody in particular.
    ``present``: the attached paths (as the case holds them) found on this device; a file
    or folder at any other path is not sent (``_not_on_this_device``). None: not looked up,
    every path taken as there (a document made from the case alone).
    """
    if recipient is None:
        names = recipients(case)
        recipient = names[0] if names else ""
    recipient = " ".join(lines(recipient))
    ref = _ref_for(case, recipient) if recipient else ""
    doctor = next((d for d in case.doctors if d.id == ref), None) if ref else None
    if doctor is not None:
        recipient = care_team.doctor_label(doctor)
    to = esc(recipient) if recipient else "the second doctor's office"
    out = blocks.head("packet", case, today, f"For {to}")
    out += blocks.doctor_contact(doctor)
    records = records_in_order(case)
    files = _files_to_send(case, records, present)
    out += _cover_note(case, to, records, files)
    out += _records_index(records, files)
    out += _held_elsewhere(case, records)
    out += _not_on_this_device(case, records, files)
    if any(files.values()):
        out += _files_and_checksums(records, files)
    mine = care_team.transfers_of(case, ref)
    out += _release_checklist(case, records, mine, to, bool(recipient), any(files.values()))
    return blocks.document("packet", case, out + blocks.end(case, today), ("Release checklist",))


def _health_summary(case: Case) -> list[str]:
    """The case's health summary under its name, for the office's first read; [] if none."""
    summary = blocks.health_summary(case.info.values.get("health_summary"))
    return ["**Health summary** (problems, medicines, allergies, past procedures):", "",
            *summary] if summary else []


def _patient_and_contact(case: Case) -> list[str]:
    """The patient's date of birth and whom to contact about the case, for the office to
    match its records and call back; [] when neither is written."""
    born = text_of(case.info, "birth_date")
    contact = [text_of(case.info, f"contact_{n}") for n in ("name", "phone", "email")]
    out = [f"**Date of birth:** {esc(born)}", ""] if born else []
    if any(contact):
        out += [f"**Contact about this case:** {', '.join(esc(c) for c in contact if c)}", ""]
    return out


def _cover_note(case: Case, to: str, records: list[Item],
                files: dict[str, list[AttachedFile]]) -> list[str]:
    """The cover note: whose records these are, how many, and what to tell the family."""
    file_count = sum(len(f) for f in files.values())
    patient = esc(case.info.values.get("patient")) or "the patient"
    condition = esc(case.info.values.get("condition"))
    out = [
        "## Cover note",
        "",
        f"To {to}:",
        "",
        f"These are the records of {patient}, sent ahead of a second opinion.",
        "",
        *_patient_and_contact(case),
        *([f"**Condition, in the family's words:** {condition}", ""] if condition else []),
        *_health_summary(case),
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
    ]
    return out


def _records_index(records: list[Item], files: dict[str, list[AttachedFile]]) -> list[str]:
    """The records index: one row per record (what, when, who holds it, how many files), then
    the notes on them."""
    out = ["## Records index", ""]
    if not records:
        out += ["No records listed yet.", ""]
    else:
        rows: list[tuple[str, ...]] = []
        for n, record in enumerate(records, 1):
            count = len(files[record.id])
            rows.append((
                str(n),
                cell(record.values.get("title")) or "Untitled record",
                cell(shown(record, "kind")),
                cell(text_of(record, "date")),
                cell(text_of(record, "source")),
                str(count) if count else "none",
            ))
        out += blocks.table(("#", "Record", "Kind", "Date", "Held by", "Files"), rows) + [""]
        notes = [(n, paragraphs(r.values.get("notes"))) for n, r in enumerate(records, 1)]
        notes = [(n, p) for n, p in notes if p]
        if notes:
            out += ["Notes on the records:", ""]
            out += [f"- Record {n}: {' / '.join(p)}" for n, p in notes] + [""]
    return out


def _files_to_send(case: Case, records: list[Item], present: Collection[str] | None
                   ) -> dict[str, list[AttachedFile]]:
    """Record id -> the files (and folders) attached to it that go with the packet: those
    kept in the case, and the others (``AttachedFile.is_file``) whose path is ``present``
    on this device (all of them when ``present`` is None). What a record only points at is
    ``_held_elsewhere``'s; a file not here, ``_not_on_this_device``'s."""
    return {r.id: [f for f in attached_files(case, r)
                   if f.is_file and (f.kept or present is None or f.path in present)]
            for r in records}


def _not_on_this_device(case: Case, records: list[Item],
                        files: dict[str, list[AttachedFile]]) -> list[str]:
    """The attached files (and folders) that are not on the device the packet is made on
    (attached on another one, or moved since): by name only (the path would tell the office
    the user's account name), for the family to send another way; [] when there are none."""
    rows = [f"- Record {n}: {esc(entry.name)}" for n, record in enumerate(records, 1)
            for entry in attached_files(case, record)
            if entry.is_file and entry not in files[record.id]]
    if not rows:
        return []
    return ["Not on this device, so not sent with this packet (attached on another device, "
            "or moved since it was attached; the family can send it separately):", "",
            *rows, ""]


def _held_elsewhere(case: Case, records: list[Item]) -> list[str]:
    """The documents a record only points at (a portal's link, a reference inside an
    export): not files that go with the packet, so they are named here, not in the checksum
    table, for the office to ask the clinic that holds them; [] when there are none."""
    rows = [f"- Record {n}: {esc(entry.path)}" for n, record in enumerate(records, 1)
            for entry in attached_files(case, record) if not entry.is_file]
    if not rows:
        return []
    return ["Held elsewhere, not sent with this packet (the clinic that holds each one can "
            "send a copy):", "", *rows, ""]


def _files_and_checksums(records: list[Item], files: dict[str, list[AttachedFile]]
                         ) -> list[str]:
    """Each attached file or folder with its size and checksum, and how to check one."""
    out = ["## Attached files and checksums", ""]
    rows: list[tuple[str, ...]] = []
    for n, record in enumerate(records, 1):
        for entry in files[record.id]:
            size = human_size(entry.size) or "not known"
            if entry.folder and entry.file_count is not None:
                size += f" in {entry.file_count:,} file{'' if entry.file_count == 1 else 's'}"
            rows.append((str(n), cell(entry.name) + ("/" if entry.folder else ""), size,
                         _digest(entry.sha256) if entry.sha256 else "not computed"))
    out += blocks.table(("Record", "File or folder", "Size", "SHA-256"), rows)
    out += ["", CHECKSUM_HELP, ""]
    if any(e.folder for entries in files.values() for e in entries):
        out += [FOLDER_CHECKSUM_HELP, ""]
    return out


def _release_checklist(case: Case, records: list[Item], mine: tuple[Item, ...], to: str,
                       named: bool, has_files: bool) -> list[str]:
    """Where each record stands on its way to the office (``mine``: the transfers to it,
    ``care_team.transfers_of``), the release steps of the case's checklist, and what to
    check before the visit."""
    out = ["## Release checklist", ""]
    by_record: dict[str, Item] = {}
    for sent in sorted(mine, key=lambda t: t.id):
        by_record.setdefault(str(sent.values.get("record", "")), sent)
    if named:
        out += [f"Where each record stands on its way to {to}. ☑ means done, with the date.",
                ""]
    rows: list[tuple[str, ...]] = []
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
        out += blocks.table(("#", "Record", "Release signed", "Requested", "Sent", "Received",
                       "Confirmed"), rows) + [""]
    steps = [i for i in steps_that_apply(case) if i.values.get("template_id") in RELEASE_STEPS]
    if steps:
        out += ["From the case's checklist:", ""]
        out += [f"- {_tick(_step_done(i, records, by_record))} {esc(i.values.get('text'))}"
                for i in steps] + [""]
    out += ["Before the visit:", "", "- ☐ Every record above has arrived and opens"]
    if has_files:
        out.append("- ☐ The checksums of the attached files match")
    out += ["- ☐ The office knows which records are still on their way", ""]
    return out


_STATES = ("requested", "sent", "received", "confirmed")


def _step_done(step: Item, records: list[Item], by_record: dict[str, Item]) -> bool:
    """Whether the packet shows a release step done. Where the table above says it (the
    office's transfers), the step follows the table, so the page never ticks a release in
    one row and leaves "sign a release" open below it, nor the other way round; elsewhere
    the checklist's own tick stands."""
    ticked = step.values.get("done") is True
    if not by_record:
        return ticked
    template = step.values.get("template_id")
    if template == "general/sign-release":
        needed = [t for t in by_record.values() if t.values.get("from_provider", True) is not False]
        return all(t.values.get("authorisation_signed") is True for t in needed) if needed \
            else ticked
    if template == "general/request-records":
        return all(r.id in by_record for r in records)
    if template == "general/confirm-records-arrived":
        return all(r.id in by_record and _STATES.index(_state(by_record[r.id])) >= 2
                   for r in records)
    return ticked


def _state(transfer: Item) -> str:
    state = transfer.values.get("state", "requested")
    return state if state in _STATES else "requested"


def _state_ticks(transfer: Item) -> tuple[str, ...]:
    """☑ and its date for each state the transfer has reached, ☐ for the rest; a record the
    family sends themselves was never requested ("not needed")."""
    reached = _STATES.index(_state(transfer))
    out = []
    for n, name in enumerate(_STATES):
        date = text_of(transfer, f"{name}_on")
        if n == 0 and transfer.values.get("from_provider") is False and not date:
            out.append("not needed")
        else:
            out.append(f"{_tick(True)} {esc(date)}".rstrip() if n <= reached else _tick(False))
    return tuple(out)


_HEX64 = re.compile(r"[0-9a-fA-F]{64}")


def _digest(value: str) -> str:
    """A SHA-256 as code (monospace) when it is one; anything else escaped as text."""
    value = value.strip()
    if _HEX64.fullmatch(value):
        return f"`{value.lower()}`"
    return cell(value)
