"""AppState: the app's small local memory (state.json in the data folder, never synced).

What is kept: the theme the user last chose, the case they last had open, and per case the
two opinions they last chose to compare (at most PAIRS_KEPT cases, the oldest dropped first).
Keys this version does not know are kept as they were, so an older and a newer copy of the app
can take turns with one file. The file is JSON, written atomically as 0600 in a 0700 folder.

Reading never fails: a missing file gives the defaults; an unreadable or damaged one gives the
defaults and a one-line warning (the next change replaces it). Nothing is read or written
when this module is imported, and no state lives in the module.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from ..core.ids import is_case_id
from .storage import atomic_write, canonical_bytes, ensure_dir, read_own

PAIRS_KEPT = 200
"""How many cases' compared pairs are remembered (the ones chosen longest ago go first)."""

OPINION_ID_CHARS = 100
"""The longest opinion id remembered (the app's ids are 36 characters)."""


@dataclass(frozen=True)
class AppState:
    """``theme``: the name of the theme last chosen, or None (then config.yaml's or ours).
    ``last_case``: the id of the case last opened, or None. ``compare_pairs``: per case id,
    the ids of the opinions last chosen for columns A and B of the compare pane, oldest
    choice first (see ``pair``). ``extra``: keys from a newer version, written back
    untouched."""

    theme: str | None = None
    last_case: str | None = None
    compare_pairs: dict[str, tuple[str, str]] = field(default_factory=dict, compare=False)
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
        known = {f.name for f in fields(cls)} - {"extra", "compare_pairs"}
        values: dict[str, Any] = {}
        wrong: list[str] = []
        if "compare_pairs" in data:
            values["compare_pairs"], damaged = _pairs(data["compare_pairs"])
            if damaged:
                wrong.append("compare_pairs")
        for name in sorted(known & data.keys()):
            value = data[name]
            if value is None or (isinstance(value, str) and value.strip()):
                values[name] = value
            else:
                wrong.append(name)
        extra = {k: v for k, v in data.items() if k not in known | {"compare_pairs"}}
        state = cls(**values, extra=extra)
        if wrong:
            return state, _warning(path, f"has an unusable {' and '.join(sorted(wrong))}")
        return state, None

    def save(self, path: Path) -> None:
        """Write this state to ``path`` (creates its folder as 0700; atomic 0600 write).

        Raises OSError if the file cannot be written.
        """
        data = dict(self.extra)
        for f in fields(self):
            if f.name not in ("extra", "compare_pairs"):
                data[f.name] = getattr(self, f.name)
        if self.compare_pairs:  # a list, oldest first: the file's keys are written sorted
            data["compare_pairs"] = [[k, *v] for k, v in self.compare_pairs.items()]
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


    def pair(self, case_id: str) -> tuple[str, str] | None:
        """The ids of the opinions last chosen for columns A and B of ``case_id``, or None
        (they may since have been deleted: ``core.compare.chosen_pair`` checks)."""
        return self.compare_pairs.get(case_id)

    @classmethod
    def remember_pair(cls, path: Path, case_id: str, pair: tuple[str, str]) -> AppState:
        """Re-read ``path``, remember ``pair`` for ``case_id`` as the newest choice (keeping
        the PAIRS_KEPT newest), save. Returns the state saved; raises OSError if it cannot be
        written, ValueError for an id that cannot be remembered."""
        if not is_case_id(case_id) or not all(map(_opinion_id, pair)):
            raise ValueError("not a case id and two opinion ids")
        current, _ = cls.load(path)
        pairs = {k: v for k, v in current.compare_pairs.items() if k != case_id}
        pairs[case_id] = (pair[0], pair[1])
        kept = dict(list(pairs.items())[-PAIRS_KEPT:])
        updated = replace(current, compare_pairs=kept)
        updated.save(path)
        return updated


def _opinion_id(value: object) -> bool:
    return (isinstance(value, str) and 0 < len(value) <= OPINION_ID_CHARS
            and value.isprintable() and value.strip() == value)


def _pairs(raw: object) -> tuple[dict[str, tuple[str, str]], bool]:
    """The usable pairs of ``raw`` (state.json's compare_pairs: [case id, A's id, B's id]
    entries, oldest first) and whether any was not usable."""
    if not isinstance(raw, list):
        return {}, True
    pairs: dict[str, tuple[str, str]] = {}
    for entry in raw:
        if (isinstance(entry, list) and len(entry) == 3 and is_case_id(entry[0])
                and all(map(_opinion_id, entry[1:]))):
            pairs.pop(entry[0], None)
            pairs[entry[0]] = (entry[1], entry[2])
    kept = dict(list(pairs.items())[-PAIRS_KEPT:])
    return kept, len(kept) != len(raw)


def _no_constant(name: str) -> Any:
    raise ValueError(name)  # NaN, Infinity: Python reads them, JSON (and our writer) has none


def _warning(path: Path, problem: str) -> str:
    return (
        f"{path}: {problem}; the app's remembered settings (theme, last case, compared "
        "opinions) start from the "
        "defaults and the file will be replaced when one changes"
    )
