"""DecisionPane: the options, the benefits and risks that matter for each, the SURE check, the
leaning over time, who decides, the choice, its reasons, and whether the doctor was told.

Top to bottom: where things stand (the case list's words); the options, each followed by its
benefits and risks with their importance as a bar of five symbols and a number (never colour
alone); the SURE check (four yes/no answers and a score); the leanings, oldest first, with
their dates; the decision's fields; what each doctor recommended.

Keys: up/down move the highlight over options and their benefits and risks; ``a`` adds an
option of your own; ``o`` adds, in one save, an option for each alternative a doctor
recommends (whole; "surveillance or SBRT" is two) and "Wait and watch", none that is listed
already; ``b``/``r`` add a benefit/risk to the highlighted option; ``+``/``-`` change the
highlighted benefit's or risk's importance; ``l`` records "today I lean towards" the
highlighted option (dated ``today``, set by the screen);
``t`` turns the options written as free text in an older version ("notes from before", shown
read-only under the options with the old "what matters most") into options, one a line, and
empties that text, in one save; ``m`` empties the old "what matters most" once the person
has written what they need of it as benefits and risks (it asks first; ctrl+z undoes);
``k``/``v``/``s``/``f`` answer the four SURE questions (``c`` stays the workspace's
"settle conflicts", as on every pane); ``enter`` edits the highlighted line
(the decision when there is none); ``e`` edits the decision; ``delete`` deletes the highlighted
line. The pane only posts messages (FormRequested, ChangeRequested, ChangesRequested,
DeleteRequested); the case screen saves. Shows the bound ``case``; never writes. No I/O.
What each part shows is written by ``decision_view``; the decision's rules and words are
``core.decision``'s.
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Any

from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.geometry import Region
from textual.reactive import reactive
from textual.widgets import Static

from ...core import model
from ...core.care_team import doctor_name
from ...core.decision import (
    STATE_WORDS,
    SURE_FIELDS,
    field_words,
    importance,
    notes_to_titles,
    offered_options,
    state,
    sure_question,
)
from ...core.replica import new_id
from .. import text
from ..decision_view import (
    NOTES_BEFORE,
    leanings_content,
    notes_before_content,
    options_content,
    sure_content,
)
from ..messages.change_requested import ChangeRequested
from ..messages.changes_requested import ChangesRequested
from ..messages.confirmation_requested import ConfirmationRequested
from ..messages.delete_requested import DeleteRequested
from ..messages.form_requested import FormRequested
from .field_grid import FieldGrid, value_text
from .opinions_pane import role

if TYPE_CHECKING:
    from textual.app import ComposeResult

    from ...core.model import Case, Item

FORM_FIELDS = tuple(f.name for f in model.DECISION_FIELDS
                    if f.name not in SURE_FIELDS and f.name not in model.DECISION_NOTES_BEFORE)
"""The decision form's fields: the SURE answers are toggled on the pane instead, and the old
free-text options and "what matters most" are only shown (as notes from before)."""


class DecisionPane(VerticalScroll):
    """The decision, its options and what matters. See the module docstring."""

    DEFAULT_CSS = """
    DecisionPane {
        padding: 0 1;
    }
    DecisionPane #decision-state, DecisionPane #decision-options,
    DecisionPane #decision-sure, DecisionPane #decision-leanings,
    DecisionPane #decision-before {
        margin-bottom: 1;
    }
    DecisionPane #decision-opinions-title {
        margin-top: 1;
    }
    """

    can_focus = True
    BINDINGS = [
        Binding("down", "move(1)", "Move the highlight", show=False, id="decision.down"),
        Binding("up", "move(-1)", "Move the highlight", show=False, id="decision.up"),
        Binding("a", "add_option", "Add an option", id="decision.add_option"),
        Binding("o", "offered_options", "Options from the opinions",
                id="decision.offered_options"),
        Binding("b", "add_factor('benefit')", "Add a benefit", id="decision.add_benefit"),
        Binding("r", "add_factor('risk')", "Add a risk", id="decision.add_risk"),
        Binding("plus,equals_sign", "importance(1)", "More important", id="decision.more"),
        Binding("minus,underscore", "importance(-1)", "Less important", id="decision.less"),
        Binding("l", "lean", "I lean towards this today", id="decision.lean"),
        Binding("t", "notes_to_options", "Notes from before into options", show=False,
                id="decision.notes_to_options"),  # the notes say so, where they show
        Binding("m", "clear_matters", "Clear the old 'what matters most'", show=False,
                id="decision.clear_matters"),  # likewise
        Binding("k", "toggle_sure('sure_know')", "SURE yes/no: know, values, support, feel sure",
                show=False, id="decision.sure_know"),
        Binding("v", "toggle_sure('sure_values')", "SURE yes/no: know, values, support, feel sure",
                show=False, id="decision.sure_values"),
        Binding("s", "toggle_sure('sure_support')", "SURE yes/no: know, values, support, feel sure",
                show=False, id="decision.sure_support"),
        Binding("f", "toggle_sure('sure_certain')", "SURE yes/no: know, values, support, feel sure",
                show=False, id="decision.sure_certain"),
        Binding("enter", "edit_line", "Edit", id="decision.edit_line"),
        Binding("e", "edit", "Edit the decision", id="decision.edit"),
        Binding("delete", "delete", "Delete", show=False, id="decision.delete"),
    ]
    GUIDANCE = (
        "Your decision, in your words: the options you have, the benefits and risks that "
        "matter to you and how much (0-5), four SURE questions, which way you lean from day "
        "to day, who decides, your choice and why, and whether you have told the doctor who "
        "treats you.",
        "a adds an option; o adds each doctor's recommendation and 'wait and watch'; b and r "
        "add a benefit or a risk to the highlighted option; + and - change how much it "
        "matters; l records that today you lean towards the highlighted option.",
        "Options and 'what matters most' written as free text in an older version are kept, "
        "read-only, under 'Notes from before'; t turns those options into options, one a "
        "line; once you have written what matters as benefits and risks, m clears the old "
        "'what matters most' (it asks first; ctrl+z takes either back).",
        "k, v, s and f answer the SURE questions (know, values, support, feel sure); e "
        "opens the decision form; enter edits the highlighted line; delete removes it; c "
        "settles edits that conflict between devices, as on every pane.",
        "secondview records what you decide; it never recommends a treatment.",
    )

    case: reactive[Case | None] = reactive(None, init=False, always_update=True)

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.today = _dt.date.today()
        self._stale = True
        self.lines: list[Item] = []
        """The options and their factors, in the order shown (the highlight moves over them)."""
        self.cursor = 0
        self._cursor_id: str | None = None
        self._notes_shown: set[str] = set()
        """Which notes from before show (t and m follow them)."""

    def compose(self) -> ComposeResult:
        yield Static(id="decision-state")
        yield Static(id="decision-options")
        yield Static(id="decision-before")
        yield Static(id="decision-sure")
        yield Static(id="decision-leanings")
        yield FieldGrid(id="decision-fields")
        yield Static(id="decision-opinions-title")
        yield FieldGrid(id="decision-opinions")

    def on_mount(self) -> None:
        self.show_case()

    def watch_case(self) -> None:
        # A hidden pane waits until it is shown: edits elsewhere cost it nothing.
        self._stale = True
        if self.is_mounted and self.display:
            self.show_case()

    def on_show(self) -> None:
        if self._stale:
            self.show_case()

    # -- showing ------------------------------------------------------------------------------

    def show_case(self) -> None:
        """Show the bound case's decision (and the doctors' recommendations)."""
        self._stale = False
        case = self.case
        if case is None:
            return
        decision = case.decision
        where = state(case)
        line: list[Content | tuple[str, str]] = [
            ("Where things stand: ", "bold"), (STATE_WORDS.get(where, where), ""),
        ]
        if not where:
            line.append(("  \u00b7  a adds an option, o the doctors' options", "dim"))
        if decision is not None and decision.conflicts:
            line.append(("\n\u2260 two devices saved different values: e settles them",
                         "bold"))
        self.query_one("#decision-state", Static).update(Content.assemble(*line))
        self._show_options(case)
        self._show_notes_before(decision)
        self.query_one("#decision-sure", Static).update(sure_content(decision))
        self.query_one("#decision-leanings", Static).update(leanings_content(case))
        rows = []
        shown = [s for s in model.DECISION_FIELDS if s.name in FORM_FIELDS]
        for spec in shown:
            value = getattr(decision, spec.name) if decision is not None else spec.empty()
            rows.append((spec.label, value_text(field_words(spec, value))))
        marked = [n for n, s in enumerate(shown)
                  if decision is not None and s.name in decision.conflicts]
        self.query_one("#decision-fields", FieldGrid).show(rows, marked)
        self._show_recommendations(case)

    def _show_options(self, case: Case) -> None:
        lines: list[Item] = []
        for option in case.options:
            lines.append(option)
            lines.extend(case.factors_for(option.id))
        self.lines = lines
        ids = [item.id for item in lines]
        if self._cursor_id in ids:
            self.cursor = ids.index(self._cursor_id)
        self.cursor = max(0, min(self.cursor, len(lines) - 1))
        self._cursor_id = ids[self.cursor] if lines else None
        self._paint_options(case)

    def _paint_options(self, case: Case) -> None:
        self.query_one("#decision-options", Static).update(
            options_content(case, self.lines, self.cursor, self.has_focus))

    def notes_before(self) -> dict[str, str]:
        """The old free-text fields that hold text, by field name."""
        decision = self.case.decision if self.case is not None else None
        if decision is None:
            return {}
        notes = {name: getattr(decision, name) for name, _ in NOTES_BEFORE}
        return {name: value for name, value in notes.items()
                if isinstance(value, str) and value.strip()}

    def _show_notes_before(self, decision: Item | None) -> None:
        notes = self.notes_before()
        static = self.query_one("#decision-before", Static)
        static.display = bool(notes)
        if set(notes) != self._notes_shown:
            self._notes_shown = set(notes)
            self.refresh_bindings()  # t and m work only while there are notes to act on
        static.update(notes_before_content(notes, decision) if notes else "")

    def _show_recommendations(self, case: Case) -> None:
        first = case.first_opinion()
        rows = []
        for item in case.opinions_in_order():
            rows.append((f"{text.clean(doctor_name(case, item)) or '(no name)'} "
                         f"({role(item, first)})",
                         value_text(item.treatment)))
        self.query_one("#decision-opinions-title", Static).update(Content.styled(
            "What each doctor recommended" if rows else
            "No opinions recorded yet (the Opinions pane, 5).",
            "bold" if rows else "dim"))
        self.query_one("#decision-opinions", FieldGrid).show(rows)

    def plain(self) -> str:
        """The pane as plain text: state, options, SURE, leanings, fields, recommendations
        (for tests and copying)."""
        return "\n".join((
            str(self.query_one("#decision-state", Static).content),
            str(self.query_one("#decision-options", Static).content),
            str(self.query_one("#decision-before", Static).content),
            str(self.query_one("#decision-sure", Static).content),
            str(self.query_one("#decision-leanings", Static).content),
            self.query_one("#decision-fields", FieldGrid).plain(),
            str(self.query_one("#decision-opinions-title", Static).content),
            self.query_one("#decision-opinions", FieldGrid).plain(),
        ))

    def on_focus(self) -> None:
        if self.case is not None:
            self._paint_options(self.case)

    def on_blur(self) -> None:
        if self.case is not None:
            self._paint_options(self.case)

    # -- the highlight ------------------------------------------------------------------------

    @property
    def current(self) -> Item | None:
        """The highlighted option or factor, if any."""
        return self.lines[self.cursor] if 0 <= self.cursor < len(self.lines) else None

    @property
    def current_option(self) -> Item | None:
        """The highlighted option, or the option of the highlighted factor."""
        item = self.current
        if item is None or self.case is None:
            return None
        if item.table == "options":
            return item
        return next((o for o in self.case.options if o.id == item.option), None)

    def action_move(self, delta: int) -> None:
        """Move the highlight over the options and their benefits and risks."""
        if not self.lines or self.case is None:
            return
        self.cursor = max(0, min(len(self.lines) - 1, self.cursor + delta))
        self._cursor_id = self.lines[self.cursor].id
        self._paint_options(self.case)
        static = self.query_one("#decision-options", Static)
        y = static.virtual_region.y + 1 + self.cursor
        self.scroll_to_region(Region(0, y, 1, 1), animate=False, immediate=True)

    # -- asking the screen for changes ---------------------------------------------------------

    def _decision_id(self) -> str | None:
        if self.case is None:
            return None
        return self.case.decision.id if self.case.decision is not None else self.case.id

    def action_edit(self) -> None:
        """Ask for the decision form (the decision is created on its first save)."""
        doc_id = self._decision_id()
        if doc_id is None:
            return
        self.post_message(FormRequested("decision", doc_id, fields=FORM_FIELDS,
                                        title="The decision"))

    def action_edit_line(self) -> None:
        """Edit the highlighted option or factor; the decision when there is none."""
        item = self.current
        if item is None:
            self.action_edit()
        elif item.table == "options":
            self.post_message(FormRequested("options", item.id, fields=("title", "notes"),
                                            title="An option"))
        else:
            self.post_message(FormRequested("factors", item.id,
                                            fields=("kind", "text", "importance"),
                                            title="A benefit or risk"))

    def action_add_option(self) -> None:
        """Ask for the form of a new option of the person's own."""
        if self.case is None:
            return
        self.post_message(FormRequested(
            "options", None, fields=("title", "notes"),
            preset={"source": "own", "order": float(len(self.case.options) + 1)},
            title="An option of your own"))

    def action_offered_options(self) -> None:
        """Add, in one save, the options the doctors' recommendations name and 'wait and
        watch', each whole and none twice (``core.decision.offered_options``)."""
        case = self.case
        if case is None:
            return
        order = len(case.options)
        changes: list[tuple[str, str, dict[str, Any]]] = []
        for n, offered in enumerate(offered_options(case), start=1):
            values: dict[str, Any] = {"title": offered.title, "source": offered.source,
                                      "order": float(order + n)}
            if offered.opinion:
                values["opinion"] = offered.opinion
            changes.append(("options", new_id(), values))
        if not changes:
            self.app.notify("Every recommended treatment and 'wait and watch' are listed "
                            "already.", timeout=4)
            return
        self.post_message(ChangesRequested(
            changes, f"Added {len(changes)} option{'s' if len(changes) != 1 else ''} from "
            "the opinions"))

    def _need_option(self) -> Item | None:
        option = self.current_option
        if option is None:
            self.app.notify("Add an option first (a, or o for the doctors' options).",
                            timeout=4)
        return option

    def action_add_factor(self, kind: str) -> None:
        """Ask for the form of a new benefit or risk of the highlighted option."""
        option = self._need_option()
        if option is None:
            return
        self.post_message(FormRequested(
            "factors", None, fields=("text", "importance"),
            preset={"option": option.id, "kind": kind, "importance": 3},
            title=f"A {kind} of '{text.clean(option.title)}'"))

    def action_importance(self, delta: int) -> None:
        """Make the highlighted benefit or risk matter more (1) or less (-1), within 0-5."""
        item = self.current
        if item is None or item.table != "factors":
            self.app.notify("Highlight a benefit or a risk to change how much it matters.",
                            timeout=4)
            return
        now = importance(item)
        new = max(0, min(model.IMPORTANCE_MOST, now + delta))
        if new == now:
            return
        self.post_message(ChangeRequested(
            "factors", item.id, {"importance": new},
            f"Importance of '{text.clean(item.text)}' {now} -> {new}"))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """t and m work (and show in the help) only while there are options, or what
        matters most, written as notes from before."""
        if action == "notes_to_options":
            return "options" in self.notes_before()
        if action == "clear_matters":
            return "matters" in self.notes_before()
        return True

    def action_notes_to_options(self) -> None:
        """Turn the options written as free text before into options (one a line, those
        already listed left out) and empty that text, in one save (one ctrl+z)."""
        case = self.case
        decision = case.decision if case is not None else None
        notes = self.notes_before().get("options", "")
        if case is None or decision is None or not notes:
            self.app.notify("There are no options written as notes from before.", timeout=4)
            return
        titles = notes_to_titles(notes, {o.title.strip().casefold() for o in case.options})
        order = len(case.options)
        changes: list[tuple[str, str, dict[str, Any]]] = [
            ("options", new_id(), {"title": title, "source": "own", "order": float(order + n)})
            for n, title in enumerate(titles, start=1)
        ]
        changes.append(("decision", decision.id, {"options": ""}))
        count = f"{len(titles)} option{'s' if len(titles) != 1 else ''}"
        self.post_message(ChangesRequested(
            changes, f"Turned the notes from before into {count}"))

    def action_clear_matters(self) -> None:
        """Empty the old free-text "what matters most", once the person confirms (a save;
        ctrl+z brings the text back)."""
        decision = self.case.decision if self.case is not None else None
        if decision is None or "matters" not in self.notes_before():
            self.app.notify("There is no 'what matters most' written as notes from before.",
                            timeout=4)
            return
        self.post_message(ConfirmationRequested(
            "Clear the old 'what matters most'? Write what you need of it as benefits and "
            "risks of your options first. ctrl+z brings it back.",
            ChangeRequested("decision", decision.id, {"matters": ""},
                            "Cleared the old 'what matters most'"),
            confirm="Clear", cancel="Keep it"))

    def action_lean(self) -> None:
        """Record that today the person leans towards the highlighted option."""
        option = self._need_option()
        decision_id = self._decision_id()
        if option is None or decision_id is None:
            return
        title = text.clean(option.title)
        self.post_message(ChangesRequested([
            ("leanings", new_id(), {"date": self.today.isoformat(), "option": option.id}),
            ("decision", decision_id, {"leaning": option.title}),
        ], f"Leaning towards '{title}' on {self.today.isoformat()}"))

    def action_toggle_sure(self, name: str) -> None:
        """Answer one SURE question the other way (no becomes yes, yes becomes no)."""
        doc_id = self._decision_id()
        if doc_id is None or name not in SURE_FIELDS:
            return
        decision = self.case.decision if self.case is not None else None
        now = decision is not None and getattr(decision, name) is True
        question = sure_question(name)
        self.post_message(ChangeRequested(
            "decision", doc_id, {name: not now},
            f"SURE: '{question}' {'no' if now else 'yes'}"))

    def action_delete(self) -> None:
        """Delete the highlighted option or benefit or risk (ctrl+z brings it back)."""
        item = self.current
        if item is None:
            return
        label = item.title if item.table == "options" else item.text
        self.post_message(DeleteRequested(item.table, item.id, text.clean(label)))
