"""ItemTable: the rows of a pane's list (checklist, records, questions, opinions, transfers).

A light table in place of Textual's ``DataTable`` for the panes: one line per row under a
header line, a cursor row, zebra stripes, columns of fixed width with one blank cell each
side. ``DataTable`` throws away every rendered row whenever its styles are touched (each
focus change: so each time its pane is shown, twice: blurred, then focused) and renders a
row through several layers of Rich; switching to a list pane spent most of its time there.
This table keeps each row's line, drawn once per width, per style and per focus state, until
the rows or the theme change.

The rows are Rich ``Text`` cells (built with ``ui/text.cell``: never markup), keyed by the
item's id. ``enter`` (or a click on the highlighted row) posts ``ItemTable.RowSelected``; a
move of the cursor, or new rows under it, posts ``ItemTable.RowHighlighted``.
``cut_columns`` says which columns are too narrow for one of their cells (what
``WholeCells`` shows whole under the table).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip

from .cursor_rows import CursorRows

CELL_PADDING = 1
"""Blank cells each side of a column."""
CACHE_LIMIT = 2048


@dataclass
class Column:
    """A column: its heading and its width in cells (without the padding)."""

    label: str
    width: int


class ItemTable(CursorRows):
    """See the module docstring. ``zebra_stripes`` shades every other row."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "item-table--header", "item-table--cursor", "item-table--even-row",
    }
    DEFAULT_CSS = """
    ItemTable {
        background: $surface;
        color: $foreground;
        height: auto;
        max-height: 100%;
    }
    ItemTable:focus {
        background-tint: $foreground 5%;
    }
    ItemTable > .item-table--header {
        text-style: bold;
        background: $panel;
        color: $foreground;
    }
    ItemTable:focus > .item-table--header {
        background-tint: $foreground 5%;
    }
    ItemTable > .item-table--even-row {
        background: $surface-lighten-1 50%;
    }
    ItemTable:dark > .item-table--even-row {
        background: $surface-darken-1 40%;
    }
    ItemTable > .item-table--cursor {
        background: $block-cursor-blurred-background;
        color: $block-cursor-blurred-foreground;
        text-style: $block-cursor-blurred-text-style;
    }
    ItemTable:focus > .item-table--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: $block-cursor-text-style;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Select", show=False, id="table.select"),
        Binding("up", "move(-1)", show=False, id="table.up"),
        Binding("down", "move(1)", show=False, id="table.down"),
        Binding("pageup", "page(-1)", show=False, id="table.page_up"),
        Binding("pagedown", "page(1)", show=False, id="table.page_down"),
        Binding("home", "move_to(0)", show=False, id="table.first"),
        Binding("end", "move_to(-1)", show=False, id="table.last"),
    ]

    class _RowMessage(Message):
        """About the row ``cursor_row`` (its key ``row_key``) of ``table``."""

        def __init__(self, table: ItemTable, cursor_row: int, row_key: str | None) -> None:
            super().__init__()
            self.table = table
            self.cursor_row = cursor_row
            self.row_key = row_key

        @property
        def control(self) -> ItemTable:
            return self.table

    class RowHighlighted(_RowMessage):
        """The cursor is on another row, or new rows are under it."""

    class RowSelected(_RowMessage):
        """The highlighted row was chosen (enter, or a click on it)."""

    def __init__(self, *, zebra_stripes: bool = False, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.zebra_stripes = zebra_stripes
        self.columns: list[Column] = []
        self._rows: list[tuple[Text, ...]] = []
        self._keys: list[str] = []
        self._lines: dict[tuple[object, ...], Strip] = {}
        """(row, cursor, focus, width) -> the row's line as drawn."""
        self._styles: dict[bool, dict[str, Style]] = {}
        """focus -> the line styles, as read from the theme."""
        self._restyled = False
        self._cut: frozenset[int] | None = None
        """The columns some cell is too wide for (None: not worked out since a change)."""

    # -- columns and rows ----------------------------------------------------------------------

    def add_column(self, label: str, width: int) -> None:
        self.columns.append(Column(label, max(0, width)))
        self._changed()

    def set_width(self, index: int, width: int) -> bool:
        """Give column ``index`` ``width`` cells; True if that changed anything."""
        column = self.columns[index]
        if column.width == width:
            return False
        column.width = width
        self._changed()
        return True

    def clear(self, columns: bool = False) -> None:
        """Remove every row (and every column with ``columns``); the cursor goes to the top."""
        self._rows.clear()
        self._keys.clear()
        if columns:
            self.columns.clear()
        self.cursor_row = 0
        self._changed()

    def add_row(self, *cells: Text | str, key: str) -> None:
        """Add a row of ``cells`` (Rich Text; a str is shown literally, never as markup)."""
        self._rows.append(tuple(c if isinstance(c, Text) else Text(str(c)) for c in cells))
        self._keys.append(key)
        self._changed()

    @property
    def row_count(self) -> int:
        return len(self._rows)

    def get_row_at(self, index: int) -> list[Text]:
        """The cells of row ``index`` as given."""
        return list(self._rows[index])

    def row_key_at(self, index: int) -> str | None:
        return self._keys[index] if 0 <= index < len(self._keys) else None

    @property
    def cursor_key(self) -> str | None:
        """The key of the highlighted row, or None when there is no row."""
        return self.row_key_at(self.cursor_row)

    def cut_columns(self) -> frozenset[int]:
        """The indexes of the columns that cut at least one of their cells (with an
        ellipsis) at their present width; worked out once per change of rows or columns."""
        if self._cut is None:
            self._cut = frozenset(
                n for n, column in enumerate(self.columns)
                if any(n < len(row) and row[n].cell_len > column.width for row in self._rows)
            )
        return self._cut

    def _changed(self) -> None:
        self._cut = None
        self._lines.clear()
        width = sum(c.width + 2 * CELL_PADDING for c in self.columns)
        self.virtual_size = Size(width, len(self._rows) + self.header_lines)
        self.refresh()

    # -- the cursor (moves, keys and clicks: CursorRows) ----------------------------------------

    def cursor_moved(self, row: int) -> None:
        self.post_message(self.RowHighlighted(self, row, self._keys[row]))

    def row_chosen(self, row: int) -> None:
        self.post_message(self.RowSelected(self, row, self._keys[row]))

    # -- drawing -------------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._restyled = True  # read at the next line drawn (component styles are ready then)

    def _line_styles(self) -> dict[str, Style]:
        """The styles for the focus state the table is in. After a style update they are
        read again; if they differ from before (another theme, another rule), every line is
        drawn again, else the lines drawn before stay (a focus change alone keeps them)."""
        focus = self.has_focus
        if self._restyled:
            self._restyled = False
            fresh = self._read_styles()
            if self._styles.get(focus) not in (None, fresh):
                self._styles.clear()
                self._lines.clear()
            self._styles[focus] = fresh
        styles = self._styles.get(focus)
        if styles is None:
            styles = self._styles[focus] = self._read_styles()
        return styles

    def _read_styles(self) -> dict[str, Style]:
        base = self.rich_style
        return {
            "row": base,
            "header": base + self.get_component_rich_style("item-table--header"),
            "even": base + self.get_component_rich_style("item-table--even-row"),
            "cursor": base + self.get_component_rich_style("item-table--cursor"),
            "cursor over": self.get_component_rich_style("item-table--cursor"),
            "scrollbar": self.get_component_rich_style("cursor-rows--scrollbar"),
        }

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        focus = self.has_focus
        styles = self._line_styles()
        scroll_x = int(self.scroll_offset.x)
        if self.header_lines:
            if y == 0:
                cells = tuple(Text(c.label) for c in self.columns)
                return self._line(cells, styles["header"]).crop_extend(
                    scroll_x, scroll_x + width, styles["header"])
            y -= 1
        thumb = self.thumb_at(y)
        index = int(self.scroll_offset.y) + y
        if not 0 <= index < len(self._rows):
            return self.with_scroll_mark(Strip.blank(width, styles["row"]), thumb, width,
                                         styles["scrollbar"])
        cursor = index == self.cursor_row
        key = (index, cursor, focus, width, scroll_x, thumb)
        strip = self._lines.get(key)
        if strip is None:
            if len(self._lines) > CACHE_LIMIT:
                self._lines.clear()
            style = (styles["cursor"] if cursor
                     else styles["even"] if self.zebra_stripes and index % 2
                     else styles["row"])
            # on the cursor row the cursor's colours win over a cell's own (as DataTable)
            over = styles["cursor over"] if cursor else None
            strip = self._line(self._rows[index], style, over).crop_extend(
                scroll_x, scroll_x + width, style)
            strip = self._lines[key] = self.with_scroll_mark(strip, thumb, width,
                                                             styles["scrollbar"])
        return strip

    def _line(self, cells: tuple[Text, ...], base: Style, over: Style | None = None) -> Strip:
        """One row: each cell cut (with an ellipsis) or padded to its column, the cell's own
        styles over the line's (``base``), and ``over`` over them all."""
        console = self.app.console
        pad = " " * CELL_PADDING
        segments: list[Segment] = []
        for column, cell in zip(self.columns, cells, strict=False):
            shown = cell.copy()
            shown.no_wrap = True
            shown.end = ""
            shown.truncate(column.width, overflow="ellipsis", pad=True)
            # the cell's own style (Text.render leaves it to the caller), then its spans
            own = base + console.get_style(shown.style) if shown.style else base
            segments.append(Segment(pad, base))
            segments.extend(Segment.apply_style(shown.render(console), own, over))
            segments.append(Segment(pad, base))
        # runs of one style as one segment (a row has half as many): every segment costs
        # again in each step a line goes through on its way to the terminal
        return Strip(Segment.simplify(segments))
