"""Where things live. Resolved once by the CLI and passed down; nothing is created at import.

- cases folder: the synced folder of case folders (``--cases``, ``SECONDVIEW_CASES``,
  ``cases_dir`` in config.yaml, else ``<data>/cases``);
- data folder (local, never synced): device.json, state.json, quarantine/, locks/, backups/,
  foreign/ (sync tools' conflict copies, kept after their content was merged), own/ (what
  this install last wrote to each case and which writes it made: store.twin_installs);
- cache folder (local, rebuildable): the case list index;
- config folder (read-only to the app): config.yaml, themes/, content/.

``SECONDVIEW_DATA_DIR``, ``SECONDVIEW_CACHE_DIR`` and ``SECONDVIEW_CONFIG_DIR`` move the local
folders (for tests, and for a portable install).
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

from ..core.ids import is_device_id
from .config import FILE_NAME, Config, ConfigError
from .storage import atomic_write, canonical_bytes, ensure_dir, read_bytes, read_own

APP = "secondview"
KEY_FILE = "secondview-key.age"


@dataclass(frozen=True)
class Paths:
    cases_dir: Path
    data_dir: Path
    cache_dir: Path
    config_dir: Path

    @property
    def config_file(self) -> Path:
        return self.config_dir / FILE_NAME

    @property
    def key_file(self) -> Path:
        """A sealed cases folder's key file (``store.key_file``): there iff it is sealed."""
        return self.cases_dir / KEY_FILE

    @property
    def quarantine_dir(self) -> Path:
        return self.data_dir / "quarantine"

    @property
    def foreign_dir(self) -> Path:
        """Where foreign copies (conflict copies, restored backups) are kept once merged."""
        return self.data_dir / "foreign"

    @property
    def locks_dir(self) -> Path:
        return self.data_dir / "locks"

    @property
    def state_file(self) -> Path:
        return self.data_dir / "state.json"

    @property
    def index_file(self) -> Path:
        return self.cache_dir / "index.sqlite"

    @classmethod
    def resolve(
        cls,
        cases: str | os.PathLike[str] | None = None,
        env: Mapping[str, str] | None = None,
    ) -> tuple[Paths, Config]:
        """The paths to use, and the user's settings (``Config.load``: empty without a
        config.yaml). The one place config.yaml is read.

        Precedence for the cases folder: ``cases`` (--cases), SECONDVIEW_CASES, config.yaml's
        ``cases_dir``, then a folder inside the local data folder. Side effects: reads
        config.yaml. Raises ConfigError.
        """
        env = os.environ if env is None else env

        def local(var: str, default: str) -> Path:
            return Path(env[var]).expanduser() if env.get(var) else Path(default)

        data_dir = local("SECONDVIEW_DATA_DIR", platformdirs.user_data_dir(APP, appauthor=False))
        cache_dir = local(
            "SECONDVIEW_CACHE_DIR", platformdirs.user_cache_dir(APP, appauthor=False)
        )
        config_dir = local(
            "SECONDVIEW_CONFIG_DIR", platformdirs.user_config_dir(APP, appauthor=False)
        )
        config = Config.load(config_dir / FILE_NAME)
        if cases is not None:
            cases_dir = Path(cases).expanduser()
        elif env.get("SECONDVIEW_CASES"):
            cases_dir = Path(env["SECONDVIEW_CASES"]).expanduser()
        elif config.cases_dir is not None:
            cases_dir = config.cases_dir
        else:
            cases_dir = data_dir / "cases"
        return cls(cases_dir.absolute(), data_dir, cache_dir, config_dir), config


