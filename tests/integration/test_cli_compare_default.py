"""``secondview export --what comparison`` without --opinions compares the pair the app's
compare pane shows: the one last chosen there for the case (state.json), else the first
opinion and the latest one with something to compare (issue 14: one rule, core.compare's
``chosen_pair``, for the command line and the export dialog)."""

from __future__ import annotations

from secondview.store.app_state import AppState
from secondview.store.paths import Paths

from cli_kit import Cli, run  # noqa: F401 (run is a fixture)


def opinions(run: Cli) -> tuple[str, str, str, str]:
    case_id = run.new("Dad - prostate cancer")
    ids = [run("add", case_id, "opinion", *words)[1].strip() for words in (
        ("doctor=Dr Lee", "order=1", "diagnosis=Prostate cancer", "treatment=Surgery"),
        ("doctor=Dr Ortiz", "order=2", "diagnosis=Prostate cancer",
         "treatment=Surveillance or SBRT"),
        ("doctor=Dr Chen", "order=3"),  # just started: nothing to compare yet
    )]
    return case_id, ids[0], ids[1], ids[2]


def test_the_default_skips_an_opinion_with_nothing_to_compare(run):
    case_id, _, _, _ = opinions(run)
    _, out, _ = run("export", case_id, "--what", "comparison")
    assert "**B:** Dr Ortiz" in out and "Not enough to compare" not in out


def test_the_default_is_the_pair_last_chosen_in_the_app(run):
    case_id, lee, ortiz, chen = opinions(run)
    paths, _ = Paths.resolve(env=run.env)
    AppState.remember_pair(paths.state_file, case_id, (ortiz, chen))
    _, out, _ = run("export", case_id, "--what", "comparison")
    assert "**A:** Dr Ortiz" in out and "**B:** Dr Chen" in out
    _, out, _ = run("export", case_id, "--what", "comparison", "--opinions", "Lee", "Ortiz")
    assert "**A:** Dr Lee" in out and "**B:** Dr Ortiz" in out  # --opinions still wins
