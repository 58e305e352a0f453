"""What an import will do (or did), in words: the one wording the import dialog's preview
and ``import-fhir`` (``--dry-run`` too) both print.

A plan (``planning.Plan``) is said section by section, each a line: the records to add by
their kind (then which resources they come from), what is merged into another record, what
is skipped and why, the observations that are not results, the health summary, the types not
imported, and the problems. ``keep_others`` is how the reader asks to keep the observations
that are not results (a box in the dialog, a flag on the command line). Pure; nothing
happens at import. Resource type names come from the file: callers show them as text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from ..choices import RECORD_KIND_LABELS, RECORD_KINDS, label
from .planning import Plan

MAX_PROBLEMS_SHOWN = 6
SOURCE_NAMES = {"DocumentReference": ("document", "documents"),
                "DiagnosticReport": ("report", "reports"),
                "ImagingStudy": ("imaging study", "imaging studies"),
                "Media": ("image", "images"), "Binary": ("file", "files"),
                "Observation": ("lab record", "lab records")}
"""What each imported resource type is called, one and many."""


def plural(n: int, word: str, many: str = "") -> str:
    """``n`` and ``word`` (or ``many``, else ``word`` + s, when ``n`` is not 1)."""
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


def added_by_kind(plan: Plan) -> dict[str, int]:
    """The records the plan adds, counted by kind (the case's kinds in their order, then
    any other)."""
    counts = Counter(str(w.values.get("kind") or "other") for w in plan.record_writes)
    order = {kind: n for n, kind in enumerate(RECORD_KINDS)}
    return dict(sorted(counts.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])))


def problem_lines(plan: Plan) -> list[str]:
    """The problems that stop the import (the first few, then how many more)."""
    n = len(plan.problems)
    lines = [f"  {p}" for p in plan.problems[:MAX_PROBLEMS_SHOWN]]
    if n > MAX_PROBLEMS_SHOWN:
        lines.append(f"  ... and {n - MAX_PROBLEMS_SHOWN} more")
    return lines


def _counts(counts: Mapping[str, int]) -> str:
    return ", ".join(f"{n:,} {what}" for what, n in counts.items())


def _added(plan: Plan) -> list[str]:
    if not plan.records:
        return ["To add: no records (nothing new in this file)."]
    kinds = ", ".join(f"{n:,} {label(RECORD_KIND_LABELS, kind).lower()}"
                      for kind, n in added_by_kind(plan).items())
    sources = []
    for source, n in plan.added.items():
        said = plural(n, *SOURCE_NAMES.get(source, (source, "")))
        if source == "Observation" and plan.grouped:
            said += f" grouping {plural(plan.grouped, 'observation')}"
        sources.append(said)
    return [f"To add: {plural(plan.records, 'record')} by kind: {kinds}.",
            f"  made from {', '.join(sources)}."]


def _merged(plan: Plan) -> list[str]:
    merged = [
        (plan.in_reports, "observation", "listed in a report are shown under it"),
        (plan.same_document, "note", "sent both as a report and as a document: kept once"),
        (plan.content_of_others, "file", "a document of the file points at: kept with that "
         "document"),
        (len(plan.files), "file", "carried inside the export: kept in the case folder "
         "(synced with the case)"),
    ]
    said = [f"{plural(n, noun)} {what}" for n, noun, what in merged if n]
    return [f"Merged into the records: {'; '.join(said)}."] if said else []


def _skipped(plan: Plan, form: str) -> list[str]:
    skipped = [
        (plan.already, "resource", "already in the case (imported before): not added again"),
        (plan.deleted_before, "resource", "whose record you deleted: left deleted"),
        (plan.duplicates, "resource", "found twice in the file: taken once"),
        (plan.withdrawn, "resource", "marked entered-in-error or cancelled by the source"),
        (plan.other_patients, "resource", "about other patients"),
        (plan.empty_entries, "entry", f"of the {form} held no resource"),
    ]
    said = [f"{plural(n, noun, 'entries' if noun == 'entry' else '')} {what}"
            for n, noun, what in skipped if n]
    return [f"Skipped: {'; '.join(said) if said else 'none'}."]


def outcome_lines(plan: Plan, form: str, keep_others: str) -> list[str]:
    """The plan in words, a line a section (see the module docstring); for a plan with
    problems, that nothing will be imported and why."""
    if plan.problems:
        return [f"Nothing will be imported: {plural(len(plan.problems), 'problem')} in the "
                "file.", *problem_lines(plan),
                "Fix or remove what is named (or ask the portal for a new export)."]
    lines = _added(plan) + _merged(plan) + _skipped(plan, form)
    if plan.other_observations:
        lines.append(f"Not results ({_counts(plan.other_observations)}): "
                     + ("kept as records of their own." if plan.other_kept else
                        f"counted, not imported; {keep_others} keeps them."))
    if plan.summarised:
        lines.append(f"Health summary ({_counts(plan.summarised)}): "
                     + ("added to the case's summary (the overview shows it)."
                        if plan.summary_added else "the case's summary holds them already."))
    if plan.not_imported:
        lines.append("Not imported (secondview imports documents, reports, imaging studies, "
                     f"images, files and observations): {_counts(plan.not_imported)}.")
    lines.append("Problems: none.")
    return lines
