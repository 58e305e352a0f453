"""What this install wrote, kept in its local data folder, so that a twin install is noticed.

A data folder copied whole to another machine with the same fingerprint (or none) gives two
installs one device.json: one id, one install nonce, one write counter. Nothing they put in
their files tells them apart; what they write after the copy does. So each install keeps, per
case, in its local data folder (``<data>/own/``, never synced):

- ``<case-id>.json``: the bytes of its own replica as it last wrote them (the *kept copy*);
- ``<case-id>.wrote.json``: for each id it wrote under, the log document each of its writes
  made (every save adds one, with a random id) and, once told apart from a twin, what its
  own writes under that id were renamed to::

      {"ids": {"<id>": {"from": k, "logs": {"<n>": "<log id>"}, "renamed": [h, "<label>"]}}}

  Writes numbered up to ``from`` were made before the record began and are taken as its own.

Both are written (fsynced) before the replica, so a crash can leave a record of a write that
never reached the replica (harmless), never a write missing from the record.

The rules, used by ``store.sync.separate`` and ``CaseRepository``:

- A file naming one of this install's ids that holds a log document under a write number past
  ``from`` other than the one this install made there is another writer's (``strangers``):
  a twin. This holds in every order the files meet in, since a twin's first write after the
  copy makes a log document this install never made.
- The kept copy is merged whenever this install's own file is missing or is not what it last
  wrote (a sync tool put the twin's version, or an older one, in its place), so an edit of
  this install overwritten before anyone read it comes back on the next read.

Side effects are named in each function's docstring; importing this module has none.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from ..core.replica import Tables
from .paths import Paths
from .storage import atomic_write, canonical_bytes, ensure_dir, read_bytes

OWN_DIR = "own"


@dataclass(frozen=True)
class Journal:
    """What this install wrote under one id in one case (see the module docstring)."""

    start: int
    logs: Mapping[int, str]
    renamed: tuple[int, str] | None = None
    """(horizon, label): its writes under this id after horizon are called label now."""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"from": self.start,
                               "logs": {str(n): log for n, log in sorted(self.logs.items())}}
        if self.renamed is not None:
            out["renamed"] = list(self.renamed)
        return out


@dataclass(frozen=True)
class Kept:
    """This install's record of one case: the kept copy's bytes and the journals by id."""

    raw: bytes = b""
    journals: Mapping[str, Journal] = field(default_factory=dict)

    @property
    def digest(self) -> str:
        """The kept copy's hash, as ``store.sync.Parsed.digest`` gives it for that file."""
        return hashlib.sha256(self.raw).hexdigest()[:16]


def _folder(paths: Paths) -> Path:
    return paths.data_dir / OWN_DIR


def kept_path(paths: Paths, case_id: str) -> Path:
    return _folder(paths) / f"{case_id}.json"


def journal_path(paths: Paths, case_id: str) -> Path:
    return _folder(paths) / f"{case_id}.wrote.json"


def _journals(data: Any) -> dict[str, Journal]:
    out: dict[str, Journal] = {}
    for device_id, item in (data.get("ids") or {}).items():
        logs = {int(n): str(log) for n, log in item["logs"].items()}
        renamed = item.get("renamed")
        told = (int(renamed[0]), str(renamed[1])) if renamed else None
        out[str(device_id)] = Journal(int(item["from"]), logs, told)
    return out


def read_kept(paths: Paths, case_id: str) -> Kept | None:
    """This install's record of a case; None when it has none (it never wrote the case, or
    wrote it with a version from before the record, or the record cannot be read)."""
    try:
        raw = read_bytes(kept_path(paths, case_id))
    except OSError:
        raw = b""
    try:
        journals = _journals(json.loads(read_bytes(journal_path(paths, case_id))))
    except FileNotFoundError:
        journals = {}
    except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError):
        journals = {}  # unreadable: no evidence either way, as before the record existed
    if not raw and not journals:
        return None
    return Kept(raw, journals)


def log_marks(tables: Tables, device_id: str) -> dict[int, set[str]]:
    """write number -> the ids of the log documents ``device_id`` made with that write."""
    marks: dict[int, set[str]] = {}
    for doc_id, doc in tables.get("log", {}).items():
        for register in doc.values():
            for entry in register:
                dev, n = entry["dot"]
                if dev == device_id:
                    marks.setdefault(n, set()).add(doc_id)
    return marks


def strangers(journal: Journal, tables: Tables, device_id: str) -> bool:
    """Whether ``tables`` hold a write under ``device_id`` that this install did not make."""
    for n, found in log_marks(tables, device_id).items():
        if n > journal.start and found != {journal.logs.get(n)}:
            return True
    return False


def record(paths: Paths, case_id: str, data: bytes, device_id: str, made: int,
           tables: Tables, renamed: Mapping[str, tuple[int, str]] | None = None) -> None:
    """Keep ``data`` (this install's replica about to be written) and note write ``made``.

    ``made`` is the number of the write this save adds under ``device_id`` (0: none);
    ``tables`` the state saved, where its log document is found; ``renamed`` is
    old id -> (horizon, label) for this install's own writes just told apart from a twin's.
    Side effects: writes ``<data>/own/<case-id>.wrote.json`` when it changes, then
    ``<data>/own/<case-id>.json`` (both 0600, fsynced; folders 0700).
    """
    kept = read_kept(paths, case_id) or Kept()
    journals = dict(kept.journals)
    if made:
        journal = journals.get(device_id) or Journal(made - 1, {})
        marks = log_marks({"log": tables.get("log", {})}, device_id).get(made, set())
        log = min(marks) if len(marks) == 1 else ""
        journals[device_id] = Journal(journal.start, {**journal.logs, made: log},
                                      journal.renamed)
    for old, told in (renamed or {}).items():
        journal = journals.get(old) or Journal(told[0], {})
        journals[old] = Journal(journal.start, journal.logs, told)
    ensure_dir(_folder(paths))
    if journals != dict(kept.journals):
        body = {"ids": {d: j.to_json() for d, j in sorted(journals.items())}}
        atomic_write(journal_path(paths, case_id), canonical_bytes(body))
    if kept.raw != data:
        atomic_write(kept_path(paths, case_id), data)


__all__ = ["Journal", "Kept", "journal_path", "kept_path", "log_marks", "read_kept", "record",
           "strangers"]
