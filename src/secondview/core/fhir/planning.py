"""The import plan: which records the parsed resources make in a case, and what to report.

``plan`` goes in named steps: keep the resources of imported types (each once, none withdrawn
by its source), keep one patient's, leave the Observations a DiagnosticReport in the file lists
to that report, make a draft record of every other resource (Observations grouped by date, at
most GROUP_SIZE a record), and, when nothing was malformed, the Writes of those records.
Resources a record of the case already came from are not imported again (``known_keys``).
Pure: the case's state is read, never changed; nothing happens when this module is imported.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, TypeAlias

from .. import model
from ..field_spec import MAX_TEXT
from ..registers import DELETED
from ..replica import CaseState, Write
from .documents import pointed_at, same_documents
from .drafts import (
    Draft,
    binary,
    check_observation,
    document,
    imaging,
    media,
    observation_group,
    report,
)
from .health_summary import SUMMARY_TYPES, health_summary, with_summary
from .inline import Inline
from .keys import fingerprint, kept_file_id, record_id, resource_key
from .observation_groups import OTHER_TITLE, group_title, not_a_result, observation_name, panels
from .observations import effective
from .reading import Parsed, Resource
from .references import ResourceIndex, subject
from .values import Malformed, clip, objects, one_line, record_date, status, text

IMPORTED_TYPES = ("DocumentReference", "DiagnosticReport", "ImagingStudy", "Media", "Binary",
                  "Observation")
GROUP_SIZE = 150
"""Observations per lab record at most: their keys must fit the ``fhir_id`` field."""
SKIPPED_STATUSES = {"entered-in-error", "cancelled"}
"""A resource with one of these statuses was withdrawn by its source: not imported."""


@dataclass(frozen=True)
class Plan:
    """What an import would do: the writes, and the counts to report."""

    writes: tuple[Write, ...] = ()
    problems: tuple[str, ...] = ()
    """Malformed input: when any, ``writes`` is empty (nothing is half-imported)."""
    added: Mapping[str, int] = field(default_factory=dict)
    """New records by what they came from ("DocumentReference", ..., "Observation")."""
    grouped: int = 0
    """Observations gathered into the new lab records."""
    in_reports: int = 0
    """Observations left to the DiagnosticReport that lists them."""
    already: int = 0
    """Resources a record of the case already came from (an earlier import)."""
    deleted_before: int = 0
    """Resources whose record was deleted from the case: left deleted."""
    duplicates: int = 0
    """Resources found twice in the file (the same key, or the same content under another
    id, as a feed that replays a message writes it)."""
    other_observations: Mapping[str, int] = field(default_factory=dict)
    """Observations that are not results, by what they are ("survey answers": 154): counted;
    kept as records only when asked (``plan``'s ``other_observations``)."""
    other_kept: bool = False
    """Whether those were asked for, and so are among the records to add."""
    content_of_others: int = 0
    """Binaries a document, report or image of the file points at (their content): not
    records of their own."""
    same_document: int = 0
    """Resources holding a document another resource of the file holds too (a note sent as
    a report and as a document): kept in that one's record (``core.fhir.documents``)."""
    withdrawn: int = 0
    """Resources marked entered-in-error or cancelled by their source."""
    not_imported: Mapping[str, int] = field(default_factory=dict)
    """Resources of other types, by type."""
    empty_entries: int = 0
    other_patients: int = 0
    """Resources about another patient than the one chosen."""
    patients: tuple[str, ...] = ()
    """The patients the file's records are about (their keys)."""

    summarised: Mapping[str, int] = field(default_factory=dict)
    """Conditions, medicines, allergies and procedures, by type: read into
    ``health_summary``, not records of their own."""
    health_summary: str = ""
    """The export's conditions, medicines, allergies and procedures as text
    (``core.fhir.health_summary``); written into the case's summary when it adds to it."""
    files: Mapping[str, bytes] = field(default_factory=dict)
    """Content the export carried (SHA-256 -> bytes), to keep in the case folder
    (``store.case_files``) before ``writes`` are saved: their attachments point at it."""

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def summary_added(self) -> bool:
        """Whether the import adds to the case's health summary."""
        return any(w.table == "case" for w in self.writes)

    @property
    def record_writes(self) -> tuple[Write, ...]:
        """The writes of new records (``writes`` holds their kept files' attachments too)."""
        return tuple(w for w in self.writes if w.table == "records")

    @property
    def records(self) -> int:
        return sum(self.added.values())


def known_keys(state: CaseState) -> dict[str, bool]:
    """Every resource key a record of the case came from -> whether that record is deleted.

    Read from the raw state, so deleted records count too (a re-import leaves them deleted),
    and every value of a conflicting ``fhir_id`` counts.
    """
    keys: dict[str, bool] = {}
    for doc in state.tables.get("records", {}).values():
        register = doc.get("fhir_id")
        if not register:
            continue
        tomb = doc.get(DELETED) or ()
        deleted = bool(tomb) and all(e["v"] is True for e in tomb)
        for entry in register:
            value = entry["v"]
            if isinstance(value, str):
                for key in value.split():
                    keys[key] = keys.get(key, True) and deleted
    return keys


_Chosen: TypeAlias = list[tuple[Resource, str]]
"""Resources to import, each with the key of whom it is about ("" if no one)."""


@dataclass
class _Tally:
    """What the steps of ``plan`` found so far: the problems and the counts to report.
    Each step adds to it."""

    index: ResourceIndex
    problems: list[str]
    duplicates: int = 0
    withdrawn: int = 0
    not_imported: Counter[str] = field(default_factory=Counter)
    patients: list[str] = field(default_factory=list)
    named: set[str] = field(default_factory=set)
    """Whom the resources not imported are about (a bulk export's Encounter file names the
    patient on every line): a patient chosen by ``--patient`` may be named only there."""
    other_patients: int = 0
    wanted: set[str] | None = None
    """The keys naming the patient chosen with ``--patient`` (None: no choice made)."""
    in_reports: set[str] = field(default_factory=set)
    other: Counter[str] = field(default_factory=Counter)
    summarised: Counter[str] = field(default_factory=Counter)
    content_of: set[str] = field(default_factory=set)
    same_document: int = 0
    already: int = 0
    deleted_before: int = 0
    grouped: int = 0

    def about_chosen(self, r: Resource) -> bool:
        """Whether ``r`` is about the patient chosen (or about no one, or the file names one
        patient only)."""
        if self.wanted is None:
            return True
        return _about(self.index, r) in {"", *self.wanted}

    def malformed(self, r: Resource, key: str, exc: Malformed) -> None:
        self.problems.append(f"{r.where} ({key}): {exc}")


def plan(parsed: Parsed, state: CaseState, patient: str = "",
         other_observations: bool = False) -> Plan:
    """The writes that import ``parsed`` into the case of ``state``, and what to report.

    ``patient`` chooses one patient when the file holds several (a key such as
    ``Patient/123``, an id, or a fullUrl); ``other_observations`` keeps the observations
    that are not results (vital signs, survey answers...: ``core.fhir.observation_groups``)
    as records of their own instead of only counting them. Pure: ``state`` is read, never
    changed.
    """
    tally = _Tally(ResourceIndex(parsed.resources), list(parsed.problems))
    chosen = _one_patient(_select(parsed.resources, tally), patient, tally)
    reported = _report_results(chosen, tally)
    drafts = _drafts(chosen, reported, known_keys(state), tally, other_observations)
    counted = Plan(
        problems=tuple(tally.problems), duplicates=tally.duplicates,
        withdrawn=tally.withdrawn, not_imported=dict(sorted(tally.not_imported.items())),
        empty_entries=parsed.empty_entries, other_patients=tally.other_patients,
        patients=tuple(tally.patients), already=tally.already,
        deleted_before=tally.deleted_before, in_reports=len(tally.in_reports),
        same_document=tally.same_document, other_observations=dict(tally.other),
        content_of_others=len(tally.content_of),
        summarised=dict(sorted(tally.summarised.items())),
        other_kept=other_observations,
    )
    if tally.problems:
        return counted
    summary = health_summary(r for r in parsed.resources
                             if r.type in SUMMARY_TYPES and tally.about_chosen(r))
    writes: list[Write] = []
    files: dict[str, bytes] = {}
    added: Counter[str] = Counter()
    for draft in drafts:
        values = _finish({**draft.values, "fhir_id": " ".join(sorted(draft.keys))})
        doc_id = record_id(state.case_id, draft.keys)
        writes.append(state.prepare("records", doc_id, values))
        added[draft.source_type] += 1
        for content in draft.contents:
            files[content.digest] = content.data
            writes.append(state.prepare("attachments", kept_file_id(doc_id, content.digest),
                                        _kept(doc_id, content)))
    existing = str(state.case().info.values.get("health_summary") or "")
    merged = with_summary(existing, summary)
    if merged != existing and len(merged) <= MAX_TEXT:
        writes.append(state.prepare("case", state.case_id, {"health_summary": merged},
                                    summary="Health summary from the export"))
    return replace(counted, writes=tuple(writes), added=dict(added), grouped=tally.grouped,
                   files=files, health_summary=summary)


def _kept(doc_id: str, content: Inline) -> dict[str, Any]:
    """The attachment of content kept in the case folder, validated as a form's would be."""
    return model.parse_fields("attachments", {
        "record": doc_id, "path": content.name, "kind": "kept", "size": len(content.data),
        "file_count": 1, "sha256": content.digest,
    })


def _select(resources: tuple[Resource, ...], tally: _Tally) -> _Chosen:
    """The resources of imported types, each once, without those withdrawn by their source.
    Counts what it leaves out, and the malformed, in ``tally``."""
    seen: set[str] = set()
    chosen: _Chosen = []
    for r in resources:
        if r.type not in IMPORTED_TYPES:
            if r.type in SUMMARY_TYPES:
                tally.summarised[r.type] += 1
            else:
                tally.not_imported[r.type] += 1
            tally.named.add(_about(tally.index, r))
            continue
        key = resource_key(r)
        content = fingerprint(r)
        if key in seen or content in seen:
            tally.duplicates += 1  # the same resource twice, or replayed under a new id
            continue
        seen.update((key, content))
        try:
            if status(r.data) in SKIPPED_STATUSES:
                tally.withdrawn += 1
                continue
            about = subject(tally.index, r.data)
        except Malformed as exc:
            tally.malformed(r, key, exc)
            continue
        chosen.append((r, about))
    return chosen


def _about(index: ResourceIndex, r: Resource) -> str:
    """Whom a resource not imported is about ("" when it names no one, or not readably)."""
    if r.type == "Patient":
        return resource_key(r)
    try:
        return subject(index, r.data)
    except Malformed:
        return ""  # never imported: its defects are not this import's problem


def _one_patient(chosen: _Chosen, patient: str, tally: _Tally) -> _Chosen:
    """The resources about ``patient`` (or about no one). Sets ``tally.patients`` and
    ``tally.other_patients``; adds a problem when ``patient`` is named nowhere in the file
    (by the resources imported or any other), or when it is "" and the resources to import
    are about several patients."""
    patients = tally.patients = sorted({s for _, s in chosen if s})
    if patient:
        patients = tally.patients = sorted({*patients, *tally.named} - {""})
        wanted = {patient, f"Patient/{patient}", f"urn:uuid:{patient}",
                  tally.index.key_of(patient)}
        match = [p for p in patients if p in wanted or p.endswith("/" + patient)]
        if not match:
            listed = ", ".join(patients[:8]) or "none named"
            tally.problems.append(f"no records about patient '{patient}' in the file "
                                  f"(the patients it names: {listed})")
        tally.wanted = set(match)
        kept = [(r, s) for r, s in chosen if not s or s in match]
        tally.other_patients = len(chosen) - len(kept)
        return kept
    if len(patients) > 1:
        listed = ", ".join(patients[:8]) + (f" and {len(patients) - 8} more"
                                            if len(patients) > 8 else "")
        tally.problems.append(
            f"the file holds records of {len(patients)} patients ({listed}); a case is about "
            "one person: choose one with --patient"
        )
    return chosen


def _report_results(chosen: _Chosen, tally: _Tally) -> dict[str, list[Resource]]:
    """Each DiagnosticReport's key -> the Observations in the file it lists as results.
    Adds their keys to ``tally.in_reports`` (they stay with that report), and the
    malformed to its problems."""
    reported: dict[str, list[Resource]] = {}
    for r, _ in chosen:
        if r.type != "DiagnosticReport":
            continue
        results: list[Resource] = []
        try:
            for n, ref in enumerate(objects(r.data, "result")):
                target = tally.index.resolve(text(ref, "reference", f"result[{n}]."))
                if target is not None and target.type == "Observation":
                    results.append(target)
                    tally.in_reports.add(resource_key(target))
        except Malformed as exc:
            tally.malformed(r, resource_key(r), exc)
        reported[resource_key(r)] = results
    return reported


def _drafts(chosen: _Chosen, reported: dict[str, list[Resource]], known: dict[str, bool],
            tally: _Tally, keep_other: bool) -> list[Draft]:
    """A draft record of each resource not imported before, and the lab records of the
    Observations no report lists, by date. Counts what was imported before, what it
    grouped, and the malformed, in ``tally``."""
    drafts: list[Draft] = []
    loose: list[Resource] = []
    same = same_documents(tally.index, (r for r, _ in chosen))
    known_documents = {same[k] for k in same if k in known}
    tally.content_of = pointed_at(tally.index, (r for r, _ in chosen))
    for r, _ in chosen:
        key = resource_key(r)
        if key in tally.content_of:
            continue  # the content of a document of the file, kept with it
        if key not in known and same.get(key, key) in known_documents:
            tally.already += 1  # its document came in an earlier import, in another resource
            continue
        if r.type == "Observation" and key in tally.in_reports:
            try:
                check_observation(tally.index, r)  # shown under its report: must be readable
            except Malformed as exc:
                tally.malformed(r, key, exc)
            continue
        if key in known:
            if known[key]:
                tally.deleted_before += 1
            else:
                tally.already += 1
            continue
        if r.type == "Observation":
            loose.append(r)  # checked only if it is to be kept (``_observations``)
            continue
        try:
            drafts.append(_draft(tally.index, r, reported.get(key, [])))
        except Malformed as exc:
            tally.malformed(r, key, exc)
    return [*_one_per_document(drafts, same, tally), *_observations(loose, tally, keep_other)]


def _observations(loose: list[Resource], tally: _Tally, keep_other: bool) -> list[Draft]:
    """The records of the Observations no report lists (``core.fhir.observation_groups``):
    a record per panel, the other results grouped by date, and the observations that are
    not results counted in ``tally`` (or, with ``keep_other``, kept in records of their own,
    GROUP_SIZE at most each). Counts the malformed in ``tally``."""
    try:
        by_panel = panels(tally.index, loose)
    except Malformed as exc:
        tally.problems.append(f"an Observation panel: {exc}")
        return []
    in_panel = {resource_key(m) for members in by_panel.values() for m in members}
    results: dict[str, list[Resource]] = defaultdict(list)
    others: list[Resource] = []
    drafts: list[Draft] = []
    for r in loose:
        key = resource_key(r)
        if key in in_panel:
            continue  # written with its panel
        try:
            what = not_a_result(r.data)
        except Malformed as exc:
            tally.malformed(r, key, exc)
            continue
        members = [r, *by_panel.get(key, [])]
        if what:
            tally.other[what] += len(members)
        if what and not keep_other:
            continue  # only counted: never shown, so never checked
        if not _readable(members, tally):
            continue
        if what:
            others += members
        elif key in by_panel:
            date = record_date(effective(r.data))[0]
            group = observation_group(tally.index, date, by_panel[key],
                                      observation_name(r) or "Panel")
            drafts.append(replace(group, keys=[key, *group.keys]))
            tally.grouped += len(members)
        else:
            results[record_date(effective(r.data))[0]].append(r)
    for date in sorted(results):
        members = results[date]
        tally.grouped += len(members)
        for start in range(0, len(members), GROUP_SIZE):
            part = members[start:start + GROUP_SIZE]
            drafts.append(observation_group(tally.index, date, part, group_title(part)))
    others.sort(key=lambda m: effective(m.data))
    for start in range(0, len(others), GROUP_SIZE):
        part = others[start:start + GROUP_SIZE]
        what = ", ".join(dict.fromkeys(not_a_result(m.data) for m in part))
        last = record_date(effective(part[-1].data))[0]
        drafts.append(observation_group(tally.index, last, part, f"{OTHER_TITLE}: {what}",
                                        kind="other", dated_lines=True))
        tally.grouped += len(part)
    return drafts


def _one_per_document(drafts: list[Draft], same: Mapping[str, str], tally: _Tally
                      ) -> list[Draft]:
    """The drafts with those holding one document merged into one, in the place of the
    first: the report's values first (its code names the note), a field it leaves empty
    filled from the other, the notes of both, the keys of both. Counts the merged in
    ``tally``."""
    by_document: dict[str, list[Draft]] = defaultdict(list)
    for draft in drafts:
        by_document[same.get(draft.keys[0], draft.keys[0])].append(draft)
    out: list[Draft] = []
    for draft in drafts:
        document_drafts = by_document[same.get(draft.keys[0], draft.keys[0])]
        if len(document_drafts) == 1:
            out.append(draft)
        elif draft is document_drafts[0]:
            out.append(_merged(document_drafts))
            tally.same_document += len(document_drafts) - 1
    return out


def _merged(drafts: list[Draft]) -> Draft:
    ordered = sorted(drafts, key=lambda d: d.source_type != "DiagnosticReport")
    values = dict(ordered[0].values)
    for other in ordered[1:]:
        for name, value in other.values.items():
            if name == "notes":
                lines = values.get("notes", "").splitlines()
                lines += [line for line in value.splitlines() if line not in lines]
                values["notes"] = "\n".join(lines)
            elif not values.get(name):
                values[name] = value
    keys = sorted({k for d in drafts for k in d.keys})
    contents = {c.digest: c for d in ordered for c in d.contents}
    return Draft(keys, values, ordered[0].source_type, tuple(contents.values()))


def _readable(members: list[Resource], tally: _Tally) -> bool:
    """Whether every Observation of ``members`` can be shown (each malformed one counted in
    ``tally``)."""
    ok = True
    for m in members:
        try:
            check_observation(tally.index, m)
        except Malformed as exc:
            tally.malformed(m, resource_key(m), exc)
            ok = False
    return ok


def _draft(index: ResourceIndex, r: Resource, results: list[Resource]) -> Draft:
    """The draft record of one resource that is not an Observation."""
    if r.type == "DocumentReference":
        return document(index, r)
    if r.type == "DiagnosticReport":
        return report(index, r, results)
    if r.type == "ImagingStudy":
        return imaging(index, r)
    if r.type == "Media":
        return media(index, r)
    return binary(r)


def _finish(values: dict[str, Any]) -> dict[str, Any]:
    """Clip every text to what its field takes and validate the values as a form would."""
    out = {}
    for name, value in values.items():
        spec = model.spec("records", name)
        if isinstance(value, str):
            value = value if spec.multiline else one_line(value)
            value = clip(value)
        out[name] = value
    if not out.get("title", "").strip():
        out["title"] = "Imported record"
    return model.parse_fields("records", out)
