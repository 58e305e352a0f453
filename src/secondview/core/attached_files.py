"""The files and folders a record points at, with what the case knows of each (size,
SHA-256, how many files a folder held), read tolerantly whatever shape the fields have.
Pure: no I/O (the hashing is ``store.attachments``'s).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .markdown_escape import clean
from .model import Case, Item

_ON_A_DEVICE = re.compile(r"[/~]|[A-Za-z]:[\\/]|\\\\")
"""How a path on a device starts: /, ~, a Windows drive (C:\\) or share (\\\\server)."""

MAX_KEPT_BYTES = 64 * 1024 * 1024
"""The largest file a case keeps in its folder (``store.case_files``): more than any report
or note; a study's images stay where they are and are pointed at."""


@dataclass(frozen=True)
class AttachedFile:
    """A file (or folder) a record points at: its path as given, and its size and SHA-256
    when known; for a folder, how many files it held (see ``store.attachments``)."""

    path: str
    size: int | None = None
    sha256: str = ""
    folder: bool = False
    file_count: int | None = None
    kept: bool = False
    """Kept in the case folder (``files/<sha256>``, synced with the case): ``path`` is
    then its name, not a path on this device."""

    @property
    def is_file(self) -> bool:
        """Whether this is a file (or folder) that can go with the records: kept in the case,
        hashed when it was attached, or a path on a device. A link to a portal's copy or a
        reference inside an export (what an import notes for a document it could not keep)
        is not: that document is held elsewhere."""
        if self.kept or self.sha256:
            return True
        return bool(_ON_A_DEVICE.match(self.path)) and "://" not in self.path

    @property
    def name(self) -> str:
        """The file's (or folder's) own name: the office receives files, not this device's
        folders, and the full path would tell them the user's account name."""
        parts = [p for p in re.split(r"[\\/]", self.path) if p]
        return parts[-1] if parts else self.path


def _size(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and value >= 0:
        return value
    if isinstance(value, float) and value >= 0 and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _file_entry(value: Any, record: Item | None = None) -> AttachedFile | None:
    if isinstance(value, str):
        if not value.strip():
            return None
        values: Mapping[str, Any] = record.values if record is not None else {}
        return AttachedFile(
            value.strip(),
            _size(values.get("size", values.get("file_size"))),
            str(values.get("sha256", values.get("file_sha256", "")) or ""),
        )
    if isinstance(value, Mapping):
        path = value.get("path", value.get("file", ""))
        if not isinstance(path, str) or not path.strip():
            return None
        digest = value.get("sha256", "")
        return AttachedFile(path.strip(), _size(value.get("size")),
                            digest if isinstance(digest, str) else "",
                            value.get("kind") == "folder", _size(value.get("file_count")),
                            value.get("kind") == "kept")
    return None


def attached_files(case: Case, record: Item) -> list[AttachedFile]:
    """The files ``record`` points at, with what the case knows of each.

    Read tolerantly, whatever shape the attachment fields have: the case's ``attachments``
    table (items with ``record``, ``path``, ``kind``, ``size``, ``file_count``, ``sha256``),
    by path; else the
    record's ``files`` field: one path, several (one a line), or a list of paths or of
    {path, size, sha256}; a single path takes the record's own ``size``/``sha256`` fields.
    """
    found: list[AttachedFile] = []
    table = getattr(case, "attachments", None)
    if isinstance(table, (tuple, list)):
        for item in table:
            values = getattr(item, "values", {})
            if values.get("record") == record.id:
                entry = _file_entry(dict(values))
                if entry is not None:
                    found.append(entry)
    if found:
        return sorted(found, key=lambda f: f.path)
    files = record.values.get("files")
    if isinstance(files, str):
        paths = [p.strip() for p in clean(files).split("\n") if p.strip()]
        if len(paths) == 1:
            entry = _file_entry(paths[0], record)
            return [entry] if entry else []
        return [AttachedFile(p) for p in paths]
    if isinstance(files, (list, tuple)):
        entries = (_file_entry(v, record if len(files) == 1 else None) for v in files)
        return [e for e in entries if e is not None]
    return []
