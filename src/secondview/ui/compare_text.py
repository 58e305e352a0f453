"""How a comparison reads on the screen: one side's words with the differing ones marked
(and cut short until asked for in full), the words and colours of each kind of row, and a
relation in words. Used by ``ComparePane``; the marks themselves are ``core.comparison.MARKS``,
shared with the comparison export.
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.console import Group
from rich.style import Style
from rich.table import Table
from rich.text import Text

from ..core.comparison import Comparison, Relation, RowKind
from ..core.word_diff import Spans
from . import text

WORDS = {RowKind.SAME: "the same", RowKind.DIFFERS: "different",
         RowKind.ONLY_LEFT: "only A says", RowKind.ONLY_RIGHT: "only B says",
         RowKind.NEITHER: "neither says"}

COLOURS = {RowKind.SAME: "text-success", RowKind.DIFFERS: "text-warning",
           RowKind.ONLY_LEFT: "text-primary", RowKind.ONLY_RIGHT: "text-primary"}
"""The theme variable that colours each kind of row (NEITHER stays dim)."""

CHANGED_STYLE = "bold underline"
"""How the words one side has and the other lacks are marked (not by colour alone)."""

THIRD_OPINION_PROMPT = ("o starts a third opinion: its form, then its record transfers and "
                        "the open questions, in one save.")

VERDICT_COLOURS = {"agree": "text-success", "refine": "text-primary", "differ": "text-warning"}
"""The theme variable that colours each verdict's word."""

FOLD_CHARS = 600
"""A side longer than this is cut short (about 100 words), with a note of what is left out
and how much of it differs, until ``f`` shows every word: two 2,000-word texts laid out in
full take Rich about a second to wrap, and no one reads them side by side anyway."""


def side_text(words: str, spans: Spans, kind: RowKind, limit: int | None = None) -> Text:
    """One side's words, literally, wrapped, the words that differ marked; a dim note when
    it says nothing. With ``limit``, a longer text is cut after about that many characters
    and a note says how many words (and how many of them differ) are left out, and that
    ``f`` shows them."""
    if not words.strip():
        return Text("not recorded", style="dim italic", end="")
    shown = Text(overflow="fold", end="")
    pieces = spans if kind is RowKind.DIFFERS and spans else ((words, False),)
    used = 0
    rest_words = rest_changed = 0
    for segment, changed in pieces:
        marked = changed and kind is RowKind.DIFFERS
        if limit is not None and used >= limit:
            count = len(segment.split())
            rest_words += count
            rest_changed += count if marked else 0
            continue
        if limit is not None and used + len(segment) > limit:
            # at a space; a word that does not fit goes whole (cut only a first huge one)
            cut = segment.rfind(" ", 0, limit - used) + 1 or (0 if used else limit)
            left_out = segment[cut:]
            count = len(left_out.split())
            rest_words += count
            rest_changed += count if marked else 0
            segment = segment[:cut]
        used += len(segment)
        shown.append(text.clean(segment, multiline=True), CHANGED_STYLE if marked else "")
    if rest_words:
        differ = f", {rest_changed:,} of them different" if rest_changed else ""
        shown.append(f"\n\u2026 {rest_words:,} more words{differ}: f shows every word",
                     "dim italic")
    return shown


def relation_words(rel: Relation) -> str:
    """One relation in words, e.g. "Diagnosis: refined (settled by you; secondview suggests
    changed)" or "Treatment: looks refined: B keeps what A said and adds detail". The
    figures behind a suggestion (``Relation.counts``) are not part of it: the relation
    picker shows them to whoever wants them."""
    topic = rel.topic.capitalize()
    if not rel.value:
        return f"{topic}: cannot tell yet: {rel.reason}"
    if rel.settled:
        hint = (f"secondview suggests {rel.suggested}" if rel.suggested
                else "secondview cannot tell")
        return f"{topic}: {rel.value} (settled by you; {hint})"
    return f"{topic}: looks {rel.value}: {rel.reason}"


SETTING_WORDS = {
    "confirmed": "B says what A said",
    "refined": "B keeps what A said and adds to it or narrows it",
    "changed": "B says something else",
    "unsettled": "not settled: secondview's reading stands",
}
"""What each setting of a relation means, as the relation picker offers it (in its order)."""


def relation_hint(rel: Relation, key: str) -> str:
    """What the key ``key`` does to the relation, or why it cannot be settled here."""
    return (f"   {key} settles it" if rel.field and not rel.settled else
            f"   {key} changes it" if rel.field else
            "   (settled against the first opinion: put it in A)")


NOTE_TOPICS = (
    # (the Verdict attribute holding a note, what the note is about when folded away)
    ("missing_note", "what is not compared"),
    ("third_opinion_note", "a third opinion"),
    ("coverage_note", "its cost"),
    ("specialty_note", "the specialties"),
)


def folded_notes(comparison: Comparison) -> str:
    """One line standing for the verdict's notes when they are folded away: how many, what
    about, and the key that shows them ("" when there are none). The prompt of ``o`` goes
    with the third opinion's note."""
    v = comparison.verdict
    about = [words for name, words in NOTE_TOPICS if getattr(v, name)]
    if not about:
        return ""
    count = len(about)
    return (f"\u25b8 {count} note{'s' if count != 1 else ''} ({', '.join(about)}): n shows "
            f"{'them' if count != 1 else 'it'}")


def verdict_view(comparison: Comparison, theme: Mapping[str, str],
                 folded: bool = False) -> tuple[Group, str]:
    """The verdict's headline, its notes (hanging under a bullet; with ``folded``, one line
    saying what they are about and that ``n`` shows them), then one line per relation; and
    the same words as plain text. ``theme``: the app's theme variables."""
    v = comparison.verdict
    colour = theme.get(VERDICT_COLOURS.get(v.kind, ""), "")
    colour = colour if colour.startswith("#") else ""
    word = f"Verdict: {v.kind or 'not yet'}"
    headline = Text.assemble((word, Style(bold=True, color=colour or None)), "  ",
                             (text.clean(v.headline), "bold"))
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(width=3, no_wrap=True, justify="right")
    grid.add_column(ratio=1, overflow="fold")
    plain = [f"{word}  {v.headline}"]
    notes = list(v.notes)
    if v.third_opinion:
        notes.append(THIRD_OPINION_PROMPT)
    line = folded_notes(comparison) if folded else ""
    if line:
        notes = []
        grid.add_row(Text("", end=""), Text(line, style="dim", overflow="fold", end=""))
        plain.append(f"  {line}")
    for note in notes:
        style = "bold" if note == THIRD_OPINION_PROMPT else ""
        grid.add_row(Text("\u2022", end=""),
                     Text(text.clean(note), style=style, overflow="fold", end=""))
        plain.append(f"  \u2022 {note}")
    for rel, key in ((comparison.diagnosis, "D"), (comparison.treatment, "T")):
        words, hint = relation_words(rel), relation_hint(rel, key)
        grid.add_row(Text("", end=""),
                     Text.assemble(text.clean(words), (hint, "dim"), overflow="fold", end=""))
        plain.append(words + hint)
    return Group(headline, grid), "\n".join(plain)
