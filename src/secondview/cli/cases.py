"""The commands on cases and their items: ``new``, ``list``, ``show``, ``archive``,
``restore``, ``set``, ``add``, ``edit`` and ``delete``.

Each reads its arguments, works through the case repository (which does every write: one
file write and one log line per change) and prints what was done; ``show`` prints what
``case_view`` makes of the case.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..core import model, progress
from ..core.care_team import with_doctor_name
from ..core.case_match import same_title
from ..core.case_summary import (
    CaseSummary,
    late_for_me,
    next_visit,
    overdue_count,
    waiting_on,
)
from ..core.choices import CASE_PHASE_LABELS, WHO
from ..store.editing import Editor
from ..store.repository import CaseError, OpenCase
from .case_view import case_json, overview_lines
from .diagnostics import warn_problems
from .items import fields_help, find_item, label, resolve_refs
from .output import clean, out, out_json, short, table_lines, warn, when

if TYPE_CHECKING:
    import argparse

    from ..core.case_summary import CaseSummary
    from .context import Env


def register(add: Callable[..., Any], case_help: str) -> None:
    """Add this module's commands to the parser (``add`` is ``parser.build_parser``'s helper),
    each naming its handler."""
    p = add("new", "Create a case and print its id.", json=True)
    p.add_argument("title", metavar="TITLE", help="a name for the case, e.g. 'Mum - knee'")
    p.add_argument("--condition", default="", metavar="TEXT", help="the diagnosis or problem")
    p.add_argument(
        "--urgency",
        default="routine",
        metavar="routine|soon|emergency",
        help="how soon a decision is needed (default: routine)",
    )
    p.set_defaults(handler=cmd_new)

    p = add("list", "List the cases, most recently changed first.", json=True)
    p.add_argument("--all", action="store_true", help="include archived cases")
    p.set_defaults(handler=cmd_list)

    p = add("show", "Show one case: where it stands, its opinions and next steps.", json=True)
    p.add_argument("case", metavar="CASE", help=case_help)
    p.set_defaults(handler=cmd_show)

    p = add("archive", "Archive a case: hidden from the list, nothing is deleted.")
    p.add_argument("case", metavar="CASE", help=case_help)
    p.set_defaults(handler=cmd_archive)
    p = add("restore", "Bring an archived case back to the list.")
    p.add_argument("case", metavar="CASE", help=case_help)
    p.set_defaults(handler=cmd_restore)

    p = add(
        "set",
        "Change fields of the case itself.",
        epilog=f"Fields: {fields_help('case')}",
    )
    p.add_argument("case", metavar="CASE", help=case_help)
    p.add_argument("assignments", metavar="FIELD=VALUE", nargs="+")
    p.set_defaults(handler=cmd_set)

    kinds = "|".join(model.ITEM_TABLES)
    p = add(
        "add",
        "Add an item to a case and print its new id.",
        json=True,
        epilog="Fields by kind (REF fields take an id or a unique start of one):\n"
        + "\n".join(
            f"  {word}: {fields_help(table)}" for word, table in model.ITEM_TABLES.items()
        ),
    )
    p.add_argument("case", metavar="CASE", help=case_help)
    p.add_argument("kind", metavar=kinds, help="what to add")
    p.add_argument("assignments", metavar="FIELD=VALUE", nargs="*")
    p.set_defaults(handler=cmd_add)

    p = add(
        "edit",
        "Change fields of one item of a case.",
        epilog="ITEM is an item id or a unique start of one ('secondview show CASE --json' "
        "lists them),\nor the word 'decision' for the case's decision.",
    )
    p.add_argument("case", metavar="CASE", help=case_help)
    p.add_argument("item", metavar="ITEM", help="an item id or a unique start of one")
    p.add_argument("assignments", metavar="FIELD=VALUE", nargs="+")
    p.set_defaults(handler=cmd_edit)

    p = add("delete", "Delete one item of a case (kept in the file as a tombstone).")
    p.add_argument("case", metavar="CASE", help=case_help)
    p.add_argument("item", metavar="ITEM", help="an item id or a unique start of one")
    p.set_defaults(handler=cmd_delete)


def cmd_new(args: argparse.Namespace, env: Env) -> int:
    """Create a case with the starter checklist and questions; print its id. Warns (and
    still creates it) when another case, archived or not, already has the title."""
    values = model.parse_fields(
        "case", {"title": args.title, "condition": args.condition, "urgency": args.urgency}
    )
    opened = Editor(env.repo).create_case(values, env.load_content())
    case = opened.case
    namesakes = [c for c in same_title(env.repo.list(), case.title) if c.id != case.id]
    if namesakes:
        warn(_namesakes_warning(namesakes, case.id))
    if case.info.urgency == "emergency":
        warn(progress.EMERGENCY_STEP)
    if args.json:
        out_json({"id": case.id, "title": case.title, "folder": str(env.repo.folder(case.id))})
    else:
        out(case.id)
    return 0


def _namesakes_warning(namesakes: Sequence[CaseSummary], case_id: str) -> str:
    """What ``new`` says when its title is already used: which cases use it, and how to
    tell the new case from them."""
    named = "; ".join(
        f"'{c.title}' ({c.id[:8]}{', archived' if c.archived else ''})" for c in namesakes[:3]
    )
    more = f" and {len(namesakes) - 3} more" if len(namesakes) > 3 else ""
    have = "has" if len(namesakes) == 1 else "have"
    return (f"{named}{more} already {have} this title; to tell them apart, name the new "
            f"case by the start of its id ({case_id[:8]}), or give it another title: "
            f"secondview set {case_id[:8]} title=NEW")


def list_json(row: CaseSummary, today: _dt.date) -> dict[str, Any]:
    """One case of ``list --json``: the row's fields (the index's, as before), ``changed``,
    and what is late or next on ``today``: ``overdue`` (record requests late), ``next_visit``
    (ISO date or null), ``waiting_on_me`` and ``late_for_me`` (open items waiting on the user,
    and how many of them are past due), ``waiting`` (open items by whom they wait on)."""
    visit = next_visit(row, today)
    return {
        **dataclasses.asdict(row),
        "changed": when(row.updated_at),
        "overdue": overdue_count(row, today),
        "next_visit": visit.isoformat() if visit is not None else None,
        "waiting_on_me": row.waiting_me,
        "late_for_me": late_for_me(row, today),
        "waiting": {who: waiting_on(row, who) for who in WHO},
    }


def cmd_list(args: argparse.Namespace, env: Env) -> int:
    """Print the case list (archived cases only with --all); warn about unreadable files."""
    problems = env.repo.refresh()
    rows = [r for r in env.repo.indexed() if args.all or not r.archived]
    warn_problems(problems)
    if args.json:
        out_json([list_json(r, env.repo.today) for r in rows])
        return 0
    if not rows:
        hidden = " (archived cases are hidden; --all shows them)" if not args.all else ""
        out(f"No cases yet{hidden}. Create one with: secondview new TITLE")
        return 0
    head = ("ID", "TITLE", "CONDITION", "PHASE", "CHANGED", "NEXT STEP")
    table = []
    for r in rows:
        title = r.title + (" [archived]" if r.archived else "")
        phase = "unreadable" if r.error and not r.phase else CASE_PHASE_LABELS.get(
            r.phase, r.phase
        )
        changed = f"{when(r.updated_at)} {r.updated_by}".strip()
        step = r.error or r.next_step
        table.append((r.id[:8], title, r.condition, phase, changed, step))
    out(*table_lines([head, *table], caps=(8, 28, 22, 16, 30)))
    return 0


def cmd_show(args: argparse.Namespace, env: Env) -> int:
    """Print one case: a readable overview, or everything as JSON with --json."""
    opened = env.repo.open(args.case)
    if args.json:
        out_json(case_json(opened, env.repo.today))
    else:
        out(*overview_lines(opened, env.repo.today))
    return 0


def cmd_archive(args: argparse.Namespace, env: Env, archived: bool = True) -> int:
    """Archive (or restore) a case: a tombstone on the case, no file is removed."""
    opened = env.repo.open(args.case)
    title = clean(opened.case.title)
    if opened.case.archived == archived:
        out(f"'{title}' is already {'archived' if archived else 'in the list'}")
        return 0
    Editor(env.repo).set_archived(opened, archived)
    if archived:
        out(f"Archived '{title}'; 'secondview restore {opened.case_id[:8]}' brings it back")
    else:
        out(f"Restored '{title}' to the case list")
    return 0


def cmd_restore(args: argparse.Namespace, env: Env) -> int:
    """Bring an archived case back to the list (``cmd_archive`` the other way)."""
    return cmd_archive(args, env, archived=False)


def cmd_set(args: argparse.Namespace, env: Env) -> int:
    """Change fields of the case itself."""
    opened = env.repo.open(args.case)
    values = model.parse_assignments("case", args.assignments)
    saved = Editor(env.repo, env.load_content).update(opened, "case", opened.case_id, values,
                                                      summary=_summary(values)).saved
    _report_saved(saved, values)
    return 0


def cmd_add(args: argparse.Namespace, env: Env) -> int:
    """Add an item (checklist, record, question, opinion, transfer, answer); print its id."""
    table = model.ITEM_TABLES.get(args.kind)
    if table is None:
        raise model.InvalidValue(
            f"cannot add '{args.kind}'; add one of: {', '.join(model.ITEM_TABLES)}"
        )
    opened = env.repo.open(args.case)
    values = model.parse_assignments(table, args.assignments)
    values = resolve_refs(opened.case, table, values)
    # doctor_id=ID alone: the doctor's name goes in the text older versions read (the edit
    # path links a typed name to its doctor, or adds one: Editor.add)
    values = with_doctor_name(opened.case, table, values)
    missing = model.missing_required(table, values)
    if missing:
        raise model.InvalidValue(
            f"a {args.kind} needs {', '.join(f'{m}=VALUE' for m in missing)}. "
            f"Valid fields: {fields_help(table)}"
        )
    doc_id = Editor(env.repo).add(opened, table, values, summary=f"Added a {args.kind}").item_id
    if args.json:
        out_json({"id": doc_id, "table": table, "case": opened.case_id})
    else:
        out(doc_id)
    return 0


def cmd_edit(args: argparse.Namespace, env: Env) -> int:
    """Change fields of one item (or of the decision)."""
    opened = env.repo.open(args.case)
    case = opened.case
    if args.item == "decision":
        table = "decision"
        # one decision per case, under the case's id: two devices starting it write one document
        doc_id = case.decision.id if case.decision else case.id
    else:
        item = find_item(case, args.item)
        table, doc_id = item.table, item.id
        if table == "log":
            raise CaseError("the log is kept as it was written; it cannot be edited")
    values = model.parse_assignments(table, args.assignments)
    values = resolve_refs(case, table, values)
    saved = Editor(env.repo).update(opened, table, doc_id, values,
                                    summary=_summary(values, table)).saved
    _report_saved(saved, values)
    return 0


def cmd_delete(args: argparse.Namespace, env: Env) -> int:
    """Delete one item: a tombstone in this device's file (other devices see it after sync)."""
    opened = env.repo.open(args.case)
    item = find_item(opened.case, args.item)
    if item.table == "case":
        raise CaseError(
            f"that is the case itself; to hide it use 'secondview archive {opened.case_id[:8]}'"
        )
    if item.table == "log":
        raise CaseError("the log is kept as it was written; its entries cannot be deleted")
    undo = Editor(env.repo).delete(opened, item.table, item.id).undo
    with_them = f", with {undo.along}" if undo is not None and undo.along else ""
    out(f"Deleted {item.table} item {item.id[:8]} ({short(label(item), 60)}){with_them}")
    return 0


# -- helpers -----------------------------------------------------------------------------


def _summary(values: Mapping[str, Any], table: str = "case") -> str:
    names = ", ".join(values)
    where = "the case" if table == "case" else f"a {table} item"
    return f"Changed {names} of {where}"[:200]


def _report_saved(saved: OpenCase, values: Mapping[str, Any]) -> None:
    out(f"Saved {', '.join(values)} in '{clean(saved.case.title)}'")
    if values.get("urgency") == "emergency":
        warn(progress.EMERGENCY_STEP)
