"""This install's record of what it wrote to each case, kept in its local data folder.

The record and the rule that tells a twin install's writes by it are ``core.install_record``
(read that first); this module keeps the record on disk, per case, in the local data folder
(``<data>/own/``, never synced):

``<case-id>.json``, one file of two parts: a first line holding, for each id it wrote under,
its ``Journal`` as one line of JSON::

    {"ids": {"<id>": {"from": k, "logs": {"<n>": "<log id>"}, "renamed": [h, "<label>"]}}}

then the bytes of its own replica as it last wrote them (the *kept copy*). It is written
whole (one atomic, fsynced write) before the replica, so a crash can leave a record of a write
that never reached the replica (harmless), never a write missing from the record.

Side effects are named in each function's docstring; importing this module has none.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..core.install_record import Journal, Kept, log_marks
from ..core.registers import Tables
from .paths import Paths
from .storage import atomic_write, ensure_dir, read_bytes

OWN_DIR = "own"


def _folder(paths: Paths) -> Path:
    return paths.data_dir / OWN_DIR


def kept_path(paths: Paths, case_id: str) -> Path:
    """The file of this install's record of a case (see the module docstring)."""
    return _folder(paths) / f"{case_id}.json"


def _journals(data: Any) -> dict[str, Journal]:
    out: dict[str, Journal] = {}
    for device_id, item in (data.get("ids") or {}).items():
        logs = {int(n): str(log) for n, log in item["logs"].items()}
        renamed = item.get("renamed")
        told = (int(renamed[0]), str(renamed[1])) if renamed else None
        out[str(device_id)] = Journal(int(item["from"]), logs, told)
    return out


def _parsed_head(head: bytes) -> dict[str, Journal]:
    try:
        return _journals(json.loads(head))
    except (ValueError, KeyError, TypeError, AttributeError, IndexError):
        return {}  # unreadable: no evidence either way, as before the record existed


def read_kept(paths: Paths, case_id: str) -> Kept | None:
    """This install's record of a case; None when it has none (it never wrote the case, or
    wrote it with a version from before the record, or the record cannot be read)."""
    try:
        head, _, raw = read_bytes(kept_path(paths, case_id)).partition(b"\n")
    except OSError:
        return None
    journals = _parsed_head(head)
    if not raw and not journals:
        return None
    return Kept(raw, journals)


def _read_head(path: Path) -> bytes:
    """The first line of a record (its journals) alone: the kept copy after it is as large
    as the case, and a save that adds a write has no use for it. b"" when there is none."""
    try:
        with open(path, "rb") as handle:
            return handle.readline().rstrip(b"\n")
    except OSError:
        return b""


def record(paths: Paths, case_id: str, data: bytes, device_id: str, made: int,
           tables: Tables, renamed: Mapping[str, tuple[int, str]] | None = None) -> None:
    """Keep ``data`` (this install's replica about to be written) and note write ``made``.

    ``made`` is the number of the write this save adds under ``device_id`` (0: none);
    ``tables`` the state saved, where its log document is found; ``renamed`` is
    old id -> (horizon, label) for this install's own writes just told apart from a twin's.
    Side effects: writes ``<data>/own/<case-id>.json`` when either part changes (0600,
    fsynced; folders 0700).
    """
    path = kept_path(paths, case_id)
    before = _parsed_head(_read_head(path))
    journals = dict(before)
    if made:
        journal = journals.get(device_id) or Journal(made - 1, {})
        marks = log_marks({"log": tables.get("log", {})}, device_id).get(made, set())
        log = min(marks) if len(marks) == 1 else ""
        journals[device_id] = Journal(journal.start, {**journal.logs, made: log},
                                      journal.renamed)
    for old, told in (renamed or {}).items():
        journal = journals.get(old) or Journal(told[0], {})
        journals[old] = Journal(journal.start, journal.logs, told)
    if journals == before and _holds(path, data):
        return
    ensure_dir(_folder(paths))
    body = {"ids": {d: j.to_json() for d, j in sorted(journals.items())}}
    head = json.dumps(body, sort_keys=True, separators=(",", ":")).encode("ascii")
    atomic_write(path, head + b"\n" + data)


def _holds(path: Path, data: bytes) -> bool:
    """Whether the record at ``path`` keeps ``data`` as its copy."""
    try:
        return read_bytes(path).partition(b"\n")[2] == data
    except OSError:
        return False


__all__ = ["kept_path", "read_kept", "record"]
