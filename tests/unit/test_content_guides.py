"""The guides: each one is there, reads at grade 9 or below, names its sources, names the study
behind every figure, and links only to other guides. The prose is our own words.

The readability grade is the Flesch-Kincaid grade level,
0.39 * (words / sentences) + 11.8 * (syllables / words) - 15.59, computed here on the prose of
each guide (headings, code and the Sources list left out) with a syllable counter of our own.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from secondview.store.content_files import bundled_content_dir, load_content

BUNDLED = bundled_content_dir()
OWN_WORDS = Path(__file__).resolve().parents[2].parent / "shared" / "tools" / "own-words"
MAX_GRADE = 9.0

GUIDES = {
    # id: words the guide must speak of (the topics issue #4 asks each guide to cover)
    "when-to-seek": ["emergency", "rare", "not helped", "diagnosis changed", "Sources"],
    "emergencies": ["emergency number", "do not wait", "banner"],
    "insurance-and-medicare": [
        "network", "referral", "prior authorization", "Part B", "20 percent",
        "third opinion", "medically needed", "Original Medicare", "accepts assignment",
        "Tests the second doctor orders", "Medicare Advantage", "deductible is",
    ],
    "preparing-for-the-visit": [
        "independent", "release form", "30 days", "slides", "images", "check that everything",
        "questions", "relative or friend", "video", "in writing", "no federal rule",
        "cost", "clinical trial", "fertility", "Tissue blocks", "Pathology is",
    ],
    "when-opinions-conflict": [
        "reasons", "evidence", "in writing", "surgeon", "third opinion", "You decide",
        "treating doctor",
    ],
    "drawbacks": ["Cost", "Delay", "Confusion", "Weighing it up"],
    # issue #15: the law, the money and the wait
    "when-records-are-late": [
        "your own copy", "office to office", "30 calendar days", "in writing", "60 days",
        "states", "slides", "cost", "portal", "records department", "privacy officer",
        "refuse", "review", "Office for Civil Rights",
    ],
    "while-you-wait": [
        "unless a doctor", "call 911 or your local emergency number first", "FMLA", "travel",
        "report", "first doctor", "move your care",
    ],
    "help-rights-and-costs": [
        "HIPAA authorization", "power of attorney", "personal representative", "interpreter",
        "Section 1557", "facility fees", "network", "Good Faith Estimate", "charity care",
        "cost",
    ],
    "feeling-dismissed": [
        "written in your record", "reason", "amendment", "disagree", "patient relations",
        "Feeling dismissed",
    ],
}

STUDIES = {
    # how a guide names a study in its text -> how its entry in Sources starts
    "Meyer": "Meyer AND",
    "Van Such": "Van Such M",
    "Payne": "Payne VL",
    "Greenfield": "Greenfield G",
    "Strosberg": "Strosberg C",
}


# -- readability ----------------------------------------------------------------------------------

WORD = re.compile(r"[A-Za-z]+(?:['\u2019][A-Za-z]+)*|\d+(?:[.,]\d+)*%?")


def syllables(word: str) -> int:
    """An estimate of the syllables in one English word (a number counts as two).

    Counts groups of vowels, then corrects the common cases where spelling and sound part:
    a silent final e (make, but not table), -es and -ed that add no syllable (makes, cured),
    -ely (likely), and vowel pairs said as two (diagnosis, usual, video, area).
    """
    w = word.lower().replace("\u2019", "'")
    if any(c.isdigit() for c in w):
        return 2
    w = re.sub(r"[^a-z]", "", w)
    if len(w) <= 3:
        return 1 if w else 0
    n = len(re.findall(r"[aeiouy]+", w))
    n += len(re.findall(r"(?<![ctsgx])ia|(?<![qg])ua|(?<!p)eo(?!u)|ea$|iu", w))
    if re.search(r"[^aeiouy]ely$", w):
        n -= 1
    elif w.endswith("e") and not w.endswith(("le", "ee", "ye")):
        n -= 1
    elif (
        w.endswith(("es", "ed"))
        and w[-3] not in "aeiouytdszcgx"
        and not w.endswith(("shes", "ches"))
    ):
        n -= 1
    return max(1, n)


def prose(markdown: str) -> list[str]:
    """The sentences-to-be of a guide: paragraphs joined, each list item on its own.

    Headings, code blocks and everything from the Sources heading on are left out; a link
    keeps its text; a unit without a closing stop gets one (a list item is a sentence).
    """
    units: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            units.append(" ".join(current))
            current.clear()

    in_fence = False
    for line in markdown.splitlines():
        s = line.strip()
        if s.startswith("```"):
            in_fence = not in_fence
            flush()
            continue
        if in_fence:
            continue
        if not s:
            flush()
            continue
        if re.match(r"#{1,6}\s", s):
            flush()
            if re.match(r"#{1,6}\s+sources\b", s, re.I):
                break
            continue
        item = re.match(r"([-*+]|\d+[.)])\s+", s)
        if item:
            flush()
            s = s[item.end():]
        s = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", s)
        s = s.lstrip("> ").replace("**", "").replace("*", "").replace("`", "")
        current.append(s)
    flush()
    out = []
    for unit in units:
        unit = re.sub(r"[;,]$", ".", unit)
        if not re.search(r"[.!?:]['\")]*$", unit):
            unit += "."
        out.append(unit)
    return out


def sentences(text: str) -> list[str]:
    """The sentences of prose: each ends at a full stop, a question mark or an exclamation
    mark. A colon does not end one: what follows it (a clause, or the list it leads into)
    belongs to the same sentence."""
    return [s for s in re.split(r"[.!?]+(?=[\s'\")]|$)", text) if WORD.search(s)]


def sentence_count(markdown: str) -> int:
    return len(sentences("\n".join(prose(markdown))))


def grade(markdown: str) -> float:
    """The Flesch-Kincaid grade level of a guide's prose."""
    text = "\n".join(prose(markdown))
    words = WORD.findall(text)
    if not words:
        return 0.0
    count = sum(syllables(w) for w in words)
    return 0.39 * len(words) / len(sentences(text)) + 11.8 * count / len(words) - 15.59


