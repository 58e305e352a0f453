"""Attached files: a file's and a folder's size and SHA-256, progress while hashing, and
``secondview attach`` / ``secondview verify`` finding missing and changed files.

The folder hash is checked against the standard tools' own pipeline (find, sort, sha256sum),
because that is the recipe the receiving office is given. Every file lives under tmp_path.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from secondview import cli
from secondview.cli import records as records_cmd
from secondview.cli.context import Env
from secondview.core import model
from secondview.store import attachments
from secondview.store.config import Config
from secondview.store.paths import Device, Paths
from secondview.store.repository import CaseError, CaseRepository

DESK = Device("aaaaaaaaaaaa", "desk")
LAPTOP = Device("bbbbbbbbbbbb", "laptop")
WHEN = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def repo(paths: Paths):
    repository = CaseRepository(paths, DESK)
    yield repository
    repository.close()


@pytest.fixture
def case(repo: CaseRepository) -> tuple[str, str]:
    """(case id, record id) of a case with one record."""
    opened = repo.create({"title": "Ada - right knee"})
    _, record_id = repo.add(opened, "records", {"title": "CT images", "kind": "imaging_images"})
    return opened.case_id, record_id


@pytest.fixture
def scans(tmp_path: Path) -> Path:
    """A folder as copied from an imaging CD: nested series, a viewer, odd names."""
    top = tmp_path / "media" / "CD-2026-01-30"
    (top / "DICOM" / "S0001").mkdir(parents=True)
    (top / "DICOM" / "S0002").mkdir(parents=True)
    for n in range(3):
        (top / "DICOM" / "S0001" / f"I{n:04d}").write_bytes(bytes([n]) * (1000 + n))
        (top / "DICOM" / "S0002" / f"I{n:04d}").write_bytes(bytes([n + 7]) * (2000 + n))
    (top / "DICOMDIR").write_bytes(b"DICM" * 100)
    (top / "viewer.exe").write_bytes(b"MZ" + b"\x00" * 500)
    (top / "read me.txt").write_text("Scans of Ada Quill\n")
    (top / "notes\\odd").write_text("a backslash in a name\n")
    (top / "empty").write_bytes(b"")
    return top


def sha256sum_pipeline(folder: Path) -> str:
    """What the standard tools say a folder's manifest hash is (the recipe we give out)."""
    result = subprocess.run(
        "find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum",
        shell=True, cwd=folder, capture_output=True, text=True, check=True,
    )
    return result.stdout.split()[0]


# -- hashing ---------------------------------------------------------------------------------------


