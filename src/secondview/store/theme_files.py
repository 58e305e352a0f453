"""Theme files on disk: finding them, reading them, and the JSON cache of the checked themes.

The format is described in ``ui/themes.py``; the checking is ``core/themes.py`` (pure); the
UI turns the resulting keyword arguments into Textual themes. This module never imports
textual: what needs the toolkit is asked of the ``core.themes.Toolkit`` the caller passes.

Starting fast: importing yaml and parsing the files costs more than the rest of a warm start,
so the checked themes (and the warnings) are kept as JSON in a cache file, keyed by each
source file's path, mtime_ns and size (and those of the modules that check them). When every
key still matches, the cache is used: no theme file is read and yaml is never imported.
Nothing happens when this module is imported.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .bundled import bundled_dir

if TYPE_CHECKING:
    from ..core.themes import Toolkit

SUFFIXES = (".yaml", ".yml")
MAX_FILE_BYTES = 64_000
CACHE_FORMAT = 1
"""Raise when the cache's layout or the validation rules change: old caches are then ignored."""

CODE_FILES = (Path(__file__), Path(__file__).resolve().parents[1] / "core" / "themes.py")
"""Part of the cache key: a changed checker (say, in a source checkout) rebuilds the cache."""

T = TypeVar("T")


def bundled_themes_dir() -> Path | None:
    """The themes folder shipped with the app: the source checkout's, else the installed one."""
    return bundled_dir("themes")


def load_themes(
    dirs: Sequence[Path],
    cache_file: Path | None,
    kit: Toolkit,
    make: Callable[[dict[str, Any]], T],
    builtin_names: Collection[str] = (),
    code_files: Sequence[Path] = (),
) -> tuple[list[T], list[str]]:
    """``make(fields)`` for each theme in ``dirs`` (later folders win a name clash), and
    warnings, one line each.

    A folder that does not exist adds nothing. With ``cache_file``: when the cache matches
    every source file (path, mtime_ns, size; ``code_files`` too), the themes come from it (no
    YAML read); else the files are read, checked (``core.themes`` with ``kit``) and the cache
    is rewritten (``ensure_dir`` on its folder, then an atomic 0600 write; a cache that cannot
    be written is silently skipped: it only saves time). A theme named like one of
    ``builtin_names`` (the toolkit's own) replaces it, with a warning. ``make`` raising
    TypeError or ValueError on cached fields means a stale cache: it is rebuilt.
    Never raises for a bad theme file, a bad cache or an unwritable cache folder.
    """
    key, listing_ok = _cache_key(dirs, code_files)
    if cache_file is not None and listing_ok:
        cached = _read_cache(cache_file, key, make)
        if cached is not None:
            return cached
    fields, warnings = _load_files(dirs, kit, builtin_names)
    if cache_file is not None and listing_ok:
        _write_cache(cache_file, key, fields, warnings)
    return [make(f) for f in fields], warnings


# -- the cache -------------------------------------------------------------------------------


def theme_files(folder: Path) -> list[Path]:
    """The theme files of ``folder``, sorted by name; [] if it does not exist. Raises OSError."""
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return []
    return sorted(
        Path(entry.path)
        for entry in entries
        if entry.name.endswith(SUFFIXES) and not entry.name.startswith(".") and entry.is_file()
    )


def _cache_key(dirs: Sequence[Path], code_files: Sequence[Path]) -> tuple[dict[str, Any], bool]:
    """What the cache must match, and False if a folder could not be listed (no caching)."""
    sources: list[list[Any]] = []
    ok = True
    for path in [*CODE_FILES, *code_files, *(f for d in dirs for f in _listed(d))]:
        if path is None:
            ok = False
            continue
        try:
            st = path.stat()
        except OSError:
            ok = False
            continue
        sources.append([str(path), st.st_mtime_ns, st.st_size])
    return {"format": CACHE_FORMAT, "dirs": [str(d) for d in dirs], "sources": sources}, ok


def _listed(folder: Path) -> list[Path | None]:
    try:
        return list(theme_files(Path(folder)))
    except OSError:
        return [None]


def _read_cache(
    cache_file: Path, key: dict[str, Any], make: Callable[[dict[str, Any]], T]
) -> tuple[list[T], list[str]] | None:
    """The cached themes and warnings if the cache exists, is sound and matches ``key``."""
    try:
        with open(cache_file, "rb") as handle:
            cached = json.loads(handle.read())
        if cached.get("key") != key:
            return None
        themes = [make(fields) for fields in cached["themes"]]
        warnings = [str(w) for w in cached["warnings"]]
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None  # missing, damaged or from another version: rebuilt from the files
    return themes, warnings


def _write_cache(
    cache_file: Path, key: dict[str, Any], fields: list[dict[str, Any]], warnings: list[str]
) -> None:
    from .storage import atomic_write, ensure_dir

    data = {"key": key, "themes": fields, "warnings": warnings}
    try:
        ensure_dir(cache_file.parent)
        atomic_write(cache_file, json.dumps(data, ensure_ascii=False).encode("utf-8"))
    except OSError:
        pass  # a read-only cache folder: the next start reads the files again, that is all


# -- reading the files ---------------------------------------------------------------------


def _load_files(
    dirs: Sequence[Path], kit: Toolkit, builtin_names: Collection[str]
) -> tuple[list[dict[str, Any]], list[str]]:
    """Theme fields (theme keyword arguments) from every file of ``dirs``, and warnings."""
    bundled = bundled_themes_dir()
    found: dict[str, tuple[dict[str, Any], str]] = {}
    warnings: list[str] = []
    for folder in dirs:
        folder = Path(folder)
        try:
            files = theme_files(folder)
        except OSError as exc:
            warnings.append(
                f"{kit.clean(folder)}: the themes folder cannot be read "
                f"({kit.clean(exc.strerror or exc)}); its themes were skipped"
            )
            continue
        names_here: dict[str, str] = {}
        for path in files:
            ours = bundled is not None and folder == bundled
            shown = kit.clean(f"themes/{path.name}" if ours else str(path))
            fields = _read_theme(path, shown, warnings, kit)
            if fields is None:
                continue
            name = fields["name"]
            if name in names_here:
                warnings.append(
                    f"{shown}: name: '{name}' is also the name of {names_here[name]}; this "
                    "file was skipped (give each theme its own name)"
                )
                continue
            names_here[name] = shown
            if name in found:
                warnings.append(
                    f"{shown}: the theme '{name}' replaces the one from {found[name][1]}"
                )
                del found[name]
            elif name in builtin_names:
                warnings.append(f"{shown}: the theme '{name}' replaces Textual's own '{name}'")
            found[name] = (fields, shown)
    return [fields for fields, _ in found.values()], warnings


def _read_theme(path: Path, shown: str, warnings: list[str], kit: Toolkit
                ) -> dict[str, Any] | None:
    """One file's theme keyword arguments, or None after adding why it was skipped."""
    from ..core.themes import SKIPPED, parse_theme

    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            warnings.append(f"{shown}: larger than {MAX_FILE_BYTES:,} bytes; {SKIPPED}")
            return None
        source = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        warnings.append(f"{shown}: not UTF-8 text (save it as UTF-8); {SKIPPED}")
        return None
    except OSError as exc:
        warnings.append(f"{shown}: cannot be read ({kit.clean(exc.strerror or exc)}); {SKIPPED}")
        return None
    return parse_theme(source, shown, warnings, kit)
