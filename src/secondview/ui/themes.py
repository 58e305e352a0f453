"""Themes as data: ``themes/*.yaml`` (ours) and ``<config folder>/themes/*.yaml`` (the user's).

One theme per file; the keys are those of ``textual.theme.Theme``::

    name: my-theme              # required: letters, digits, '-' and '_' (it names a CSS class)
    description: ...            # optional, for people reading the file
    dark: true                  # optional, true when left out
    primary: "#4a90d9"          # required; quote colours: in YAML an unquoted '#' starts a comment
    secondary: "#6c7fa0"        # optional, like every other colour:
    accent: ...                 #   accent, foreground, background, surface, panel, boost,
    warning: ...                #   warning, error, success
    luminosity_spread: 0.15     # optional number from 0 to 1 (how far shades spread)
    text_alpha: 0.95            # optional number from 0 to 1 (how strongly text is drawn)
    variables:                  # optional: any of Textual's theme variables
      footer-key-foreground: "#1f5fa8"
      block-cursor-text-style: bold

A colour is anything ``textual.color.Color.parse`` reads: ``#rgb``, ``#rrggbb``,
``rgb(r, g, b)``, ``hsl(h, s%, l%)`` or a colour name such as ``white``. A variable takes a
colour (optionally followed by an opacity such as ``35%``; ``auto 87%`` picks black or white
by contrast) or, for the ``...-style`` variables, text-style words such as ``bold underline``.

``load_themes`` never raises for a bad file. A file that cannot be read or parsed, that is not
a mapping, that has no usable name or a colour Textual cannot parse, is skipped with a warning
naming the file and the field; an unknown key or a bad variable is left out with a warning and
the rest of the theme loads. A later folder's theme with the name of an earlier one replaces
it, and a warning says so. Files whose name starts with a dot are ignored (sync tools' temp
files).

Starting fast: importing yaml and parsing the files costs more than the rest of a warm start,
so the validated themes (and the warnings) are kept as JSON in a cache file, keyed by each
source file's path, mtime_ns and size (and this module's). When every key still matches, the
cache is used and yaml is never imported. Nothing happens when this module is imported.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any, Sequence

from textual.theme import BUILTIN_THEMES, Theme

from . import text

DEFAULT_THEME = "secondview-dark"
"""The theme used when neither state.json nor config.yaml names a usable one."""

FALLBACK_THEME = "textual-dark"
"""Used if even the default is missing (a broken install): Textual's own default."""

COLOUR_FIELDS = (
    "primary", "secondary", "accent", "foreground", "background", "surface", "panel",
    "boost", "warning", "error", "success",
)
NUMBER_FIELDS = ("luminosity_spread", "text_alpha")
KEYS = ("name", "description", "dark", *COLOUR_FIELDS, *NUMBER_FIELDS, "variables")
SUFFIXES = (".yaml", ".yml")
MAX_FILE_BYTES = 64_000
CACHE_FORMAT = 1
"""Raise when the cache's layout or the validation rules change: old caches are then ignored."""

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,47}")
_VARIABLE = re.compile(r"[a-z][a-z0-9-]{0,63}")
_OPACITY = re.compile(r"(?P<colour>.+?)\s+(?P<opacity>\d{1,3}(?:\.\d+)?%)")


def bundled_themes_dir() -> Path | None:
    """The themes folder shipped with the app: the source checkout's, else the installed one."""
    here = Path(__file__).resolve().parent  # src/secondview/ui
    checkout = here.parents[2]
    if (checkout / "src" / "secondview").is_dir() and (checkout / "themes").is_dir():
        return checkout / "themes"
    import importlib.resources  # deferred: only an installed copy needs it

    try:
        installed = importlib.resources.files("secondview") / "_themes"
    except (ModuleNotFoundError, TypeError):
        return None
    if isinstance(installed, Path) and installed.is_dir():
        return installed
    return None


def theme_dirs(config_dir: Path) -> list[Path]:
    """The folders to load, ours first: the bundled folder (if found), then the user's."""
    bundled = bundled_themes_dir()
    return [*([bundled] if bundled is not None else []), Path(config_dir) / "themes"]


def load_themes(
    dirs: Sequence[Path], cache_file: Path | None = None
) -> tuple[list[Theme], list[str]]:
    """The themes in ``dirs`` (later folders win a name clash) and warnings, one line each.

    A folder that does not exist adds nothing. With ``cache_file``: when the cache matches
    every source file (path, mtime_ns, size), the themes come from it (no YAML read); else the
    files are read and the cache is rewritten (``ensure_dir`` on its folder, then an atomic
    0600 write; a cache that cannot be written is silently skipped: it only saves time).
    Never raises for a bad theme file, a bad cache or an unwritable cache folder.
    """
    key, listing_ok = _cache_key(dirs)
    if cache_file is not None and listing_ok:
        cached = _read_cache(cache_file, key)
        if cached is not None:
            return cached
    fields, warnings = _load_files(dirs)
    if cache_file is not None and listing_ok:
        _write_cache(cache_file, key, fields, warnings)
    return [Theme(**f) for f in fields], warnings


