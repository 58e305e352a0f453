"""WholeCells under an ItemTable, alone in a tiny host app: the highlighted row's cut cells
whole, following the cursor, hidden when every cell fits."""

from __future__ import annotations

from textual.app import App, ComposeResult

from secondview.ui.kit.item_table import ItemTable
from secondview.ui.kit.whole_cells import WholeCells

from ui_kit import drive, screen_text, settle

LONG = "A checklist item far too long for the narrow column it is shown in"


class Host(App[None]):
    def compose(self) -> ComposeResult:
        table = ItemTable()
        table.add_column("Done", 4)
        table.add_column("Item", 20)
        table.add_row("x", "Short one", key="a")
        table.add_row("", LONG, key="b")
        yield table
        yield WholeCells()

    def on_item_table_row_highlighted(self) -> None:
        self.query_one(WholeCells).show_row(self.query_one(ItemTable))


def test_the_cut_column_shows_whole_for_the_highlighted_row() -> None:
    app = Host()

    async def steps(pilot):
        table, whole = app.query_one(ItemTable), app.query_one(WholeCells)
        assert table.cut_columns() == {1}
        assert whole.show_row(table)
        await settle(pilot)
        assert "Item  Short one" in screen_text(app)  # the column is cut: it stays shown
        await pilot.press("down")
        await settle(pilot)
        assert f"Item  {LONG}" in screen_text(app)
        table.set_width(1, len(LONG))
        assert table.cut_columns() == frozenset()
        assert not whole.show_row(table)
        await settle(pilot)
        assert not whole.display

    drive(app, steps, size=(100, 10))
