"""ChecklistPane: the decision checklist, phase by phase; space ticks an item done or not done.

Each phase is a group of rows (its name on the first row of the group) with its progress above
the table; a due date that has passed is marked ``!`` as well as coloured, and counted. A step
the case's answers no longer call for (``core.content_rules``) stays in its place, marked
``–`` and left out of the counts; the line under the table says which answer rules it out. The
highlighted item's notes, due date and (for a step from the content set) what the step is about
show under the table. When the content set brings steps the case never had, a line offers them
and ``u`` adds them; a step the user deleted or edited is never touched.

Shows the bound ``case``; every change goes up as a message (see ``ListPane``): the pane never
touches files.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.color import Color, ColorParseError
from textual.content import Content

from ...core import model, visits
from ...core.content import missing_summary
from ...core.content_rules import applies, not_needed_because
from ...core.model import PHASES
from .. import text
from ..messages.change_requested import ChangeRequested
from ..messages.changes_requested import ChangesRequested
from ..messages.form_requested import FormRequested
from .content_offer import ContentOffer
from .list_pane import ListPane, conflict_mark, yes_mark

if TYPE_CHECKING:
    from textual.theme import Theme

    from ...core.model import Case, Item

PHASE_SHORT = {
    "deciding": "Deciding",
    "preparing": "Preparing",
    "visit": "The visit",
    "after": "After",
}
"""The phase column's words (the line above the table says them in full)."""

LATE_MARK = "!"
"""Follows an overdue date in the table (the mark, not only the colour, says it)."""
NOTES_MARK = "\u270e"  # ✎ the item has notes
DONE_MARK = "\u2714"  # ✔
NOT_NEEDED_MARK = "\u2013"  # – in the Done column: the case's answers rule the step out


def _date(value: Any) -> _dt.date | None:
    try:
        return _dt.date.fromisoformat(value) if isinstance(value, str) and value else None
    except ValueError:
        return None


def quiet_colour(variables: dict[str, str]) -> str:
    """A quiet text colour of the theme for finished items. A colour, not ``dim``: the table
    paints the cursor row in its own colour over it, so a highlighted finished item stays as
    readable as any other (dim would stay and fade it into the cursor's background)."""
    try:
        foreground = Color.parse(variables["foreground"])
        background = Color.parse(variables["background"])
    except (KeyError, ColorParseError):
        return "dim"
    return foreground.blend(background, 0.45).hex


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