# -- the cache -------------------------------------------------------------------------------


def _theme_files(folder: Path) -> list[Path]:
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


def _cache_key(dirs: Sequence[Path]) -> tuple[dict[str, Any], bool]:
    """What the cache must match, and False if a folder could not be listed (no caching)."""
    sources: list[list[Any]] = []
    ok = True
    for path in [Path(__file__), *(f for d in dirs for f in _listed(d))]:
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
        return list(_theme_files(Path(folder)))
    except OSError:
        return [None]


def _read_cache(cache_file: Path, key: dict[str, Any]) -> tuple[list[Theme], list[str]] | None:
    """The cached themes and warnings if the cache exists, is sound and matches ``key``."""
    try:
        with open(cache_file, "rb") as handle:
            cached = json.loads(handle.read())
        if cached.get("key") != key:
            return None
        themes = [Theme(**fields) for fields in cached["themes"]]
        warnings = [str(w) for w in cached["warnings"]]
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None  # missing, damaged or from another version: rebuilt from the files
    return themes, warnings


def _write_cache(
    cache_file: Path, key: dict[str, Any], fields: list[dict[str, Any]], warnings: list[str]
) -> None:
    from ..store.storage import atomic_write, ensure_dir

    data = {"key": key, "themes": fields, "warnings": warnings}
    try:
        ensure_dir(cache_file.parent)
        atomic_write(cache_file, json.dumps(data, ensure_ascii=False).encode("utf-8"))
    except OSError:
        pass  # a read-only cache folder: the next start reads the files again, that is all


# -- reading and checking the files --------------------------------------------------------


def _load_files(dirs: Sequence[Path]) -> tuple[list[dict[str, Any]], list[str]]:
    """Theme fields (Theme keyword arguments) from every file of ``dirs``, and warnings."""
    bundled = bundled_themes_dir()
    found: dict[str, tuple[dict[str, Any], str]] = {}
    warnings: list[str] = []
    for folder in dirs:
        folder = Path(folder)
        try:
            files = _theme_files(folder)
        except OSError as exc:
            warnings.append(
                f"{text.clean(folder)}: the themes folder cannot be read "
                f"({text.clean(exc.strerror or exc)}); its themes were skipped"
            )
            continue
        names_here: dict[str, str] = {}
        for path in files:
            ours = bundled is not None and folder == bundled
            shown = text.clean(f"themes/{path.name}" if ours else str(path))
            fields = _read_theme(path, shown, warnings)
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
            elif name in BUILTIN_THEMES:
                warnings.append(f"{shown}: the theme '{name}' replaces Textual's own '{name}'")
            found[name] = (fields, shown)
    return [fields for fields, _ in found.values()], warnings


def _read_theme(path: Path, shown: str, warnings: list[str]) -> dict[str, Any] | None:
    """One file's Theme keyword arguments, or None after adding why it was skipped."""
    import yaml  # deferred: a warm start never needs it (about 10 ms saved)

    skipped = "the theme was skipped"
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            warnings.append(f"{shown}: larger than {MAX_FILE_BYTES:,} bytes; {skipped}")
            return None
        source = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        warnings.append(f"{shown}: not UTF-8 text (save it as UTF-8); {skipped}")
        return None
    except OSError as exc:
        warnings.append(f"{shown}: cannot be read ({text.clean(exc.strerror or exc)}); {skipped}")
        return None
    try:
        data = yaml.safe_load(source)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f", line {mark.line + 1}" if mark is not None else ""
        what = getattr(exc, "problem", None) or "cannot be parsed"
        warnings.append(f"{shown}{where}: not valid YAML ({text.clean(what)}); {skipped}")
        return None
    if not isinstance(data, dict):
        warnings.append(
            f"{shown}: expected a theme (settings such as 'name: my-theme' and "
            f"'primary: \"#4a90d9\"', one per line); {skipped}"
        )
        return None
    return _check(data, shown, warnings)


