"""``export --replica FILE`` over a file that exists (issue 18): --force replaces it (atomic,
0600, never through a link); without it a terminal is asked and a script is told to add it."""

from __future__ import annotations

import io
import os
import stat
import sys

import pytest

from secondview.store.storage import parse_replica, read_bytes

from cli_kit import Cli, run  # noqa: F401 (run is a fixture)


def _title_in(path: os.PathLike[str]) -> str:
    _, tables = parse_replica(path, read_bytes(path))
    (doc,) = tables["case"].values()
    return str(doc["title"][-1]["v"])


def test_without_force_a_script_is_told_to_add_it_and_the_file_is_kept(run: Cli, tmp_path):
    case_id = run.new("Dad - back")
    target = tmp_path / "dad.json"
    target.write_text("mine")
    _, _, err = run("export", case_id, "--replica", str(target), ok=False)
    assert "already exists" in err and "--force" in err
    assert target.read_text() == "mine"


def test_force_replaces_the_file_atomically_and_readable_by_you_only(run: Cli, tmp_path):
    case_id = run.new("Dad - back")
    target = tmp_path / "dad.json"
    run("export", case_id, "--replica", str(target))
    run("set", case_id, "title=Dad - back surgery")
    target.chmod(0o644)
    _, out, _ = run("export", case_id, "--replica", str(target), "--force")
    assert str(target) in out and _title_in(target) == "Dad - back surgery"
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".dad")] == []


def test_force_replaces_a_link_itself_never_the_file_it_points_to(run: Cli, tmp_path):
    case_id = run.new("Dad - back")
    elsewhere = tmp_path / "precious.txt"
    elsewhere.write_text("keep me")
    link = tmp_path / "dad.json"
    link.symlink_to(elsewhere)
    run("export", case_id, "--replica", str(link), "--force")
    assert elsewhere.read_text() == "keep me"
    assert not link.is_symlink() and _title_in(link) == "Dad - back"


def test_force_never_replaces_a_folder(run: Cli, tmp_path):
    case_id = run.new("Dad - back")
    folder = tmp_path / "box"
    folder.mkdir()
    _, _, err = run("export", case_id, "--replica", str(folder), "--force", ok=False)
    assert "folder" in err and folder.is_dir() and list(folder.iterdir()) == []


@pytest.mark.parametrize(("answer", "replaced"), [("y\n", True), ("yes\n", True), ("\n", False),
                                                  ("n\n", False), ("", False)])
def test_on_a_terminal_it_asks_first(run: Cli, tmp_path, monkeypatch, answer, replaced):
    case_id = run.new("Dad - back")
    target = tmp_path / "dad.json"
    target.write_text("mine")
    typed = io.StringIO(answer)
    monkeypatch.setattr(typed, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(sys, "stdin", typed)
    code, out, err = run("export", case_id, "--replica", str(target), ok=None)
    assert f"Replace {target}? [y/N]" in err
    if replaced:
        assert code == 0 and _title_in(target) == "Dad - back" and str(target) in out
    else:
        assert code == 1 and target.read_text() == "mine" and "nothing was written" in err
