"""Fixtures every kind of test shares."""

from __future__ import annotations

from pathlib import Path

import pytest

from secondview.store.paths import Paths


@pytest.fixture
def paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Paths:
    """The app's folders (cases, data, cache, config) under the test's own tmp_path, also set
    in the environment, so a child process or a sub-command resolves the same ones."""
    env = {
        "SECONDVIEW_DATA_DIR": str(tmp_path / "data"),
        "SECONDVIEW_CACHE_DIR": str(tmp_path / "cache"),
        "SECONDVIEW_CONFIG_DIR": str(tmp_path / "config"),
        "SECONDVIEW_CASES": str(tmp_path / "cases"),
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    resolved, _ = Paths.resolve(env=env)
    return resolved
