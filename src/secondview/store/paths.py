"""Where things live. Resolved once by the CLI and passed down; nothing is created at import.

- cases folder: the synced folder of case folders (``--cases``, ``SECONDVIEW_CASES``,
  ``cases_dir`` in config.yaml, else ``<data>/cases``);
- data folder (local, never synced): device.json, state.json, quarantine/, locks/, backups/;
- cache folder (local, rebuildable): the case list index;
- config folder (read-only to the app): config.yaml, themes/, content/.

``SECONDVIEW_DATA_DIR``, ``SECONDVIEW_CACHE_DIR`` and ``SECONDVIEW_CONFIG_DIR`` move the local
folders (for tests, and for a portable install).
"""

from __future__ import annotations

import json
import os
import secrets
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import platformdirs

from .storage import atomic_write, canonical_bytes, ensure_dir, read_bytes

APP = "secondview"


class ConfigError(Exception):
    """config.yaml cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class Paths:
    cases_dir: Path
    data_dir: Path
    cache_dir: Path
    config_dir: Path

    @property
    def config_file(self) -> Path:
        return self.config_dir / "config.yaml"

    @property
    def quarantine_dir(self) -> Path:
        return self.data_dir / "quarantine"

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
    ) -> tuple["Paths", dict[str, Any]]:
        """The paths to use, and the user's config (empty if there is no config.yaml).

        Precedence for the cases folder: ``cases`` (--cases), SECONDVIEW_CASES, config.yaml's
        ``cases_dir``, then a folder inside the local data folder. Raises ConfigError.
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
        config = load_config(config_dir / "config.yaml")
        if cases is not None:
            cases_dir = Path(cases).expanduser()
        elif env.get("SECONDVIEW_CASES"):
            cases_dir = Path(env["SECONDVIEW_CASES"]).expanduser()
        elif config.get("cases_dir"):
            cases_dir = Path(str(config["cases_dir"])).expanduser()
        else:
            cases_dir = data_dir / "cases"
        return cls(cases_dir.absolute(), data_dir, cache_dir, config_dir), config


def load_config(path: Path) -> dict[str, Any]:
    """config.yaml as a dict (yaml.safe_load); {} when absent; ConfigError when unusable."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read ({exc})") from None
    import yaml  # here, not at the top: most starts have no config.yaml (10 ms saved)

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise ConfigError(f"{path}: not valid YAML{where}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected settings like 'cases_dir: ~/Sync/cases'")
    return data


@dataclass(frozen=True)
class Device:
    """This device's identity: a random id (used in file names and version dots) and a name."""

    id: str
    name: str

    @classmethod
    def load_or_create(cls, data_dir: Path, name: str | None = None) -> "Device":
        """Read data_dir/device.json, creating it (and data_dir, 0700) on first use."""
        path = data_dir / "device.json"
        try:
            stored = json.loads(read_bytes(path))
            device = cls(str(stored["id"]), str(stored.get("name") or stored["id"]))
            if not device.id.isalnum():
                raise ValueError("bad id")
        except FileNotFoundError:
            device = cls(secrets.token_hex(6), name or socket.gethostname() or "this device")
            ensure_dir(data_dir)
            atomic_write(path, canonical_bytes({"id": device.id, "name": device.name}))
        except (ValueError, KeyError, TypeError) as exc:
            raise ConfigError(
                f"{path}: this device's identity file is damaged ({exc}); move it aside "
                "and secondview will make a new one"
            ) from None
        if name and name != device.name:
            device = cls(device.id, name)
        return device