@pytest.mark.parametrize(
    "word, expected",
    [
        ("the", 1), ("cat", 1), ("make", 1), ("makes", 1), ("cured", 1), ("asked", 1),
        ("table", 2), ("doctor", 2), ("wanted", 2), ("likely", 2), ("choices", 2),
        ("people", 2), ("opinion", 3), ("insurance", 3), ("surgery", 3), ("Medicare", 3),
        ("usual", 3), ("video", 3), ("area", 3), ("diagnosis", 4), ("emergency", 4),
        ("authorisation", 5), ("30", 2), ("don't", 1),
    ],
)
def test_syllable_counter(word, expected):
    assert syllables(word) == expected


def test_grade_tells_plain_from_dense_text():
    plain = "See the doctor. Ask your questions. Bring a friend. Get the notes.\n"
    dense = (
        "Comprehensive multidisciplinary evaluation necessitates meticulous consideration "
        "of institutional heterogeneity, diagnostic uncertainty and interdisciplinary "
        "communication, particularly regarding histopathological reclassification.\n"
    )
    assert grade(plain) < 3
    assert grade(dense) > 20
    # Lists and headings: each item is a sentence, headings and sources are not counted.
    listed = "# A heading with many syllables: authorisation\n\n- one item\n- two items\n"
    assert prose(listed) == ["one item.", "two items."]
    assert prose("Text.\n\n## Sources\n\n- Meyer AND. A long citation.\n") == ["Text."]


def test_a_colon_does_not_end_a_sentence():
    # "Ask: a, b and c." is one sentence; so is a line that leads into a list.
    with_colon = "Bring three things to the visit: a list, a pen and a friend.\n"
    with_comma = "Bring three things to the visit, a list, a pen and a friend.\n"
    assert grade(with_colon) == grade(with_comma)
    listed = "Ask the office:\n\n- which records it needs\n- how to send them\n"
    assert sentence_count(listed) == 2


@pytest.fixture(scope="module")
def content():
    loaded = load_content()
    assert [str(p) for p in loaded.problems] == []
    return loaded


def test_every_guide_the_issue_asks_for_is_there_in_order(content):
    assert [g.id for g in content.guides] == list(GUIDES)
    assert all(g.bundled for g in content.guides)


@pytest.mark.parametrize("guide_id", list(GUIDES))
def test_guide_reads_at_grade_9_or_below(content, guide_id):
    guide = content.guide(guide_id)
    level = grade(guide.text)
    assert level <= MAX_GRADE, f"{guide.path.name} reads at grade {level:.1f}"
    words = WORD.findall(" ".join(prose(guide.text)))
    assert len(words) >= 250  # a real guide, not a stub that passes trivially