def _check(data: dict[Any, Any], shown: str, warnings: list[str]) -> dict[str, Any] | None:
    """Validate one parsed theme; Theme keyword arguments, or None if it cannot be used."""
    skipped = "the theme was skipped"
    fields: dict[str, Any] = {}
    for key in data:
        if key not in KEYS:
            warnings.append(
                f"{shown}: {_shown(key)} is not a theme setting (ignored); the settings are: "
                + ", ".join(KEYS)
            )

    name = data.get("name")
    if name is None or name == "":
        warnings.append(f"{shown}: name: missing; a theme needs a name like 'my-theme'; {skipped}")
        return None
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        warnings.append(
            f"{shown}: name: {_shown(name)} is not usable; use letters, digits, '-' and '_' "
            f"(up to 48), like 'my-theme'; {skipped}"
        )
        return None
    fields["name"] = name

    dark = data.get("dark", True)
    if not isinstance(dark, bool):
        warnings.append(f"{shown}: dark: {_shown(dark)} should be true or false; {skipped}")
        return None
    fields["dark"] = dark

    if "primary" not in data:
        warnings.append(f"{shown}: primary: missing; every theme needs a primary colour; {skipped}")
        return None
    for key in COLOUR_FIELDS:
        if key not in data:
            continue
        value = data[key]
        problem = _colour_problem(value)
        if problem:
            warnings.append(f"{shown}: {key}: {problem}; {skipped}")
            return None
        fields[key] = value

    for key in NUMBER_FIELDS:
        if key not in data:
            continue
        value = data[key]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            warnings.append(
                f"{shown}: {key}: {_shown(value)} should be a number from 0 to 1; {skipped}"
            )
            return None
        fields[key] = float(value)

    description = data.get("description")
    if description is not None and not isinstance(description, str):
        warnings.append(f"{shown}: description: should be text (ignored)")

    variables = data.get("variables")
    if variables is not None:
        fields["variables"] = _check_variables(variables, shown, warnings)

    # Last, let Textual build the colour system, as it will when the theme is chosen.
    try:
        Theme(**fields).to_color_system().generate()
    except Exception as exc:  # noqa: BLE001 - any failure here must skip the file, not crash
        warnings.append(f"{shown}: Textual cannot use this theme ({text.clean(exc)}); {skipped}")
        return None
    return fields


def _check_variables(variables: Any, shown: str, warnings: list[str]) -> dict[str, str]:
    """The usable variables; each unusable one is left out with a warning."""
    from textual.design import ColorSystem

    if not isinstance(variables, dict):
        warnings.append(
            f"{shown}: variables: should be settings like 'footer-key-foreground: \"#ffaa00\"' "
            "(ignored)"
        )
        return {}
    defaults = ColorSystem(primary="#000000", dark=True).generate()
    kept: dict[str, str] = {}
    for name, value in variables.items():
        field = f"variables.{_shown(name, quote=False)}"
        if not isinstance(name, str) or not _VARIABLE.fullmatch(name):
            warnings.append(
                f"{shown}: {field}: not a variable name like 'footer-key-foreground' (ignored)"
            )
            continue
        kind = _value_kind(value)
        if kind is None:
            warnings.append(
                f"{shown}: {field}: {_shown(value)} is neither a colour (such as '#ffaa00' or "
                "'#ffaa00 50%') nor text-style words (such as 'bold underline') (ignored)"
            )
            continue
        if name in defaults:
            wanted = _value_kind(defaults[name])
            if wanted is not None and kind != wanted:
                example = (
                    "a colour such as '#ffaa00'" if wanted == "colour"
                    else "text-style words such as 'bold'"
                )
                warnings.append(f"{shown}: {field}: {_shown(value)} should be {example} (ignored)")
                continue
        else:
            warnings.append(
                f"{shown}: {field}: not one of Textual's theme variables (a typo?); kept, "
                "but only a style sheet that uses it will see it"
            )
        kept[name] = value
    return kept


def _colour_problem(value: Any) -> str:
    """Why ``value`` is not a colour Textual can parse, or "" if it is one."""
    from textual.color import Color, ColorParseError

    if value is None:
        return (
            "empty; write colours in quotes (\"#4a90d9\"): in YAML an unquoted '#' starts a "
            "comment"
        )
    if not isinstance(value, str):
        return f"{_shown(value)} is not a colour; write it in quotes, like \"#4a90d9\""
    try:
        Color.parse(value)
    except ColorParseError:
        return (
            f"{_shown(value)} is not a colour Textual knows; use '#rrggbb', 'rgb(r, g, b)', "
            "'hsl(h, s%, l%)' or a colour name such as 'white'"
        )
    return ""


def _value_kind(value: Any) -> str | None:
    """"colour" or "style" for a usable variable value, else None."""
    from textual.color import Color, ColorParseError
    from textual.css.constants import VALID_STYLE_FLAGS

    if not isinstance(value, str) or not value.strip() or len(value) > 80:
        return None
    value = value.strip()
    if value in ("initial", "transparent", "auto"):
        return "colour"
    match = _OPACITY.fullmatch(value)
    colour = match["colour"] if match else value
    if colour == "auto" and match:
        return "colour"
    try:
        Color.parse(colour)
        return "colour"
    except ColorParseError:
        pass
    if not match and all(word in VALID_STYLE_FLAGS for word in value.split()):
        return "style"
    return None


def _shown(value: Any, quote: bool = True) -> str:
    """A value from a user's file, safe and short enough for a one-line message."""
    shown = text.clean(value if isinstance(value, str) else repr(value))
    if len(shown) > 40:
        shown = shown[:39] + text.ELLIPSIS
    return f"'{shown}'" if quote and isinstance(value, str) else shown