class ChecklistPane(ListPane):
    """The checklist items, phase by phase. See the module docstring."""

    TABLE = "checklist"
    TITLE = "Checklist"
    NOUN = "checklist item"
    COLUMNS = (("Done", 4), ("Phase", 9), ("Item", None), ("Due", 12), ("", 1), ("", 1))
    FORM_FIELDS = ("text", "phase", "due", "done", "waiting_on", "notes")
    EMPTY = "The checklist is empty: press a to add an item."
    GUIDANCE = (
        "The steps of a second opinion, phase by phase: deciding whether to get one, "
        "preparing, the visit, and after. space ticks the highlighted item done (or not); "
        "the line above the list counts what is done in each phase.",
        "a adds your own item (in the phase of the highlighted one), e or enter edits one "
        "(its notes, a due date), delete removes it and ctrl+z brings it back. A due date "
        "that has passed without the item being done is marked ! and counted as overdue. "
        "\u270e marks an item with notes; they show under the list. \u2013 marks a step "
        "your answers (insurance, cancer, surgery...) do not call for: it is kept as you "
        "left it, not counted, and comes back if the answer changes.",
        "Steps your answers call for (cancer, surgery, insurance...) are added when you save "
        "the answer. When a newer checklist has steps this case does not have, a line says "
        "so and u adds them. Steps you deleted or changed are left as you left them.",
    )
    BINDINGS = [
        Binding("space", "toggle", "Done", id="checklist.toggle"),
        Binding("u", "add_new_steps", "Add new steps", id="checklist.add_new"),
    ]

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        """Ids of the items when the add form was asked for (the new one gets the cursor)."""
        self.today = _dt.date.today()
        self._group_starts: set[str] = set()
        self._details: dict[str, str] | None = None

    # -- building -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            yield widget
            if widget.has_class("pane-summary"):
                yield ContentOffer("checklist", "checklist step", "checklist steps",
                                   classes="pane-offer").data_bind(ListPane.editable)

    def on_mount(self) -> None:
        # (ListPane.on_mount runs after this one: it adds the columns and fills the table.)
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)

    def _theme_changed(self, theme: Theme) -> None:
        # the overdue colour comes from the theme: repaint (a hidden pane when next shown)
        self.watch_case()

    @property
    def offer(self) -> ContentOffer:
        return self.query_one(ContentOffer)

    # -- what the list shows ------------------------------------------------------------------

    def items(self, case: Case) -> Sequence[Item]:
        order = {p: n for n, p in enumerate(PHASES)}
        # stable: within a phase the case's own order (order, then when, then id) stays
        return sorted(case.checklist, key=lambda i: order.get(i.phase, len(PHASES)))

    def search_text(self, item: Item) -> str:
        """What the filter looks in: the words shown for the item (text, phase, notes, due)."""
        return " ".join(
            (str(item.text), model.spec("checklist", "phase").label_of(item.phase),
             PHASE_SHORT.get(item.phase, ""), str(item.notes), str(item.due))
        ).casefold()

    def visible_items(self) -> list[Item]:
        if self.case is None:
            return []
        items = list(self.items(self.case))
        if self.filter_text:
            needle = self.filter_text.casefold()
            items = [i for i in items if needle in self.search_text(i)]
        starts: set[str] = set()
        phase = None
        for item in items:
            if item.phase != phase:
                starts.add(item.id)
                phase = item.phase
        self._group_starts = starts
        return items

    def needed(self, item: Item) -> bool:
        """Whether the case's answers call for the item (``core.content_rules.applies``)."""
        return self.case is None or applies(item, self.case)

    def late(self, item: Item) -> bool:
        """Whether the item's due date has passed, it is not done and it is needed."""
        due = _date(item.due)
        return due is not None and due < self.today and not item.done and self.needed(item)

    def _late_style(self) -> str:
        colour = self.app.theme_variables.get("text-error", "")
        return f"bold {colour}".strip()

    def _done_style(self) -> str:
        return quiet_colour(self.app.theme_variables)

    def cells(self, item: Item) -> Sequence[Text]:
        needed = self.needed(item)
        done_style = self._done_style() if item.done or not needed else ""
        phase = PHASE_SHORT.get(item.phase, item.phase) if item.id in self._group_starts else ""
        if self.late(item):
            due_cell = text.cell(item.due, style=self._late_style())
            due_cell.append(f" {LATE_MARK}")
        else:
            due_cell = text.cell(item.due or self._visit_due(item), style=done_style)
        return (
            yes_mark(item.done) if needed else Text(NOT_NEEDED_MARK, style="dim"),
            text.cell(phase, style="bold"),
            text.cell(item.text, style=done_style),
            due_cell,
            Text(NOTES_MARK if str(item.notes).strip() else "", style=self._done_style()),
            conflict_mark(item),
        )

    def summary(self, case: Case) -> Content:
        items = [i for i in case.checklist if applies(i, case)]
        done = sum(1 for i in items if i.done)
        late = sum(1 for i in items if self.late(i))
        head: list[Content | tuple[str, str] | str] = [
            ("Progress  ", "bold"), f"{done} of {len(items)} done",
        ]
        if late:
            head += [("  \u00b7  ", "dim"),
                     (f"{LATE_MARK} {late} overdue", self._late_style())]
        spared = len(case.checklist) - len(items)
        if spared:
            head += [("  \u00b7  ", "dim"), (f"{NOT_NEEDED_MARK} {spared} not needed", "dim")]
        phases: list[Content | tuple[str, str] | str] = []
        for phase in PHASES:
            in_phase = [i for i in items if i.phase == phase]
            if not in_phase:
                continue
            finished = sum(1 for i in in_phase if i.done)
            complete = finished == len(in_phase)
            if phases:
                phases.append(("  \u00b7  ", "dim"))
            name = model.spec("checklist", "phase").label_of(phase)
            phases.append((f"{DONE_MARK + ' ' if complete else ''}{name} "
                           f"{finished}/{len(in_phase)}", "bold" if complete else ""))
        if not case.checklist:
            return Content("")
        return Content.assemble(*head, "\n", *phases)

    def details_of(self, item: Item) -> str:
        """What the content set says about the step this item was made from, or ""."""
        if self._details is None:
            content = getattr(self.app, "content", None)
            self._details = {
                step.key: step.details
                for template in getattr(content, "checklists", ())
                for step in template.items
                if step.details
            }
        key = item.values.get("template_id")
        return self._details.get(key, "") if isinstance(key, str) else ""

    def _visit_due(self, item: Item) -> str:
        """The day a step tied to the planned visit falls due (``visits.step_due``), for a
        step with no due date of its own that is still to do; else ""."""
        if item.done or self.case is None:
            return ""
        due = visits.step_due(self.case, item, self.today)
        return due.isoformat() if due is not None else ""

    def detail(self, item: Item) -> Content:
        parts: list[Content | tuple[str, str] | str] = []
        why = not_needed_because(item, self.case) if self.case is not None else ""
        if why:
            parts += [(f"{NOT_NEEDED_MARK} Not needed while {why}", "bold"),
                      (": kept as you left it, and needed again if that answer changes.", ""),
                      "\n"]
        due = _date(item.due)
        if due is not None:
            if self.late(item):
                parts.append((f"Due {due.isoformat()} {LATE_MARK} overdue by "
                              f"{_days((self.today - due).days)}", self._late_style()))
            elif item.done:
                parts.append((f"Due {due.isoformat()} (done)", "dim"))
            elif due == self.today:
                parts.append((f"Due today, {due.isoformat()}", "bold"))
            else:
                parts.append((f"Due {due.isoformat()}, in {_days((due - self.today).days)}",
                              "bold"))
            parts.append("\n")
        timed = visits.step_words(self.case, item, self.today) if self.case else None
        if due is None and timed and not item.done:
            parts += [(timed, "bold"), "\n"]
        if str(item.notes).strip():
            parts += [("Notes  ", "bold"), text.content(item.notes, multiline=True)]
        else:
            parts.append(("No notes: e adds some.", "dim"))
        about = self.details_of(item)
        if about:
            parts += ["\n", ("About this step  ", "bold"), text.content(about, "dim")]
        if item.conflicts:
            parts.append((f"\n\u2260 Two devices changed: {', '.join(sorted(item.conflicts))}",
                          "bold"))
        return Content.assemble(*parts)

    def rebuild(self) -> None:
        super().rebuild()
        if not self.is_mounted:
            return
        self.offer.refresh_offer()  # and the footer's u, while there is something to add

    # -- keys ---------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "add_new_steps":  # in the footer only when there is something to add
            return self.is_mounted and bool(self.query(ContentOffer).first().display)
        return super().check_action(action, parameters)

    def action_toggle(self) -> None:
        """Tick the highlighted item done, or not done."""
        item = self.highlighted
        if item is None:
            return
        done = not item.done
        self.post_message(ChangeRequested(
            self.TABLE, item.id, {"done": done},
            f"{'Done' if done else 'Not done'}: {str(item.text)[:60]}",
        ))

    def action_add(self) -> None:
        """Ask for the form to add an item, in the phase of the highlighted one, at its end."""
        if self.case is None:
            return
        item = self.highlighted
        phase = item.phase if item is not None and item.phase in PHASES else "preparing"
        orders = [i.order for i in self.case.checklist]
        last = max((float(o) for o in orders
                    if isinstance(o, (int, float)) and not isinstance(o, bool)), default=0.0)
        self.expect_new_item()
        self.post_message(FormRequested(
            self.TABLE, None, self.FORM_FIELDS,
            preset={"phase": phase, "order": last + 1.0},
            title=f"New {self.NOUN}",
        ))

    def action_add_new_steps(self) -> None:
        """Add the steps the content set has and the case lacks, and record the content
        version in the case: one save, one ctrl+z."""
        writes = self.offer.writes()
        if writes:
            self.post_message(ChangesRequested(
                [(w.table, w.doc_id, w.values) for w in writes], missing_summary(writes)
            ))