@pytest.mark.parametrize("guide_id", list(GUIDES))
def test_guide_covers_its_topics(content, guide_id):
    text = content.guide(guide_id).text
    missing = [w for w in GUIDES[guide_id] if w.lower() not in text.lower()]
    assert not missing, f"{guide_id} does not speak of {missing}"


def sources_of(text: str) -> str:
    """The guide's last section, which must be its Sources."""
    headings = list(re.finditer(r"^## +(.+)$", text, re.M))
    assert headings, "a guide has sections"
    last = headings[-1]
    assert last.group(1).strip() == "Sources", "a guide ends with its sources"
    return text[last.end():]


@pytest.mark.parametrize("guide_id", list(GUIDES))
def test_guide_ends_with_its_sources(content, guide_id):
    sources = sources_of(content.guide(guide_id).text)
    entries = [line for line in sources.splitlines() if line.startswith("- ")]
    assert entries, "at least one source"


FIGURE = re.compile(r"\b\d+(?:\.\d+)?(?: to \d+)? in 100\b|\d+(?:\.\d+)?%")


@pytest.mark.parametrize("guide_id", list(GUIDES))
def test_every_figure_on_changed_opinions_names_its_study(content, guide_id):
    text = content.guide(guide_id).text
    sources = sources_of(text)
    for unit in prose(text):
        if not FIGURE.search(unit):
            continue
        if not re.search(r"chang|differ|discord", unit, re.I):
            continue  # a figure about something else (such as Medicare's 20 percent share)
        named = [name for name in STUDIES if name in unit]
        assert named, f"{guide_id}: a figure without its study: {unit!r}"
        assert re.search(r"\b(19|20)\d\d\b", unit), f"{guide_id}: no year in {unit!r}"
        for name in named:
            assert STUDIES[name] in sources, f"{guide_id}: {name} is not in its Sources"


def test_the_figures_are_there_at_all(content):
    # The check above passes vacuously if no guide gives a figure: make sure some do.
    text = content.guide("when-to-seek").text
    for figure in ("15 in 100", "37 in 100", "21 in 100", "10 to 62", "58 in 100", "14 in 100"):
        assert figure in text


@pytest.mark.parametrize("guide_id", list(GUIDES))
def test_links_between_guides_name_a_guide(content, guide_id):
    ids = {g.id for g in content.guides}
    for href in re.findall(r"\]\(([^)]*)\)", content.guide(guide_id).text):
        assert not re.match(r"[a-z]+:", href), f"{guide_id}: the app opens no web links ({href})"
        assert href.removesuffix(".md") in ids, f"{guide_id}: no guide '{href}'"


def test_the_words_are_our_own():
    if not OWN_WORDS.is_file():
        pytest.skip(f"{OWN_WORDS} is not beside the project here")
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, str(OWN_WORDS), str(root)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr


# -- the user's own guides ------------------------------------------------------------------------


def test_user_guides_load_beside_ours_marked_as_user_text(tmp_path):
    extra = tmp_path / "config" / "content"
    (extra / "guides").mkdir(parents=True)
    (extra / "guides" / "10-my-notes.md").write_text("# My notes\n\nCall Dr Ames.\n")
    (extra / "guides" / "emergencies.md").write_text("# Mine\n\nClashes with ours.\n")
    (extra / "guides" / "no-title.md").write_text("just text\n")
    (extra / "records.yaml").write_text("not: [read")  # ignored in a user folder
    loaded = load_content([extra])
    mine = loaded.guide("my-notes")
    assert mine is not None and mine.title == "My notes" and mine.bundled is False
    assert loaded.guides[-1] is mine  # after ours
    assert loaded.guide("emergencies").bundled is True  # ours stays
    messages = sorted(str(p) for p in loaded.problems)
    assert messages == [
        f"{extra / 'guides' / 'emergencies.md'}: 'emergencies' is already the name of the guide "
        f"in content/guides/02-emergencies.md; rename this file",
        f"{extra / 'guides' / 'no-title.md'}, line 1: a guide starts with a '# Title' line",
    ]


def test_the_emergency_guide_says_call_first_before_the_doctors_office(content):
    text = content.guide("emergencies").text
    said = " ".join(prose(text))
    assert "Call 911 or your local emergency number" in said
    assert said.index("life-threatening, call the emergency number first") < said.index(
        "call your doctor's office")


def test_the_transfer_form_names_the_guide_on_late_records(content):
    from secondview.core import model

    help_text = model.spec("transfers", "request_kind").help
    titles = [g.title for g in content.guides]
    assert "When records are late" in titles
    assert "'When records are late'" in help_text
