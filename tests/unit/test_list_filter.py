"""The case list's filter: filter words and free text (core.list_filter)."""

import datetime as dt
from pathlib import Path

from secondview.core import list_filter
from secondview.core.case_summary import CaseSummary

TODAY = dt.date(2026, 9, 14)

SOON = CaseSummary("a", title="Garcia, Maria", condition="Lumbar stenosis", urgency="soon",
                   phase="Deciding", conflicts=2)
ROUTINE = CaseSummary("b", title="Dad - prostate", condition="Prostate cancer")


def kept(typed: str, rows: tuple[CaseSummary, ...] = (SOON, ROUTINE),
         today: dt.date = TODAY) -> list[str]:
    query = list_filter.parse(typed, today=today)
    return [s.id for s in rows if list_filter.keeps(s, query)]


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
    query = list_filter.parse("urgency:later", today=TODAY)
    assert query.words == ()
    assert query.text == "urgency:later"
    assert kept("urgency:later") == []


def test_every_filter_word_has_help() -> None:
    assert all(w.help and w.word.isidentifier() for w in list_filter.FILTER_WORDS)


# the words of the list's new columns: what is late and what is next is read on the day asked

LATE = CaseSummary("late", title="Late request", overdue_from="2026-09-01 2026-10-01",
                   visit_dates="2026-09-10 2026-09-20", waiting_office=1)
MINE = CaseSummary("mine", title="My to-do", my_due="2026-09-11", waiting_me=2,
                   visit_dates="2026-10-30")
CALM = CaseSummary("calm", title="Nothing due", waiting_patient=1, waiting_doctor=1)
NEW_WORDS = (LATE, MINE, CALM)


def test_overdue_keeps_cases_with_a_request_late_on_the_day_asked() -> None:
    assert kept("overdue", NEW_WORDS) == ["late"]
    assert kept("overdue", NEW_WORDS, today=dt.date(2026, 8, 31)) == []  # not late yet


def test_late_keeps_cases_with_something_of_mine_past_its_due_date() -> None:
    assert kept("late", NEW_WORDS) == ["mine"]
    assert kept("late", NEW_WORDS, today=dt.date(2026, 9, 11)) == []  # due that day


def test_waiting_keeps_cases_by_whom_they_wait_on() -> None:
    assert kept("waiting:me", NEW_WORDS) == ["mine"]
    assert kept("waiting:office", NEW_WORDS) == ["late"]
    assert kept("waiting:patient", NEW_WORDS) == ["calm"]
    assert kept("waiting:doctor", NEW_WORDS) == ["calm"]
    assert kept("waiting", NEW_WORDS) == ["late", "calm"]  # on someone else than me
    assert kept("waiting:me late", NEW_WORDS) == ["mine"]


def test_visit_keeps_cases_with_a_visit_soon_or_within_n_days() -> None:
    assert kept("visit", NEW_WORDS) == ["late"]  # the 20th; the 10th has gone by
    assert kept("visit:5", NEW_WORDS) == []
    assert kept("visit:6", NEW_WORDS) == ["late"]
    assert kept("visit:60", NEW_WORDS) == ["late", "mine"]
    assert kept("visit", NEW_WORDS, today=dt.date(2026, 9, 21)) == []  # next: 30 Oct


def test_the_readme_lists_every_filter_word() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    assert list_filter.markdown_table() in readme