def test_a_file_hash_is_its_sha256(tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.7 " + bytes(range(256)) * 5000)
    digest = attachments.hash_path(str(pdf))
    assert digest == attachments.Digest(
        "file", pdf.stat().st_size, 1, hashlib.sha256(pdf.read_bytes()).hexdigest())


def test_a_folder_hash_matches_the_standard_tools(scans: Path) -> None:
    digest = attachments.hash_path(str(scans))
    assert digest.kind == "folder"
    assert digest.file_count == 11
    assert digest.size == sum(p.stat().st_size for p in scans.rglob("*") if p.is_file())
    assert digest.sha256 == sha256sum_pipeline(scans)
    assert digest.skipped == ()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_links_and_pipes_inside_a_folder_are_not_followed_or_read(scans: Path, tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("not part of the scans")
    os.symlink(outside, scans / "link-to-outside")
    os.symlink(tmp_path, scans / "DICOM" / "loop")  # would loop if followed
    os.mkfifo(scans / "pipe")  # reading it would block forever
    digest = attachments.hash_path(str(scans))
    assert digest.file_count == 11
    assert digest.sha256 == sha256sum_pipeline(scans)  # find -type f leaves them out too
    assert digest.skipped == ("DICOM/loop", "link-to-outside", "pipe")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_pipe_or_device_given_as_the_path_is_refused_unread(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(attachments.AttachmentError, match="not a file or a folder"):
        attachments.hash_path(str(tmp_path / "pipe"))
    with pytest.raises(attachments.AttachmentError, match="not a file or a folder"):
        attachments.hash_path("/dev/null")


def test_a_link_chosen_as_the_path_is_followed(scans: Path, tmp_path: Path) -> None:
    os.symlink(scans, tmp_path / "cd")
    assert attachments.hash_path(str(tmp_path / "cd")) == attachments.hash_path(str(scans))


def test_home_relative_paths_are_kept_as_typed_and_read_from_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "scan.pdf").write_bytes(b"scan")
    assert attachments.resolve("~/scan.pdf") == tmp_path / "scan.pdf"
    assert attachments.hash_path("~/scan.pdf").size == 4
    values = attachments.attachment_values(
        "r1", "~/scan.pdf", attachments.hash_path("~/scan.pdf"), WHEN)
    assert values["path"] == "~/scan.pdf"
    assert values["hashed_at"] == "2026-03-01T09:30:00Z"


@pytest.mark.parametrize(
    ("given", "message"),
    [("", "no path given"), ("scans/report.pdf", "is not a full path"),
     ("/x\0y", "NUL character")],
)
def test_paths_that_cannot_name_a_file_are_refused(given: str, message: str) -> None:
    with pytest.raises(attachments.AttachmentError, match=message):
        attachments.hash_path(given)


def test_nothing_there_is_a_missing_path(tmp_path: Path) -> None:
    with pytest.raises(attachments.MissingPath, match="nothing is there"):
        attachments.hash_path(str(tmp_path / "gone.pdf"))
    (tmp_path / "file").write_text("x")
    with pytest.raises(attachments.MissingPath, match="a part of the path is a file"):
        attachments.hash_path(str(tmp_path / "file" / "inside.pdf"))


def test_an_unreadable_file_in_a_folder_is_named(scans: Path, monkeypatch) -> None:
    # Permissions cannot stop root (tests may run as root), so the refusal is simulated
    # where the operating system would give it: at open.
    locked = os.fsencode(scans / "DICOM" / "S0002" / "I0001")
    real_open = os.open

    def refusing_open(path, flags, *rest):
        if os.fsencode(path) == locked:
            raise PermissionError(13, "Permission denied", path)
        return real_open(path, flags, *rest)

    monkeypatch.setattr(attachments.os, "open", refusing_open)
    with pytest.raises(attachments.AttachmentError, match="I0001: not allowed to read it"):
        attachments.hash_path(str(scans))
    check = attachments.check(model.Item("attachments", "a1", {
        "record": "r1", "path": str(scans), "kind": "folder", "size": 1, "sha256": "x"}))
    assert check.status == attachments.UNREADABLE and "I0001" in check.detail


def test_progress_reports_every_byte_in_order_and_ends_at_the_total(scans: Path) -> None:
    big = scans / "DICOM" / "S0001" / "big"
    big.write_bytes(os.urandom(3 * attachments.CHUNK + 123))
    calls: list[tuple[int, int, str]] = []
    digest = attachments.hash_path(str(scans), lambda d, t, p: calls.append((d, t, p)))
    total = digest.size
    assert calls[0] == (0, total, str(scans))
    assert calls[-1][:2] == (total, total)
    done = [d for d, _, _ in calls]
    assert done == sorted(done)
    assert all(t == total for _, t, _ in calls)
    big_calls = [c for c in calls if c[2] == str(big)]
    assert len(big_calls) >= 4  # within a large file: one report per chunk read
    named = {Path(p).name for _, _, p in calls[1:]}
    assert {"I0000", "DICOMDIR", "big", "read me.txt"} <= named


def test_hashing_can_be_cancelled(scans: Path) -> None:
    (scans / "big").write_bytes(b"\0" * (4 * attachments.CHUNK))
    seen: list[int] = []
    with pytest.raises(attachments.HashCancelled):
        attachments.hash_path(str(scans), lambda d, t, p: seen.append(d),
                              cancelled=lambda: len(seen) > 3)
    assert len(seen) == 4


def test_hashing_only_reads(scans: Path) -> None:
    def snapshot() -> dict[Path, tuple[int, int, bytes]]:
        return {
            p: (p.stat().st_mtime_ns, p.stat().st_mode, p.read_bytes() if p.is_file() else b"")
            for p in [scans.parent, *scans.rglob("*")]
        }

    before = snapshot()
    attachments.hash_path(str(scans))
    assert snapshot() == before  # nothing written, changed or added, here or beside it


# -- attach and verify through the commands ------------------------------------------------------


def parse_args(*argv: str):
    import argparse

    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command")

    def add(name: str, summary: str, *, json: bool = False, epilog: str = ""):
        p = sub.add_parser(name, help=summary, epilog=epilog)
        if json:
            p.add_argument("--json", action="store_true")
        return p

    records_cmd.register(add, "the case")
    return parser.parse_args(list(argv))


def run(repo: CaseRepository, capsys, *argv: str) -> tuple[int, str, str]:
    args = parse_args(*argv)
    capsys.readouterr()
    code = args.handler(args, Env(repo.paths, Config(), repo, lambda: None))
    out, err = capsys.readouterr()
    return code, out, err


def test_attach_keeps_path_size_and_hash_of_files_and_folders(
    repo, case, scans: Path, tmp_path: Path, capsys
) -> None:
    case_id, record_id = case
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF report")
    code, out, err = run(repo, capsys, "attach", case_id, record_id[:8], str(scans), str(pdf))
    assert code == 0, err
    assert f"Attached {scans} to 'CT images': folder of 11 files" in out
    saved = repo.open(case_id).case
    by_path = {a.path: a for a in saved.attachments_for(record_id)}
    assert set(by_path) == {str(scans), str(pdf)}
    folder = by_path[str(scans)]
    assert (folder.kind, folder.file_count, folder.sha256) == (
        "folder", 11, sha256sum_pipeline(scans))
    assert by_path[str(pdf)].sha256 == hashlib.sha256(b"%PDF report").hexdigest()
    assert by_path[str(pdf)].size == len(b"%PDF report")
    assert repo.open(case_id).state.log_sorted()[-1].summary == (
        f"Attached {scans.name}, report.pdf to CT images")


def test_attach_a_relative_path_keeps_it_in_full(
    repo, case, tmp_path: Path, capsys, monkeypatch
) -> None:
    case_id, record_id = case
    (tmp_path / "scan.pdf").write_bytes(b"x")
    monkeypatch.chdir(tmp_path)
    code, _, err = run(repo, capsys, "attach", case_id, record_id, "scan.pdf")
    assert code == 0, err
    [attached] = repo.open(case_id).case.attachments
    assert attached.path == str(tmp_path / "scan.pdf")


def test_attaching_the_same_path_again_rehashes_one_attachment(
    repo, case, tmp_path: Path, capsys
) -> None:
    case_id, record_id = case
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"first")
    run(repo, capsys, "attach", case_id, record_id, str(pdf))
    pdf.write_bytes(b"second version")
    run(repo, capsys, "attach", case_id, record_id, str(pdf))
    [attached] = repo.open(case_id).case.attachments
    assert attached.sha256 == hashlib.sha256(b"second version").hexdigest()


def test_attach_refuses_what_cannot_be_hashed_and_saves_nothing(
    repo, case, tmp_path: Path, capsys
) -> None:
    case_id, record_id = case
    before = repo.own_file(case_id).read_bytes()
    good = tmp_path / "good.pdf"
    good.write_bytes(b"ok")
    with pytest.raises(CaseError, match="nothing is there.*nothing was attached"):
        run(repo, capsys, "attach", case_id, record_id, str(good), str(tmp_path / "gone.pdf"))
    with pytest.raises(CaseError, match="is a case item, not a record"):
        run(repo, capsys, "attach", case_id, case_id, str(good))
    assert repo.own_file(case_id).read_bytes() == before


def test_verify_reports_ok_changed_and_missing_and_exits_1(
    repo, case, scans: Path, tmp_path: Path, capsys
) -> None:
    case_id, record_id = case
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"report v1")
    letter = tmp_path / "letter.pdf"
    letter.write_bytes(b"letter")
    run(repo, capsys, "attach", case_id, record_id, str(scans), str(pdf), str(letter))

    code, out, _ = run(repo, capsys, "verify", case_id)
    assert code == 0
    assert out.count("  ok ") == 3 and "3 attachments checked: 3 ok" in out

    pdf.write_bytes(b"report v2")  # same size, other content
    (scans / "DICOM" / "S0001" / "I0003").write_bytes(b"one more image")
    letter.unlink()
    before = repo.own_file(case_id).read_bytes()
    code, out, err = run(repo, capsys, "verify", case_id)
    assert code == 1
    lines = {line.split(": ", 1)[1].split("  (")[0]: line for line in out.splitlines()
             if line.startswith("  ")}
    assert lines[str(pdf)].startswith("  CHANGED") and "same size, different content" in \
        lines[str(pdf)]
    assert lines[str(scans)].startswith("  CHANGED") and "11 files, now 12" in lines[str(scans)]
    assert lines[str(letter)].startswith("  MISSING") and "nothing is there" in \
        lines[str(letter)]
    assert "3 attachments checked: 0 ok, 2 changed, 1 missing" in out
    assert "some attached files are missing or changed" in err
    assert repo.own_file(case_id).read_bytes() == before  # verify saves nothing

    code, out, _ = run(repo, capsys, "verify", case_id, "--json")
    report = json.loads(out)
    assert code == 1 and report["ok"] is False
    statuses = {c["path"]: c["status"] for c in report["cases"][0]["checks"]}
    assert statuses == {str(scans): "changed", str(pdf): "changed", str(letter): "missing"}


