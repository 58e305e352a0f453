"""Output piped to another program is never cut (issue 18): only a terminal's width cuts
lines, and ``cli.output`` alone decides it."""

from __future__ import annotations

import datetime as dt
import sys

import pytest

from secondview.cli import output

from cli_kit import Cli, run  # noqa: F401 (run is a fixture)

LONG_TITLE = "Mum - " + "knee " * 38 + "end"
LONG_STEP = "Ask the surgeon " + "about the knee " * 12 + "today"


def _long_case(run: Cli) -> str:
    assert len(LONG_TITLE) > 190 and len(LONG_STEP) > 190
    case_id = run.new(LONG_TITLE, "--condition", "osteoarthritis " * 6)
    run("add", case_id, "checklist", f"text={LONG_STEP}", f"due={dt.date.today()}")
    return case_id


def test_piped_list_agenda_and_sync_status_print_whole_titles(run: Cli) -> None:
    case_id = _long_case(run)
    _, out, _ = run("list")
    assert LONG_TITLE in out and "\u2026" not in out
    row = next(line for line in out.splitlines() if line.startswith(case_id[:8]))
    assert "osteoarthritis " * 5 in row
    _, out, _ = run("agenda")
    assert LONG_TITLE in out and LONG_STEP in out and "\u2026" not in out
    _, out, _ = run("sync", "status")
    assert LONG_TITLE in out and "\u2026" not in out


def test_on_a_terminal_lines_are_cut_to_its_width(
        run: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    _long_case(run)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.setenv("COLUMNS", "150")
    assert output.terminal_width() == 150
    _, out, _ = run("list")
    lines = out.splitlines()
    assert all(len(line) <= 150 for line in lines) and "\u2026" in out
    assert LONG_TITLE not in out and "Mum - knee" in out
    _, out, _ = run("agenda")
    assert LONG_TITLE not in out and "\u2026" in out


def test_the_width_is_decided_in_one_place() -> None:
    # not a terminal (pytest captures stdout): nothing is cut
    assert output.terminal_width() is None
    assert output.short("a  b  c " * 50, 10) == " ".join(["a b c"] * 50)
    # a line rewritten in place (a progress line on stderr) is cut wherever stdout goes
    assert output.cut("x" * 100, 10) == "x" * 9 + "\u2026"
    assert output.table_lines([("ID", "TITLE", "NEXT"), ("1", "x" * 40, "y" * 300)],
                              caps=(4, 10)) == ["ID  " + "TITLE".ljust(40) + "  NEXT",
                                                "1   " + "x" * 40 + "  " + "y" * 300]
