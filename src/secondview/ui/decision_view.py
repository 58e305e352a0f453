"""What the decision pane shows, as text: the options with their benefits and risks (each
with an importance bar), the notes from before, the SURE check and the leanings over time.

Pure functions of the case (no widget, no I/O); ``DecisionPane`` puts them on the screen.
Every value from the case goes through ``ui/text.py``. The decision's own words come from
``core.decision``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content

from ..core import model
from ..core.care_team import doctor_name
from ..core.decision import SURE_QUESTIONS, importance, option_source, sure_score, sure_words
from . import text
from .widgets.opinions_pane import role

if TYPE_CHECKING:
    from ..core.model import Case, Item

SURE_KEYS = {"sure_know": "k", "sure_values": "v", "sure_support": "s", "sure_certain": "f"}
"""The key that answers each SURE question (``c`` stays the workspace's "settle conflicts")."""


NOTES_BEFORE = (
    # (field, heading): the free text of older versions, shown read-only
    ("options", "Options"),
    ("matters", "What matters most"),
)
KIND_MARKS = {"benefit": ("+", "benefit"), "risk": ("\u2212", "risk")}  # + benefit, − risk
FULL, EMPTY = "\u25cf", "\u25cb"  # ● ○
CURSOR = "\u25b8"  # ▸


def importance_bar(value: int) -> str:
    """``value`` (0-5) as five symbols, filled then empty, and the number: ``●●●○○ 3``."""
    value = max(0, min(model.IMPORTANCE_MOST, value))
    return FULL * value + EMPTY * (model.IMPORTANCE_MOST - value) + f" {value}"


def options_content(case: Case, lines: list[Item], cursor: int, focused: bool) -> Content:
    """The options, each followed by its benefits and risks (``lines``, in that order), the
    line at ``cursor`` marked (and shown reversed when the pane has the focus)."""
    parts: list[Content | tuple[str, str] | str] = [
        (f"Options ({len(case.options)})", "bold"),
    ]
    if not lines:
        parts.append(("\n  None yet: a adds one of your own; o adds each doctor's "
                      "recommendation and 'wait and watch'.", "dim"))
    opinions = {o.id: o for o in case.opinions}
    first = case.first_opinion()
    for index, item in enumerate(lines):
        here = index == cursor and focused
        mark = f"{CURSOR} " if index == cursor else "  "
        style = "reverse" if here else ""
        parts.append("\n")
        if item.table == "options":
            where, doctor = option_source(item, opinions)
            if doctor is not None:
                where = f"{text.clean(doctor_name(case, doctor)) or '(no name)'}, "
                where += role(doctor, first)
            parts.append(Content.assemble(
                (mark, "bold"), text.content(item.title or "(untitled)",
                                             f"bold {style}".strip()),
                (f"  ({where})", "dim")))
        else:
            sign, word = KIND_MARKS.get(item.kind, ("?", item.kind))
            parts.append(Content.assemble(
                (mark, "bold"), (f"  {sign} {word:<8}", style),
                (importance_bar(importance(item)) + "  ", style),
                text.content(item.text, style)))
    return Content.assemble(*parts)


def notes_before_content(notes: dict[str, str], decision: Item | None) -> Content:
    """The free text of older versions (``notes``: by field, only those holding text),
    read-only, with what t and m do to it."""
    parts: list[Content | tuple[str, str] | str] = [
        ("Notes from before", "bold"),
        ("  written in an older version; kept as they were, read-only", "dim"),
    ]
    for name, heading in NOTES_BEFORE:
        if name not in notes:
            continue
        mark = "  \u2260" if decision is not None and name in decision.conflicts else ""
        parts += ["\n", (f"{heading}{mark}", "bold"), "\n",
                  text.content(notes[name].strip(), multiline=True)]
    if "options" in notes:
        parts.append(("\n  t turns these options into options, one a line.", "dim"))
    if "matters" in notes:
        parts.append(("\n  m clears what matters most, once you have written it as "
                      "benefits and risks.", "dim"))
    return Content.assemble(*parts)


def sure_content(decision: Item | None) -> Content:
    """The SURE score in words and the four questions, each with its answer and its key."""
    score = sure_score(decision)
    parts: list[Content | tuple[str, str] | str] = [
        (sure_words(score), "bold"),
    ]
    for name, question in SURE_QUESTIONS:
        key = SURE_KEYS[name]
        yes = decision is not None and getattr(decision, name) is True
        parts.append("\n")
        parts.append(("[x] yes  " if yes else "[ ] no   ", "bold" if yes else ""))
        parts.append(f"{key}  {question}")
    return Content.assemble(*parts)


def leanings_content(case: Case) -> Content:
    """The leanings recorded, oldest first, each with its date and the option."""
    options = {o.id: o for o in case.options}
    leanings = case.leanings_by_date()
    parts: list[Content | tuple[str, str] | str] = [
        ("Leaning over time", "bold"),
    ]
    if not leanings:
        parts.append(("\n  Nothing recorded: l records that today you lean towards the "
                      "highlighted option.", "dim"))
    for leaning in leanings:
        option = options.get(leaning.option)
        towards = option.title if option is not None else "(an option since deleted)"
        parts.append("\n")
        parts.append(Content.assemble(
            (f"  {leaning.date or '(no date)'}  ", ""), ("leaning towards ", "dim"),
            text.content(towards), text.content(f"  {leaning.note}" if leaning.note
                                                else "", "dim")))
    return Content.assemble(*parts)
