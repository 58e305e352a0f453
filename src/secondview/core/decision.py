"""The decision: where it stands, the SURE check, how much each benefit and risk matters,
options made from the opinions, and the words for each.

The one home of these rules: the decision pane, the case list, the command line and the
decision export all read them here, so they say the same thing in the same words. Pure
functions of a ``model.Case`` (or of one of its items); no I/O, no clock, no UI. The words are
our own and describe a process; none of them recommends a treatment.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .field_spec import FieldSpec, Kind
from .model import IMPORTANCE_MOST, Case, Item

# ---------------------------------------------------------------------------------------------
# Where the decision stands

STATE_WORDS = {
    "": "Not started",
    "weighing options": "Weighing the options",
    "leaning": "Leaning one way, not decided",
    "decided": "Decided; the treating doctor has not been told yet",
    "decided, doctor told": "Decided, and the treating doctor has been told",
}
"""Each state of ``state`` (the keys: the few words a list has room for) as a sentence."""


def state(case: Case) -> str:
    """A few words on the decision, for the case list: one of the keys of STATE_WORDS."""
    d = case.decision
    if d is not None and d.choice:
        return "decided, doctor told" if d.doctor_told else "decided"
    if (d is not None and d.leaning) or case.leanings:
        return "leaning"
    if (d is not None and d.options) or case.options:
        return "weighing options"
    return ""


def field_words(spec: FieldSpec, value: Any) -> Any:
    """A value of the decision as a person reads it among the decision's fields: a choice as
    words (``someone_else`` -> ``someone else``; unknown says nothing), whether the treating
    doctor was told as yes or "not yet"; anything else as it is."""
    if spec.kind is Kind.CHOICE:
        return spec.words(value)
    if spec.name == "doctor_told":
        return "yes" if value else "not yet"
    return value


# ---------------------------------------------------------------------------------------------
# The SURE check (the Ottawa SURE test's four parts)

SURE_QUESTIONS = (
    ("sure_know", "Do I know the benefits and risks of each option?"),
    ("sure_values", "Am I clear about which benefits and risks matter most to me?"),
    ("sure_support", "Do I have the support and advice I need to choose?"),
    ("sure_certain", "Do I feel sure about the best choice for me?"),
)
"""(decision field, the question in our words), in the order they are asked."""

SURE_FIELDS = tuple(name for name, _ in SURE_QUESTIONS)


def sure_question(name: str) -> str:
    """The SURE question answered by the decision field ``name`` (KeyError if none is)."""
    return dict(SURE_QUESTIONS)[name]


def sure_score(decision: Item | None) -> int:
    """How many of the four SURE questions are answered yes."""
    if decision is None:
        return 0
    return sum(1 for name in SURE_FIELDS if getattr(decision, name) is True)


def sure_words(score: int) -> str:
    """The SURE score in words: a prompt to talk it through, never advice on what to choose."""
    if score == len(SURE_FIELDS):
        return (f"SURE {score}/4: yes to all four. You may still change your mind, and "
                "that is fine.")
    return (f"SURE {score}/4: a 'no' is worth talking through with your doctor or someone "
            "you trust before you decide.")


# ---------------------------------------------------------------------------------------------
# Options, and the benefits and risks weighed for each

SOURCE_WORDS = {"own": "your own idea", "opinion": "recommended", "waiting": "waiting"}
"""Where an option comes from, in words."""

DOCTOR_GONE = "the doctor's opinion was deleted"
"""Said of an option recommended in an opinion that has since been deleted."""

WAIT_TITLE = "Wait and watch"
"""The option of waiting, added with the doctors' recommendations."""

TITLE_CELLS = 60
"""An option taken from a recommended treatment keeps its first line, cut to this length."""

BULLET = re.compile(r"^\s*(?:[-*+\u2022]|\(?\d{1,3}[.)])\s+")
"""A list mark at the start of a line of notes ("1.", "2)", "-", "•"): not part of an option."""


def option_source(option: Item, opinions: Mapping[str, Item]) -> tuple[str, Item | None]:
    """Where ``option`` comes from: (its SOURCE_WORDS, the opinion that recommended it).
    ``opinions``: the case's opinions by id. When that opinion was deleted the words say so
    (DOCTOR_GONE) and the opinion is None."""
    source = option.source if isinstance(option.source, str) else ""
    words = SOURCE_WORDS.get(source, source)
    ref = option.opinion if isinstance(option.opinion, str) else ""
    doctor = opinions.get(ref) if ref else None
    if ref and doctor is None:
        words = f"{words}; {DOCTOR_GONE}"
    return words, doctor


def importance(factor: Item) -> int:
    """How much a benefit or risk matters, kept within 0 to IMPORTANCE_MOST (a hand-edited
    file may hold anything: what is not a whole number counts as 0)."""
    value = factor.importance  # a factor never given one has the field's default
    if not isinstance(value, int) or isinstance(value, bool):
        return 0
    return max(0, min(IMPORTANCE_MOST, value))


def option_title(treatment: str) -> str:
    """An option's title from a recommended treatment: its first line, cut short."""
    first = next((line.strip() for line in treatment.splitlines() if line.strip()), "")
    return first if len(first) <= TITLE_CELLS else first[: TITLE_CELLS - 1] + "\u2026"


def notes_to_titles(notes: str, have: set[str]) -> list[str]:
    """Option titles from free-text notes: one a non-empty line, its list mark dropped,
    leaving out lines already an option (``have``: casefolded titles) or repeated."""
    titles: list[str] = []
    seen = set(have)
    for line in notes.splitlines():
        title = BULLET.sub("", line, count=1).strip()
        if title and title.casefold() not in seen:
            seen.add(title.casefold())
            titles.append(title)
    return titles
