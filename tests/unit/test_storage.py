"""store/storage.py: replica files are written atomically, canonically, privately, and read safely.

What a user relies on: a crash or a full disk never leaves a half-written case file; files are
private to the user (0600); two devices holding the same case write the same bytes (so sync
tools and git see no spurious change); and a damaged file is refused with a message that says
what is wrong, never read as an empty case. TinyDB tools can open a replica directly.
"""

from __future__ import annotations

import errno
import json
import os
import random
import stat
import uuid
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tinydb import TinyDB

from secondview.core import model
from secondview.core.hybrid_clock import HybridClock
from secondview.core.ids import new_id
from secondview.core.replica import CaseState, Write, new_case
from secondview.store.replica_db import ReplicaDB, ReplicaStorage
from secondview.store.storage import (
    NewerFormat,
    Stamp,
    UnreadableFile,
    atomic_write,
    canonical_bytes,
    ensure_dir,
    parse_replica,
    read_bytes,
    replica_bytes,
    tighten,
)
from secondview.store.twin_installs import kept_path

FAST = settings(max_examples=60, deadline=None)


def mode_of(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def open_fds() -> set[str]:
    return set(os.listdir("/proc/self/fd"))


def fds_on(path: Path) -> list[str]:
    """Open descriptors of this process that point at ``path``."""
    out = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            if os.readlink(f"/proc/self/fd/{fd}") == str(path):
                out.append(fd)
        except OSError:
            pass
    return out


def sample_state(seed: int = 1, devices: tuple[str, ...] = ("aaaa11112222", "bbbb33334444")):
    """A small but realistic case written by two devices, with non-ASCII text."""
    rng = random.Random(seed)
    ticks = iter(range(1_780_000_000_000, 1_790_000_000_000, 1_000))
    clock = HybridClock(lambda: next(ticks))
    state, case_id = new_case(
        {"title": "Mum – knee", "condition": "arthrose du genou, stade 3"}, devices[0], clock.now()
    )
    for i in range(6):
        state = state.apply(
            [
                Write(
                    "records",
                    new_id(),
                    {"title": f"Report {i} «IRM»", "kind": "imaging_report", "notes": "a\nb"},
                )
            ],
            rng.choice(devices),
            clock.now(),
        )
    rid = next(iter(state.tables["records"]))
    state = state.apply(
        [state.prepare("records", rid, {"title": "MRI 日本語 😀"})], devices[1], clock.now()
    )
    return state, case_id


# -- atomic_write ----------------------------------------------------------------------------


def test_atomic_write_creates_a_private_file_and_leaves_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "dev.json"
    old_umask = os.umask(0)  # even with a permissive umask the file is 0600
    try:
        stamp = atomic_write(target, b'{"a": 1}\n')
    finally:
        os.umask(old_umask)
    assert target.read_bytes() == b'{"a": 1}\n'
    assert mode_of(target) == 0o600
    assert os.listdir(tmp_path) == ["dev.json"]
    assert stamp == Stamp.of(target)


def test_atomic_write_replaces_a_looser_file_by_rename(tmp_path: Path) -> None:
    target = tmp_path / "dev.json"
    target.write_bytes(b"old")
    os.chmod(target, 0o644)
    before = os.stat(target).st_ino
    atomic_write(target, b"new")
    assert target.read_bytes() == b"new"
    assert mode_of(target) == 0o600
    # A new file took the old one's place (a reader holding the old one sees it whole).
    assert os.stat(target).st_ino != before
    assert os.listdir(tmp_path) == ["dev.json"]


def test_atomic_write_handles_short_writes(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    real_write = os.write
    monkeypatch.setattr(os, "write", lambda fd, data: real_write(fd, bytes(data[:7])))
    data = bytes(range(256)) * 40
    atomic_write(tmp_path / "f", data)
    assert (tmp_path / "f").read_bytes() == data


def _failing_mid_write(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """os.write writes part of the data for real, then the disk is full."""
    real_write = os.write
    calls = {"n": 0}

    def write(fd: int, data: Any) -> int:
        calls["n"] += 1
        if calls["n"] == 1:
            return real_write(fd, bytes(data[:10]))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", write)


@pytest.mark.parametrize("failing", ["write", "fsync", "replace"])
def test_a_failure_mid_write_leaves_the_old_file_intact(
    tmp_path: Path, monkeypatch, failing: str  # type: ignore[no-untyped-def]
) -> None:
    target = tmp_path / "dev.json"
    atomic_write(target, b"the old, complete content\n")
    fds_before = open_fds()
    if failing == "write":
        _failing_mid_write(monkeypatch)
    else:

        def boom(*args: Any, **kwargs: Any) -> None:
            raise OSError(errno.EIO, f"{failing} failed")

        monkeypatch.setattr(os, failing, boom)
    with pytest.raises(OSError):
        atomic_write(target, b"the new content that never lands " * 100)
    monkeypatch.undo()
    assert target.read_bytes() == b"the old, complete content\n"
    assert os.listdir(tmp_path) == ["dev.json"]  # no temp file left behind
    assert open_fds() == fds_before  # no descriptor leaked


def test_a_failure_when_there_was_no_file_leaves_nothing(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _failing_mid_write(monkeypatch)
    with pytest.raises(OSError):
        atomic_write(tmp_path / "dev.json", b"x" * 1000)
    monkeypatch.undo()
    assert os.listdir(tmp_path) == []


def test_atomic_write_fsyncs_the_file_before_the_rename_and_the_folder_after(
    tmp_path: Path, monkeypatch  # type: ignore[no-untyped-def]
) -> None:
    folder = tmp_path / "case"
    folder.mkdir()
    target = folder / "dev.json"
    events: list[tuple[str, Any]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        st_ = os.fstat(fd)
        kind = "dir" if stat.S_ISDIR(st_.st_mode) else "file"
        events.append((f"fsync-{kind}", st_.st_ino))
        real_fsync(fd)

    def replace(src: Any, dst: Any) -> None:
        events.append(("replace", Path(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    atomic_write(target, b"content")
    kinds = [e[0] for e in events]
    assert kinds == ["fsync-file", "replace", "fsync-dir"]
    # The file fsynced is the one that now sits at the target; the folder is its folder.
    assert events[0][1] == os.stat(target).st_ino
    assert events[1][1] == target
    assert events[2][1] == os.stat(folder).st_ino


# -- folders and permissions -----------------------------------------------------------------


def test_ensure_dir_creates_private_folders_and_tightens_loose_ones(tmp_path: Path) -> None:
    fresh = tmp_path / "a" / "b"
    ensure_dir(fresh)
    assert mode_of(fresh) == 0o700
    loose = tmp_path / "loose"
    loose.mkdir()
    os.chmod(loose, 0o755)
    ensure_dir(loose)
    assert mode_of(loose) == 0o700


def test_tighten_removes_group_and_other_access_only(tmp_path: Path) -> None:
    f = tmp_path / "f.json"
    f.write_text("{}")
    os.chmod(f, 0o664)
    tighten(f)
    assert mode_of(f) == 0o600
    os.chmod(f, 0o400)  # already private: left as the user set it
    tighten(f)
    assert mode_of(f) == 0o400
    os.chmod(f, 0o444)  # made read-only by its owner: private, and still read-only
    tighten(f)
    assert mode_of(f) == 0o400
    folder = tmp_path / "folder"
    folder.mkdir(mode=0o555)
    folder.chmod(0o555)
    tighten(folder)
    assert mode_of(folder) == 0o500  # never made writable
    tighten(tmp_path / "missing")  # a file gone mid-way is not an error


# -- canonical bytes -------------------------------------------------------------------------


def assert_sorted_everywhere(data: bytes) -> None:
    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [k for k, _ in pairs]
        assert keys == sorted(keys), keys
        return dict(pairs)

    json.loads(data.decode("utf-8"), object_pairs_hook=hook)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**12), 10**12)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=6), children, max_size=4),
    max_leaves=20,
)


@given(st.dictionaries(st.text(max_size=8), json_values, max_size=6))
@FAST
def test_canonical_bytes_are_sorted_utf8_json_with_a_trailing_newline(doc: dict) -> None:  # type: ignore[type-arg]
    data = canonical_bytes(doc)
    assert data.endswith(b"\n") and not data.endswith(b"\n\n")
    assert json.loads(data.decode("utf-8")) == doc
    assert_sorted_everywhere(data)
    # Stable: the same content in another key order gives the same bytes.
    shuffled = dict(reversed(list(doc.items())))
    assert canonical_bytes(shuffled) == data
    assert canonical_bytes(json.loads(data)) == data


def test_canonical_bytes_keep_non_ascii_text_readable() -> None:
    data = canonical_bytes({"note": "Ärztin – 日本語 😀"})
    assert "Ärztin – 日本語 😀".encode() in data
    assert b"\\u" not in data


def test_replica_bytes_are_canonical(tmp_path: Path) -> None:
    state, case_id = sample_state()
    data = replica_bytes(state.tables, "aaaa11112222", "laptop")
    text = data.decode("utf-8")
    assert text.endswith("}\n")
    assert "日本語 😀" in text and "«IRM»" in text  # UTF-8, not escapes
    document = json.loads(text)
    assert document == {
        "device": {"id": "aaaa11112222", "name": "laptop"},
        "format": model.FORMAT,
        "tables": state.tables,
    }
    assert_sorted_everywhere(data)
    # One register per line: a change to one field shows as a one-line diff in git.
    for tname, docs in state.tables.items():
        for doc in docs.values():
            for fname, register in doc.items():
                line = f"    {json.dumps(fname)}: " + json.dumps(
                    register, sort_keys=True, ensure_ascii=False
                )
                assert line + ",\n" in text or line + "\n" in text, (tname, fname)
    # Reading the file and writing it again gives the same bytes.
    path = tmp_path / "aaaa11112222.json"
    path.write_bytes(data)
    meta, tables = parse_replica(path, data)
    assert meta == {"device": {"id": "aaaa11112222", "name": "laptop"}, "format": model.FORMAT}
    assert replica_bytes(tables, "aaaa11112222", "laptop") == data


def test_replica_bytes_do_not_depend_on_dict_order() -> None:
    state, _ = sample_state()

    def reorder(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: reorder(value[k]) for k in reversed(list(value))}
        if isinstance(value, list):
            return [reorder(v) for v in value]
        return value

    assert replica_bytes(reorder(state.tables), "d", "n") == replica_bytes(state.tables, "d", "n")


def test_a_lone_surrogate_is_written_as_an_escape_and_reads_back(tmp_path: Path) -> None:
    # Text read from another device's file ("\udcff" is valid JSON) or from undecodable
    # command-line bytes must not make saving fail; the file stays valid UTF-8.
    state, case_id = new_case({"title": "bad \udcff byte"}, "dev", HybridClock().now())
    data = replica_bytes(state.tables, "dev", "n")
    assert b"bad \\udcff byte" in data
    data.decode("utf-8")
    _, tables = parse_replica(tmp_path / "f.json", data)
    assert CaseState(tables).case().title == "bad \udcff byte"
    assert canonical_bytes({"k": "\ud800"}) == b'{\n "k": "\\ud800"\n}\n'


# -- reading ---------------------------------------------------------------------------------


def valid_file(tmp_path: Path) -> tuple[Path, bytes, str]:
    state, case_id = sample_state()
    path = tmp_path / "aaaa11112222.json"
    data = replica_bytes(state.tables, "aaaa11112222", "laptop")
    atomic_write(path, data)
    return path, data, case_id


def test_reading_a_missing_file_gives_none(tmp_path: Path) -> None:
    storage_ = ReplicaStorage(tmp_path / "nothing.json")
    assert storage_.read() is None
    assert storage_.stamp is None


def test_read_returns_tables_and_meta_and_holds_no_handle(tmp_path: Path) -> None:
    path, data, case_id = valid_file(tmp_path)
    storage_ = ReplicaStorage(path)
    tables = storage_.read()
    assert tables is not None and case_id in tables["case"]
    assert storage_.meta["device"] == {"id": "aaaa11112222", "name": "laptop"}
    assert storage_.stamp == Stamp.of(path)
    assert fds_on(path) == []  # a sync tool may replace the file at any moment


def _with_register(data: bytes, field_json: str) -> bytes:
    """The replica with one more field on the case document (its JSON text given)."""
    text = data.decode("utf-8")
    anchor = '    "condition": '
    assert text.count(anchor) == 1
    return text.replace(anchor, field_json + ",\n" + anchor).encode("utf-8")


def _entry(v: str) -> str:
    return (
        '[{"at": "2026-01-01T00:00:00.000Z/0000", "dot": ["aaaa11112222", 1], "seen": {}, '
        f'"v": {v}}}]'
    )


BAD_INPUTS = {
    "empty": (lambda d: b"", "the file is empty"),
    "whitespace": (lambda d: b" \n", "ends too early"),
    "truncated": (lambda d: d[: len(d) // 2], "ends too early"),
    "invalid json": (
        lambda d: d.replace(b'"format"', b"'format'", 1),
        "not valid JSON at line 3, column 2",
    ),
    "non-utf8": (lambda d: d.replace("–".encode(), b"\xe9", 1), "not UTF-8 text (byte"),
    "a json list": (lambda d: b"[1, 2]\n", "not a secondview case file"),
    "another app's tinydb": (
        lambda d: b'{"_default": {"1": {"a": 1}}}',
        "not a secondview case file",
    ),
    "wrong type in a known field": (
        lambda d: d.replace('"v": "Mum – knee"'.encode(), b'"v": 7'),
        "/title holds int, expected text",
    ),
    "bool field holding text": (
        lambda d: _with_register(d, '    "cancer": ' + _entry('"yes"')),
        "/cancer holds str, expected bool",
    ),
    "malformed entry": (
        lambda d: _with_register(d, '    "notes": [{"v": "x"}]'),
        "/notes has a malformed entry",
    ),
    "dot counter not positive": (
        lambda d: _with_register(
            d, '    "notes": [{"at": "x", "dot": ["aaaa11112222", 0], "seen": {}, "v": ""}]'
        ),
        "/notes has a malformed entry",
    ),
    "register not a list": (
        lambda d: _with_register(d, '    "notes": "plain text"'),
        "/notes is not a register",
    ),
    "deleted not a bool": (
        lambda d: _with_register(d, '    "deleted": ' + _entry('"yes"')),
        "/deleted is not true/false",
    ),
    "unknown format": (
        lambda d: d.replace(b'"format": "1.0"', b'"format": "banana"'),
        "unknown format 'banana'",
    ),
    "format not text": (
        lambda d: d.replace(b'"format": "1.0"', b'"format": 1'),
        "format version is not text",
    ),
    "no case document": (
        lambda d: json.dumps({"format": "1.0", "tables": {"case": {}}}).encode(),
        "no case document",
    ),
    "NaN": (lambda d: _with_register(d, '    "extra": ' + _entry("NaN")), "NaN is not a number"),
    "overflowing float": (
        lambda d: _with_register(d, '    "extra": ' + _entry("1e400")),
        "1e400 is not a number",
    ),
    "huge integer": (
        lambda d: _with_register(d, '    "extra": ' + _entry("9" * 5000)),
        "not valid JSON",
    ),
    "nested too deeply": (
        lambda d: b'{"format": "1.0", "tables": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        "nested too deeply",
    ),
}


@pytest.mark.parametrize("name", list(BAD_INPUTS))
def test_bad_input_is_refused_with_a_clear_problem(tmp_path: Path, name: str) -> None:
    path, data, _ = valid_file(tmp_path)
    make, problem = BAD_INPUTS[name]
    bad = make(data)
    assert bad != data
    path.write_bytes(bad)
    with pytest.raises(UnreadableFile) as caught:
        ReplicaStorage(path).read()
    assert problem in caught.value.problem
    assert not isinstance(caught.value, NewerFormat)
    assert caught.value.path == path
    assert str(path) in str(caught.value)
    assert path.read_bytes() == bad  # reading never touches the file
    assert fds_on(path) == []


def test_unknown_tables_and_fields_of_a_newer_minor_version_are_kept(tmp_path: Path) -> None:
    path, data, case_id = valid_file(tmp_path)
    document = json.loads(data)
    document["format"] = f"{model.FORMAT_MAJOR}.9"
    document["tables"]["attachments"] = {"x1": {"hash": json.loads(_entry('"abc"'))}}
    document["tables"]["case"][case_id]["colour"] = json.loads(_entry("[1, 2]"))
    _, tables = parse_replica(path, json.dumps(document).encode())
    assert tables["attachments"]["x1"]["hash"][0]["v"] == "abc"
    assert tables["case"][case_id]["colour"][0]["v"] == [1, 2]


def test_a_newer_major_format_is_refused_as_newer(tmp_path: Path) -> None:
    path, data, _ = valid_file(tmp_path)
    path.write_bytes(data.replace(b'"format": "1.0"', b'"format": "3.3"'))
    with pytest.raises(NewerFormat) as caught:
        ReplicaStorage(path).read()
    assert "newer secondview" in caught.value.problem
    assert "3.3" in caught.value.problem
    assert "update secondview" in caught.value.problem


def test_a_file_cut_anywhere_is_refused_never_read_as_less(tmp_path: Path) -> None:
    path, data, _ = valid_file(tmp_path)
    cuts = sorted(random.Random(7).sample(range(1, len(data) - 2), 150))
    for cut in cuts:
        with pytest.raises(UnreadableFile) as caught:
            parse_replica(path, data[:cut])
        problem = caught.value.problem
        assert "ends too early" in problem or "not valid JSON at line" in problem or (
            "not UTF-8" in problem  # a cut through a multi-byte character
        ), (cut, problem)
    # A cut inside a long text value is recognised as a cut, not as bad JSON.
    inside = data.index(b"arthrose du genou") + 5
    with pytest.raises(UnreadableFile, match="ends too early"):
        parse_replica(path, data[:inside])


def test_whatever_is_read_can_be_written_back(tmp_path: Path) -> None:
    # Odd but valid JSON from another device (escapes, exponents, unknown values) must never
    # make this device's next save fail.
    path, data, case_id = valid_file(tmp_path)
    odd = _with_register(
        data, '    "extra": ' + _entry('{"n": 1e300, "s": "\\ud83d\\ude00\\udcff"}')
    )
    _, tables = parse_replica(path, odd)
    again = replica_bytes(tables, "dev", "n")
    assert parse_replica(path, again)[1] == tables


# -- TinyDB interop --------------------------------------------------------------------------


@pytest.fixture
def repo(tmp_path: Path):  # type: ignore[no-untyped-def]
    from secondview.store.paths import Device, Paths
    from secondview.store.repository import CaseRepository

    env = {
        "SECONDVIEW_DATA_DIR": str(tmp_path / "data"),
        "SECONDVIEW_CACHE_DIR": str(tmp_path / "cache"),
        "SECONDVIEW_CONFIG_DIR": str(tmp_path / "config"),
        "SECONDVIEW_CASES": str(tmp_path / "cases"),
    }
    paths, _ = Paths.resolve(env=env)
    repository = CaseRepository(paths, Device("aaaa11112222", "laptop"))
    yield repository
    repository.close()


def test_tinydb_opens_a_replica_the_repository_wrote(repo) -> None:  # type: ignore[no-untyped-def]
    opened = repo.create({"title": "Knee", "condition": "osteoarthritis"})
    opened, mri = repo.add(opened, "records", {"title": "MRI report", "kind": "imaging report"})
    opened, labs = repo.add(opened, "records", {"title": "Blood tests", "kind": "labs"})
    path = repo.own_file(opened.case_id)

    db = ReplicaDB(path, device_id="aaaa11112222", device_name="laptop")
    try:
        assert {"case", "records", "log"} <= db.tables()
        docs = db.table("records").all()
        assert sorted(d.doc_id for d in docs) == sorted([mri, labs])
        for doc in docs:
            assert isinstance(doc.doc_id, str)
            assert str(uuid.UUID(doc.doc_id)) == doc.doc_id
        by_id = {d.doc_id: d for d in docs}
        assert by_id[mri]["title"][0]["v"] == "MRI report"
        assert by_id[mri]["kind"][0]["v"] == "imaging_report"
        assert db.table("records").get(doc_id=labs)["title"][0]["v"] == "Blood tests"
        case_doc = db.table("case").all()[0]
        assert case_doc.doc_id == opened.case_id
    finally:
        db.close()
    assert fds_on(path) == []


def test_plain_tinydb_opens_a_case_the_app_wrote_and_reads_its_tables(repo) -> None:  # type: ignore[no-untyped-def]
    # The case files are TinyDB databases in fact: TinyDB itself, with only our Storage
    # (no ReplicaDB), opens one and reads its tables. Its integer document ids cannot list
    # UUID-keyed documents, which is why the app uses ReplicaDB (UuidTable); counting them
    # and getting one by its id need no conversion.
    opened = repo.create({"title": "Knee", "condition": "osteoarthritis"})
    opened, mri = repo.add(opened, "records", {"title": "MRI report", "kind": "imaging report"})
    opened, labs = repo.add(opened, "records", {"title": "Blood tests", "kind": "labs"})
    path = repo.own_file(opened.case_id)

    db = TinyDB(path, storage=ReplicaStorage)
    try:
        assert {"case", "records", "log"} <= db.tables()
        assert len(db.table("records")) == 2
        assert len(db.table("log")) == 3  # one log line per save
        case_doc = db.table("case").get(doc_id=opened.case_id)
        assert case_doc is not None and case_doc["title"][0]["v"] == "Knee"
        assert case_doc["condition"][0]["v"] == "osteoarthritis"
        assert db.table("records").get(doc_id=mri)["kind"][0]["v"] == "imaging_report"
        assert db.table("records").get(doc_id=labs)["title"][0]["v"] == "Blood tests"
        assert db.storage.meta["device"]["id"] == "aaaa11112222"  # type: ignore[attr-defined]
    finally:
        db.close()
    assert fds_on(path) == []


def test_the_store_opens_and_saves_each_case_file_through_one_tinydb_read_or_write(
    repo, monkeypatch  # type: ignore[no-untyped-def]
) -> None:
    opened = repo.create({"title": "Knee"})
    calls: list[tuple[str, str]] = []
    real_read, real_write = ReplicaStorage.read, ReplicaStorage.write

    def read(self):  # type: ignore[no-untyped-def]
        calls.append(("read", self.path.name))
        return real_read(self)

    def write(self, data):  # type: ignore[no-untyped-def]
        calls.append(("write", self.path.name))
        return real_write(self, data)

    monkeypatch.setattr(ReplicaStorage, "read", read)
    monkeypatch.setattr(ReplicaStorage, "write", write)
    own = repo.own_file(opened.case_id).name
    again = repo.open(opened.case_id)
    assert calls == [("read", own)]
    calls.clear()
    saved = repo.update(again, "case", opened.case_id, {"notes": "seen"})
    assert calls == [("write", own)]  # nothing changed on disk: no re-read, one write
    # ...and the bytes the record keeps (written before the replica) are the replica's
    assert read_bytes(kept_path(repo.paths, opened.case_id)).partition(b"\n")[2] == read_bytes(
        repo.own_file(opened.case_id))
    assert saved.case.info.notes == "seen"


def test_inserting_through_tinydb_gets_a_uuid_id_and_keeps_the_file_valid(repo) -> None:  # type: ignore[no-untyped-def]
    opened = repo.create({"title": "Knee"})
    path = repo.own_file(opened.case_id)
    clock = HybridClock()
    entry = {"dot": ["cccc55556666", 1], "seen": {}, "at": clock.now()}

    db = ReplicaDB(path, device_id="aaaa11112222", device_name="laptop")
    records = db.table("records")
    new_ids = [
        records.insert({"title": [{**entry, "v": "Scan"}], "kind": [{**entry, "v": "labs"}]}),
        records.insert({"title": [{**entry, "v": "Letter"}]}),
    ]
    db.close()
    for doc_id in new_ids:
        assert isinstance(doc_id, str) and not isinstance(doc_id, int)
        assert str(uuid.UUID(doc_id)) == doc_id
    assert len(set(new_ids)) == 2

    # The file TinyDB wrote is a valid, canonical, private replica the app reads.
    data = path.read_bytes()
    assert mode_of(path) == 0o600
    meta, tables = parse_replica(path, data)
    assert replica_bytes(tables, "aaaa11112222", "laptop") == data
    titles = {r.id: r.title for r in CaseState(tables).case().records}
    assert titles == {new_ids[0]: "Scan", new_ids[1]: "Letter"}
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no temp files


def test_tinydb_on_a_missing_file_reads_empty(tmp_path: Path) -> None:
    db = ReplicaDB(tmp_path / "none.json")
    assert db.table("records").all() == []
    assert not (tmp_path / "none.json").exists()  # reading created nothing
    db.close()

