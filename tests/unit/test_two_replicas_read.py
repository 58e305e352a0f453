"""Reading a case folder with two replicas: the second is checked against the first.

``store.folder_reader`` reads every replica of a case; each file is parsed and checked whole
(``core.replica_validation``), the second one with the first as ``known``, so the documents
both hold are the first file's objects in the merged state (see test_replica_validation.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from secondview.core.replica import Write, new_case
from secondview.store import storage
from secondview.store.folder_reader import read_files
from secondview.store.paths import Device, Paths
from secondview.store.storage import replica_bytes

CASE = "0f0e0d0c-0b0a-4908-8706-050403020100"
DESK, PHONE = "aaaaaaaaaaaa", "bbbbbbbbbbbb"
STEP = "11111111-1111-4111-8111-111111111111"


def test_the_second_replica_is_checked_against_the_first(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    paths = Paths(tmp_path / "cases", tmp_path / "data", tmp_path / "cache", tmp_path / "config")
    desk, _ = new_case({"title": "Knee"}, DESK, "2026-12-01T10:00:00.000Z/0000", CASE)
    desk = desk.apply([Write("checklist", STEP, {"title": "Ask for the MRI"})], DESK,
                      "2026-12-01T10:01:00.000Z/0000")
    phone = desk.apply([desk.prepare("case", CASE, {"condition": "meniscus"})], PHONE,
                       "2026-12-01T10:02:00.000Z/0000")
    folder = paths.cases_dir / CASE
    folder.mkdir(parents=True)
    (folder / f"{DESK}.json").write_bytes(replica_bytes(desk.tables, DESK, "desk"))
    (folder / f"{PHONE}.json").write_bytes(replica_bytes(phone.tables, PHONE, "phone"))
    checked: list[tuple[dict[str, Any], dict[str, Any] | None]] = []
    validate = storage.validate_tables

    def recording(data: Any, where: str = "", known: Any = None) -> Any:
        checked.append((validate(data, where, known=known), known))
        return checked[-1][0]

    monkeypatch.setattr(storage, "validate_tables", recording)
    read = read_files(paths, Device(DESK, "desk"), CASE, [f"{DESK}.json", f"{PHONE}.json"])
    (first, none), (second, known) = checked
    assert none is None and known is first
    assert second["checklist"] is first["checklist"]  # equal in both files: one object
    assert read.tables is not None
    assert read.tables["checklist"][STEP] is first["checklist"][STEP]
    assert read.tables["case"][CASE]["condition"][0]["v"] == "meniscus"
