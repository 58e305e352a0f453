"""core.case_match: the one rule that finds a case from what a person types (every command
goes through it: ``store.case_ref.resolve_case``)."""

from __future__ import annotations

from secondview.core.case_match import cases_named, same_title
from secondview.core.case_summary import CaseSummary


def test_cases_named_by_id_title_or_a_unique_start() -> None:
    rows = [CaseSummary("d1a2", "Dad - prostate cancer"), CaseSummary("b3c4", "Dad - back"),
            CaseSummary("e5f6", "Mum")]
    def ids(ref: str) -> list[str]:
        return [c.id for c in cases_named(rows, ref).cases]
    assert ids("b3c4") == ["b3c4"] and ids("MUM") == ["e5f6"] and ids("mu") == ["e5f6"]
    assert ids("dad  - p") == ["d1a2"] and ids("Dad") == ["d1a2", "b3c4"]
    assert ids("d") == ["d1a2", "b3c4"]  # a start of an id or of a title alike
    assert ids("") == [] and ids("nothing") == []
    assert cases_named(rows, "dad - back").how == "title"


def _ids(rows: list[CaseSummary], ref: str) -> list[str]:
    return [c.id for c in cases_named(rows, ref).cases]


def test_any_unique_part_of_a_title_names_the_case_in_any_letter_case() -> None:
    rows = [CaseSummary("a1", "Maria Garcia"), CaseSummary("b2", "Dad - back")]
    assert _ids(rows, "Garcia") == ["a1"] and _ids(rows, "gARCIA") == ["a1"]
    assert _ids(rows, "back") == ["b2"] and _ids(rows, "ria gar") == ["a1"]
    assert cases_named(rows, "garcia").how == "part"
    rows = [CaseSummary("c3", "Garcia, Maria"), CaseSummary("b2", "Dad - back")]
    assert _ids(rows, "Garcia") == ["c3"] and _ids(rows, "maria") == ["c3"]


def test_punctuation_and_spaces_are_ignored_when_reading_a_title() -> None:
    rows = [CaseSummary("c3", "Garcia, Maria"), CaseSummary("d4", "O'Brien - knee")]
    assert _ids(rows, "garcia maria") == ["c3"]  # the whole title without its comma
    assert cases_named(rows, "garcia maria").how == "title"
    assert _ids(rows, "obrien") == ["d4"] and _ids(rows, "brien knee") == ["d4"]
    assert _ids(rows, "-") == [] and _ids(rows, " , ") == []  # nothing to read: no case


def test_a_more_precise_reading_wins_so_an_exact_name_never_becomes_ambiguous() -> None:
    rows = [CaseSummary("a1", "Maria Garcia"), CaseSummary("c3", "Garcia, Maria"),
            CaseSummary("e5", "Garcia"), CaseSummary("f6", "Dad - back"),
            CaseSummary("f7", "Dad, Bob")]
    assert _ids(rows, "garcia") == ["e5"]  # the whole title, though two more hold it
    assert _ids(rows, "garcia,") == ["c3"]  # a start as typed, before the looser readings
    assert _ids(rows, "dad - b") == ["f6"]  # as before: the start as typed
    assert _ids(rows, "f7") == ["f7"]
    rows = rows[:2]
    assert _ids(rows, "Garcia") == ["c3"]  # a start of a title before a part of one
    assert _ids(rows, "arc") == ["a1", "c3"]  # a part of both: ambiguous
    assert cases_named(rows, "arc").how == "part"


def test_same_title_folds_as_the_match_does_and_counts_archived_cases() -> None:
    rows = [CaseSummary("a1", "Garcia, Maria", archived=True), CaseSummary("b2", "Dad - back")]
    assert [c.id for c in same_title(rows, "  garcia  MARIA ")] == ["a1"]
    assert [c.id for c in same_title(rows, "Dad - back")] == ["b2"]
    assert same_title(rows, "Dad - back pain") == () and same_title(rows, "Garcia") == ()
    assert same_title([CaseSummary("e1", "\U0001f600")], "\U0001f600") != ()
    assert same_title([CaseSummary("e1", "\U0001f600")], "\U0001f601") == ()
