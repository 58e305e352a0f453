"""The case list's filter: filter words and free text (core.list_filter)."""

from secondview.core import list_filter
from secondview.core.case_summary import CaseSummary

SOON = CaseSummary("a", title="Garcia, Maria", condition="Lumbar stenosis", urgency="soon",
                   phase="Deciding", conflicts=2)
ROUTINE = CaseSummary("b", title="Dad - prostate", condition="Prostate cancer")


def kept(typed: str) -> list[str]:
    query = list_filter.parse(typed)
    return [s.id for s in (SOON, ROUTINE) if list_filter.keeps(s, query)]


def test_free_text_matches_title_or_condition_in_any_case_and_spacing() -> None:
    assert kept("STENOSIS") == ["a"]
    assert kept("garcia,   maria") == ["a"]
    assert kept("prostate") == ["b"]
    assert kept("") == ["a", "b"]


def test_filter_words_narrow_and_combine_with_text() -> None:
    assert kept("urgency") == ["a"]
    assert kept("urgency:routine") == ["b"]
    assert kept("conflicts") == ["a"]
    assert kept("phase:decid") == ["a"]
    assert kept("urgency prostate") == []
    assert kept("Urgency:SOON garcia") == ["a"]


def test_a_word_with_an_argument_it_does_not_take_is_text() -> None:
    query = list_filter.parse("urgency:later")
    assert query.words == ()
    assert query.text == "urgency:later"
    assert kept("urgency:later") == []


def test_every_filter_word_has_help() -> None:
    assert all(w.help and w.word.isidentifier() for w in list_filter.FILTER_WORDS)
