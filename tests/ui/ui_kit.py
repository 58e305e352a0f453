"""Helpers for driving the real app in tests: a throwaway world (folders, device, a fixed
clock and day), cases seeded with fixed ids, and ways to read what is on the screen.

Every folder lives under pytest's tmp_path; the SECONDVIEW_* variables point there too, so
nothing touches the real home folders. Imported by tests/ui/conftest.py and
tests/snapshots/conftest.py, as ``ui_kit`` (pyproject.toml's pytest ``pythonpath`` puts
tests/ui on the import path).
"""

from __future__ import annotations

import datetime as dt
import html
import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from secondview.core.replica import HybridClock, Write, new_case
from secondview.store.paths import Device, Paths
from secondview.store.repository import CaseRepository
from secondview.store.storage import atomic_write, ensure_dir, replica_bytes

FIXED_MS = int(dt.datetime(2026, 9, 14, 10, 30, tzinfo=dt.UTC).timestamp() * 1000)
TODAY = dt.date(2026, 9, 14)
DEVICE = Device("a1b2c3d4e5f6", "kitchen-laptop")
OTHER_DEVICE = Device("f6e5d4c3b2a1", "phone")

HOSTILE = [
    "[@click=app.quit]x",
    "[link=https://e.x]y[/link]",
    "[/",
    "[a[0]]",
    "\x1b[31mred",
    "a\u202eevil\u202c",
    "x" * 10_000,
    "\U0001f600 emoji \u2764\ufe0f",
    "\u4e2d\u6587 CJK \u65e5\u672c\u8a9e",
]


@dataclass
class World:
    tmp: Path
    paths: Paths
    repo: CaseRepository

    def case_ids(self) -> list[str]:
        return self.repo.case_ids()


def make_world(tmp_path: Path, paths: Paths) -> World:
    """A world on ``paths`` (tests/conftest.py's ``paths`` fixture: the folders under
    ``tmp_path``, also set in the environment)."""
    clock = HybridClock(wall=lambda: FIXED_MS)
    return World(tmp_path, paths, CaseRepository(paths, DEVICE, clock, TODAY))


def seed_case(
    world: World,
    case_id: str,
    values: Mapping[str, Any],
    items: Iterable[tuple[str, str, Mapping[str, Any]]] = (),
    device: Device = DEVICE,
    index: bool = True,
) -> None:
    """Write a case with a fixed id (and items with fixed ids) as ``device``'s replica."""
    repo = world.repo
    state, _ = new_case(dict(values), device.id, repo.clock.now(), case_id=case_id)
    writes = [Write(table, doc_id, dict(v)) for table, doc_id, v in items]
    if writes:
        state = state.apply(writes, device.id, repo.clock.now())
    ensure_dir(world.paths.cases_dir)
    ensure_dir(repo.folder(case_id))
    atomic_write(
        repo.folder(case_id) / f"{device.id}.json",
        replica_bytes(state.tables, device.id, device.name),
    )
    if index:
        repo.refresh()


