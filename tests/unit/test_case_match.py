"""core.case_match: the one rule that finds a case from what a person types (every command
goes through it: ``store.case_ref.resolve_case``)."""

from __future__ import annotations

from secondview.core.case_match import cases_named
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
