"""The first painted case list imports only what it shows: the index's rows and the list
screen. What writes the index (agenda rows, search rows, summaries of open cases), the sealing
of a sealed folder and the rules behind the rows' numbers come later, with the first refresh
or save (DESIGN.md's start-up budget; bench/startup.py measures it).

The app runs as the ``secondview`` command starts it (``cli.main``), headless, in a fresh
interpreter; the modules are listed when the list screen asks for its first refresh, which it
does right after the first frame.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from secondview.core.hybrid_clock import HybridClock
from secondview.store.paths import Device, Paths
from secondview.store.repository import CaseRepository

PROBE = r"""
import gc, json, sys
from secondview.ui.app import SecondViewApp
from secondview.ui.screens.home_screen import HomeScreen

seen = {}
mount = HomeScreen.on_mount

def on_mount(self):  # before the first frame
    seen["collecting before the first frame"] = gc.isenabled()
    mount(self)

HomeScreen.on_mount = on_mount

def first_frame_done(self):  # the list asks for its first refresh right after its first frame
    seen["modules"] = sorted(m for m in sys.modules if m.startswith(("secondview", "hashlib",
                                                                         "zoneinfo")))
    seen["rows"] = self.table.row_count
    seen["collecting after the first frame"] = gc.isenabled()
    seen["widgets"] = [type(w).__name__ for w in self.walk_children()]
    self.app.exit()

HomeScreen.request_refresh = first_frame_done
run = SecondViewApp.run
SecondViewApp.run = lambda self: run(self, headless=True, size=(120, 40))
from secondview.cli import main

code = main(["--cases", sys.argv[1]])
seen["collecting after"] = gc.isenabled()
print(json.dumps({"code": code, **seen}))
"""

LATER = [
    # what writes the index: its rows of open cases, the agenda's rows, the search rows
    "secondview.store.case_index", "secondview.store.search_index",
    "secondview.store.search_writes", "secondview.core.search_text",
    "secondview.core.agenda", "secondview.store.case_files",
    # the sealing (a plain folder here)
    "secondview.store.sealed_index", "secondview.store.key_file",
    "secondview.store.folder_key", "secondview.store.sealed_check",
    # the rules a case's row is worked out with, when it is written; its filter and
    # columns need only small facts of them (core.choices, core.urgency, core.upcoming)
    "secondview.core.summary_dates", "secondview.core.progress", "secondview.core.decision",
    "secondview.core.word_diff", "secondview.core.visits", "secondview.core.waiting",
    "secondview.core.record_requests", "secondview.core.content_rules",
    "secondview.core.care_team",
    # the time zones of visits, looked up when one is shown or checked
    "zoneinfo",
    # the messages of the case workspace's panes (the list posts only case_opened)
    "secondview.ui.messages.form_requested", "secondview.ui.messages.bank_pick_requested",
    "secondview.ui.messages.confirmation_requested",
]


def _first_frame(paths: Paths) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SECONDVIEW_")}
    env.update(
        SECONDVIEW_DATA_DIR=str(paths.data_dir),
        SECONDVIEW_CACHE_DIR=str(paths.cache_dir),
        SECONDVIEW_CONFIG_DIR=str(paths.config_dir),
    )
    done = subprocess.run([sys.executable, "-c", PROBE, str(paths.cases_dir)], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    found: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def test_the_first_frame_paints_the_index_without_what_writes_it(paths: Paths) -> None:
    repo = CaseRepository(paths, Device("a1b2c3d4e5f6", "kitchen-laptop"), HybridClock())
    try:
        for n in range(3):
            repo.create({"title": f"Case {n}", "condition": "Knee pain"})
        assert len(repo.list()) == 3  # the index holds them: a warm start
    finally:
        repo.close()
    seen = _first_frame(paths)
    assert seen["code"] == 0
    assert seen["rows"] == 3
    modules = seen["modules"]
    assert isinstance(modules, list)
    assert "secondview.ui.screens.home_screen" in modules  # the probe saw the list screen
    assert [m for m in LATER if m in modules] == []


def test_no_garbage_collection_runs_on_the_way_to_the_first_frame(paths: Paths) -> None:
    # start-up makes many objects and little garbage: the collector would scan them again
    # and again before the first frame; it runs again once the frame is out (and after the
    # app, whatever happened)
    seen = _first_frame(paths)
    assert seen["code"] == 0
    assert seen["collecting before the first frame"] is False
    assert seen["collecting after the first frame"] is True
    assert seen["collecting after"] is True


def test_the_first_frame_of_a_list_with_cases_makes_no_welcome(paths: Paths) -> None:
    # the first-run welcome's widgets are made when a list has no case to show, not hidden
    # under every list that has some
    repo = CaseRepository(paths, Device("a1b2c3d4e5f6", "kitchen-laptop"), HybridClock())
    try:
        repo.create({"title": "Knee", "condition": "Knee pain"})
        repo.list()
    finally:
        repo.close()
    seen = _first_frame(paths)
    assert seen["rows"] == 1
    widgets = seen["widgets"]
    assert isinstance(widgets, list) and "CaseTable" in widgets
    assert "EmptyState" not in widgets


def test_the_command_imports_the_store_when_it_runs_not_when_imported() -> None:
    # so a plain start imports the store with the garbage collector held off (cli.entry.main)
    probe = ("import sys\nimport secondview.cli\n"
             "print([m for m in sys.modules if m.startswith(('secondview.store', "
             "'secondview.core.model'))])")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["[]"]