def test_verify_without_a_case_checks_every_case(repo, case, tmp_path: Path, capsys) -> None:
    case_id, record_id = case
    other = repo.create({"title": "Ben - nothing attached"})
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"a")
    run(repo, capsys, "attach", case_id, record_id, str(pdf))
    code, out, _ = run(repo, capsys, "verify")
    assert code == 0
    assert "'Ada - right knee'" in out and "1 attachment checked: 1 ok" in out
    assert "Ben" not in out  # cases with nothing attached are passed over
    code, out, _ = run(repo, capsys, "verify", other.case_id)
    assert code == 0 and "no attached files" in out


def test_verify_passes_over_attachments_of_deleted_records(
    repo, case, tmp_path: Path, capsys
) -> None:
    case_id, record_id = case
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"a")
    run(repo, capsys, "attach", case_id, record_id, str(pdf))
    repo.delete(repo.open(case_id), "records", record_id)
    pdf.unlink()
    code, out, _ = run(repo, capsys, "verify", case_id)
    assert code == 0 and "no attached files" in out


def test_an_attachment_deleted_then_attached_again_comes_back(
    repo, case, tmp_path: Path
) -> None:
    case_id, record_id = case
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"a")
    digest = attachments.hash_path(str(pdf))
    opened = repo.open(case_id)
    opened = repo.apply(opened, attachments.attachment_writes(
        opened.state, record_id, str(pdf), digest, WHEN))
    [attached] = opened.case.attachments
    opened = repo.delete(opened, "attachments", attached.id)
    assert opened.case.attachments == ()
    opened = repo.apply(opened, attachments.attachment_writes(
        opened.state, record_id, str(pdf), digest, WHEN))
    assert [a.id for a in opened.case.attachments] == [attached.id]


