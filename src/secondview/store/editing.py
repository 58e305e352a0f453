"""The one edit path: every change a person makes to a case, and how to take it back.

``Editor`` saves each change to an open case through the repository (one file write, one
log line) and returns an ``Edit``: the case as saved and the ``Undo`` that takes it back. An
undo is data, not a closure: the items the change added (deleted again), the items it deleted
(restored, with the dependants deleted with them), the values it replaced (put back), or the
archiving it did. ``Editor.undo`` applies one against the case as it is *then*, so edits
another device made meanwhile are kept. ``UndoStack`` holds one screen's undos, newest last;
a step over several cases (the case list archiving a selection) is one entry there, a group
(``undo_group``), which one ctrl+z takes back part by part (``Undo.parts``).

The case screen, the case list and the command line all change cases through here; screens
never build replica writes or read registers and tombstones themselves. A change to the case's
answers (cancer, surgery, insurance... ``core.content_rules.RULE_FIELDS``) also adds, in the
same save, the checklist steps the new answers call for (``Content.answer_steps``), when the
editor was given the content set. Side effects: those of
``CaseRepository.apply`` (this device's replica written, the index updated) for each method
that saves; nothing at import.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..core import model
from ..core.care_team import linked_values
from ..core.content_rules import RULE_FIELDS
from ..core.dependants import dependants_words
from ..core.ids import new_id
from ..core.registers import DELETED
from ..core.replica import Write
from . import settling

if TYPE_CHECKING:
    from .repository import CaseRepository, OpenCase

UNDO_DEPTH = 50
"""How many changes one screen can take back, newest first."""

Values = Mapping[str, Any]
Change = tuple[str, str, Values]
"""(table, item id, values): one item's part of a change."""


@dataclass(frozen=True)
class Undo:
    """What takes one change back (see the module docstring)."""

    label: str
    """What the change was, for people ("Deleted 'MRI report'")."""
    delete: tuple[tuple[str, str], ...] = ()
    """(table, id) of the items the change added: deleted by the undo."""
    restore: tuple[tuple[str, str], ...] = ()
    """(table, id) of the items the change deleted: restored with their dependants."""
    values: tuple[Change, ...] = ()
    """The values the change replaced, put back."""
    archived: bool | None = None
    """For an archiving: what the case's archived flag was before."""
    case_id: str = ""
    """The case it applies to."""
    done: str = ""
    """Said once it is undone ("Restored 'MRI report'"); "" for the plain "Undid ..."."""
    items: int = 1
    """How many items the undo brings back or takes away (a question with its answers: 3)."""
    along: str = ""
    """What went with a deleted item, in words ("its 2 answers"), or ""."""
    group: tuple[Undo, ...] = ()
    """For a step over several cases (``undo_group``): each case's own undo, taken back
    together; the fields above are then unused (``case_id`` is "")."""

    @property
    def parts(self) -> tuple[Undo, ...]:
        """The undos one ctrl+z applies: each of a group's, else this one alone."""
        return self.group or (self,)


def undo_group(label: str, undos: Sequence[Undo | None]) -> Undo | None:
    """One undo for a step over several cases, holding each case's (None where a case had
    nothing to undo): the one undo itself when there is one, None when there is none."""
    parts = tuple(u for u in undos if u is not None)
    if len(parts) <= 1:
        return parts[0] if parts else None
    return Undo(label, group=parts, items=len(parts))


@dataclass(frozen=True)
class Edit:
    """A change as saved: the case after it, its undo (None when nothing changed), and the id
    of the item it added, if it added one."""

    saved: OpenCase
    undo: Undo | None
    item_id: str = ""


class UndoStack:
    """One screen's undos, newest last, at most ``depth`` of them."""

    def __init__(self, depth: int = UNDO_DEPTH) -> None:
        self.depth = depth
        self._undos: list[Undo] = []

    def push(self, undo: Undo | None) -> None:
        if undo is None:
            return
        self._undos.append(undo)
        del self._undos[:-self.depth]

    def pop(self) -> Undo | None:
        """The newest undo, taken off the stack; None when there is nothing to undo."""
        return self._undos.pop() if self._undos else None

    def __len__(self) -> int:
        return len(self._undos)

    def labels(self) -> list[str]:
        """What each undo would take back, newest last."""
        return [u.label for u in self._undos]


def current_values(opened: OpenCase, table: str, doc_id: str, names: Sequence[str]
                   ) -> dict[str, Any]:
    """The values an item holds now for ``names`` ({} when the case has no such item)."""
    item = next((i for i in opened.case.table(table) if i.id == doc_id), None)
    if item is None:
        return {}
    return {name: getattr(item, name) for name in names}


