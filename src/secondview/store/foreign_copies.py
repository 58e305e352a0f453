"""Foreign copies: other JSON files in a case folder that hold the case, merged then archived.

A device's own replica is ``<device-id>.json`` and names that same device inside
(``"device": {"id": ...}``). Any other readable JSON file in a case folder that holds the
case is a *foreign copy*: a sync tool's conflict copy (Syncthing ``.sync-conflict-``,
Dropbox "conflicted copy", Nextcloud's in the user's language, OneDrive's
``<id>-HOSTNAME.json``), a replica restored from a backup under another name, a file someone
dropped in. It is recognised by the case id inside, never by its name, and merged on open
like any replica (``store.folder_reader``). After a save has written this device's own
replica (fsynced, with the copy's content merged in), the copy is archived in the local data
folder (``foreign/<case-id>/<name>.<utc time>-<hash>``, written and fsynced) and only then
removed from the case folder, so the sync tools stop carrying it (``archive_foreign``, called
by ``CaseRepository.apply`` and ``CaseRepository.tidy``). A file whose name is its own
device's id is never touched.

Side effects are named in each function's docstring; importing this module has none.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
from collections.abc import Mapping, Sequence

from ..core.separation import Origin
from .case_folder import read_case_file
from .open_case import OpenCase
from .paths import Device, Paths
from .storage import Stamp, UnreadableFile, atomic_write, ensure_dir, read_bytes


def is_foreign(file_name: str, origin: Origin) -> bool:
    """Whether a merged file is a foreign copy: its name is not ``<its own device id>.json``."""
    return not origin.device or file_name != f"{origin.device}.json"


def foreign_copies(opened: OpenCase) -> list[str]:
    """Names of the foreign copies merged into ``opened`` (waiting to be archived)."""
    return sorted(n for n, o in opened.origins.items() if is_foreign(n, o))


def _archive_name(name: str, stamp: Stamp, data: bytes) -> str:
    moment = _dt.datetime.fromtimestamp(stamp.mtime_ns / 1e9, _dt.UTC)
    digest = hashlib.sha256(data).hexdigest()[:12]
    return f"{name}.{moment:%Y%m%dT%H%M%SZ}-{digest}"


def archive_foreign(paths: Paths, device_id: str, case_id: str,
                    stamps: Mapping[str, Stamp | None], origins: Mapping[str, Origin]
                    ) -> list[str]:
    """Archive, then remove, the foreign copies read with ``stamps``; the names removed.

    Call only once this device's (``device_id``) own replica holding their content is
    written and fsynced (``CaseRepository.apply`` does, under the case lock). A copy whose
    stamp differs from the one it was read with (changed or replaced since) stays, to be
    merged next time; so does any copy whose archive copy cannot be written. Side effects:
    writes ``<data>/foreign/<case-id>/<name>.<time>-<hash>`` (0600, fsynced; folders 0700),
    removes the copy from the case folder and fsyncs the folder.
    """
    folder = paths.cases_dir / case_id
    removed: list[str] = []
    own = f"{device_id}.json"
    for name, origin in sorted(origins.items()):
        if not is_foreign(name, origin) or name == own:
            continue  # this device's own file is rewritten by its saves, never archived
        path = folder / name
        read_as = stamps.get(name)
        try:
            data = read_case_file(path)  # a link or pipe swapped in meanwhile is not followed
        except (OSError, UnreadableFile):
            continue
        if read_as is None or Stamp.of(path) != read_as:
            continue  # changed since it was merged: next time
        target_dir = paths.foreign_dir / case_id
        target = target_dir / _archive_name(name, read_as, data)
        try:
            ensure_dir(target_dir)
            if not (target.exists() and read_bytes(target) == data):
                atomic_write(target, data)  # fsynced file and folder
            if read_bytes(target) != data or Stamp.of(path) != read_as:
                continue
            os.unlink(path)
        except OSError:
            continue  # kept where it is; merged again next time, no harm
        removed.append(name)
    if removed:
        try:
            fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError:
            pass
    return removed


def saved_origins(device: Device, origins: Mapping[str, Origin], removed: Sequence[str]
                  ) -> dict[str, Origin]:
    """The writers of a case's files once ``device`` saved it: the copies archived are
    gone, and this device's own file says it wrote it, whatever it said before."""
    kept = {n: o for n, o in origins.items() if n not in removed}
    kept[f"{device.id}.json"] = Origin(device.id, device.name, device.install)
    return kept
