"""Three devices, one case, a sync tool in between: random edits, deletions, offline periods,
syncs and conflict copies, then everything converges and no confirmed edit is lost.

Each device has its own local folders (data, cache, config), its own copy of the cases folder
and its own hybrid clock on a wall clock hours away from the others'. The devices work
through the real CaseRepository, keeping a view of the case the way the app does (edits may
be made from a view that is behind the folder, like a form left open).

The sync tool is a model of Syncthing's behaviour, at the level of whole files: each folder
has an index with a version vector per file name; a scan turns local changes (a write, a
deletion) into new versions; syncing two online devices copies each file whose version
dominates to the other side (a deletion too), and for concurrent versions with different
content keeps one and saves the other as ``<name>.sync-conflict-<time>-<dev>.json`` on both
sides. It also, now and then, makes a conflict copy on its own from an older version of a
device's file (as Syncthing does when a file changed on two sides, or after a restore).

At the end every device comes online, the tool syncs until nothing moves, each device tidies
its foreign copies (merges them into its own file and archives them), the tool syncs again,
and then:

- every folder holds the same files with the same bytes, and no foreign copy is left;
- every device's merged state is the same, to the byte (canonical replica bytes);
- no confirmed edit is lost: each value a save returned from is still in its field, or was
  replaced by a save whose author had it in view; every item added and never deleted is
  there.

Bounded: max_examples and stateful_step_count keep the whole run well under a minute.
The sync tool scans a folder after every save (it watches the folder, as Syncthing does), so
older versions of each file are known to it for the conflict copies.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from secondview.core import care_team
from secondview.core.hybrid_clock import HybridClock
from secondview.store import sync
from secondview.store.paths import Device, Paths
from secondview.store.repository import CaseRepository, OpenCase
from secondview.store.storage import read_bytes, replica_bytes

DEVICES = (Device("a1a1a1a1a1a1", "desk", "i-desk"),
           Device("b2b2b2b2b2b2", "laptop", "i-laptop"),
           Device("c3c3c3c3c3c3", "phone", "i-phone"))
HOUR = 3_600_000
START = 1_795_000_000_000
OFFSETS = (0, -5 * HOUR, 7 * HOUR)  # wall clocks hours apart
TODAY = dt.date(2026, 11, 21)
CASE_FIELDS = ("notes", "condition", "patient")
SPELLINGS = ("Dr. Sarah Lin (University Cancer Center)", "Dr. Sarah Lin", "sarah lin, MD",
             "Dr. Marcus Webb")
"""Doctors typed as older versions did: three spellings of one doctor, and another."""

Vector = dict[int, int]


def dominates(a: Vector, b: Vector) -> bool:
    return all(a.get(k, 0) >= n for k, n in b.items())


class Tool:
    """The sync tool: per folder, name -> (content or None when deleted, version vector)."""

    def __init__(self, folders: list[Path]) -> None:
        self.folders = folders
        self.index: list[dict[str, tuple[bytes | None, Vector]]] = [{} for _ in folders]
        self.history: dict[str, list[bytes]] = {}
        self.copies = 0

    def _files(self, i: int) -> dict[str, bytes]:
        out = {}
        root = self.folders[i]
        for folder in root.iterdir() if root.exists() else ():
            for path in folder.iterdir():
                if not path.name.startswith("."):  # the tools skip dot-prefixed temp files
                    out[f"{folder.name}/{path.name}"] = read_bytes(path)
        return out

    def scan(self, i: int) -> None:
        """Local changes in folder i become new versions (writes and deletions)."""
        files = self._files(i)
        index = self.index[i]
        for name, data in files.items():
            known = index.get(name)
            if known is None or known[0] != data:
                vector = dict(known[1]) if known else {}
                vector[i] = vector.get(i, 0) + 1
                index[name] = (data, vector)
                self.history.setdefault(name, []).append(data)
        for name, (data, vector) in list(index.items()):
            if data is not None and name not in files:
                vector = dict(vector)
                vector[i] = vector.get(i, 0) + 1
                index[name] = (None, vector)

    def _put(self, i: int, name: str, data: bytes | None, vector: Vector) -> None:
        path = self.folders[i] / name
        if data is None:
            if path.exists():
                path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.parent / f".syncthing.{path.name}.tmp"
            tmp.write_bytes(data)
            os.replace(tmp, path)  # whole files only, as the tools do
        self.index[i][name] = (data, dict(vector))

    def sync(self, a: int, b: int) -> bool:
        """Bring folders a and b to the same versions; whether anything moved."""
        self.scan(a)
        self.scan(b)
        moved = False
        for name in sorted(self.index[a].keys() | self.index[b].keys()):
            ea, eb = self.index[a].get(name), self.index[b].get(name)
            if ea is None or eb is None:
                src, dst, entry = (b, a, eb) if ea is None else (a, b, ea)
                self._put(dst, name, entry[0], entry[1])
                moved = True
                continue
            (da, va), (db, vb) = ea, eb
            if va == vb:
                continue
            if dominates(va, vb):
                self._put(b, name, da, va)
            elif dominates(vb, va):
                self._put(a, name, db, vb)
            else:
                merged = {k: max(va.get(k, 0), vb.get(k, 0)) for k in va.keys() | vb.keys()}
                if da == db:
                    self.index[a][name] = (da, merged)
                    self.index[b][name] = (db, dict(merged))
                else:  # a real conflict: the newer-looking one wins, the other is kept aside
                    win, lose = (da, db) if (da is not None, da or b"") > (db is not None,
                                                                           db or b"") else (db, da)
                    self._put(a, name, win, merged)
                    self._put(b, name, win, merged)
                    if lose is not None:
                        self._conflict_copy(name, lose, (a, b))
            moved = True
        return moved

    def _conflict_copy(self, name: str, data: bytes, where: tuple[int, ...]) -> None:
        self.copies += 1
        folder, _, file_name = name.partition("/")
        stem = file_name.removesuffix(".json")
        copy = f"{folder}/{stem}.sync-conflict-20261121-1010{self.copies:02d}-TOOLTOO.json"
        for i in where:
            path = self.folders[i] / copy
            path.write_bytes(data)
            self.scan(i)

    def stale_copy(self, i: int, pick: int, swap: bool) -> None:
        """A conflict in folder i over a replica and an older version of it: the older one
        kept as a conflict copy, or (``swap``) the older one winning the name and the current
        one kept as the copy: then the newest edits live only in the copy for a while."""
        names = sorted(n for n in self._files(i) if ".sync-conflict-" not in n)
        if not names:
            return
        name = names[pick % len(names)]
        current = read_bytes(self.folders[i] / name)
        versions = [v for v in self.history.get(name, []) if v != current]
        if not versions:
            return
        older = versions[pick % len(versions)]
        if swap:
            (self.folders[i] / name).write_bytes(older)
            self._conflict_copy(name, current, (i,))
        else:
            self._conflict_copy(name, older, (i,))


class Write:
    """A confirmed save: the value it set, and the values of that field its author saw."""

    def __init__(self, place: tuple[str, str, str], value: str, saw: frozenset[str]):
        self.place, self.value, self.saw = place, value, saw


class FolderSync(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.root = Path(tempfile.mkdtemp(prefix="sv-sync-machine-"))
        self.now = [START]
        self.repos: list[CaseRepository] = []
        for i, device in enumerate(DEVICES):
            local = self.root / f"device-{i}"
            paths = Paths(local / "cases", local / "data", local / "cache", local / "config")
            clock = HybridClock(lambda i=i: self.now[0] + OFFSETS[i])
            self.repos.append(CaseRepository(paths, device, clock, TODAY))
        self.tool = Tool([r.paths.cases_dir for r in self.repos])
        self.views: list[OpenCase | None] = [None, None, None]
        self.online = [True, True, True]
        self.writes: list[Write] = []
        self.added: dict[str, str] = {}  # item id -> text
        self.deleted: set[str] = set()
        self.typed: set[str] = set()  # opinions added with their doctor as text only
        self.added_doctors: dict[str, str] = {}  # doctor id -> name
        self.added_visits: set[str] = set()
        self.counter = 0
        self.case_id = ""

    def teardown(self) -> None:
        try:
            if self.case_id:
                self.converge_and_check()
        finally:
            for repo in self.repos:
                repo.close()
            shutil.rmtree(self.root, ignore_errors=True)

    # -- helpers ------------------------------------------------------------------------------

    def tick(self) -> None:
        self.now[0] += 1000

    def unique(self, who: int) -> str:
        self.counter += 1
        return f"{DEVICES[who].name} #{self.counter}"

    def view(self, i: int, fresh: bool) -> OpenCase | None:
        repo = self.repos[i]
        if not repo.folder(self.case_id).is_dir():
            return None
        view = self.views[i]
        if view is None:
            view = repo.open(self.case_id)
        elif fresh:
            view = repo.reload(view)  # what the app's poll does
        self.views[i] = view
        return view

    @staticmethod
    def seen(view: OpenCase, place: tuple[str, str, str]) -> frozenset[str]:
        return frozenset(e["v"] for e in view.state.register(*place))

    # -- rules --------------------------------------------------------------------------------

    @initialize()
    def create_case(self) -> None:
        opened = self.repos[0].create({"title": "Mum - knee", "notes": "start"})
        self.case_id = opened.case_id
        self.views[0] = opened
        self.writes.append(Write(("case", self.case_id, "notes"), "start", frozenset()))

    @rule(who=st.integers(0, 2), field=st.sampled_from(CASE_FIELDS), fresh=st.booleans())
    def edit_case_field(self, who: int, field: str, fresh: bool) -> None:
        view = self.view(who, fresh)
        if view is None:
            return
        self.tick()
        place = ("case", self.case_id, field)
        saw = self.seen(view, place)
        value = self.unique(who)
        self.views[who] = self.repos[who].update(view, "case", self.case_id, {field: value})
        self.writes.append(Write(place, value, saw))
        self.tool.scan(who)

    @rule(who=st.integers(0, 2), fresh=st.booleans())
    def add_item(self, who: int, fresh: bool) -> None:
        view = self.view(who, fresh)
        if view is None:
            return
        self.tick()
        text = self.unique(who)
        self.views[who], item_id = self.repos[who].add(view, "checklist", {"text": text})
        self.added[item_id] = text
        self.writes.append(Write(("checklist", item_id, "text"), text, frozenset()))
        self.tool.scan(who)

    @rule(who=st.integers(0, 2), pick=st.integers(0, 50), fresh=st.booleans())
    def edit_item(self, who: int, pick: int, fresh: bool) -> None:
        view = self.view(who, fresh)
        if view is None or not view.case.checklist:
            return
        item = view.case.checklist[pick % len(view.case.checklist)]
        self.tick()
        place = ("checklist", item.id, "notes")
        saw = self.seen(view, place)
        value = self.unique(who)
        self.views[who] = self.repos[who].update(view, "checklist", item.id, {"notes": value})
        self.writes.append(Write(place, value, saw))
        self.tool.scan(who)

    @rule(who=st.integers(0, 2), pick=st.integers(0, 50), fresh=st.booleans())
    def delete_item(self, who: int, pick: int, fresh: bool) -> None:
        view = self.view(who, fresh)
        if view is None or not view.case.checklist:
            return
        item = view.case.checklist[pick % len(view.case.checklist)]
        self.tick()
        self.views[who] = self.repos[who].delete(view, "checklist", item.id)
        self.deleted.add(item.id)
        self.tool.scan(who)

    # -- the care team (issue 13) -------------------------------------------------------------

    @rule(who=st.integers(0, 2), spelling=st.sampled_from(SPELLINGS), fresh=st.booleans())
    def add_typed_opinion(self, who: int, spelling: str, fresh: bool) -> None:
        """An opinion naming its doctor as older versions do (text only): each device that
        opens the case next makes the doctor entries (core.care_team.upgrade_writes)."""
        view = self.view(who, fresh)
        if view is None:
            return
        self.tick()
        self.views[who], item_id = self.repos[who].add(view, "opinions", {"doctor": spelling})
        self.typed.add(item_id)
        self.tool.scan(who)

    @rule(who=st.integers(0, 2))
    def reopen(self, who: int) -> None:
        """The app started again: the case opened afresh (upgraded if it needs to be)."""
        if self.repos[who].folder(self.case_id).is_dir():
            self.views[who] = self.repos[who].open(self.case_id)
            self.tool.scan(who)

    @rule(who=st.integers(0, 2), fresh=st.booleans())
    def add_doctor(self, who: int, fresh: bool) -> None:
        view = self.view(who, fresh)
        if view is None:
            return
        self.tick()
        name = f"Dr. {self.unique(who)}"
        self.views[who], item_id = self.repos[who].add(view, "doctors", {"name": name})
        self.added_doctors[item_id] = name
        self.tool.scan(who)

    @rule(who=st.integers(0, 2), pick=st.integers(0, 50), fresh=st.booleans())
    def edit_doctor(self, who: int, pick: int, fresh: bool) -> None:
        view = self.view(who, fresh)
        if view is None or not view.case.doctors:
            return
        doctor = view.case.doctors[pick % len(view.case.doctors)]
        self.tick()
        place = ("doctors", doctor.id, "phone")
        saw = self.seen(view, place)
        value = self.unique(who)
        self.views[who] = self.repos[who].update(view, "doctors", doctor.id, {"phone": value})
        self.writes.append(Write(place, value, saw))
        self.tool.scan(who)

    @rule(who=st.integers(0, 2), pick=st.integers(0, 50), fresh=st.booleans())
    def delete_doctor(self, who: int, pick: int, fresh: bool) -> None:
        view = self.view(who, fresh)
        if view is None or not view.case.doctors:
            return
        doctor = view.case.doctors[pick % len(view.case.doctors)]
        self.tick()
        self.views[who] = self.repos[who].delete(view, "doctors", doctor.id)
        self.deleted.add(doctor.id)
        self.tool.scan(who)

    @rule(who=st.integers(0, 2), pick=st.integers(0, 50), day=st.integers(1, 28),
          fresh=st.booleans())
    def add_visit(self, who: int, pick: int, day: int, fresh: bool) -> None:
        view = self.view(who, fresh)
        if view is None:
            return
        doctors = view.case.doctors
        with_whom = {"doctor_id": doctors[pick % len(doctors)].id} if doctors else {}
        self.tick()
        self.views[who], item_id = self.repos[who].add(
            view, "appointments", {"date": f"2026-12-{day:02d}", "time": "09:30",
                                   "zone": "America/Chicago", **with_whom})
        self.added_visits.add(item_id)
        self.writes.append(Write(("appointments", item_id, "time"), "09:30", frozenset()))
        self.tool.scan(who)

    @rule(who=st.integers(0, 2), pick=st.integers(0, 50), hour=st.integers(0, 23),
          fresh=st.booleans())
    def move_visit(self, who: int, pick: int, hour: int, fresh: bool) -> None:
        view = self.view(who, fresh)
        if view is None or not view.case.appointments:
            return
        visit = view.case.appointments[pick % len(view.case.appointments)]
        self.tick()
        place = ("appointments", visit.id, "time")
        saw = self.seen(view, place)
        value = f"{hour:02d}:15"
        self.views[who] = self.repos[who].update(view, "appointments", visit.id, {"time": value})
        self.writes.append(Write(place, value, saw))
        self.tool.scan(who)

    @rule(a=st.integers(0, 2), b=st.integers(0, 2))
    def sync_pair(self, a: int, b: int) -> None:
        if a != b and self.online[a] and self.online[b]:
            self.tool.sync(a, b)

    @rule(who=st.integers(0, 2))
    def toggle_online(self, who: int) -> None:
        self.online[who] = not self.online[who]

    @rule(where=st.integers(0, 2), pick=st.integers(0, 20), swap=st.booleans())
    def tool_makes_a_conflict_copy(self, where: int, pick: int, swap: bool) -> None:
        self.tool.stale_copy(where, pick, swap)

    @rule(who=st.integers(0, 2))
    def tidy(self, who: int) -> None:
        if self.repos[who].folder(self.case_id).is_dir():
            self.views[who] = sync.tidy(self.repos[who], self.case_id)[0]
            self.tool.scan(who)

    @invariant()
    def each_device_writes_only_its_own_file(self) -> None:
        for i, repo in enumerate(self.repos):
            folder = repo.folder(self.case_id)
            if not folder.is_dir():
                continue
            for j, other in enumerate(DEVICES):
                if j == i:
                    continue
                path = folder / f"{other.id}.json"
                if path.exists():  # a copy the tool brought: the tool's bytes, untouched
                    known = self.tool.index[i].get(f"{self.case_id}/{path.name}")
                    assert known is not None and known[0] == read_bytes(path)

    # -- the end ------------------------------------------------------------------------------

    def settle_folders(self) -> None:
        for _ in range(10):
            moved = False
            for a in range(3):
                for b in range(a + 1, 3):
                    moved |= self.tool.sync(a, b)
            if not moved:
                return
        raise AssertionError("the sync tool never settled")

    def converge_and_check(self) -> None:
        self.online = [True, True, True]
        self.settle_folders()
        for repo in self.repos:
            sync.tidy(repo, self.case_id)
            self.settle_folders()
        listings = []
        for repo in self.repos:
            folder = repo.folder(self.case_id)
            listings.append({p.name: hashlib.sha256(read_bytes(p)).hexdigest()
                             for p in folder.iterdir() if not p.name.startswith(".")})
        assert listings[0] == listings[1] == listings[2]
        assert all(name in {f"{d.id}.json" for d in DEVICES} for name in listings[0]), listings[0]
        states = [repo.open(self.case_id).state for repo in self.repos]
        canonical = [replica_bytes(s.tables, "x", "x") for s in states]
        assert canonical[0] == canonical[1] == canonical[2]
        final = states[0]
        for repo in self.repos:
            assert sync.foreign_copies(repo.open(self.case_id)) == []
        self.check_nothing_lost(final)
        self.check_care_team(final)

    def check_care_team(self, final) -> None:
        """Every device upgraded the typed names apart, and the merge holds each doctor once:
        one doctor per name key, every typed opinion linked to it, and no conflict but on
        the phone numbers the devices set differently."""
        case = final.case()
        keys = [care_team.name_key(d.name) for d in case.doctors]
        assert len(keys) == len(set(keys)), keys
        team = [(t, f) for t, _, f in case.conflicts if t in ("doctors", "opinions")]
        assert set(team) <= {("doctors", "phone")}, case.conflicts
        for opinion in case.opinions:
            assert opinion.id in self.typed
            ref = care_team.derived_id(case.id, care_team.name_key(opinion.doctor))
            assert opinion.doctor_id == ref
        visible = {d.id for d in case.doctors}
        for doctor_id in self.added_doctors:
            assert doctor_id in visible or doctor_id in self.deleted
        assert {v.id for v in case.appointments} == self.added_visits

    def check_nothing_lost(self, final) -> None:
        by_place: dict[tuple[str, str, str], list[Write]] = {}
        for w in self.writes:
            by_place.setdefault(w.place, []).append(w)
        visible = {i.id for i in final.case().checklist}
        for place, writes in by_place.items():
            table, doc_id, _ = place
            if table == "checklist" and doc_id in self.deleted and doc_id not in visible:
                continue  # deleted by a save that saw it: its fields went with it
            held = {e["v"] for e in final.register(*place)}
            confirmed = {w.value for w in writes}
            assert held <= confirmed, (place, held - confirmed)

            def kept(w: Write, depth: int = 0, held: set[object] = held,
                     writes: list[Write] = writes) -> bool:
                return w.value in held or any(
                    w.value in later.saw and kept(later, depth + 1)
                    for later in writes if later is not w and depth < len(writes)
                )

            lost = [w.value for w in writes if not kept(w)]
            assert not lost, (place, lost, held)
        for item_id, text in self.added.items():
            if item_id not in self.deleted:
                assert item_id in visible, (item_id, text)


FolderSync.TestCase.settings = settings(
    # SV_SYNC_EXAMPLES=300 for a longer hunt (about 30 s); 50 runs in about 6 s.
    max_examples=int(os.environ.get("SV_SYNC_EXAMPLES", "50")),
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
test_three_devices_converge_through_a_sync_tool = FolderSync.TestCase
