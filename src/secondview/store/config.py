"""The user's settings: config.yaml read once into a typed, frozen ``Config``.

The command line reads the file once (``Config.load``, through ``Paths.resolve``) and passes
the object down: to the repository's paths, this device's name, and the app (theme, keys,
export folder). Nothing else reads config.yaml, and the app never writes it.

Every accepted key is declared once, in ``SETTINGS`` (README's "Settings" section documents
each). What a setting that does not fit does depends on what it decides:

- ``cases_dir`` and ``device_name`` decide where cases are written and under which name; a
  value that does not fit is a ``ConfigError`` (nothing runs on a guess);
- ``theme``, ``keys`` and ``export_dir`` only change how the app looks and what it suggests;
  a value that does not fit is a warning (``Config.warnings``) and the default is used, so
  the app still opens;
- an unknown key (a typo, or a setting of a newer version) is a warning naming it.

Each message names the file, the key and what is expected.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

FILE_NAME = "config.yaml"


class ConfigError(Exception):
    """config.yaml (or device.json) cannot be used; the message names the file and the
    problem."""


class _Unfit(Exception):
    """A value that does not fit its setting (``Setting.expected`` says what would)."""


def _text(value: Any) -> str | None:
    """Text, stripped; None for an empty value (the setting is then not set)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise _Unfit
    return value.strip() or None


def _folder(value: Any) -> Path | None:
    text = _text(value)
    return Path(text).expanduser() if text else None


def _keys(value: Any) -> Mapping[str, str]:
    """Binding id -> keys. Any entry that does not fit refuses the whole map (half a remap
    could leave two bindings on one key)."""
    if value is None:
        return MappingProxyType({})
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in value.items()
    ):
        raise _Unfit
    return MappingProxyType({k.strip(): v.strip() for k, v in value.items()})


@dataclass(frozen=True)
class Setting:
    """One key config.yaml accepts: how its value is read, what is expected, and whether a
    value that does not fit stops secondview (``strict``) or is a warning."""

    name: str
    read: Callable[[Any], Any]
    expected: str
    """What a value must be, as words after "should": "be a folder, like ..."."""
    strict: bool
    otherwise: str = ""
    """What is used instead when a non-strict value does not fit."""


SETTINGS: tuple[Setting, ...] = (
    Setting("cases_dir", _folder, "be a folder, like '~/Sync/secondview-cases'", strict=True),
    Setting("device_name", _text, "be text, like 'laptop'", strict=True),
    Setting("theme", _text, "be a theme's name, like 'secondview-light'", strict=False,
            otherwise="the theme chosen in the app, else the default"),
    Setting("keys", _keys, "map binding ids to keys, like 'home.new: ctrl+n'",
            strict=False, otherwise="the usual keys are in use"),
    Setting("export_dir", _folder, "be a folder, like '~/Documents'", strict=False,
            otherwise="the home folder is suggested"),
)
"""Every key config.yaml accepts, in the order README lists them."""


@dataclass(frozen=True)
class Config:
    """The user's settings, validated. Defaults mean "not set"."""

    file: Path | None = None
    """The file read (None: there was none); messages name it."""
    cases_dir: Path | None = None
    """The cases folder (after --cases and SECONDVIEW_CASES; see ``Paths.resolve``)."""
    device_name: str | None = None
    """This device's name, shown to the other devices."""
    theme: str | None = None
    """The theme to start with when none was chosen in the app."""
    keys: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """Binding id -> keys (``{"home.new": "ctrl+n"}``); the help screen shows the ids."""
    export_dir: Path | None = None
    """The folder the export dialog suggests."""
    warnings: tuple[str, ...] = ()
    """What did not fit and was left out, one message each (the app and the command line
    show them)."""

    @property
    def where(self) -> str:
        """The file, for messages: its path, or its name when there was none."""
        return str(self.file) if self.file is not None else FILE_NAME

    @classmethod
    def load(cls, path: Path) -> Config:
        """Read and validate ``path``; an empty ``Config`` when it does not exist.

        Side effects: reads the file. Raises ConfigError when it cannot be read, is not
        YAML, is not a set of settings, or a strict setting does not fit.
        """
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls()
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: cannot be read ({exc})") from None
        import yaml  # here, not at the top: most starts have no config.yaml

        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" at line {mark.line + 1}" if mark else ""
            raise ConfigError(f"{path}: not valid YAML{where}") from None
        return cls.parse(data, path)

    @classmethod
    def parse(cls, data: Any, path: Path | None = None) -> Config:
        """Validate settings already read (``None`` is an empty file); no file is read.

        Raises ConfigError naming ``path``, the key and what is expected when ``data`` is
        not a mapping or a strict setting does not fit.
        """
        where = str(path) if path is not None else FILE_NAME
        if data is None:
            data = {}
        if not isinstance(data, Mapping):
            raise ConfigError(f"{where}: expected settings like 'cases_dir: ~/Sync/cases'")
        values: dict[str, Any] = {}
        warnings: list[str] = []
        for setting in SETTINGS:
            if setting.name not in data:
                continue
            try:
                values[setting.name] = setting.read(data[setting.name])
            except _Unfit:
                message = f"{where}: '{setting.name}' should {setting.expected}"
                if setting.strict:
                    raise ConfigError(message) from None
                warnings.append(f"{message}; {setting.otherwise}")
        known = {s.name for s in SETTINGS}
        unknown = sorted(str(k) for k in data if k not in known)
        if unknown:
            names = ", ".join(f"'{k}'" for k in unknown)
            noun = "setting" if len(unknown) == 1 else "settings"
            warnings.append(
                f"{where}: unknown {noun} {names} left out; the settings are "
                f"{', '.join(s.name for s in SETTINGS)}"
            )
        return cls(file=path, warnings=tuple(warnings), **values)
