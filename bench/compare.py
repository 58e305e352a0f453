"""Comparing two opinions whose text fields hold 2,000 words each: the engine's median time.

The issue's budget (under 50 ms median, computed and painted) covers the compare pane as a
whole: bench/compare_app.py measures that, in the real app in a pseudo-terminal, from the key
to the frame; this module measures the computing part, ``secondview.core.compare.compare``,
and generates the opinions both use. Three pairs of opinions, every multi-line text field of both
(diagnosis, treatment, alternatives, risks, side effects, goals, recovery, if waiting,
evidence, costs) holding 2,000 words of generated sentences, and eight questions answered by
both doctors in a few sentences each:

- independent: two doctors who wrote their own text (the usual case);
- revised: the second text is the first with one sentence in ten reworded;
- reworded throughout: one word in ten changed, in every sentence (the search's worst case:
  no sentence survives whole, so every word is searched).

Run alone: ``python -m bench compare [--quick]`` (the engine, then the pane in the app).
Side effects: none here (all in memory); see bench/compare_app.py for the app's.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time

from secondview.core import compare, comparison, model

from .timing import Row, report

WORDS_PER_FIELD = 2_000
TEXT_FIELDS = tuple(f.name for f in model.compared_fields("opinions") if f.multiline)

VOCABULARY = (
    "the a of and to in is that with for on be as it this by or at not may from are can "
    "if after before more less than most some each both which when will would should could "
    "patient pain biopsy margin stage lymph node surgery radiation scan result benign "
    "malignant tumour grade imaging contrast report doctor opinion treatment option risk "
    "recovery week month daily dose side effect nausea fatigue guideline trial evidence "
    "referral insurance network appointment record pathology slide spine nerve canal fusion "
    "decompression therapy injection steroid infection bleeding stiffness walking leg back "
    "level disc narrowing stenosis slip stable unstable movement bending x-ray mri ct "
    "chemotherapy hormone blocker inhibitor cycle infusion oncologist surgeon radiologist "
    "physiotherapist plan goal quality life survival rate percent study randomised cohort "
    "follow-up monitoring watchful waiting active surveillance symptom worse better same "
    "likely unlikely rare common serious mild moderate severe chronic acute early late"
).split()


SYLLABLES = "ca di lo mer an tis pho ve ru sen gi ol tra mu pe ni cor bra do lex".split()


def vocabulary() -> list[str]:
    """VOCABULARY and then invented words, 1,500 in all: about the variety of words a
    2,000-word text written by one person shows (common words first, for the Zipf weights)."""
    rng = random.Random(1)
    words = list(VOCABULARY)
    seen = set(words)
    while len(words) < 1_500:
        word = "".join(rng.choices(SYLLABLES, k=rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def _sentence(rng: random.Random, words_: list[str], weights: list[float]) -> list[str]:
    words = rng.choices(words_, weights, k=rng.randint(8, 20))
    words[0] = words[0].capitalize()
    words[-1] += rng.choice((".", ".", ".", ";", "?"))
    return words


def text(rng: random.Random, words: int) -> list[list[str]]:
    """About ``words`` words of generated sentences, as a list of sentences of words."""
    vocab = vocabulary()
    weights = [1.0 / (rank + 1) for rank in range(len(vocab))]  # a Zipf-like spread
    out: list[list[str]] = []
    total = 0
    while total < words:
        sentence = _sentence(rng, vocab, weights)
        out.append(sentence)
        total += len(sentence)
    return out


def joined(sentences: list[list[str]]) -> str:
    return "\n".join(" ".join(s) for s in sentences)


def reworded(rng: random.Random, sentences: list[list[str]], sentence_share: float,
             word_share: float) -> list[list[str]]:
    """A copy in which ``sentence_share`` of the sentences have ``word_share`` of their
    words replaced (at least one each)."""
    vocab = vocabulary()
    out = []
    for sentence in sentences:
        copy = list(sentence)
        if rng.random() < sentence_share:
            for _ in range(max(1, round(len(copy) * word_share))):
                copy[rng.randrange(len(copy))] = rng.choice(vocab)
        out.append(copy)
    return out


def pair(kind: str, seed: int = 5) -> tuple[model.Case, model.Item, model.Item]:
    """A case with two opinions, every text field 2,000 words (see the module's doc)."""
    rng = random.Random(seed)
    left_values: dict[str, object] = {"doctor": "Dr. Left", "order": 1,
                                      "specialty": "Orthopaedic surgery"}
    right_values: dict[str, object] = {"doctor": "Dr. Right", "order": 2,
                                       "specialty": "Physical medicine", "independent": "yes"}
    for name in TEXT_FIELDS:
        first = text(rng, WORDS_PER_FIELD)
        if kind == "independent":
            second = text(rng, WORDS_PER_FIELD)
        elif kind == "revised":
            second = reworded(rng, first, 0.1, 0.2)
        else:
            second = reworded(rng, first, 1.0, 0.1)
        left_values[name] = joined(first)
        right_values[name] = joined(second)
    left = model.Item("opinions", "op-left", left_values)
    right = model.Item("opinions", "op-right", right_values)
    questions = tuple(
        model.Item("questions", f"q{n}", {"text": f"Question {n}?", "order": float(n)})
        for n in range(8)
    )
    answers = tuple(
        model.Item("answers", f"a{n}{side.id}",
                   {"question": f"q{n}", "opinion": side.id, "text": joined(text(rng, 40))})
        for n in range(8)
        for side in (left, right)
    )
    info = model.Item("case", "case-1", {"title": "Bench compare"})
    case = model.Case("case-1", info, opinions=(left, right), questions=questions,
                      answers=answers)
    return case, left, right


KINDS = ("independent", "revised", "reworded throughout")


def compare_all(case: model.Case, left: model.Item, right: model.Item) -> comparison.Comparison:
    """``compare.compare`` and then every row's word diff (which the engine works out only
    when a row's spans are first asked for): the whole comparison."""
    result = compare.compare(case, left, right)
    for row in (*result.rows, *result.answers):
        row.left_spans  # noqa: B018  (computes both sides' spans)
    return result


def rows(repeat: int) -> list[Row]:
    """One row per pair of opinions: the median time of ``compare_all`` (every row's word
    diff, not only what a pane shows first), wall clock (the figure) and the process's own
    CPU time (in the note: on a busy machine the wall clock also counts the time other
    processes held the CPU)."""
    out = []
    for kind in KINDS:
        case, left, right = pair(kind)
        for _ in range(3):
            compare_all(case, left, right)
        walls, cpus, lazy = [], [], []
        for _ in range(repeat):
            wall, cpu = time.perf_counter(), time.process_time()
            compare_all(case, left, right)
            cpus.append(time.process_time() - cpu)
            walls.append(time.perf_counter() - wall)
            cpu = time.process_time()
            compare.compare(case, left, right)
            lazy.append(time.process_time() - cpu)
        gc.collect()
        out.append(Row(
            f"compare 2 opinions, {len(TEXT_FIELDS)} fields x {WORDS_PER_FIELD:,} words, "
            f"{kind}",
            statistics.median(walls) * 1000, "ms", f"{repeat} runs",
            note=f"CPU {statistics.median(cpus) * 1000:.0f} ms; the engine only (the budget is "
                 f"the pane's, below: rows out of view are diffed after the frame), every row's "
                 f"word diff; without the rows' diffs (what the pane needs first) CPU "
                 f"{statistics.median(lazy) * 1000:.0f} ms",
        ))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench compare",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    from . import compare_app  # the pane in the real app (bench/compare_app.py)

    result = rows(10 if args.quick else 40) + compare_app.rows(8 if args.quick else 20)
    report(result, started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