def test_two_devices_attaching_one_path_make_one_attachment(
    paths, repo, case, tmp_path: Path
) -> None:
    case_id, record_id = case
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"a")
    digest = attachments.hash_path(str(pdf))
    laptop = CaseRepository(paths, LAPTOP)
    try:
        seen = laptop.open(case_id)
        opened = repo.open(case_id)
        repo.apply(opened, attachments.attachment_writes(opened.state, record_id, str(pdf),
                                                         digest, WHEN))
        laptop.apply(seen, attachments.attachment_writes(seen.state, record_id, str(pdf),
                                                         digest, WHEN))
        merged = laptop.open(case_id).case
    finally:
        laptop.close()
    assert len(merged.attachments) == 1 and merged.conflicts == ()


def test_stored_values_pass_the_model(tmp_path: Path) -> None:
    (tmp_path / "f").write_bytes(b"f")
    values = attachments.attachment_values("rec", str(tmp_path / "f"),
                                           attachments.hash_path(str(tmp_path / "f")), WHEN)
    assert model.parse_fields("attachments", values) == values
    assert not model.missing_required("attachments", values)


def test_the_manifest_recipe_in_the_help_is_the_one_tested() -> None:
    assert ("find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum"
            in records_cmd.VERIFY_EPILOG)
    assert shutil.which("sha256sum")


def test_the_command_line_attaches_and_verify_exits_1_on_a_missing_file(
    paths, capsys, tmp_path: Path
) -> None:
    assert cli.main(["new", "Ada - right knee"]) == 0
    capsys.readouterr()
    assert cli.main(["add", "Ada - right knee", "record", "title=CT images", "--json"]) == 0
    record_id = json.loads(capsys.readouterr().out)["id"]
    pdf = tmp_path / "scan.pdf"
    pdf.write_bytes(b"scan")
    assert cli.main(["attach", "Ada - right knee", record_id[:8], str(pdf)]) == 0
    assert cli.main(["verify"]) == 0
    pdf.unlink()
    capsys.readouterr()
    assert cli.main(["verify", "Ada - right knee"]) == 1
    out, err = capsys.readouterr()
    assert "MISSING" in out and err.startswith("secondview: ")
    assert cli.main(["attach", "Ada - right knee", record_id[:8], str(pdf)]) == 1
    assert "nothing is there" in capsys.readouterr().err