def is_deleted(opened: OpenCase, table: str, doc_id: str) -> bool:
    """Whether the item is deleted in the case's raw state (a tombstone hides it)."""
    tomb = opened.state.tables.get(table, {}).get(doc_id, {}).get(DELETED) or ()
    return any(entry["v"] is True for entry in tomb)


def _holds(opened: OpenCase, table: str, doc_id: str) -> bool:
    return table == "decision" or any(i.id == doc_id for i in opened.case.table(table))


class Editor:
    """Changes to cases through ``repo`` (see the module docstring). ``content``: the content
    set (``core.content.Content``), or what returns it when first needed (the command line
    reads the files only then); None leaves answers without their steps."""

    def __init__(self, repo: CaseRepository,
                 content: Any | Callable[[], Any] | None = None) -> None:
        self.repo = repo
        self._content = content

    def _answer_writes(self, opened: OpenCase, values: Values) -> list[Write]:
        """The steps new answers among ``values`` (already parsed) call for, and the rules
        of older steps (``Content.answer_steps``); [] when no answer changes."""
        info = opened.case.info
        changed = {n for n in values if n in RULE_FIELDS and values[n] != getattr(info, n)}
        if not changed or self._content is None:
            return []
        content = self._content() if callable(self._content) else self._content
        if content is None:
            return []
        writes: list[Write] = content.answer_steps(opened.state, {**info.values, **values},
                                                   changed)
        return writes

    def create_case(self, values: Values, content: Any = None,
                    first_opinion: Values | None = None) -> OpenCase:
        """A new case from validated ``values``: with the content set's starter checklist and
        its short list of starter questions (``core.starter_questions``), and the fields it
        records (its checklist's version, the question banks' versions it met) when
        ``content`` is given, and the first opinion already heard, if any. Nothing to undo:
        a new case is archived, not undone."""
        extra: list[Write] = []
        if content is not None:
            values = {**values, **content.template_fields()}
            extra.extend(content.starter_writes(values))
        if first_opinion:
            extra.append(Write("opinions", "",
                               {**model.defaults("opinions"), **first_opinion, "order": 1}))
        return self.repo.create(values, extra=extra)

    def add(self, opened: OpenCase, table: str, values: Values, summary: str = "") -> Edit:
        """Add one item (validated like any form); undone by deleting it. An opinion or a
        transfer names its doctor by id too: the doctor its typed name names, or a new one
        added in the same save (``care_team.linked_values``; undone with it)."""
        values, doctor = linked_values(opened.case, table, dict(values), new_id())
        if doctor is not None:
            item_id = new_id()
            edit = self.change_many(opened, [("doctors", *doctor), (
                table, item_id, {**model.defaults(table), **values})],
                summary or f"Added to {table}")
            return Edit(edit.saved, edit.undo, item_id)
        saved, item_id = self.repo.add(opened, table, values, summary)
        undo = Undo(summary or f"Added to {table}", delete=((table, item_id),),
                    case_id=opened.case_id)
        return Edit(saved, undo, item_id)

    def update(self, opened: OpenCase, table: str, doc_id: str, values: Values,
               summary: str = "") -> Edit:
        """Change fields of one item; undone by putting back the values it replaced. An id
        the case does not hold yet adds the item under it (content steps carry ids that are
        the same on every device); that is undone by deleting it."""
        if not values:
            return Edit(opened, None, doc_id)
        values, doctor = linked_values(opened.case, table, dict(values), new_id())
        if doctor is not None:  # a doctor named anew: added in the same save
            edit = self.change_many(opened, [("doctors", *doctor), (table, doc_id, values)],
                                    summary or f"Edited {table}")
            return Edit(edit.saved, edit.undo, doc_id)
        existed = _holds(opened, table, doc_id)
        before = current_values(opened, table, doc_id, list(values))
        parsed = model.parse_fields(table, values) if table == "case" else {}
        steps = self._answer_writes(opened, parsed) if parsed else []
        if steps:
            # the answers and the steps they call for: one save, one log line; the undo puts
            # the answers back and leaves the steps, which are then "not needed"
            write = opened.state.prepare(table, doc_id, parsed, summary=summary)
            saved = self.repo.apply(opened, [write, *steps], summary)
        else:
            saved = self.repo.update(opened, table, doc_id, values, summary)
        if not existed:
            undo = Undo(summary or f"Added to {table}", delete=((table, doc_id),),
                        case_id=opened.case_id)
        else:
            undo = Undo(summary or f"Edited {table}", values=((table, doc_id, before),),
                        case_id=opened.case_id)
        return Edit(saved, undo, doc_id)

    def change_many(self, opened: OpenCase, changes: Sequence[Change], summary: str) -> Edit:
        """Save several items' values as one change (one write, one log line, one undo).
        Nothing is saved if any value is refused; an item deleted before comes back with
        its new values (and the undo deletes it again)."""
        held = {(t, d) for t, d, _ in changes if _holds(opened, t, d)}
        before = tuple((t, d, current_values(opened, t, d, list(v)))
                       for t, d, v in changes if (t, d) in held)
        added = tuple((t, d) for t, d, _ in changes if (t, d) not in held and t != "decision")
        writes = [opened.state.prepare(t, d, model.parse_fields(t, v)) for t, d, v in changes]
        writes += [opened.state.prepare(t, d, delete=False)
                   for t, d, _ in changes if is_deleted(opened, t, d)]
        saved = self.repo.apply(opened, writes, summary)
        undo = Undo(summary, delete=added, values=tuple(b for b in before if b[2]),
                    case_id=opened.case_id)
        return Edit(saved, undo)

    def delete(self, opened: OpenCase, table: str, doc_id: str, label: str = "") -> Edit:
        """Delete one item and, in the same save, its dependants (a question's or an
        opinion's answers, an option's benefits and risks); undone by restoring all of them."""
        going = self.repo.dependants(opened, table, doc_id)
        saved = self.repo.delete(opened, table, doc_id)
        along = dependants_words(going)
        also = f" and {along}" if along else ""
        shown = (f"Deleted '{label}'" if label else "Deleted") + also
        done = (f"Restored '{label}'" if label else "Restored") + also
        return Edit(saved, Undo(shown, restore=((table, doc_id),), case_id=opened.case_id,
                                done=done, items=1 + len(going), along=along))

    def settle_value(self, opened: OpenCase, table: str, doc_id: str, field: str, value: Any,
                     merged: bool = False) -> Edit:
        """Settle a conflicted field: keep one of its values, or (``merged``) write a value
        typed in (``store.settling``); undone by putting back the value shown before."""
        before = current_values(opened, table, doc_id, [field])
        settle = settling.merge_value if merged else settling.keep_value
        saved = settle(self.repo, opened, table, doc_id, field, value)
        undo = Undo(settling.SETTLED, values=((table, doc_id, before),),
                    case_id=opened.case_id) if before else None
        return Edit(saved, undo)

    def settle_race(self, opened: OpenCase, table: str, doc_id: str, keep: bool,
                    label: str = "the item") -> Edit:
        """Settle an item edited on one device while deleted on another: keep it (undone by
        deleting it) or delete it (undone by restoring it)."""
        saved = settling.settle_race(self.repo, opened, table, doc_id, keep)
        if keep:
            undo = Undo("Kept an item", delete=((table, doc_id),), case_id=opened.case_id)
        else:
            undo = Undo(f"Deleted '{label}'", restore=((table, doc_id),),
                        case_id=opened.case_id, done=f"Restored '{label}'")
        return Edit(saved, undo)

    def set_archived(self, opened: OpenCase, archived: bool) -> Edit:
        """Archive or restore a case (a flag: nothing is deleted); undone by the opposite."""
        if opened.case.archived == archived:
            return Edit(opened, None)
        saved = self.repo.set_archived(opened, archived)
        label = "Archived" if archived else "Restored from archive"
        return Edit(saved, Undo(label, archived=not archived, case_id=opened.case_id))

    def undo(self, opened: OpenCase, undo: Undo) -> OpenCase:
        """Take one change back against the case as it is now; the case as saved.

        Restored items come back with the dependants deleted with them (each its own save,
        as ``CaseRepository.delete`` does); added items are deleted and replaced values put
        back in one save. Raises what the repository raises (read-only, disk full), and
        ValueError for a group: each of its ``parts`` is for its own case.
        """
        if undo.group:
            raise ValueError("a group of undos is taken back part by part, each on its case")
        if undo.archived is not None:
            return self.repo.set_archived(opened, undo.archived)
        for table, doc_id in undo.restore:
            opened = self.repo.delete(opened, table, doc_id, restore=True)
        writes = [opened.state.prepare(t, d, delete=True) for t, d in undo.delete
                  if not is_deleted(opened, t, d)]
        writes += [opened.state.prepare(t, d, model.parse_fields(t, v))
                   for t, d, v in undo.values if v]
        if writes:
            opened = self.repo.apply(opened, writes, f"Undid: {undo.label}"[:200])
        return opened
