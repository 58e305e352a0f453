"""The command line run in-process for tests: ``Cli`` and the ``run`` fixture.

``run("list")`` calls ``secondview.cli.main`` with the test's own folders (cases, data, cache,
config under tmp_path, also set in the environment) and checks that no traceback reached the
user; ``ok=False`` expects exit status 1 with a one-line ``secondview: ...`` message.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from secondview import cli
from secondview.core import model
from secondview.store.paths import Device, Paths
from secondview.store.repository import CaseRepository


class Cli:
    """Runs ``main`` in-process with isolated folders; never lets a traceback through."""

    def __init__(self, root: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.root = root
        self.capsys = capsys
        self.env = {
            "SECONDVIEW_DATA_DIR": str(root / "data"),
            "SECONDVIEW_CACHE_DIR": str(root / "cache"),
            "SECONDVIEW_CONFIG_DIR": str(root / "config"),
            "SECONDVIEW_CASES": str(root / "cases"),
        }

    def __call__(self, *argv: str, ok: bool | None = True) -> tuple[int, str, str]:
        self.capsys.readouterr()
        code = cli.main(list(argv))
        out, err = self.capsys.readouterr()
        assert "Traceback" not in err and "Traceback" not in out
        if ok is True:
            assert code == 0, err
        elif ok is False:
            assert code == 1, (out, err)
            assert err.startswith("secondview: "), err
        return code, out, err

    def repo(self) -> CaseRepository:
        paths, _ = Paths.resolve(env=self.env)
        return CaseRepository(paths, Device.load_or_create(paths.data_dir))

    def case(self, case_id: str) -> model.Case:
        repo = self.repo()
        try:
            return repo.open(case_id).case
        finally:
            repo.close()

    def new(self, title: str, *extra: str) -> str:
        _, out, _ = self("new", title, *extra)
        return out.strip()

    def case_dirs(self) -> list[Path]:
        folder = self.root / "cases"
        return sorted(p for p in folder.iterdir() if p.is_dir()) if folder.exists() else []


@pytest.fixture
def run(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    runner = Cli(tmp_path, capsys)
    for name in list(os.environ):
        if name.startswith("SECONDVIEW_"):
            monkeypatch.delenv(name)
    for name, value in runner.env.items():
        monkeypatch.setenv(name, value)
    return runner