def machine_fingerprint() -> str:
    """A short hash of this machine's own id (Linux machine-id, Windows MachineGuid), or "".

    Stored in device.json so that a home folder copied to another machine is noticed: the
    copy's fingerprint differs, and the copy takes a new device id (see Device.load_or_create).
    The hash, not the id, is stored. Where the machine has no stable id we can read cheaply
    (macOS: its host name changes with the network) this is "" and no check is made.
    """
    text = ""
    for candidate in ("/etc/machine-id", "/var/lib/dbus/machine-id"):
        try:
            text = Path(candidate).read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            continue
        if text:
            break
    if not text and sys.platform == "win32":  # pragma: no cover - not run on Linux CI
        try:
            import winreg

            with winreg.OpenKey(
                winreg.HKEY_LOCAL_MACHINE, r"SOFTWARE\Microsoft\Cryptography"
            ) as key:
                text = str(winreg.QueryValueEx(key, "MachineGuid")[0])
        except OSError:
            text = ""
    if not text:
        return ""
    return hashlib.sha256(f"secondview machine {text}".encode()).hexdigest()[:16]


def new_device_id() -> str:
    return os.urandom(6).hex()


@dataclass(frozen=True)
class Device:
    """This device's identity: a random id (used in file names and version dots) and a name.

    ``install`` is a random nonce made with device.json; it is written into every replica
    this device writes, so a second installation using the same id (a copied home folder) is
    noticed when its file is read (core.separation). "" means unknown (older files, tests).
    """

    id: str
    name: str
    install: str = ""
    retired: tuple[str, ...] = ()
    """Ids this install wrote under before it took a new one (core.separation), oldest first."""

    @classmethod
    def load_or_create(
        cls, data_dir: Path, name: str | None = None, machine: str | None = None
    ) -> Device:
        """Read data_dir/device.json, creating it (and data_dir, 0700) on first use.

        ``machine`` is this machine's fingerprint (default: machine_fingerprint()). A
        device.json made on another machine (its fingerprint differs: the home folder was
        copied) is not this device: a new id and install nonce are made, keeping the name,
        and the file is rewritten. One without an install nonce (an older version) gets one
        and keeps its id.
        """
        machine = machine_fingerprint() if machine is None else machine
        path = data_dir / "device.json"
        try:
            stored = json.loads(read_own(path))
            device = cls(
                str(stored["id"]),
                str(stored.get("name") or stored["id"]),
                str(stored.get("install") or ""),
                tuple(str(r) for r in stored.get("retired") or ()),
            )
            if not is_device_id(device.id) or not all(map(is_device_id, device.retired)):
                raise ValueError("bad id")
            made_on = stored.get("machine")
        except FileNotFoundError:
            device = cls(
                new_device_id(),
                name or socket.gethostname() or "this device",
                os.urandom(8).hex(),
            )
            device.save(data_dir, machine)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ConfigError(
                f"{path}: this device's identity file is damaged ({exc}); move it aside "
                "and secondview will make a new one"
            ) from None
        else:
            copied = bool(made_on and machine and made_on != machine)
            if copied:
                device = cls(new_device_id(), device.name, os.urandom(8).hex())
            elif not device.install:
                device = cls(device.id, device.name, os.urandom(8).hex(), device.retired)
            if copied or made_on != machine or stored.get("install") != device.install:
                device.save(data_dir, machine)
        if name and name != device.name:
            device = cls(device.id, name, device.install, device.retired)
        return device

    def renewed(self, new_id: str) -> Device:
        """This install under a new id, the current one retired (nothing is written)."""
        return Device(new_id, self.name, self.install, (*self.retired, self.id))

    def save(self, data_dir: Path, machine: str | None = None) -> None:
        """Write data_dir/device.json (0600; data_dir made 0700 if missing).

        ``machine`` defaults to the fingerprint already in the file, else this machine's.
        """
        path = data_dir / "device.json"
        if machine is None:
            try:
                machine = str(json.loads(read_bytes(path)).get("machine") or "")
            except (OSError, ValueError, AttributeError):
                machine = machine_fingerprint()
        ensure_dir(data_dir)
        record: dict[str, Any] = {"id": self.id, "name": self.name, "install": self.install}
        if self.retired:
            record["retired"] = list(self.retired)
        if machine:
            record["machine"] = machine
        atomic_write(path, canonical_bytes(record))
