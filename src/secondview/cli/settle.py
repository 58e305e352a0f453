"""``secondview settle``: settle a conflict from the command line, as the conflict screen does.

    secondview settle CASE [ITEM] FIELD --keep N       keep value N ('secondview show' numbers them)
    secondview settle CASE [ITEM] FIELD --value TEXT   write a merged value instead
    secondview settle CASE ITEM --keep-item            an item deleted on one device while
    secondview settle CASE ITEM --delete-item          edited on another: keep it, or delete it

The write is made by ``store.settling`` (the rule the conflict screen uses too): it covers
every value it replaces, so the conflict is settled on every device once the files meet.
This module parses, names the item and prints.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..core import model, progress
from ..store import settling
from ..store.repository import CaseError
from .items import find_item
from .output import clean, out, out_json, short, warn

if TYPE_CHECKING:
    import argparse

    from ..store.repository import OpenCase
    from .context import Env

USAGE = """\
secondview settle CASE [ITEM] FIELD (--keep N | --value TEXT) [--json]
       secondview settle CASE ITEM (--keep-item | --delete-item) [--json]"""

EPILOG = """\
Two devices that changed one field before their files met leave both values; 'secondview
show CASE' lists each conflict with its values numbered 1 (the latest) to N, the device that
wrote each and when, and the settle command for it ('show CASE --json': under "conflicts").

ITEM is an item id or a unique start of one, or the word 'decision'; leave it out for a
field of the case itself. --keep N keeps value N as that device wrote it; --value TEXT writes
a merged value, checked like 'secondview edit' checks that field. For an item edited on one
device while deleted on another, --keep-item keeps it (with the edit) and --delete-item
deletes it (with the edit, and what goes with it, like 'secondview delete').
Either way the choice is saved like an edit and settles the conflict on every device.

Examples:
  secondview settle Dad condition --keep 2
  secondview settle Dad 3f2a9c1e title --value "MRI of the left knee, both pages"
  secondview settle Dad 3f2a9c1e --delete-item"""


def register(add: Callable[..., Any], case_help: str) -> None:
    """Add ``settle`` to the parser (``add`` is ``parser.build_parser``'s helper)."""
    p = add(
        "settle",
        "Settle a conflict: keep one of the values two devices wrote, or write a merged one.",
        json=True,
        epilog=EPILOG,
    )
    p.usage = USAGE
    p.add_argument("case", metavar="CASE", help=case_help)
    p.add_argument(
        "words",
        metavar="[ITEM] FIELD",
        nargs="+",
        help="the item (leave out for the case itself) and the field in conflict; "
        "only ITEM with --keep-item or --delete-item",
    )
    how = p.add_mutually_exclusive_group(required=True)
    how.add_argument("--keep", type=int, metavar="N", help="keep value N (1 is the latest)")
    how.add_argument("--value", metavar="TEXT", help="write this merged value instead")
    how.add_argument("--keep-item", action="store_true",
                     help="keep an item that was deleted on another device")
    how.add_argument("--delete-item", action="store_true",
                     help="delete an item that was edited on another device")
    p.set_defaults(handler=cmd_settle)


def cmd_settle(args: argparse.Namespace, env: Env) -> int:
    """Settle one conflict or raced deletion of a case; print what was kept.

    Side effects: this device's replica of the case written (one log line), as any edit.
    Exit 1 with one line on stderr when there is nothing such to settle, N is not one of the
    values, the value does not fit the field, or the case is read-only here.
    """
    opened = env.repo.open(args.case)
    case = opened.case
    race = args.keep_item or args.delete_item
    table, doc_id, field = _target(case, args.words, race)
    what = settling.where(table, doc_id, field)
    if race:
        saved = settling.settle_race(env.repo, opened, table, doc_id, keep=args.keep_item)
        value: Any = None
        done = f"Kept {what}" if args.keep_item else f"Deleted {what}"
    elif args.value is not None:
        saved = settling.merge_value(env.repo, opened, table, doc_id, field, args.value)
        value = _value_of(saved, table, doc_id, field)
        done = f"Settled {what} with the merged value"
    else:
        value = settling.choose(opened, table, doc_id, field, args.keep)
        saved = settling.keep_value(env.repo, opened, table, doc_id, field, value)
        done = f"Settled {what}: kept value {args.keep}"
    left = len(saved.case.conflicts) + len(saved.case.races)
    if args.json:
        out_json({
            "case": saved.case_id,
            "table": table,
            "id": doc_id,
            "field": field or None,
            "action": "keep-item" if args.keep_item else "delete-item" if args.delete_item
            else "value" if args.value is not None else "keep",
            "value": value,
            "unsettled": left,
        })
    else:
        shown = f" ({short(settling.shown_value(value), 60)})" if not race else ""
        out(f"{clean(done)}{shown} in '{clean(saved.case.title)}'")
        if left:
            noun = "conflict is" if left == 1 else "conflicts are"
            out(f"{left} more {noun} unsettled; 'secondview show {saved.case_id[:8]}' "
                "lists them")
    if field == "urgency" and value == "emergency":
        warn(progress.EMERGENCY_STEP)
    return 0


def _value_of(opened: OpenCase, table: str, doc_id: str, field: str) -> Any:
    item = next((i for i in opened.case.table(table) if i.id == doc_id), None)
    return item.values.get(field) if item is not None else None


def _target(case: model.Case, words: list[str], race: bool) -> tuple[str, str, str]:
    """(table, item id, field) named by the words after CASE; CaseError if they do not fit."""
    if race:
        if len(words) != 1:
            raise CaseError(
                "--keep-item and --delete-item take one ITEM and no field "
                "('secondview show CASE' names the item)"
            )
        ref, field = words[0], ""
    elif len(words) == 1:
        ref, field = "", words[0]
    elif len(words) == 2:
        ref, field = words
    else:
        raise CaseError(f"expected [ITEM] FIELD, got {len(words)} words: "
                        f"{clean(' '.join(words))}")
    if not ref:
        table, doc_id = "case", case.id
    elif ref.strip().lower() == "decision":
        if case.decision is None:
            raise CaseError(f"'{clean(case.title)}' has no decision yet; nothing to settle")
        table, doc_id = "decision", case.decision.id
    else:
        item = find_item(case, ref)
        table, doc_id = item.table, item.id
    if field:
        field = field.strip()
        model.spec(table, field)  # InvalidValue naming the valid fields
    return table, doc_id, field
