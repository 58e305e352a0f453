"""state.json: the app's small local memory (theme, last case). Never a crash: a missing file
is the defaults, a damaged one the defaults and one line saying so; saves are atomic and 0600.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from secondview.store.app_state import AppState


@pytest.fixture
def state_file(tmp_path: Path) -> Path:
    return tmp_path / "data" / "state.json"


def test_a_missing_file_gives_the_defaults_and_no_warning(state_file):
    state, warning = AppState.load(state_file)
    assert state == AppState() and state.theme is None and state.last_case is None
    assert warning is None
    assert not state_file.parent.exists()  # reading creates nothing


def test_save_then_load_round_trips_in_a_private_file(state_file):
    AppState(theme="secondview-light", last_case="0000-case").save(state_file)
    assert stat.S_IMODE(state_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(state_file.parent.stat().st_mode) == 0o700
    assert json.loads(state_file.read_text()) == {
        "last_case": "0000-case", "theme": "secondview-light"
    }
    state, warning = AppState.load(state_file)
    assert (state.theme, state.last_case, warning) == ("secondview-light", "0000-case", None)
    assert [p.name for p in state_file.parent.iterdir()] == ["state.json"]  # no temp file left


@pytest.mark.parametrize(
    "content, problem",
    [
        (b'{"theme": "secondview-li', "is not valid JSON"),
        (b"", "is not valid JSON"),
        (b"\xff\xfe\x00", "is not valid JSON"),
        (b'{"theme": NaN}', "is not valid JSON"),
        (b'["secondview-dark"]', "does not hold settings"),
        (b"null", "does not hold settings"),
    ],
)
def test_a_damaged_file_gives_the_defaults_and_one_line(state_file, content, problem):
    state_file.parent.mkdir()
    state_file.write_bytes(content)
    state, warning = AppState.load(state_file)
    assert state == AppState()
    assert warning is not None and "\n" not in warning
    assert warning.startswith(f"{state_file}: {problem}")
    assert state_file.read_bytes() == content  # reading never rewrites


def test_a_value_of_the_wrong_type_is_dropped_and_named(state_file):
    state_file.parent.mkdir()
    state_file.write_text('{"theme": 42, "last_case": "abc"}')
    state, warning = AppState.load(state_file)
    assert state.theme is None and state.last_case == "abc"
    assert warning is not None and "unusable theme" in warning


def test_an_unreadable_file_is_a_warning(state_file):
    state_file.mkdir(parents=True)  # a folder where the file should be: reading it fails
    state, warning = AppState.load(state_file)
    assert state == AppState() and warning.startswith(f"{state_file}: cannot be read")


def test_change_keeps_other_keys_and_what_another_copy_saved(state_file):
    state_file.parent.mkdir()
    # a newer version's key, and a last case saved by another running copy of the app
    state_file.write_text('{"last_case": "from-the-other-window", "window": {"w": 120}}')
    saved = AppState.change(state_file, theme="secondview-contrast")
    assert saved.theme == "secondview-contrast" and saved.last_case == "from-the-other-window"
    assert json.loads(state_file.read_text()) == {
        "last_case": "from-the-other-window", "theme": "secondview-contrast",
        "window": {"w": 120},
    }


def test_change_replaces_a_damaged_file(state_file):
    state_file.parent.mkdir()
    state_file.write_text("{{{")
    AppState.change(state_file, last_case="abc")
    assert AppState.load(state_file) == (AppState(last_case="abc"), None)


def test_change_refuses_a_setting_it_does_not_have(state_file):
    with pytest.raises(TypeError):
        AppState.change(state_file, colour="red")
    assert not state_file.exists()


def test_a_failed_save_leaves_the_old_file(state_file, monkeypatch):
    AppState(theme="secondview-dark").save(state_file)

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        AppState(theme="secondview-light").save(state_file)
    monkeypatch.undo()
    assert AppState.load(state_file)[0].theme == "secondview-dark"
    assert [p.name for p in state_file.parent.iterdir()] == ["state.json"]


CASE_A = "00000000-0000-4000-8000-000000000001"
CASE_B = "00000000-0000-4000-8000-000000000002"


def test_the_compared_pair_is_remembered_per_case_and_kept_small(state_file, monkeypatch):
    # issue 14: the compare pane remembers its pair per case across restarts (never synced)
    AppState(theme="secondview-light").save(state_file)
    AppState.remember_pair(state_file, CASE_A, ("op-1", "op-3"))
    AppState.remember_pair(state_file, CASE_B, ("op-2", "op-1"))
    state, warning = AppState.load(state_file)
    assert warning is None and state.theme == "secondview-light"
    assert state.pair(CASE_A) == ("op-1", "op-3") and state.pair(CASE_B) == ("op-2", "op-1")
    assert state.pair("00000000-0000-4000-8000-000000000009") is None
    monkeypatch.setattr("secondview.store.app_state.PAIRS_KEPT", 2)
    third = "00000000-0000-4000-8000-000000000003"
    AppState.remember_pair(state_file, CASE_A, ("op-1", "op-2"))  # A is the newest now
    AppState.remember_pair(state_file, third, ("x", "y"))
    state, _ = AppState.load(state_file)
    assert state.pair(CASE_B) is None  # the oldest goes first
    assert state.pair(CASE_A) == ("op-1", "op-2") and state.pair(third) == ("x", "y")


def test_a_damaged_pair_is_left_out_with_one_line(state_file):
    state_file.parent.mkdir()
    state_file.write_text(json.dumps({"compare_pairs": [
        [CASE_A, "op-1", "op-2"], ["../etc", "a", "b"], [CASE_B, "only one"]]}))
    state, warning = AppState.load(state_file)
    assert state.pair(CASE_A) == ("op-1", "op-2") and state.pair(CASE_B) is None
    assert warning is not None and "compare_pairs" in warning and "\n" not in warning
    state_file.write_text(json.dumps({"compare_pairs": {CASE_A: ["op-1", "op-2"]}}))
    state, warning = AppState.load(state_file)
    assert state.pair(CASE_A) is None and warning is not None
