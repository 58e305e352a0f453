"""ConflictScreen: settle the edits two devices made to one field at once, and the edits that
raced a deletion.

On the left, every unsettled conflict of the open case (item, field) and every raced deletion;
on the right, for the highlighted one, every value with the name of the device that wrote it
and when (from the hybrid clock). The person picks a value (keys 1 to 9, or enter on it),
writes a merged text (``m``, then ctrl+s), or, for a raced deletion, keeps (``k``) or
deletes (``d``) the item.

The screen never writes: it dismisses with one settlement, a tuple
``(action, table, doc_id, values)`` where action is "pick" (keep the value in ``values``, one
a device wrote), "merge" (save the text typed in ``values``), "keep" or "delete" (a raced
item), or None when closed. The case screen saves it through ``store.settling`` (the rule
``secondview settle`` uses too), so the write covers every value it replaces and settles the
conflict on every device once the files are merged. Values are numbered as
``settling.conflict_values`` orders them, the numbers ``secondview show`` prints. No I/O
here: the open case is only read in memory.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static, TextArea
from textual.widgets.option_list import Option

from ...core import model
from ...core.replica import stamp_to_datetime
from ...store.settling import conflict_values, shown_value
from .. import text
from ..kit.key_footer import KeyFooter

if TYPE_CHECKING:
    from ...store.repository import OpenCase

Settlement = tuple[str, str, str, dict[str, Any]]
"""(action "pick" | "merge" | "keep" | "delete", table, item id, {field: value})."""

RACE_QUESTION = (
    "This item was deleted on one device while edited on another: keep it or delete it?"
)


def item_label(case: model.Case, table: str, doc_id: str) -> str:
    """How an item is named in the list (user text: shown through ui/text.py)."""
    if table == "case":
        return f"Case: {case.title}"
    if table == "decision":
        return "The decision"
    item = next((i for i in case.table(table) if i.id == doc_id), None)
    values = item.values if item is not None else {}
    for name in ("title", "text", "doctor", "question", "recipient", "message"):
        if values.get(name):
            return f"{table.capitalize()}: {values[name]}"
    return f"{table.capitalize()}: {doc_id[:8]}"


def field_label(table: str, field: str) -> str:
    specs = model._SPEC_INDEX.get(table, {})
    return specs[field].label if field in specs else field


def when(at: str) -> str:
    """A clock stamp as local date and time, or "" when it is not a stamp."""
    moment = stamp_to_datetime(at)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment else ""


class ConflictScreen(ModalScreen["Settlement | None"]):
    """Every unsettled conflict and raced deletion of ``opened``; dismisses with the one
    settlement chosen (see the module docstring), or None on escape."""

    HELP_TITLE = "Settle conflicts"
    GUIDANCE = (
        "Two devices changed the same thing before their files met. Every value is listed "
        "with the device that wrote it and when.",
        "Press 1 to 9 (or enter on a value) to keep that value; m writes a merged text "
        "(ctrl+s saves it, escape goes back). For an item deleted on one device while "
        "edited on another, k keeps it and d deletes it.",
        "Your choice is saved like any edit and settles the conflict on every device.",
    )
    BINDINGS = [
        Binding("escape", "close", "Close", id="conflicts.close"),
        Binding("m", "merge", "Merge text", id="conflicts.merge"),
        Binding("k", "keep", "Keep item", id="conflicts.keep"),
        Binding("d", "delete", "Delete item", id="conflicts.delete"),
        Binding("ctrl+s", "save_merge", "Save merged", id="conflicts.save_merge"),
        *(Binding(str(n), f"pick({n})", f"Value {n}", show=False, id=f"conflicts.pick{n}")
          for n in range(1, 10)),
    ]
    DEFAULT_CSS = """
    ConflictScreen { align: center middle; }
    ConflictScreen #conflicts { width: 96%; height: 90%; border: round $warning;
        background: $surface; padding: 0 1; }
    ConflictScreen #conflict-panes { height: 1fr; }
    ConflictScreen #conflict-list { width: 2fr; height: 1fr; }
    ConflictScreen #conflict-side { width: 3fr; height: 1fr; padding-left: 1; }
    ConflictScreen #value-list { height: 1fr; }
    ConflictScreen #merge-text { height: 1fr; }
    """

    def __init__(self, opened: OpenCase) -> None:
        super().__init__()
        self.opened = opened
        case = opened.case
        self.entries: list[tuple[str, str, str]] = [
            *(("race", t, d) for t, d in case.races),
            *((f, t, d) for t, d, f in case.conflicts),
        ]
        """(field, or "race"; table; item id) in the order listed."""
        self.merging = False

    # -- building -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        case = self.opened.case
        with Vertical(id="conflicts"):
            count = len(self.entries)
            yield Static(Content.styled(
                f"\u2260 {count} {'edit' if count == 1 else 'edits'} to settle: "
                "pick what to keep", "bold"), id="conflicts-title")
            with Horizontal(id="conflict-panes"):
                options = []
                for field, table, doc_id in self.entries:
                    what = ("deleted and edited" if field == "race"
                            else field_label(table, field))
                    options.append(Option(Content.assemble(
                        text.content(item_label(case, table, doc_id)), ("  \u00b7 ", "dim"),
                        (what, "italic"))))
                yield OptionList(*options, id="conflict-list")
                with Vertical(id="conflict-side"):
                    yield Static(id="conflict-what")
                    yield OptionList(id="value-list")
                    yield TextArea(id="merge-text", soft_wrap=True, show_line_numbers=False,
                                   tab_behavior="focus", compact=True)
                    yield Static(id="conflict-keys")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#merge-text", TextArea).display = False
        listing = self.query_one("#conflict-list", OptionList)
        if self.entries:
            listing.highlighted = 0
        self._show(0)
        listing.focus()

    # -- the highlighted conflict -------------------------------------------------------------

    def current(self) -> tuple[str, str, str] | None:
        index = self.query_one("#conflict-list", OptionList).highlighted
        if index is None or not 0 <= index < len(self.entries):
            return None
        return self.entries[index]

    def values_of(self, entry: tuple[str, str, str]) -> list[dict[str, Any]]:
        """The raw register entries of a conflict, numbered as everywhere (1 the latest)."""
        field, table, doc_id = entry
        return conflict_values(self.opened.state, table, doc_id, field)

    @on(OptionList.OptionHighlighted, "#conflict-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show(event.option_index)

    def _show(self, index: int) -> None:
        what = self.query_one("#conflict-what", Static)
        values = self.query_one("#value-list", OptionList)
        keys = self.query_one("#conflict-keys", Static)
        values.clear_options()
        self.refresh_bindings()
        if not self.entries:
            what.update("Nothing to settle.")
            keys.update("")
            return
        entry = self.entries[index]
        field, table, doc_id = entry
        label = item_label(self.opened.case, table, doc_id)
        if field == "race":
            what.update(Content.assemble(text.content(label, "bold"), "\n", RACE_QUESTION))
            keys.update(Content.styled("k keep it   d delete it   escape close", "dim"))
            values.display = False
            return
        values.display = True
        what.update(Content.assemble(text.content(label, "bold"), "  \u00b7  ",
                                     (field_label(table, field), "italic"),
                                     "\nEvery value written, the latest first:"))
        for n, entry_ in enumerate(self.values_of(entry), start=1):
            device = self.opened.device_name(entry_["dot"][0])
            values.add_option(Option(Content.assemble(
                (f"{n}  ", "bold"), text.content(shown_value(entry_["v"]), multiline=True),
                "\n   ", text.content(f"{device}, {when(entry_['at'])}", "dim"))))
        merge = "   m merge" if self._mergeable(entry) else ""
        keys.update(Content.styled(f"1-9 or enter keep a value{merge}   escape close", "dim"))

    def _mergeable(self, entry: tuple[str, str, str]) -> bool:
        field, table, _ = entry
        spec = model._SPEC_INDEX.get(table, {}).get(field)
        return spec is not None and spec.kind is model.Kind.TEXT

    # -- settling -----------------------------------------------------------------------------

    def action_pick(self, n: int) -> None:
        """Settle the highlighted conflict with its ``n``-th value (1 is the latest)."""
        entry = self.current()
        if entry is None or entry[0] == "race" or self.merging:
            return
        values = self.values_of(entry)
        if not 1 <= n <= len(values):
            return
        field, table, doc_id = entry
        self.dismiss(("pick", table, doc_id, {field: values[n - 1]["v"]}))

    @on(OptionList.OptionSelected, "#value-list")
    def _value_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_pick(event.option_index + 1)

    def action_merge(self) -> None:
        """Show a text box holding every value, to write one merged text."""
        entry = self.current()
        if entry is None or entry[0] == "race":
            return
        if not self._mergeable(entry):
            self.notify("Only a text can be merged: pick one of the values.", timeout=4)
            return
        parts = [text.clean(e["v"], multiline=True) for e in self.values_of(entry)]
        area = self.query_one("#merge-text", TextArea)
        area.load_text("\n\n".join(p for p in parts if p))
        area.display = True
        self.query_one("#value-list", OptionList).display = False
        self.query_one("#conflict-keys", Static).update(
            Content.styled("ctrl+s save the merged text   escape back", "dim"))
        self.merging = True
        area.focus()

    def action_save_merge(self) -> None:
        """Settle the highlighted conflict with the merged text typed in."""
        entry = self.current()
        if not self.merging or entry is None:
            return
        field, table, doc_id = entry
        self.dismiss(("merge", table, doc_id,
                      {field: self.query_one("#merge-text", TextArea).text}))

    def _race(self) -> tuple[str, str, str] | None:
        entry = self.current()
        return entry if entry is not None and entry[0] == "race" else None

    def action_keep(self) -> None:
        """Keep the raced item (its deletion is undone on every device)."""
        entry = self._race()
        if entry is not None:
            self.dismiss(("keep", entry[1], entry[2], {}))

    def action_delete(self) -> None:
        """Delete the raced item (the edit made meanwhile goes with it)."""
        entry = self._race()
        if entry is not None:
            self.dismiss(("delete", entry[1], entry[2], {}))

    def action_close(self) -> None:
        if self.merging:
            self.merging = False
            self.query_one("#merge-text", TextArea).display = False
            self._show(self.query_one("#conflict-list", OptionList).highlighted or 0)
            self.query_one("#conflict-list", OptionList).focus()
            return
        self.dismiss(None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys that do nothing for the highlighted entry are hidden from the footer (and
        do nothing)."""
        if not self.is_mounted:
            return True
        try:
            entry = self.current()
        except Exception:  # before compose finished
            return True
        race = entry is not None and entry[0] == "race"
        if action in ("keep", "delete"):
            return race
        if action == "merge":
            return entry is not None and not race and not self.merging
        if action == "save_merge":
            return self.merging
        return True
