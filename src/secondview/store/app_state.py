"""AppState: the app's small local memory (state.json in the data folder, never synced).

What is kept: the theme the user last chose and the case they last had open. Keys this
version does not know are kept as they were, so an older and a newer copy of the app can take
turns with one file. The file is JSON, written atomically as 0600 in a 0700 folder.

Reading never fails: a missing file gives the defaults; an unreadable or damaged one gives the
defaults and a one-line warning (the next change replaces it). Nothing is read or written
when this module is imported, and no state lives in the module.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from .storage import atomic_write, canonical_bytes, ensure_dir, read_own


@dataclass(frozen=True)
class AppState:
    """``theme``: the name of the theme last chosen, or None (then config.yaml's or ours).
    ``last_case``: the id of the case last opened, or None. ``extra``: keys from a newer
    version, written back untouched."""

    theme: str | None = None
    last_case: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @classmethod
    def load(cls, path: Path) -> tuple[AppState, str | None]:
        """The state in ``path`` and a warning (None when all is well). Reads only.

        Missing file: defaults, no warning. Unreadable, not JSON, not an object, or a value of
        the wrong type: defaults for what could not be used, and one line saying what and where.
        """
        try:
            raw = read_own(path)
        except FileNotFoundError:
            return cls(), None
        except OSError as exc:
            return cls(), _warning(path, f"cannot be read ({exc.strerror or exc})")
        try:
            data = json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
        except (UnicodeDecodeError, ValueError):
            return cls(), _warning(path, "is not valid JSON")
        if not isinstance(data, dict):
            return cls(), _warning(path, "does not hold settings (a JSON object)")
        known = {f.name for f in fields(cls)} - {"extra"}
        values: dict[str, Any] = {}
        wrong: list[str] = []
        for name in sorted(known & data.keys()):
            value = data[name]
            if value is None or (isinstance(value, str) and value.strip()):
                values[name] = value
            else:
                wrong.append(name)
        extra = {k: v for k, v in data.items() if k not in known}
        state = cls(**values, extra=extra)
        if wrong:
            return state, _warning(path, f"has an unusable {' and '.join(wrong)}")
        return state, None

    def save(self, path: Path) -> None:
        """Write this state to ``path`` (creates its folder as 0700; atomic 0600 write).

        Raises OSError if the file cannot be written.
        """
        data = dict(self.extra)
        for f in fields(self):
            if f.name != "extra":
                data[f.name] = getattr(self, f.name)
        ensure_dir(path.parent)
        atomic_write(path, canonical_bytes(data))

    @classmethod
    def change(cls, path: Path, **changes: Any) -> AppState:
        """Re-read ``path``, apply ``changes`` (such as ``theme="secondview-light"``), save.

        Re-reading first keeps what another running copy of the app saved meanwhile. A damaged
        file is replaced. Returns the state saved. Raises OSError if it cannot be written,
        TypeError for a key AppState does not have.
        """
        current, _ = cls.load(path)
        updated = replace(current, **changes)
        updated.save(path)
        return updated


def _no_constant(name: str) -> Any:
    raise ValueError(name)  # NaN, Infinity: Python reads them, JSON (and our writer) has none


def _warning(path: Path, problem: str) -> str:
    return (
        f"{path}: {problem}; the app's remembered settings (theme, last case) start from the "
        "defaults and the file will be replaced when one changes"
    )
