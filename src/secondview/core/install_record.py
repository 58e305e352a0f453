"""What one install wrote to a case, and the rule that tells a twin install's writes by it.

A data folder copied whole to another machine with the same fingerprint (or none) gives two
installs one device.json: one id, one install nonce, one write counter. Nothing they put in
their files tells them apart; what they write after the copy does. So each install keeps a
record per case (on disk: ``store.twin_installs``):

- the *kept copy*: the bytes of its own replica as it last wrote them;
- for each id it wrote under, a ``Journal``: the log document each of its writes made (every
  save adds one, with a random id) and, once told apart from a twin, what its own writes
  under that id were renamed to. Writes numbered up to ``start`` were made before the record
  began and are taken as its own.

The rules, used by ``core.separation.separate`` and ``store.case_check``:

- A file naming one of this install's ids that holds a log document under a write number past
  ``start`` other than the one this install made there is another writer's (``strangers``):
  a twin. This holds in every order the files meet in, since a twin's first write after the
  copy makes a log document this install never made.
- The kept copy is merged whenever this install's own file is missing or is not what it last
  wrote (a sync tool put the twin's version, or an older one, in its place), so an edit of
  this install overwritten before anyone read it comes back on the next read.

Pure data and functions: no I/O.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .registers import Tables


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
        """The kept copy's hash, as ``core.separation.Parsed.digest`` gives it for that file."""
        return hashlib.sha256(self.raw).hexdigest()[:16]


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
