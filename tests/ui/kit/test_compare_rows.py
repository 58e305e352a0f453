"""CompareRows (the compare pane's body): blocks are laid out when they come into view, the
rest just after, and what is shown is always the right block at the right place."""

from __future__ import annotations

import asyncio

from rich.text import Text
from textual.app import App
from textual.containers import VerticalScroll

from secondview.ui.kit import compare_rows
from secondview.ui.kit.compare_rows import CompareRows


class RowsApp(App[None]):
    def __init__(self, blocks: list[CompareRows.Block]) -> None:
        super().__init__()
        self.blocks = blocks

    def compose(self):  # type: ignore[no-untyped-def]
        with VerticalScroll(id="scroll"):
            yield CompareRows(id="rows")

    def on_mount(self) -> None:
        self.query_one(CompareRows).show(self.blocks)


def blocks(count: int, made: list[int], estimate: int = 3) -> list[CompareRows.Block]:
    def make(n: int) -> Text:
        made.append(n)
        return Text("\n".join(f"block {n} line {k}" for k in range(3)))
    return [CompareRows.Block(lambda n=n: make(n), lambda width: estimate, cost=10_000)
            for n in range(count)]


def shown(app: App[None]) -> list[str]:
    rows = app.query_one(CompareRows)
    scroll = app.query_one("#scroll", VerticalScroll)
    top = int(scroll.scroll_y)
    return [rows.render_line(y).text.rstrip() for y in range(top, top + 10)]


def run(app: App[None], steps) -> None:  # type: ignore[no-untyped-def]
    async def main() -> None:
        async with app.run_test(size=(40, 10)) as pilot:
            await pilot.pause()
            await steps(pilot)
    asyncio.run(main())


def test_only_the_blocks_in_view_are_laid_out_and_a_block_scrolled_to_is_drawn_in_place(
        monkeypatch):
    monkeypatch.setattr(compare_rows, "FILL_AFTER", 60.0)  # no laying out after the frame
    made: list[int] = []
    app = RowsApp(blocks(30, made))

    async def steps(pilot) -> None:  # type: ignore[no-untyped-def]
        assert sorted(set(made)) == [0, 1, 2, 3]  # 10 lines in view: blocks 0-3
        assert shown(app)[:4] == ["block 0 line 0", "block 0 line 1", "block 0 line 2",
                                  "block 1 line 0"]
        rows = app.query_one(CompareRows)
        assert not rows.rendered()
        app.query_one("#scroll", VerticalScroll).scroll_to(y=45, animate=False)
        await pilot.pause()
        assert shown(app)[0] == "block 15 line 0"
        assert 15 in made and 25 not in made

    run(app, steps)


def test_a_wrong_estimate_is_put_right_once_the_blocks_below_are_laid_out(monkeypatch):
    monkeypatch.setattr(compare_rows, "FILL_AFTER", 0.001)
    made: list[int] = []
    app = RowsApp(blocks(30, made, estimate=1))

    async def steps(pilot) -> None:  # type: ignore[no-untyped-def]
        rows = app.query_one(CompareRows)
        for _ in range(100):
            if rows.rendered():
                break
            await pilot.pause(0.01)
        await pilot.pause()
        assert rows.rendered() and sorted(set(made)) == list(range(30))
        assert rows.size.height == 90
        scroll = app.query_one("#scroll", VerticalScroll)
        scroll.scroll_end(animate=False)
        await pilot.pause()
        assert shown(app)[-1] == "block 29 line 2"

    run(app, steps)
