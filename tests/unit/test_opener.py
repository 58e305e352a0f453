"""store.opener: which program opens files on each system, the name of the copy handed to
it, and that a kept file is checked before anything is started."""

from __future__ import annotations

from pathlib import Path

import pytest

from secondview.store import opener
from secondview.store.case_files import KeptFileChanged, keep


def test_each_system_has_its_opener():
    assert opener.system_opener("linux", lambda name: f"/usr/bin/{name}") == \
        opener.Opener(("/usr/bin/xdg-open",))
    assert opener.system_opener("darwin", lambda name: f"/usr/bin/{name}") == \
        opener.Opener(("/usr/bin/open",))
    assert opener.system_opener("win32", lambda name: None) == opener.Opener(())
    assert opener.system_opener("linux", lambda name: None) is None
    assert "xdg-open" in opener.no_opener_message("linux")


@pytest.mark.parametrize(("name", "expected"), [
    ("Pathology report.pdf", "Pathology report.pdf"),
    ("../../etc/passwd", "passwd"),
    ("C:\\Users\\me\\scan.pdf", "scan.pdf"),
    ("-rf.pdf", "rf.pdf"),
    (".hidden", "hidden"),
    ("bad\x1bname\n.txt", "bad_name_.txt"),
    ("", "0123456789ab"),
])
def test_the_copy_s_name_is_one_plain_file_name(name, expected):
    assert opener.viewing_name(name, "0123456789ab" + "0" * 52) == expected


class Recorder(opener.Opener):
    def __init__(self) -> None:
        super().__init__(("fake",))
        object.__setattr__(self, "given", [])

    def launch(self, path: Path) -> None:
        self.given.append(path)  # type: ignore[attr-defined]


def test_a_changed_kept_file_starts_nothing(tmp_path):
    digest = keep(tmp_path / "case", b"%PDF-1.4 letter")
    fake = Recorder()
    copy = opener.open_kept(tmp_path / "case", digest, "letter.pdf", tmp_path / "cache", fake)
    assert fake.given == [copy.absolute()] and copy.read_bytes() == b"%PDF-1.4 letter"
    assert copy.stat().st_mode & 0o777 == 0o600
    (tmp_path / "case" / "files" / digest).write_bytes(b"%PDF-1.4 other")
    with pytest.raises(KeptFileChanged):
        opener.open_kept(tmp_path / "case", digest, "letter.pdf", tmp_path / "cache", fake)
    assert len(fake.given) == 1


def test_no_opener_is_said_after_the_file_is_checked(tmp_path):
    digest = keep(tmp_path / "case", b"note")
    with pytest.raises(opener.NoOpener, match="No program that opens files"):
        opener.open_kept(tmp_path / "case", digest, "n.txt", tmp_path / "cache", None)


def test_forget_opened_removes_the_copies_and_never_follows_a_link(tmp_path) -> None:
    from secondview.store.opener import OPENED_DIR, forget_opened

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("not ours")
    cache = tmp_path / "cache"
    copies = cache / OPENED_DIR / ("cd" * 32)
    copies.mkdir(parents=True)
    (copies / "note.txt").write_text("plain note")
    (copies / "link").symlink_to(outside)
    assert forget_opened(cache)
    assert not (cache / OPENED_DIR).exists()
    assert (outside / "keep.txt").read_text() == "not ours"
    assert not forget_opened(cache)
    (cache / OPENED_DIR).symlink_to(outside)
    assert forget_opened(cache)
    assert (outside / "keep.txt").exists()