def case_uuid(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


def seed_sample(world: World) -> dict[str, str]:
    """Three cases (one an emergency, one with records, questions and a first opinion) and an
    archived one; returns their ids by a short name."""
    ids = {"knee": case_uuid(1), "chest": case_uuid(2), "thyroid": case_uuid(3),
           "old": case_uuid(4)}
    seed_case(world, ids["old"], {"title": "Old shoulder", "condition": "rotator cuff",
                                  "archived": True})
    seed_case(
        world,
        ids["knee"],
        {"title": "Mum - knee surgery", "patient": "Mum", "condition": "osteoarthritis",
         "urgency": "soon", "surgery": True, "insurance_plan": "Acme PPO", "covered": "yes",
         "referral_needed": "no"},
        [
            ("opinions", case_uuid(101), {"doctor": "Dr Okafor", "order": 1,
                                          "diagnosis": "Severe wear of the knee joint",
                                          "treatment": "Total knee replacement"}),
            ("records", case_uuid(201), {"title": "MRI report", "kind": "imaging_report"}),
            ("records", case_uuid(202), {"title": "Blood tests", "kind": "labs"}),
            ("transfers", case_uuid(301), {"record": case_uuid(201), "recipient": "Dr Lind",
                                           "state": "confirmed", "from_provider": True}),
            ("questions", case_uuid(401), {"text": "What happens if we wait?",
                                           "asked": False}),
            ("questions", case_uuid(402), {"text": "What are the other options?",
                                           "asked": True}),
            ("checklist", case_uuid(501), {"text": "Ask the clinic for the MRI report",
                                           "phase": "preparing", "done": True, "order": 1.0}),
            ("checklist", case_uuid(502), {"text": "Find a second surgeon",
                                           "phase": "preparing", "due": "2026-09-30",
                                           "order": 2.0}),
        ],
    )
    seed_case(world, ids["chest"], {"title": "Dad - chest pain", "condition": "angina",
                                    "urgency": "emergency"})
    seed_case(world, ids["thyroid"], {"title": "Thyroid nodule", "condition": "nodule",
                                      "patient": "Sam"})
    return ids


@pytest.fixture
def utc_zone(monkeypatch: pytest.MonkeyPatch) -> Iterable[None]:
    """Local time is UTC, so 'today 10:30' reads the same on every machine."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


async def settle(pilot: Any) -> None:
    """Let pending messages, workers (refresh, open) and their callbacks finish."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


_TEXT = re.compile(
    r'<text class="[^"]*" x="([\d.]+)" y="[\d.]+" textLength="[\d.]+" '
    r'clip-path="url\(#[^)]*-line-(\d+)\)">(.*?)</text>'
)


def screen_lines(app: Any) -> list[str]:
    """What the terminal shows, line by line, as plain text (from an SVG screenshot).

    Fails when it reads no text at all: a test must not pass on a blank screen, or because
    the screenshot's SVG changed shape and the reader no longer sees its text.
    """
    svg = app.export_screenshot()
    rows: dict[int, list[tuple[float, str]]] = {}
    for x, line, chunk in _TEXT.findall(svg):
        rows.setdefault(int(line), []).append((float(x), html.unescape(chunk)))
    if not any(chunk.replace("\xa0", " ").strip()
               for chunks in rows.values() for _, chunk in chunks):
        raise AssertionError(
            "screen_lines read no text from the screenshot: the screen is blank, or the "
            "SVG no longer has the shape _TEXT expects")
    out = []
    for line in range(max(rows, default=-1) + 1):
        text = ""
        for x, chunk in sorted(rows.get(line, [])):
            text = text.ljust(round(x / 12.2)) + chunk
        out.append(text.replace("\xa0", " "))
    return out


def screen_text(app: Any) -> str:
    return "\n".join(screen_lines(app))


def static_text(app: Any, selector: str) -> str:
    """The plain text of a Static (what it was given, before wrapping)."""
    return str(app.screen.query_one(selector).content)


def section(app: Any, key: str) -> str:
    """One section of the case overview as text: 'label  value' per row."""
    return app.screen.query_one("#overview").section_text(key)


def table_rows(app: Any) -> list[list[str]]:
    """The case table's rows as plain text cells."""
    table = app.screen.query_one("#cases")
    return [[cell.rstrip() for cell in table.cells_at(i)] for i in range(table.row_count)]


def table_cells(app: Any) -> list[dict[str, str]]:
    """The case table's rows as plain text cells by column key ("title", "records"...), only
    the columns shown at this width."""
    keys = app.screen.query_one("#cases").column_keys
    return [dict(zip(keys, row, strict=True)) for row in table_rows(app)]


class Notes:
    """Records every notification the app makes (while still showing it)."""

    def __init__(self, app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
        self.messages: list[dict[str, Any]] = []
        original = app.notify

        def notify(message: str, **kwargs: Any) -> None:
            self.messages.append({"message": message, **kwargs})
            original(message, **kwargs)

        monkeypatch.setattr(app, "notify", notify)

    def text(self) -> str:
        return "\n".join(m["message"] for m in self.messages)


@pytest.fixture
def world(tmp_path: Path, paths: Paths, utc_zone: None) -> Iterable[World]:
    """Empty folders, a fixed device, clock (2026-09-14 10:30 UTC) and day, TZ=UTC."""
    made = make_world(tmp_path, paths)
    yield made
    made.repo.close()


@pytest.fixture
def make_app(world: World) -> Any:
    """Build the app the way the command line does, on the test's world. ``config`` is what
    config.yaml would hold: it is read as the command line reads the file."""
    from secondview.store.config import Config
    from secondview.ui.app import SecondViewApp

    def build(content: Any = None, config: Any = None) -> SecondViewApp:
        settings = Config.parse(config, world.paths.config_file) if config is not None else None
        return SecondViewApp(world.repo, content=content, config=settings, paths=world.paths)

    return build


def drive(app: Any, steps: Any, size: tuple[int, int] = (120, 40)) -> Any:
    """Run ``app`` headless at ``size``; once it has settled, await ``steps(pilot)``.

    Plain ``asyncio.run``: the project's tests need no asyncio plugin.
    """
    import asyncio

    async def main() -> Any:
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            return await steps(pilot)

    return asyncio.run(main())
