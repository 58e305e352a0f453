"""ItemTable alone in a tiny host app: the keys, the messages, the cells as drawn, and that a
focus change keeps the lines drawn while a theme change draws them again."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Static

from secondview.ui.kit.item_table import ItemTable

from ui_kit import drive, screen_lines, settle


class Host(App[None]):
    def __init__(self, rows: int = 30) -> None:
        super().__init__()
        self.rows = rows
        self.events: list[tuple[str, int, str | None]] = []

    def compose(self) -> ComposeResult:
        yield ItemTable(zebra_stripes=True, id="table")
        yield Static("below", id="below")

    def on_mount(self) -> None:
        table = self.query_one(ItemTable)
        table.styles.height = 8
        table.add_column("Done", 4)
        table.add_column("Item", 12)
        for n in range(self.rows):
            table.add_row(Text("\u2714" if n % 2 else "\u2610"),
                          Text(f"Step {n} [bold]not markup[/]"), key=f"id-{n}")
        table.focus()

    def on_item_table_row_highlighted(self, event: ItemTable.RowHighlighted) -> None:
        self.events.append(("highlighted", event.cursor_row, event.row_key))

    def on_item_table_row_selected(self, event: ItemTable.RowSelected) -> None:
        self.events.append(("selected", event.cursor_row, event.row_key))


def test_keys_move_the_cursor_scroll_and_post_messages() -> None:
    app = Host()

    async def steps(pilot):
        table = app.query_one(ItemTable)
        await pilot.press("down", "down")
        await settle(pilot)
        assert table.cursor_row == 2 and table.cursor_key == "id-2"
        assert app.events[-1] == ("highlighted", 2, "id-2")
        await pilot.press("end")
        await settle(pilot)
        assert table.cursor_key == "id-29"
        assert "Step 29" in "\n".join(screen_lines(app))  # scrolled into view
        await pilot.press("enter")
        await settle(pilot)
        assert app.events[-1] == ("selected", 29, "id-29")
        await pilot.press("home", "pagedown")
        await settle(pilot)
        assert 0 < table.cursor_row < 29

    drive(app, steps, size=(40, 12))


def test_cells_are_cut_with_an_ellipsis_and_shown_literally() -> None:
    app = Host(rows=3)

    async def steps(pilot):
        lines = screen_lines(app)
        assert lines[0].split() == ["Done", "Item"]
        assert lines[1].startswith(" \u2610     Step 0 [bol\u2026")  # 12 cells, cut, no markup
        table = app.query_one(ItemTable)
        assert [c.plain for c in table.get_row_at(1)] == ["\u2714", "Step 1 [bold]not markup[/]"]

    drive(app, steps, size=(40, 12))


def test_a_click_moves_the_cursor_and_a_second_click_selects() -> None:
    app = Host(rows=5)

    async def steps(pilot):
        await pilot.click(ItemTable, offset=(8, 3))  # the header is line 0: row 2
        await settle(pilot)
        assert app.query_one(ItemTable).cursor_row == 2
        await pilot.click(ItemTable, offset=(8, 3))
        await settle(pilot)
        assert app.events[-1] == ("selected", 2, "id-2")

    drive(app, steps, size=(40, 12))


def test_lines_drawn_stay_through_a_focus_change_and_go_with_the_theme() -> None:
    app = Host(rows=5)

    async def steps(pilot):
        table = app.query_one(ItemTable)
        drawn = dict(table._lines)  # noqa: SLF001 (what is kept is the point of the test)
        assert drawn
        app.set_focus(None)
        await settle(pilot)
        table.focus()
        await settle(pilot)
        assert all(table._lines.get(key) is line for key, line in drawn.items())  # noqa: SLF001
        focused_cursor = screen_lines(app)[1]
        app.theme = "textual-light"
        await settle(pilot)
        assert not any(table._lines.get(key) is line for key, line in drawn.items())  # noqa: SLF001
        assert screen_lines(app)[1] == focused_cursor  # same text, drawn again in new colours

    drive(app, steps, size=(40, 12))


def test_the_scrollbar_is_drawn_in_the_last_cell_follows_the_rows_and_the_wheel_scrolls(
) -> None:
    app = Host(rows=30)  # 7 of the 30 rows show under the header
    thumb = "\u2588"

    def bar(lines: list[str]) -> str:
        return "".join(line.ljust(40)[39] for line in lines[1:8])

    async def steps(pilot):
        table = app.query_one(ItemTable)
        top = bar(screen_lines(app))
        assert top.startswith(thumb) and set(top) == {thumb, " "}  # thumb at the top
        assert 1 <= top.count(thumb) <= 3  # 7 of 30 rows: about a quarter of the track
        await pilot.press("end")
        await settle(pilot)
        bottom = bar(screen_lines(app))
        assert bottom.endswith(thumb) and bottom.count(thumb) == top.count(thumb)
        await pilot.press("home")
        await settle(pilot)
        for _ in range(2):  # the wheel (Pilot has no wheel: the event it would bring)
            table.post_message(events.MouseScrollDown(table, 5, 4, 0, 1, 0, False, False, False))
        await settle(pilot)
        assert table.scroll_offset.y > 0 and table.cursor_row == 0
        assert not bar(screen_lines(app)).startswith(thumb)

    drive(app, steps, size=(40, 12))


def test_no_scrollbar_when_every_row_shows() -> None:
    app = Host(rows=3)

    async def steps(pilot):
        lines = screen_lines(app)
        assert "\u2588" not in "".join(lines)
        assert not app.query_one(ItemTable).allow_vertical_scroll

    drive(app, steps, size=(40, 12))
