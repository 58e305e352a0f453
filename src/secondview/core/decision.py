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
from dataclasses import dataclass
from typing import Any

from .field_spec import FieldSpec, Kind
from .model import IMPORTANCE_MOST, Case, Item
from .word_diff import STOPWORDS

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


WAITING_PHRASES = ("wait and watch", "watch and wait", "watchful waiting", "wait and see",
                   "active surveillance", "surveillance")
"""Words by which an option is a way of waiting: with one of them among the options, the
plain WAIT_TITLE would only repeat it."""

_OR = re.compile(r"\s+or\s+", re.IGNORECASE)
_NUMBER_WORDS = frozenset("one two three four five six seven eight nine ten twelve".split())
_LEAD_EITHER = re.compile(r"^either\s+", re.IGNORECASE)


def option_key(title: str) -> str:
    """What two option titles share when they name the same option: case, punctuation,
    spacing and "&" for "and" aside ("Wait & watch." and "wait and watch" are one)."""
    words = re.sub(r"[^\w]+", " ", title.replace("&", " and ").casefold())
    return " ".join(words.split())


def is_waiting(title: str) -> bool:
    """Whether the option ``title`` is a way of waiting (one of WAITING_PHRASES in it)."""
    key = f" {option_key(title)} "
    return any(f" {phrase} " in key for phrase in WAITING_PHRASES)


def _splits_at(text: str, start: int, end: int) -> bool:
    """Whether the "or" at text[start:end] joins two alternatives: outside brackets, and
    not between numbers ("two or three weeks") or after a small word ("with or without")."""
    before = text[:start]
    if before.count("(") > before.count(")") or before.count("[") > before.count("]"):
        return False
    words_before = re.findall(r"\w+", before)
    words_after = re.findall(r"\w+", text[end:])
    if not words_before or not words_after:
        return False
    last, following = words_before[-1].casefold(), words_after[0].casefold()
    numeric = {w for w in (last, following) if w.isdigit() or w in _NUMBER_WORDS}
    return len(numeric) < 2 and last not in STOPWORDS


def alternatives(line: str) -> list[str]:
    """The alternatives one line of a recommendation names ("Surveillance or SBRT": two),
    each whole, with a capital first letter when cut out of a line; the line itself when it
    holds more than one sentence or no "or" that joins two alternatives."""
    text = line.strip()
    body = text.rstrip(".").strip()
    if re.search(r"[.!?]\s", body):
        return [text]
    parts, start = [], 0
    for match in _OR.finditer(body):
        if _splits_at(body, match.start(), match.end()):
            parts.append(body[start:match.start()])
            start = match.end()
    if not parts:
        return [text]
    parts.append(body[start:])
    cleaned = [_LEAD_EITHER.sub("", p.strip(" ,;")) for p in parts]
    return [p[:1].upper() + p[1:] for p in cleaned if p]


def treatment_options(treatment: str) -> list[str]:
    """Option titles from a recommended treatment, whole (never cut): one per alternative
    (``alternatives``) of each non-empty line, its list mark dropped, repeats left out."""
    titles: list[str] = []
    seen: set[str] = set()
    for line in treatment.splitlines():
        line = BULLET.sub("", line, count=1).strip()
        for title in alternatives(line) if line else ():
            title = title[:1].upper() + title[1:]
            if option_key(title) not in seen:
                seen.add(option_key(title))
                titles.append(title)
    return titles


@dataclass(frozen=True)
class Offered:
    """An option to add from the opinions: its title, its source (SOURCE_WORDS' keys) and
    the id of the opinion that recommends it ("" for waiting)."""

    title: str
    source: str
    opinion: str


def offered_options(case: Case) -> list[Offered]:
    """The options the doctors' recommendations add that the case does not list yet, then
    WAIT_TITLE unless a way of waiting is among the options already (or added here).

    An opinion some option was already made from is left out (the person may have renamed
    or deleted what it gave); a title already listed (``option_key``) is never added twice.
    """
    have_opinions = {o.opinion for o in case.options if o.opinion}
    titles = [o.title for o in case.options if isinstance(o.title, str)]
    keys = {option_key(t) for t in titles}
    waiting = any(o.source == "waiting" for o in case.options) or any(map(is_waiting, titles))
    offered: list[Offered] = []
    for opinion in case.opinions_in_order():
        treatment = opinion.treatment if isinstance(opinion.treatment, str) else ""
        if opinion.id in have_opinions:
            continue
        for title in treatment_options(treatment):
            if option_key(title) not in keys:
                keys.add(option_key(title))
                waiting = waiting or is_waiting(title)
                offered.append(Offered(title, "opinion", opinion.id))
    if not waiting and option_key(WAIT_TITLE) not in keys:
        offered.append(Offered(WAIT_TITLE, "waiting", ""))
    return offered


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
