"""Realistic benchmark data, built with the real core code.

One case is built the way the app would build it (``CaseState.apply`` from three devices, with
the hybrid clock), serialised with the real ``replica_bytes``, and then copied: for a list of
10,000 cases only the case id (the key of the ``case`` document and the folder name) and the
title change, so generating them costs a ``bytes.replace`` and a file write each.

Side effects: ``write_cases`` creates folders (0700) and files (0600) under the folder given;
nothing else is touched.
"""

from __future__ import annotations

import os
import random
import uuid
from dataclasses import dataclass
from pathlib import Path

from secondview.core.hybrid_clock import HybridClock
from secondview.core.ids import new_id
from secondview.core.replica import CaseState, Write, new_case
from secondview.store.storage import replica_bytes

DEVICES = ("a1a1a1a1a1a1", "b2b2b2b2b2b2", "c3c3c3c3c3c3")
DEVICE_NAMES = {"a1a1a1a1a1a1": "desktop", "b2b2b2b2b2b2": "laptop", "c3c3c3c3c3c3": "phone"}
TITLE_MARK = "Bench case #000000"
"""The title of the template case; copies get ``Bench case #<n>`` of the same length."""

WORDS = (
    "the patient reports pain after biopsy margin stage lymph node surgery radiation follow up "
    "scan results suggest benign malignant tumour grade imaging contrast report doctor second "
    "opinion treatment option risk recovery weeks months daily dose side effect nausea fatigue "
    "guideline trial evidence referral insurance network appointment records pathology slides"
).split()


def _text(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


@dataclass(frozen=True)
class Template:
    """One realistic case: its id, its state, and its replica bytes as device 0 writes them."""

    case_id: str
    state: CaseState
    data: bytes
    device: str


def build_state(seed: int = 2) -> tuple[CaseState, str]:
    """A case as three devices would have built it over weeks of use.

    About 40 checklist items, 30 records (10 of them sent to a doctor), 25 questions answered
    by 3 doctors, 3 opinions with long text fields and 200 log entries.
    """
    rng = random.Random(seed)
    clock = HybridClock()

    def dev() -> str:
        return rng.choice(DEVICES)

    state, case_id = new_case(
        {
            "title": TITLE_MARK,
            "patient": "Alex Example",
            "condition": _text(rng, 6),
            "urgency": "soon",
            "cancer": True,
            "insurance_plan": "Example PPO",
            "covered": "yes",
            "notes": _text(rng, 60),
        },
        DEVICES[0],
        clock.now(),
    )
    log: list[Write] = []

    def step(writes: list[Write]) -> None:
        nonlocal state
        # Every save in the app also writes one log entry.
        entry = Write("log", new_id(), {"action": "edit", "summary": _text(rng, 8)})
        log.append(entry)
        state = state.apply([*writes, entry], dev(), clock.now())

    for i in range(40):
        step([Write("checklist", new_id(), {
            "text": _text(rng, 9), "phase": rng.choice(("deciding", "preparing", "visit")),
            "done": i % 3 == 0, "notes": _text(rng, 12) if i % 2 else "", "order": float(i),
            "due": f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}" if i % 4 == 0 else "",
        })])
    record_ids = []
    for i in range(30):
        rid = new_id()
        record_ids.append(rid)
        step([Write("records", rid, {
            "title": _text(rng, 4), "kind": rng.choice(("labs", "pathology_report",
                                                         "imaging_report", "physician_notes")),
            "date": f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}", "source": _text(rng, 3),
            "notes": _text(rng, 18),
        })])
    opinion_ids = []
    for i in range(3):
        oid = new_id()
        opinion_ids.append(oid)
        step([Write("opinions", oid, {
            "doctor": f"Dr {_text(rng, 1).title()}", "order": i + 1,
            "specialty": "oncology", "institution": _text(rng, 3), "visit_mode": "in_person",
            "date": f"2026-0{3 + i}-10", "diagnosis": _text(rng, 160),
            "treatment": _text(rng, 160), "alternatives": _text(rng, 90),
            "risks": _text(rng, 90), "side_effects": _text(rng, 60), "goals": _text(rng, 40),
            "recovery": _text(rng, 40), "if_waiting": _text(rng, 40),
            "evidence": _text(rng, 40), "costs": _text(rng, 20),
        })])
    for i, rid in enumerate(record_ids[:10]):
        step([Write("transfers", new_id(), {
            "record": rid, "recipient": f"Dr {i % 2}", "state": "received",
            "requested_on": "2026-02-01", "sent_on": "2026-02-10",
        })])
    for i in range(25):
        qid = new_id()
        step([Write("questions", qid, {
            "text": _text(rng, 13), "category": "diagnosis", "order": float(i),
            "asked": True, "why": _text(rng, 10),
        })])
        step([Write("answers", new_id(), {"question": qid, "opinion": oid,
                                          "text": _text(rng, 14)}) for oid in opinion_ids])
    step([Write("decision", new_id(), {"options": _text(rng, 30), "matters": _text(rng, 20)})])
    # Fill the log to 200 entries with edits of existing items, prepared as the app does
    # (against the state the user saw), so they supersede what they replace.
    checklist = list(state.tables["checklist"])
    while len(state.tables["log"]) < 200:
        item = rng.choice(checklist)
        step([state.prepare("checklist", item, {"done": rng.random() < 0.5})])
    return state, case_id


def template(seed: int = 2) -> Template:
    state, case_id = build_state(seed)
    data = replica_bytes(state.tables, DEVICES[0], DEVICE_NAMES[DEVICES[0]])
    return Template(case_id, state, data, DEVICES[0])


def copy_bytes(tpl: Template, case_id: str, number: int) -> bytes:
    """The template's bytes for another case id and title (same length, so same size)."""
    title = f"Bench case #{number:06d}"
    assert len(title) == len(TITLE_MARK)
    return tpl.data.replace(tpl.case_id.encode(), case_id.encode()).replace(
        TITLE_MARK.encode(), title.encode()
    )


def case_ids(count: int, seed: int = 7) -> list[str]:
    """Stable, distinct case ids (so a kept data set can be reused between runs)."""
    rng = random.Random(seed)
    return [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(count)]


def write_cases(tpl: Template, cases_dir: Path, count: int) -> list[str]:
    """Write ``count`` copies of the template as cases (device 0's replica each); their ids.

    Skips cases already present with the right size, so a kept data set grows instead of
    being rewritten. Plain writes (no fsync): this is test data.
    """
    cases_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    ids = case_ids(count)
    name = f"{tpl.device}.json"
    for number, case_id in enumerate(ids):
        folder = cases_dir / case_id
        path = folder / name
        data = copy_bytes(tpl, case_id, number)
        try:
            if path.stat().st_size == len(data):
                continue
        except FileNotFoundError:
            pass
        folder.mkdir(exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)
    return ids
