"""Any bytes in a replica file give either a case or a named, quarantined problem.

Another device, a sync tool cut short, a disk error or a stranger may leave anything in a case
folder. Whatever the bytes, opening, checking, listing and saving the case must end in one of
two ways: the file is merged, or it is named in a Problem, copied to quarantine byte for byte
and left in place. Never an exception the user would see as "an unexpected error", and never a
save that writes a file the app cannot read back.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from secondview.core.replica import new_case
from secondview.store.case_check import check
from secondview.store.paths import Device, Paths
from secondview.store.repository import CaseError, CaseRepository
from secondview.store.storage import parse_replica, read_bytes, replica_bytes

CASE_ID = "0f0e0d0c-0b0a-4908-8706-050403020100"
OWN = Device("aaaaaaaaaaaa", "desk", "n1")
PEER = "bbbbbbbbbbbb"


def _good_replica(device: str) -> bytes:
    state, _ = new_case({"title": "Fuzzed", "condition": "x"}, device,
                        "2026-12-01T10:00:00.000Z/0000", case_id=CASE_ID)
    return replica_bytes(state.tables, device, "peer")


GOOD = _good_replica(PEER)

json_leaf = st.one_of(
    st.none(), st.booleans(), st.text(max_size=8),
    st.integers(min_value=-(2**60), max_value=2**60),
    st.integers(min_value=10**20, max_value=10**40).map(lambda n: n * n),
    st.floats(allow_nan=False, allow_infinity=False),
)
json_value = st.recursive(json_leaf, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)),
    max_leaves=8)


def _paths_in(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths_in(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths_in(value, (*prefix, index))
    return found


@st.composite
def json_mutation(draw: st.DrawFn) -> bytes:
    """The good replica with one node anywhere in it replaced by any JSON value."""
    document = json.loads(GOOD)
    where = draw(st.sampled_from(_paths_in(document)[1:]))
    value = draw(json_value)
    node = document
    for key in where[:-1]:
        node = node[key]
    node[where[-1]] = value
    return json.dumps(document).encode()


@st.composite
def byte_mutation(draw: st.DrawFn) -> bytes:
    """The good replica's bytes cut short, or with a few bytes changed or inserted."""
    data = bytearray(GOOD)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["cut", "flip", "insert"]))
        if action == "cut":
            del data[at:]
        elif action == "flip" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        else:
            data[at:at] = draw(st.binary(min_size=1, max_size=6))
    return bytes(data)


replica_contents = st.one_of(st.binary(max_size=64), byte_mutation(), json_mutation())


def _repo(root: Path) -> CaseRepository:
    paths = Paths(root / "cases", root / "data", root / "cache", root / "config")
    return CaseRepository(paths, OWN)


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(content=replica_contents, as_own=st.booleans())
def test_any_bytes_give_a_case_or_a_named_quarantined_problem(
    tmp_path_factory: Any, content: bytes, as_own: bool
) -> None:
    root = tmp_path_factory.mktemp("fuzz")
    repo = _repo(root)
    folder = repo.folder(CASE_ID)
    folder.mkdir(parents=True)
    name = f"{OWN.id if as_own else PEER}.json"
    if not as_own:
        (folder / f"{OWN.id}.json").write_bytes(_good_replica(OWN.id))
    target = folder / name
    target.write_bytes(content)
    try:
        try:
            parse_replica(target, content)
            readable = True
        except Exception:  # noqa: BLE001 (any failure here must become a Problem below)
            readable = False
        problems = check(repo)
        named = [p for p in problems if p.path == target]
        if not readable:
            assert named, "an unreadable file must be named"
            assert named[0].quarantined is not None
            assert read_bytes(named[0].quarantined) == content
        assert read_bytes(target) == content  # left in place, untouched
        repo.refresh()
        repo.indexed()
        try:
            opened = repo.open(CASE_ID)
        except CaseError:
            assert not readable or as_own
            return
        try:
            saved = repo.update(opened, "case", CASE_ID, {"notes": "after the fuzz"})
        except CaseError:
            assert opened.read_only
            return
        own = read_bytes(repo.own_file(CASE_ID))
        parse_replica(repo.own_file(CASE_ID), own)  # what was saved reads back
        assert saved.case.info.values["notes"] == "after the fuzz"
        if as_own:
            assert readable  # this device's file, read and rewritten by the save
        elif target.exists():
            assert read_bytes(target) == content
        else:  # a readable foreign copy, merged and then archived (store.foreign_copies)
            assert readable
            archived = list((repo.paths.foreign_dir / CASE_ID).iterdir())
            assert [read_bytes(a) for a in archived] == [content]
    finally:
        repo.close()


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(content=replica_contents)
def test_the_command_line_never_crashes_on_any_bytes(
    tmp_path_factory: Any, content: bytes
) -> None:
    """list, show, check and sync status end with status 0 or 1 and a message, never "an
    unexpected error" and never a crash log, whatever a peer's file holds."""
    import contextlib
    import io
    import os

    from secondview import cli

    root = tmp_path_factory.mktemp("fuzzcli")
    folder = root / "cases" / CASE_ID
    folder.mkdir(parents=True)
    (folder / f"{OWN.id}.json").write_bytes(_good_replica(OWN.id))
    (folder / f"{PEER}.json").write_bytes(content)
    env = {"SECONDVIEW_DATA_DIR": str(root / "data"), "SECONDVIEW_CACHE_DIR": str(root / "cache"),
           "SECONDVIEW_CONFIG_DIR": str(root / "config"), "SECONDVIEW_CASES": str(root / "cases")}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        for argv in (["list"], ["show", CASE_ID], ["check"], ["sync", "status"],
                     ["show", CASE_ID, "--json"]):
            out, err = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = cli.main(argv)
            assert code in (0, 1), (argv, err.getvalue())
            assert "unexpected error" not in err.getvalue(), (argv, err.getvalue())
        assert not list((root / "data").glob("crash-*.log"))
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
