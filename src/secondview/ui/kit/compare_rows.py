"""CompareRows: a tall stack of Rich renderables ("blocks") drawn only when they come into view.

The compare pane's rows hold long texts: laying out every row of two 2,000-word opinions
took Rich far longer than a frame, twice (once to measure the height, once to paint). This
widget holds one factory per block (a table row, a title, a note) and renders a block, at
the widget's width, only when a line of it is asked for, or when the blocks above it are
needed to place what is in view. The blocks below are counted at an estimated height at
first and rendered one at a time from a tenth of a second later (each between the app's
other messages), so the scroll bar settles at the exact height a moment later; a block
scrolled into view before then is rendered at once.

Side effects: none beyond its own redraws; the factories are called on the event loop.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rich.console import RenderableType
from textual.strip import Strip
from textual.visual import Visual, visualize
from textual.widget import Widget

if TYPE_CHECKING:
    from textual.geometry import Size


EAGER_COST = 12_000
"""The blocks below the view are rendered at once too when their ``cost`` (plus BLOCK_COST
each) adds up to no more than this: a comparison of short texts is laid out whole, exactly,
in one go; only long ones wait."""

FILL_AFTER = 0.1
"""Seconds after a layout that the blocks below the view start being rendered: the frame
goes out first, untouched by that work."""

BLOCK_COST = 1_000
"""What laying out any block costs, in characters of ``cost`` (Rich's table does the same
work whatever the block holds)."""


class CompareRows(Widget):
    """Blocks drawn when they come into view. See the module docstring."""

    @dataclass
    class Block:
        """One block: ``make`` returns its renderable; ``keep`` (start, stop) keeps only those
        of its rendered lines (e.g. a one-row table without its top edge); ``estimate(width)``
        guesses its height before it is rendered; ``cost``: about how many characters making
        it goes through (a row's whole texts, which its word diff reads)."""

        make: Callable[[], RenderableType]
        estimate: Callable[[int], int] = lambda width: 1
        keep: tuple[int | None, int | None] = (None, None)
        cost: int = 0
        strips: list[Strip] | None = field(default=None, repr=False)

    DEFAULT_CSS = """
    CompareRows {
        height: auto;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.blocks: list[CompareRows.Block] = []
        self._width = 0
        self._generation = 0
        self._filling = False
        self._off = False  # an estimated height turned out wrong: lay out again
        self._discard: list[list[CompareRows.Block]] = []  # blocks shown before, to free later

    def show(self, blocks: list[CompareRows.Block]) -> None:
        """Replace the blocks (nothing is rendered until the layout asks). The old ones are
        let go of with the rows below the view, after the frame: freeing thousands of
        rendered segments is work the frame should not wait for."""
        self._discard.append(self.blocks)
        self.blocks = blocks
        self._generation += 1
        self._filling = False
        self.refresh(layout=True)

    # -- rendering -------------------------------------------------------------------------

    def _render_block(self, block: CompareRows.Block) -> list[Strip]:
        if block.strips is None:
            visual = visualize(self, block.make(), markup=False)
            strips = Visual.to_strips(self, visual, self._width, None, self.visual_style)
            start, stop = block.keep
            block.strips = strips[start:stop]
        return block.strips

    def _height(self, block: CompareRows.Block) -> int:
        return len(block.strips) if block.strips is not None else max(
            1, block.estimate(self._width))

    def render_all(self) -> bool:
        """Render every block now (e.g. before jumping to the end); whether any height
        changed (the caller lays out again)."""
        if not self._width:
            return False
        changed = False
        for block in self.blocks:
            if block.strips is None:
                guess = self._height(block)
                changed = len(self._render_block(block)) != guess or changed
        return changed

    def rendered(self) -> bool:
        """Whether every block is rendered (the height is exact)."""
        return all(b.strips is not None for b in self.blocks)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if width != self._width:
            self._width = width
            for block in self.blocks:
                block.strips = None
        # Render from the top as far as can be in view, so what shows sits where it should.
        parent = self.parent
        scrolled = int(getattr(parent, "scroll_y", 0) or 0)
        need = scrolled + max(container.height, viewport.height)
        total = 0
        below: list[CompareRows.Block] = []
        for block in self.blocks:
            if total <= need:
                self._render_block(block)
            elif block.strips is None:
                below.append(block)
            total += self._height(block)
        if below and sum(b.cost + BLOCK_COST for b in below) <= EAGER_COST:
            total = sum(len(self._render_block(b)) for b in self.blocks)
        if self._discard and not self._filling:
            self.set_timer(FILL_AFTER, self._discard.clear)
        if not self.rendered() and not self._filling:
            self._filling = True
            generation = self._generation
            self.set_timer(FILL_AFTER, lambda: self._fill(generation))
        return total

    def _fill(self, generation: int) -> None:
        """Render the next block not yet rendered, then come back (between other messages);
        once all are, lay out again if an estimate was off."""
        self._discard.clear()
        if generation != self._generation or not self._width:
            return
        for block in self.blocks:
            if block.strips is None:
                guess = self._height(block)
                self._render_block(block)
                if len(block.strips or ()) != guess:
                    self._off = True
                self.call_later(self._fill, generation)
                return
        self._filling = False
        if self._off:
            self._off = False
            self.refresh(layout=True)

    def render_line(self, y: int) -> Strip:
        top = 0
        for block in self.blocks:
            height = self._height(block)
            if y < top + height:
                if block.strips is None:
                    self._render_block(block)
                    if len(block.strips or ()) != height:
                        self.call_later(self.refresh, layout=True)
                strips = block.strips or []
                line = y - top
                if line < len(strips):
                    return strips[line]
                break
            top += height
        return Strip.blank(self.size.width, self.visual_style.rich_style)
