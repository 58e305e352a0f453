"""ListPane: the base of every pane that lists items of one table (checklist, records, ...).

A pane shows the ``case`` it is bound to (``data_bind(CaseScreen.case)``) and never touches
files: ``a``, ``e``/``enter`` and ``delete`` post ``FormRequested`` and ``DeleteRequested``
up to the case screen, which opens the form and saves. Those keys (and ``/``) are the pane's
own bindings, offered while its table has the focus; the table itself is a plain
``ItemTable`` that knows nothing of panes. When the case changes (an edit, or
another device's file arriving), the rows are rebuilt and the cursor stays on the same item.

A subclass names its ``TABLE``, its ``COLUMNS`` and how an item fills them (``cells``), and
may add a detail line for the highlighted item (``detail``) and its own keys. Whatever the
table's columns cut of the highlighted row (a long item on a small terminal) shows whole
under it (``kit.whole_cells.WholeCells``), in every list pane alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.reactive import reactive, var
from textual.widget import Widget
from textual.widgets import Input, Static

from ..kit.cursor_rows import SCROLL_MARK_CELLS
from ..kit.item_table import CELL_PADDING, ItemTable
from ..kit.whole_cells import WholeCells
from ..messages.delete_requested import DeleteRequested
from ..messages.form_requested import FormRequested

if TYPE_CHECKING:
    from ...core.model import Case, Item
    from ...core.replica import CaseState


SCROLLBAR_ROOM = SCROLL_MARK_CELLS
"""Columns kept free at the right of a table for its scrollbar."""


class ListPane(Widget):
    """A pane over the items of ``TABLE``. See the module docstring."""

    TABLE: ClassVar[str] = ""
    TITLE: ClassVar[str] = ""
    COLUMNS: ClassVar[Sequence[tuple[str, int | None]]] = ()
    """(heading, width or None to share what is left)."""
    FORM_FIELDS: ClassVar[Sequence[str]] = ()
    """Fields the add/edit form shows, in order; empty means every field of the table."""
    NOUN: ClassVar[str] = "item"
    EMPTY: ClassVar[str] = "Nothing here yet: press a to add one."
    GUIDANCE: ClassVar[tuple[str, ...]] = ()

    BINDINGS = [
        Binding("escape", "clear_filter", "Clear filter", show=False, id="pane.clear_filter"),
        Binding("a", "add", "Add", id="pane.add"),
        Binding("e", "edit", "Edit", id="pane.edit"),
        Binding("delete", "delete", "Delete", id="pane.delete"),
        Binding("slash", "filter", "Filter", id="pane.filter"),
    ]
    LIST_ACTIONS: ClassVar[frozenset[str]] = frozenset({"add", "edit", "delete", "filter"})
    """The pane's keys that act on its list: offered only while the list has the focus."""

    case: reactive[Case | None] = reactive(None, init=False, always_update=True)
    editable: var[CaseState | None] = var(None, init=False, always_update=True)
    """The raw state of the case shown while it may be edited here (None when read-only):
    what the content offer reads to tell which steps the case lacks. Bound like ``case``."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.filter_text = ""
        self._stale = True
        self._ids_before_add: set[str] | None = None
        self._wanted: str | None = None
        """An item to put the cursor on at the next rebuild with a case (``show_item``)."""
        self._table = ItemTable(zebra_stripes=True, classes="pane-table")

    # -- building -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(classes="pane-summary")
        filter_box = Input(placeholder="filter: type to narrow the list, escape to clear",
                           compact=True, classes="pane-filter")
        filter_box.display = False
        yield filter_box
        yield self._table
        yield WholeCells(classes="pane-whole")
        yield Static(classes="pane-empty")
        yield Static(classes="pane-detail")

    def on_mount(self) -> None:
        table = self.table
        for heading, width in self.COLUMNS:
            table.add_column(heading, width=width or 1)
        self.rebuild()

    def on_resize(self) -> None:
        if self._fit_columns():
            self.rebuild()

    def _fit_columns(self) -> bool:
        """Share the pane's width among the columns whose width is None; True if it changed.

        (So the columns fill the pane and none is pushed off the screen.)
        """
        table = self.table
        flexible = [n for n, (_, width) in enumerate(self.COLUMNS) if width is None]
        if not flexible or len(table.columns) != len(self.COLUMNS) or not self.size.width:
            return False
        pad = 2 * CELL_PADDING
        used = SCROLLBAR_ROOM + sum((width or 0) + pad for _, width in self.COLUMNS)
        share = max(8, (self.size.width - used) // len(flexible))
        changed = False
        for n in flexible:
            changed = table.set_width(n, share) or changed
        return changed

    @property
    def table(self) -> ItemTable:
        """The table of the pane's items (rows keyed by item id)."""
        return self._table

    def focus_list(self) -> None:
        self.table.focus()

    # -- what a subclass says -----------------------------------------------------------------

    def items(self, case: Case) -> Sequence[Item]:
        """The items to list, in order."""
        return case.table(self.TABLE)

    def cells(self, item: Item) -> Sequence[Text]:
        """One row: a cell per column (build them with ``text.cell``)."""
        raise NotImplementedError

    def detail(self, item: Item) -> Content:
        """More about the highlighted item, shown under the table."""
        return Content("")

    def summary(self, case: Case) -> Content:
        """A line above the table (counts, progress)."""
        return Content("")

    def label(self, item: Item) -> str:
        """How the item is named in a confirmation or an undo message."""
        for name in ("title", "text", "doctor", "recipient"):
            value = item.values.get(name)
            if value:
                return str(value)
        return self.NOUN

    # -- showing ------------------------------------------------------------------------------

    def watch_case(self) -> None:
        # A hidden pane waits until it is shown: edits elsewhere cost it nothing.
        self._stale = True
        if self.is_mounted and self.display:
            self.rebuild()

    def on_show(self) -> None:
        if self._stale:
            self.rebuild()

    def visible_items(self) -> list[Item]:
        if self.case is None:
            return []
        items = list(self.items(self.case))
        if self.filter_text:
            needle = self.filter_text.casefold()
            items = [
                i for i in items
                if any(needle in str(v).casefold() for v in i.values.values() if v)
            ]
        return items

    def rebuild(self) -> None:
        """Fill the table from ``case``, keeping the cursor on the same item if it is there."""
        self._stale = False
        self._fit_columns()
        table = self.table
        keep = self.highlighted_id
        if self._wanted is not None and self.case is not None:
            keep, self._wanted = self.row_for(self._wanted), None
        row = table.cursor_row
        table.clear()
        items = self.visible_items()
        for item in items:
            table.add_row(*self.cells(item), key=item.id)
        if items:
            ids = [i.id for i in items]
            target = ids.index(keep) if keep in ids else min(row, len(ids) - 1)
            table.move_cursor(row=max(target, 0), animate=False)
        if self._ids_before_add is not None:  # after a: highlight the item just added
            added = [n for n, item in enumerate(items) if item.id not in self._ids_before_add]
            if added:
                self._ids_before_add = None
                table.move_cursor(row=added[-1], animate=False)
        empty = self.query_one(".pane-empty", Static)
        empty.update(Content.styled(self.EMPTY if self.case is not None else "", "dim")
                     if not items and not self.filter_text else
                     Content.styled("Nothing matches the filter.", "dim") if not items else "")
        empty.display = not items
        if self.case is not None:
            self.query_one(".pane-summary", Static).update(self.summary(self.case))
        self._show_whole()
        self._show_detail()

    def row_for(self, doc_id: str) -> str:
        """The id of the listed item whose row shows ``doc_id`` (a pane that shows other
        items under its rows names their item; by default the item itself). Called when
        the table is filled with the cursor wanted on ``doc_id``."""
        return doc_id

    def show_item(self, doc_id: str) -> None:
        """Put the cursor on the item ``doc_id`` when it is listed: now if the pane shows
        the case already, else when it next fills its table."""
        self._wanted = doc_id
        if self.is_mounted and self.display and not self._stale and self.case is not None:
            self.rebuild()

    @property
    def highlighted_id(self) -> str | None:
        return self.table.cursor_key

    @property
    def highlighted(self) -> Item | None:
        doc_id = self.highlighted_id
        if doc_id is None or self.case is None:
            return None
        return next((i for i in self.items(self.case) if i.id == doc_id), None)

    def _show_whole(self) -> None:
        """The highlighted row's cut cells whole under the table; the pane has the class
        ``-cut`` while they show (the rule above the detail is then theirs)."""
        self.set_class(self.query_one(WholeCells).show_row(self.table), "-cut")

    def _show_detail(self) -> None:
        item = self.highlighted
        self.query_one(".pane-detail", Static).update(
            self.detail(item) if item is not None else Content("")
        )

    @on(ItemTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._show_whole()
        self._show_detail()

    @on(ItemTable.RowSelected)
    def _selected(self, event: ItemTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    # -- filtering ----------------------------------------------------------------------------

    def action_filter(self) -> None:
        box = self.query_one(".pane-filter", Input)
        box.display = True
        box.focus()

    @on(Input.Changed, ".pane-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value.strip()
        self.rebuild()

    @on(Input.Submitted, ".pane-filter")
    def _filter_done(self) -> None:
        self.table.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_filter":  # otherwise escape goes on to the screen (back)
            return self.query_one(".pane-filter", Input).display
        if action in self.LIST_ACTIONS:
            # From the list only: another part of the pane (the records pane's transfers,
            # the opinions pane's full view) has keys of its own, or none.
            return self.table.has_focus
        return True

    def action_clear_filter(self) -> None:
        """Clear and hide the filter."""
        box = self.query_one(".pane-filter", Input)
        box.value = ""
        box.display = False
        self.filter_text = ""
        self.rebuild()
        self.table.focus()

    # -- asking the screen --------------------------------------------------------------------

    def expect_new_item(self) -> None:
        """Highlight the next item that appears (the one the add form is about to save)."""
        self._ids_before_add = {i.id for i in self.case.table(self.TABLE)} if self.case else set()

    def action_add(self) -> None:
        """Ask for the form to add an item."""
        self.expect_new_item()
        self.post_message(FormRequested(self.TABLE, None, self.FORM_FIELDS,
                                        title=f"New {self.NOUN}"))

    def action_edit(self) -> None:
        """Ask for the form to edit the highlighted item."""
        item = self.highlighted
        if item is not None:
            self.post_message(FormRequested(self.TABLE, item.id, self.FORM_FIELDS,
                                            title=f"Edit {self.NOUN}"))

    def action_delete(self) -> None:
        """Ask to delete the highlighted item (ctrl+z undoes it)."""
        item = self.highlighted
        if item is not None:
            self.post_message(DeleteRequested(self.TABLE, item.id, self.label(item)))


def yes_mark(flag: bool) -> Text:
    """A done/asked mark that does not rely on colour: a tick or an empty box."""
    return Text("\u2714" if flag else "\u2610", style="bold" if flag else "dim")


def conflict_mark(item: Item) -> Text:
    """≠ when the item holds edits from two devices that conflict."""
    return Text("\u2260", style="bold") if item.conflicts else Text("")