def test_verify_prints_each_record_title_whole(repo, tmp_path: Path, capsys) -> None:
    opened = repo.create({"title": "Ada - right knee"})
    title = "MRI of the right knee with contrast, report and images, January 2026"
    _, record_id = repo.add(opened, "records", {"title": title, "kind": "imaging_report"})
    pdf = tmp_path / "mri.pdf"
    pdf.write_bytes(b"%PDF mri")
    assert run(repo, capsys, "attach", opened.case_id, record_id, str(pdf))[0] == 0
    code, out, _ = run(repo, capsys, "verify", opened.case_id)
    assert code == 0
    assert title in out and "\u2026" not in out


# -- a copy kept in the case ------------------------------------------------------------------


def test_a_file_kept_in_the_case_is_copied_once_by_its_digest(tmp_path):
    from secondview.store.case_files import read_kept

    source = tmp_path / "in" / "scan.pdf"
    source.parent.mkdir()
    source.write_bytes(b"%PDF scan" * 1000)
    seen: list[int] = []
    digest = attachments.keep_in_case(str(source), tmp_path / "case",
                                      lambda done, total, path: seen.append(done))
    assert digest.kind == "kept" and digest.size == 9000 and seen[-1] == 9000
    assert read_kept(tmp_path / "case", digest.sha256) == source.read_bytes()
    kept = tmp_path / "case" / "files" / digest.sha256
    before = kept.stat().st_mtime_ns
    assert attachments.keep_in_case(str(source), tmp_path / "case") == digest
    assert kept.stat().st_mtime_ns == before  # never rewritten
    assert [p.name for p in kept.parent.iterdir()] == [digest.sha256]  # no temp file left
    values = attachments.attachment_values("r", str(source), digest, dt.datetime.now(dt.UTC))
    assert (values["kind"], values["path"]) == ("kept", "scan.pdf")


def test_a_folder_is_not_kept_and_a_cancelled_copy_leaves_nothing(tmp_path):
    (tmp_path / "cd").mkdir()
    with pytest.raises(attachments.AttachmentError, match="cannot be kept in the case"):
        attachments.keep_in_case(str(tmp_path / "cd"), tmp_path / "case")
    big = tmp_path / "big.bin"
    big.write_bytes(b"x" * (3 << 20))
    with pytest.raises(attachments.HashCancelled):
        attachments.keep_in_case(str(big), tmp_path / "case", cancelled=lambda: True)
    assert list((tmp_path / "case" / "files").iterdir()) == []


# -- on this device (the packet sends only these) -------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_on_this_device_is_a_file_or_a_folder_there_now(
        scans: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    os.mkfifo(tmp_path / "pipe")
    os.symlink(scans / "DICOMDIR", tmp_path / "chosen-link")
    os.symlink(tmp_path / "nowhere", tmp_path / "broken-link")
    here = [str(scans), str(scans / "DICOMDIR"), str(tmp_path / "chosen-link"),
            "~/media/CD-2026-01-30/read me.txt", f"  {scans}  "]
    not_here = [str(tmp_path / "gone.pdf"), str(scans / "DICOMDIR" / "under-a-file"),
                str(tmp_path / "pipe"), "/dev/null", str(tmp_path / "broken-link"),
                "scans/read me.txt", "C:\\Users\\ada\\scan.pdf", "", "/bad\0name"]
    assert [p for p in here if not attachments.on_this_device(p)] == []
    assert [p for p in not_here if attachments.on_this_device(p)] == []


def test_present_paths_looks_up_the_attached_paths_only(
        repo: CaseRepository, case: tuple[str, str], scans: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    case_id, record_id = case
    opened = repo.open(case_id)
    for given, kind in ((str(scans), "folder"), (str(tmp_path / "moved.pdf"), "file"),
                        ("Visit note.txt", "kept")):
        digest = attachments.Digest(kind, 10, 1, "d" * 64)
        opened = repo.apply(opened, attachments.attachment_writes(
            opened.state, record_id, given, digest, WHEN))
    looked: list[str] = []
    real = attachments.on_this_device
    monkeypatch.setattr(attachments, "on_this_device", lambda p: looked.append(p) or real(p))
    assert attachments.present_paths(opened.case) == {str(scans)}
    assert sorted(looked) == sorted([str(scans), str(tmp_path / "moved.pdf")])  # not the kept
