"""``secondview search``: every case's text from the full-text index, as text and JSON."""

from __future__ import annotations

import json

from cli_kit import Cli, run  # noqa: F401 (run is a fixture)


def _garcia(run: Cli) -> tuple[str, str, str]:
    """Garcia's case with an MRI sent to Dr. Patel: (case id, record id, transfer id)."""
    case = run.new("Garcia, Maria", "--condition", "Lumbar stenosis")
    _, rid, _ = run("add", case[:8], "record", "title=MRI lumbar spine")
    _, tid, _ = run("add", case[:8], "transfer", f"record={rid.strip()}",
                    "recipient=Dr. Patel")
    return case, rid.strip(), tid.strip()


def test_search_json_names_the_case_the_pane_and_the_row(run: Cli) -> None:
    case, _, tid = _garcia(run)
    run.new("Lee, Ann")
    _, out, _ = run("search", "patel", "--json")
    hit, doctor = json.loads(out)  # the transfer, then the care team entry it made
    assert (doctor["pane"], doctor["where"]) == ("doctors", "Doctors: Dr. Patel")
    assert list(hit) == ["case_id", "case_title", "archived", "pane", "item_id", "where",
                         "snippet"]
    assert (hit["case_id"], hit["case_title"], hit["archived"]) == (case, "Garcia, Maria",
                                                                    False)
    assert (hit["pane"], hit["item_id"]) == ("records", tid)  # the transfer's own row
    assert hit["where"] == "Transfer to Dr. Patel (MRI lumbar spine)"
    assert hit["snippet"] == "Dr. Patel"
    _, out, _ = run("search", "MRI", "lumbar")
    assert out.splitlines()[0].startswith("Garcia, Maria") and "Records: MRI" in out


def test_search_all_includes_archived_cases_and_nothing_found_exits_1(run: Cli) -> None:
    case, _, _ = _garcia(run)
    run("archive", case[:8])
    code, out, _ = run("search", "Patel", ok=None)
    assert code == 1 and "--all" in out
    code, out, _ = run("search", "Patel", "--json", ok=None)
    assert code == 1 and json.loads(out) == []
    _, out, _ = run("search", "Patel", "--all")
    assert "Garcia, Maria [archived]" in out
    _, out, _ = run("search", "--help")
    assert "1 when nothing is" in " ".join(out.split())


def test_search_output_is_cleaned(run: Cli) -> None:
    run.new("Evil \x1b]0;title\x07 case", "--condition", "Bad\x1b[2J news")
    _, out, _ = run("search", "news")
    assert "\x1b" not in out and "\u241b" in out
