"""Two installs under one device id: a data folder copied whole to another machine.

Both installs hold the same device.json (id, install nonce and machine fingerprint, or none),
so only what the files say can tell them apart (store/twin_installs.py). Each install has its
own data folder and its own copy of the cases folder; the test plays the sync tool by copying
replica files between the two cases folders, either over the file of the same name (a tool
that keeps the newer version) or beside it as a Syncthing conflict copy.

- The regression of issue #19 (3): one install writes once, its twin twice, the files meet:
  both edits are kept, one install takes a new id, and ``check`` hides nothing.
- A property test: random writes, syncs (overwrite or conflict copy, either direction) and
  restarts of two twins; in the end every edit ever made is in the case on both installs.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from secondview.store.case_check import check
from secondview.store.paths import Device, Paths
from secondview.store.repository import CaseRepository, OpenCase

TODAY = dt.date(2026, 11, 21)
CONFLICT_NAME = "{id}.sync-conflict-20260101-120000-{tag}.json"
FIELDS = ("condition", "patient", "notes")


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("SECONDVIEW_"):
            monkeypatch.delenv(name)


@dataclass
class Install:
    """One install: its own data, cache and config folders and its own cases folder."""

    root: Path
    machine: str
    repo: CaseRepository | None = None

    @property
    def paths(self) -> Paths:
        r = self.root
        return Paths(r / "cases", r / "data", r / "cache", r / "config")

    def start(self) -> CaseRepository:
        """(Re)start the app: device.json is read again, nothing is held in memory."""
        if self.repo is not None:
            self.repo.close()
        device = Device.load_or_create(self.paths.data_dir, machine=self.machine)
        self.repo = CaseRepository(self.paths, device, today=TODAY)
        return self.repo

    def folder(self, case_id: str) -> Path:
        return self.paths.cases_dir / case_id


def twins(tmp_path: Path, machine: str) -> tuple[Install, Install, str]:
    """An install with one case, and a second one made by copying its whole home."""
    a = Install(tmp_path / "a", machine)
    opened = a.start().create({"title": "Mum - knee"})
    a.repo.update(opened, "case", opened.case_id, {"condition": "shared"})
    b = Install(tmp_path / "b", machine)
    shutil.copytree(a.root, b.root)
    b.start()
    assert b.repo.device == a.repo.device  # one identity: nothing told them apart
    return a, b, opened.case_id


def send(src: Install, dst: Install, case_id: str, conflict: bool, tag: str = "ABCDEFG") -> None:
    """The sync tool: every replica of ``src``'s case folder goes to ``dst``'s.

    A file ``dst`` lacks is copied; one it has with other bytes is overwritten (a tool that
    keeps the newer version) or, with ``conflict``, kept and the incoming one put beside it
    as a conflict copy.
    """
    src_folder, dst_folder = src.folder(case_id), dst.folder(case_id)
    dst_folder.mkdir(parents=True, exist_ok=True)
    for name in sorted(os.listdir(src_folder)):
        if not name.endswith(".json") or name.startswith("."):
            continue
        data = (src_folder / name).read_bytes()
        target = dst_folder / name
        if target.exists() and target.read_bytes() == data:
            continue
        if target.exists() and conflict:
            stem = name.removesuffix(".json").split(".sync-conflict-")[0]
            copy = dst_folder / CONFLICT_NAME.format(id=stem, tag=tag)
            n = 0
            while copy.exists() and copy.read_bytes() != data:
                n += 1
                copy = dst_folder / CONFLICT_NAME.format(id=stem, tag=f"{tag}{n}")
            copy.write_bytes(data)
        else:
            target.write_bytes(data)


def shown(opened: OpenCase, fname: str) -> set:
    """Every value of a case field the case holds: the value, or each side of a conflict."""
    return {e["v"] for e in opened.state.register("case", opened.case_id, fname)}


@pytest.mark.parametrize("machine", ["", "same-machine"], ids=["no fingerprint", "one fingerprint"])
@pytest.mark.parametrize("conflict", [False, True], ids=["overwrite", "conflict copy"])
def test_one_write_here_and_two_on_the_copy_lose_neither(tmp_path, machine, conflict):
    a, b, case_id = twins(tmp_path, machine)
    old_id = a.repo.device.id
    a.repo.update(a.repo.open(case_id), "case", case_id, {"condition": "from a"})
    opened = b.repo.update(b.repo.open(case_id), "case", case_id, {"condition": "from b 1"})
    b.repo.update(opened, "case", case_id, {"condition": "from b 2"})
    # The copy's file reaches the original first; then both are restarted and synced.
    send(b, a, case_id, conflict)
    a.start()
    mine = a.repo.open(case_id)
    assert {"from a", "from b 2"} <= shown(mine, "condition")
    send(a, b, case_id, conflict)
    b.start()
    send(b, a, case_id, conflict)
    for install in (a, b):
        opened = install.repo.open(case_id)
        assert {"from a", "from b 2"} <= shown(opened, "condition"), install.root.name
        assert opened.case.conflicts == (("case", case_id, "condition"),)
        problems = check(install.repo)
        assert any("condition" in p.problem for p in problems)  # the conflict is reported
    assert old_id in (a.repo.device.retired + b.repo.device.retired)
    assert a.repo.device.id != b.repo.device.id


# ---------------------------------------------------------------------------------------------
# Any interleaving


class World:
    """Two twin installs, every edit ever made, and which of them a later edit replaced.

    An edit is replaced only by a later one to the same field by an install that saw it
    there (its value or one side of a conflict) when it wrote: anything else missing at the
    end was lost. Every edit also leaves a log line with its value, never replaced.
    """

    def __init__(self, tmp_path: Path, machine: str) -> None:
        self.a, self.b, self.case_id = twins(tmp_path, machine)
        self.installs = {"a": self.a, "b": self.b}
        self.held: dict[str, OpenCase | None] = {"a": None, "b": None}
        self.made: dict[str, set[str]] = {f: set() for f in FIELDS}
        self.replaced: set[str] = set()
        self.count = 0

    def view(self, who: str) -> OpenCase:
        install = self.installs[who]
        held = self.held[who]
        opened = install.repo.open(self.case_id) if held is None else install.repo.reload(held)
        self.held[who] = opened
        return opened

    def write(self, who: str, fname: str) -> None:
        self.count += 1
        value = f"{who}{self.count}"
        opened = self.view(who)
        self.replaced |= shown(opened, fname)
        self.made[fname].add(value)
        repo = self.installs[who].repo
        self.held[who] = repo.update(opened, "case", self.case_id, {fname: value}, value)

    def restart(self, who: str) -> None:
        self.installs[who].start()
        self.held[who] = None

    def settle(self, conflict: bool) -> None:
        """Every file both ways, each install restarted and reading in between."""
        for _ in range(3):
            for src, dst in (("a", "b"), ("b", "a")):
                send(self.installs[src], self.installs[dst], self.case_id, conflict, "SETTLE")
                self.restart(dst)
                self.view(dst)

    def missing(self, who: str) -> list[str]:
        opened = self.installs[who].repo.open(self.case_id)
        lines = {i.values.get("summary") for i in opened.case.log}
        lost = []
        for fname, made in self.made.items():
            lost += sorted((made - self.replaced) - shown(opened, fname))
            lost += sorted(f"log {v}" for v in made - lines)
        return lost


STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("write"), st.sampled_from("ab"), st.sampled_from(FIELDS)),
        st.tuples(st.just("sync"), st.sampled_from(["ab", "ba"]), st.booleans()),
        st.tuples(st.just("restart"), st.sampled_from("ab")),
        st.tuples(st.just("look"), st.sampled_from("ab")),
    ),
    max_size=14,
)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=STEPS, machine=st.sampled_from(["", "same-machine"]), final=st.booleans())
def test_twin_installs_through_any_interleaving_keep_every_edit(tmp_path_factory, steps,
                                                                 machine, final):
    world = World(tmp_path_factory.mktemp("twins"), machine)
    for step in steps:
        if step[0] == "write":
            world.write(step[1], step[2])
        elif step[0] == "sync":
            src, dst = step[1]
            send(world.installs[src], world.installs[dst], world.case_id, step[2])
        elif step[0] == "restart":
            world.restart(step[1])
        else:
            world.view(step[1])
    world.settle(final)
    assert world.missing("a") == [] and world.missing("b") == []


def test_a_twin_write_seen_only_through_a_third_device_is_reported_by_check(tmp_path):
    """The one way a twin's write arrives that cannot be told apart: merged by an honest
    device into its own file. Then ``check`` says so instead of reporting nothing."""
    a, b, case_id = twins(tmp_path, "")
    laptop = Install(tmp_path / "laptop", "laptop-machine")
    laptop.start()
    a.repo.update(a.repo.open(case_id), "case", case_id, {"condition": "from a"})
    b.repo.update(b.repo.open(case_id), "case", case_id, {"patient": "from b"})
    send(b, laptop, case_id, conflict=False)
    laptop.repo.update(laptop.repo.open(case_id), "case", case_id, {"notes": "laptop"})
    shutil.copy2(laptop.repo.own_file(case_id), a.folder(case_id))
    assert check(a.repo) and any("another install" in p.problem for p in check(a.repo))
    # Where it can tell, nothing is reported: the install that only sees the twin's file.
    send(b, a, case_id, conflict=True)
    a.start()
    assert not any("another install" in p.problem for p in check(a.repo))
