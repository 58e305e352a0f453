"""Starting the app with nothing or only ``--cases DIR`` skips argparse and every command
module (for a faster first frame), and must mean exactly what the full parser would make of
the same words."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from secondview.cli.entry import plain_start
from secondview.cli.parser import REGISTERS, build_parser

PLAIN = [
    [],
    ["--cases", "/tmp/somewhere"],
    ["--cases", "my cases"],
    ["--cases", "list"],  # a folder named like a sub-command is still the folder
    ["--cases=/tmp/somewhere"],
    ["--cases=a=b"],
]
NOT_PLAIN = [
    ["list"],
    ["--demo"],
    ["--cases", "/tmp/x", "list"],
    ["--cases", "-x"],
    ["--cases"],
    ["--cases="],
    ["--case", "/tmp/x"],  # an abbreviation: argparse decides
    ["--cases", "/tmp/x", "--cases", "/tmp/y"],
    ["--help"],
    ["--version"],
]


@pytest.mark.parametrize("argv", PLAIN, ids=repr)
def test_a_plain_start_parses_as_argparse_would(argv: list[str]) -> None:
    fast = plain_start(argv)
    assert fast is not None
    assert vars(fast) == vars(build_parser().parse_args(argv))


@pytest.mark.parametrize("argv", NOT_PLAIN, ids=repr)
def test_anything_else_goes_to_the_full_parser(argv: list[str]) -> None:
    assert plain_start(argv) is None


def test_cases_option_alone_starts_the_app_on_that_folder_without_argparse(
    tmp_path: Path,
) -> None:
    elsewhere = tmp_path / "elsewhere"
    skipped = ["argparse", "secondview.cli.parser", *(r.__module__ for r in REGISTERS)]
    assert len(skipped) >= 7
    # nor what reads, merges, writes or edits case files: the first frame paints the index
    skipped += ["tinydb", "secondview.core.separation", "secondview.store.folder_reader",
                "secondview.store.replica_writer", "secondview.store.foreign_copies",
                "secondview.store.editing"]
    probe = (
        "import sys\n"
        "from secondview.ui.app import SecondViewApp\n"
        "seen = {}\n"
        "def run(self, *a, **k):\n"
        "    seen['cases'] = str(self.paths.cases_dir)\n"
        "SecondViewApp.run = run\n"
        "from secondview.cli import main\n"
        f"code = main(['--cases', {str(elsewhere)!r}])\n"
        f"print(code, seen['cases'], [m for m in {skipped!r} if m in sys.modules])\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("SECONDVIEW_")}
    env.update(
        SECONDVIEW_DATA_DIR=str(tmp_path / "data"),
        SECONDVIEW_CACHE_DIR=str(tmp_path / "cache"),
        SECONDVIEW_CONFIG_DIR=str(tmp_path / "config"),
    )
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.stdout.split() == ["0", str(elsewhere), "[]"], done.stderr
