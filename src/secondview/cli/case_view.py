"""How ``secondview show`` tells a case: ``overview_lines`` for people, ``case_json`` for
scripts (every item with its id, every value of each field in conflict, numbered as
``secondview settle`` takes them). Pure functions of an open case: nothing is read or written.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from ..core import choices, content_rules, decision, model, progress
from ..core.urgency import urgency_now
from ..store.repository import OpenCase, Problem
from ..store.settling import conflict_values, settle_words, shown_value
from .items import item_words
from .output import clean, when


def problem_json(p: Problem) -> dict[str, Any]:
    """A problem with a case file, for scripts."""
    return {
        "path": str(p.path),
        "problem": p.problem,
        "quarantined": str(p.quarantined) if p.quarantined else None,
        "case_id": p.case_id,
    }


def _conflict_values_json(
    opened: OpenCase, table: str, doc_id: str, field: str
) -> list[dict[str, Any]]:
    """Every value of a field in conflict, numbered as ``settle --keep N`` takes them, each
    with the device that wrote it and when (the clock stamp, and in local time)."""
    return [
        {
            "number": n,
            "value": e["v"],
            "device": e["dot"][0],
            "device_name": opened.device_name(e["dot"][0]),
            "at": e["at"],
            "changed": when(e["at"]),
        }
        for n, e in enumerate(conflict_values(opened.state, table, doc_id, field), start=1)
    ]


def _item_json(item: model.Item, opened: OpenCase) -> dict[str, Any]:
    fields = {f.name: getattr(item, f.name) for f in model.SCHEMA[item.table]}
    extra = {k: v for k, v in item.values.items() if k not in fields}
    return {
        "id": item.id,
        "values": {**fields, **extra},
        "conflicts": sorted(item.conflicts),
        "conflict_values": {
            name: _conflict_values_json(opened, item.table, item.id, name)
            for name in sorted(item.conflicts)
        },
        "changed_at": item.changed_at,
        "changed_by": item.changed_by,
        "changed_by_name": opened.device_name(item.changed_by) if item.changed_by else "",
    }


def case_json(opened: OpenCase, today: _dt.date) -> dict[str, Any]:
    """Everything in a case, for scripts: every table's items with ids and values, and every
    value of each field in conflict (``conflicts``), numbered as ``secondview settle`` takes
    them."""
    case = opened.case
    tables = {
        name: [_item_json(i, opened) for i in case.table(name)]
        for name in model.TABLES
        if name not in ("case", "decision")
    }
    return {
        "id": case.id,
        "title": case.title,
        "archived": case.archived,
        "read_only": opened.read_only,
        "phase": progress.phase(case),
        "next_steps": progress.next_steps(case, today),
        "case": _item_json(case.info, opened),
        "decision": _item_json(case.decision, opened) if case.decision else None,
        **tables,
        "conflicts": [
            {"table": t, "id": i, "field": f, "values": _conflict_values_json(opened, t, i, f)}
            for t, i, f in case.conflicts
        ],
        "races": [{"table": t, "id": i} for t, i in case.races],
        "problems": [problem_json(p) for p in opened.problems],
        "devices": dict(opened.devices),
    }


def _block(label: str, text: str, indent: int = 2, width: int = 14) -> list[str]:
    """A labelled value; continuation lines of multi-line text line up under the first."""
    lines = clean(text, multiline=True).strip().splitlines() or [""]
    pad = " " * indent
    first = f"{pad}{label.ljust(width)}{lines[0]}".rstrip()
    return [first, *(f"{pad}{' ' * width}{line}".rstrip() for line in lines[1:])]


def _opinion_lines(heading: str, o: model.Item) -> list[str]:
    who = ", ".join(x for x in (o.doctor, o.specialty, o.institution) if x)
    dated = f" ({o.date})" if o.date else ""
    lines = [f"{heading}: {clean(who)}{dated}"]
    for field in model.brief_fields("opinions"):
        value = getattr(o, field.name)
        if isinstance(value, str) and value.strip():
            lines += _block(field.label, value, width=24)
    if o.independent != "unknown":
        lines += _block("Independent of first", o.independent, width=24)
    if o.conflicts:
        lines += _block("Conflicting edits", ", ".join(sorted(o.conflicts)), width=24)
    return lines


def _conflict_lines(opened: OpenCase) -> list[str]:
    """Each conflict with every value numbered (the numbers ``settle --keep`` takes), the
    device that wrote it and when, and the command that settles it; each raced deletion."""
    case = opened.case
    lines = []
    for table, doc_id, fname in case.conflicts:
        lines.append(f"  {item_words(case, table, doc_id)}: field '{clean(fname)}' has "
                     "edits from two devices")
        for value in _conflict_values_json(opened, table, doc_id, fname):
            text = clean(shown_value(value["value"]), multiline=True).splitlines() or [""]
            lines.append(f"    {value['number']}. {text[0]}".rstrip())
            lines += [f"       {more}".rstrip() for more in text[1:]]
            lines.append(f"       {clean(value['device_name'])}, {value['changed']}")
        lines.append(f"    settle: {clean(settle_words(case, table, doc_id, fname))}")
    for table, doc_id in case.races:
        lines.append(f"  {item_words(case, table, doc_id)}: edited on one device, deleted "
                     "on another")
        lines.append(f"    settle: {clean(settle_words(case, table, doc_id))}")
    lines.append("  (--value TEXT instead of --keep N writes a merged value; c in the case "
                 "settles them in the app)")
    return lines


def overview_lines(opened: OpenCase, today: _dt.date) -> list[str]:
    """A case as lines of text: condition, urgency, insurance, opinions, phase, next steps."""
    case = opened.case
    info = case.info
    lines = [clean(case.title) + ("   [archived]" if case.archived else "")]
    latest = max((case.info, *case.log), key=lambda i: i.changed_at)
    lines.append(
        f"id {case.id}   last change {when(opened.state.max_at)} on "
        f"{clean(opened.device_name(latest.changed_by))}"
    )
    if opened.read_only:
        lines.append(f"READ-ONLY: {clean(opened.read_only)}")
    lines.append("")
    if urgency_now(info.urgency, case.archived) == "emergency":
        lines += [f"!! {progress.EMERGENCY_STEP}", ""]
    if info.patient:
        lines += _block("Patient", info.patient, indent=0)
    lines += _block("Condition", info.condition or "(not recorded yet)", indent=0)
    lines += _block("Urgency", model.spec("case", "urgency").label_of(info.urgency), indent=0)
    reasons = [
        model.spec("case", n).label.lower()
        for n in ("cancer", "surgery", "rare", "not_improving", "dismissed")
        if getattr(info, n)
    ]
    if reasons:
        lines += _block("Why asking", "; ".join(reasons), indent=0)
    insurance = [f"plan: {info.insurance_plan}"] if info.insurance_plan else []
    for name in ("covered", "in_network_only", "referral_needed", "preauth_needed"):
        field = model.spec("case", name)
        insurance.append(f"{field.label.lower()}: {field.label_of(getattr(info, name))}")
    insurance.append(f"Medicare: {model.spec('case', 'medicare').label_of(info.medicare)}")
    lines += _block("Insurance", "\n".join(insurance), indent=0)
    lines += _block("Phase", choices.CASE_PHASE_LABELS.get(progress.phase(case), ""), indent=0)
    if info.notes:
        lines += _block("Notes", info.notes, indent=0)

    first = case.first_opinion()
    lines.append("")
    if first is None:
        lines.append("First opinion: not recorded yet")
    else:
        lines += _opinion_lines("First opinion", first)
        for n, other in enumerate(case.later_opinions(), start=2):
            lines.append("")
            lines += _opinion_lines(f"Opinion {n}", other)

    lines += ["", "Next steps"]
    lines += [f"  {n}. {clean(s)}" for n, s in enumerate(progress.next_steps(case, today), 1)]
    if case.archived:  # an archived case asks nothing (progress.next_steps)
        lines.append(f"  none while it is archived; 'secondview restore {case.id[:8]}' brings "
                     "it back")

    done, total = progress.records_confirmed(case)
    overdue = len(progress.overdue_transfers(case, today))
    open_q = progress.open_questions(case)
    needed = content_rules.steps_that_apply(case)
    checked = sum(1 for i in needed if i.done)
    lines += [
        "",
        "Counts",
        f"  checklist {checked} of {len(needed)} done; "
        f"records {total} ({done} confirmed at every doctor); "
        f"transfers {len(case.transfers)} ({overdue} overdue)",
        f"  questions {len(case.questions)} ({open_q} not asked yet); "
        f"answers {len(case.answers)}; opinions {len(case.opinions)}",
    ]
    if case.decision is not None and decision.state(case):
        lines += _block("Decision", decision.state(case), indent=0)
    if case.conflicts or case.races:
        lines += ["", "Unsettled conflicts", *_conflict_lines(opened)]
    if opened.problems:
        lines += ["", "Problems"]
        lines += [f"  {clean(p.message())}" for p in opened.problems]
    return lines
