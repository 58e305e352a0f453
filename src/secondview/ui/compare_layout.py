"""CompareLayout: how the compare pane draws a comparison: who is in each column with the
rows' tally above, and the rows themselves as CompareRows blocks, in two columns (one row of a
table with fixed column widths, so both scroll together) or stacked when narrow (A above B).

A layout is made for one drawing from what the pane shows (the case, the theme's colours, the
width, how much of a long side shows, whether only the differences do) and holds no state of
its own beyond that. A row's texts (and its word diff) are worked out only when its block is
rendered (compare_rows.py). How a side and a relation read is ``compare_text``'s. No I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rich import box
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.content import Content

from ..core.care_team import doctor_name
from ..core.comparison import MARKS, AnswerRow, FieldRow, RowKind
from ..core.model import Case, Item
from . import text
from .compare_text import COLOURS, WORDS, side_text
from .kit.compare_rows import CompareRows
from .widgets.opinions_pane import role

Block = CompareRows.Block

FIELD_WIDTH = 18
QUESTION_WIDTH = 30


@dataclass(frozen=True)
class CompareLayout:
    """One drawing of a comparison of ``case``: its field ``rows`` and ``answer_rows``;
    ``theme``: the app's theme variables; ``narrow``: stack the columns; ``limit``: how many
    characters of a side show (None: all); ``only_differences``: leave out what is the same."""

    case: Case
    rows: tuple[FieldRow, ...]
    answer_rows: tuple[AnswerRow, ...]
    theme: Mapping[str, str]
    narrow: bool
    limit: int | None
    only_differences: bool

    def _colour(self, kind: RowKind) -> str:
        """The theme's colour for ``kind`` ("#rrggbb"), or "" for none."""
        variable = COLOURS.get(kind)
        colour = self.theme.get(variable, "") if variable else ""
        return colour if colour.startswith("#") else ""

    def _mark(self, kind: RowKind) -> Text:
        colour = self._colour(kind)
        style = Style(color=colour or None, bold=True, dim=kind is RowKind.NEITHER)
        return Text(MARKS[kind], style=style, end="")

    def heading(self, a: Item, b: Item) -> Content:
        """Who is in A and in B (and the keys that change them), then the rows' tally."""
        first = self.case.first_opinion()
        more = len(self.case.opinions) > 2
        lines: list[Content] = []
        for letter, item, key in (("A", a, "["), ("B", b, "]")):
            parts: list[Content | tuple[str, str]] = [
                (f"{letter}  ", "bold"),
                text.content(doctor_name(self.case, item) or "(no name)", "bold"),
                (f"  {role(item, first)}", ""),
            ]
            for name in ("specialty", "date"):
                value = getattr(item, name)
                if value:
                    parts += [("  \u00b7  ", "dim"), text.content(value)]
            if more:
                parts.append((f"   ({key} another)", "dim"))
            lines.append(Content.assemble(*parts))
        counts = {kind: sum(1 for r in self.rows if r.kind is kind) for kind in RowKind}
        tally: list[Content | tuple[str, str]] = []
        one_side = counts[RowKind.ONLY_LEFT] + counts[RowKind.ONLY_RIGHT]
        for kind, shown in ((RowKind.SAME, f"= {counts[RowKind.SAME]} the same"),
                            (RowKind.DIFFERS, f"\u2260 {counts[RowKind.DIFFERS]} different"),
                            (RowKind.ONLY_LEFT, f"\u25d0\u25d1 {one_side} only one says")):
            if tally:
                tally.append(("   ", ""))
            colour = self._colour(kind)
            tally.append(Content.styled(shown, f"bold {colour}" if colour else "bold"))
        if self.only_differences:
            tally.append(("   showing only the differences (d shows all)", "bold"))
        else:
            tally.append(("   d: only the differences", "dim"))
        lines.append(Content.assemble(*tally))
        return Content("\n").join(lines)

    def _row_blocks(self, heading: str, width: int, a: Item, b: Item,
                    rows: Sequence[FieldRow | AnswerRow]) -> list[Block]:
        """The rows as blocks of one table (or of the stacked grid when narrow): a block per
        row, each rendered alone with the table's fixed column widths, so the blocks stack
        into the very lines the whole table would have. A row's texts (and its word diff)
        are worked out only when its block is rendered."""
        limit = self.limit

        def cells(r: FieldRow | AnswerRow) -> tuple[Text, RowKind, Text, Text]:
            label = (Text(r.label + (" \u2260" if r.conflict else ""), style="bold",
                          overflow="fold", end="") if isinstance(r, FieldRow) else
                     Text(text.clean(r.question.text), overflow="fold", end=""))
            return (label, r.kind, side_text(r.left, r.left_spans, r.kind, limit),
                    side_text(r.right, r.right_spans, r.kind, limit))

        def estimate(r: FieldRow | AnswerRow, columns: int) -> Any:
            def guess(total: int) -> int:
                chars = max(len(r.left), len(r.right), 1)
                if limit is not None:
                    chars = min(chars, limit + 60)
                per_line = max(8, (total - width - 12) // 2 if columns == 2 else total - 6)
                lines = -(-chars // per_line) + (1 if chars >= (limit or chars + 1) else 0)
                return lines + 1 if columns == 2 else 2 * lines + 2
            return guess

        if self.narrow:
            return [Block(lambda r=r, n=n: self._stacked([cells(r)], first=n == 0),
                          estimate(r, 1), cost=len(r.left) + len(r.right))
                    for n, r in enumerate(rows)]
        blocks = [Block(lambda: self._columns(heading, width, a, b, []), keep=(0, 3))]
        blocks += [Block(lambda r=r: self._columns(heading, width, a, b, [cells(r)]),
                         estimate(r, 2), keep=(1, None), cost=len(r.left) + len(r.right))
                   for r in rows]
        return blocks

    def field_blocks(self, a: Item, b: Item) -> list[Block]:
        """The field rows (those neither records summed up in one line)."""
        recorded = [r for r in self.rows if r.kind is not RowKind.NEITHER
                    and (r.kind.is_difference or not self.only_differences)]
        neither = [r for r in self.rows if r.kind is RowKind.NEITHER
                   and not self.only_differences]
        if not recorded and self.only_differences:
            return [Block(lambda: Text("The two opinions say the same in every field either "
                                       "records.", style="dim", end=""))]
        blocks = self._row_blocks("", FIELD_WIDTH, a, b, recorded) if recorded else []
        if not neither:
            return blocks or [Block(lambda: self._columns("", FIELD_WIDTH, a, b, []))]
        names = ", ".join(r.label.lower() for r in neither)
        note = Text.assemble((f"{MARKS[RowKind.NEITHER]} Neither records: ", "dim bold"),
                             (names, "dim"))
        return [*blocks, Block(lambda: note, lambda width: 1 + len(note) // max(1, width))]

    def answer_blocks(self, a: Item, b: Item) -> list[Block]:
        """The answers to the same questions, side by side."""
        title = Text("Answers to the same questions", style="bold", end="")
        if not self.answer_rows:
            return [Block(lambda: Text.assemble(
                title, "\n",
                ("Neither doctor's answers are recorded yet: the Questions pane (4) holds "
                 "them.", "dim")), lambda width: 2)]
        rows = [r for r in self.answer_rows
                if r.kind.is_difference or not self.only_differences]
        if not rows:
            return [Block(lambda: Text.assemble(
                title, "\n", ("The doctors gave the same answers.", "dim")), lambda w: 2)]
        blocks = [Block(lambda: title),
                  *self._row_blocks("Question", QUESTION_WIDTH, a, b, rows)]
        unanswered = len(self.case.questions) - len(self.answer_rows)
        if unanswered:
            blocks.append(Block(lambda: Text(
                f"{MARKS[RowKind.NEITHER]} {unanswered} more question"
                f"{'s' if unanswered != 1 else ''} answered by neither.", style="dim")))
        return blocks

    def _columns(self, heading: str, width: int, a: Item, b: Item,
                 rows: Sequence[tuple[Text, RowKind, Text, Text]]) -> Table:
        table = Table(expand=True, box=box.HORIZONTALS, show_lines=True, border_style="dim",
                      padding=(0, 1))
        table.add_column(Text(""), width=1, no_wrap=True)
        table.add_column(Text(heading, style="bold"), width=width)
        for letter, item in (("A", a), ("B", b)):
            table.add_column(Text.assemble((f"{letter}  ", "bold"),
                                           text.cell(doctor_name(self.case, item),
                                                     style="bold")), ratio=1)
        for label, kind, left, right in rows:
            table.add_row(self._mark(kind), label, left, right)
        if rows:
            table.show_header = False
        return table

    def _stacked(self, rows: Sequence[tuple[Text, RowKind, Text, Text]],
                 first: bool = True) -> Table:
        table = Table.grid(padding=(0, 1), expand=True)
        table.add_column(width=1, no_wrap=True)
        table.add_column(ratio=1, overflow="fold")
        for n, (label, kind, left, right) in enumerate(rows):
            if n or not first:
                table.add_row(Text(""), Text(""))
            table.add_row(self._mark(kind), Text.assemble(label, (f"  {WORDS[kind]}", "dim")))
            table.add_row(Text(""), Text.assemble(("A  ", "bold"), left))
            table.add_row(Text(""), Text.assemble(("B  ", "bold"), right))
        return table
