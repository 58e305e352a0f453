"""Checking a theme file's text: YAML in, the keyword arguments of a theme out (or warnings).

The format of a theme file is described in ``ui/themes.py``. This module is pure: it never
reads a file (``store/theme_files.py`` does) and never imports textual. What only the UI
toolkit can judge (does a colour parse, which words are text styles, can the toolkit build
the theme's colours) is asked of a ``Toolkit`` the caller passes in; the UI passes one backed
by Textual. Every result is plain data: dicts of str, bool, float and dict.

Each problem adds one warning line naming the file (``shown``) and the field. A theme that
cannot be used returns None; an unknown key or a bad variable is left out and the rest kept.
Importing this module does nothing but compile three regular expressions.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from typing import Any, Protocol

COLOUR_FIELDS = (
    "primary", "secondary", "accent", "foreground", "background", "surface", "panel",
    "boost", "warning", "error", "success",
)
NUMBER_FIELDS = ("luminosity_spread", "text_alpha")
KEYS = ("name", "description", "dark", *COLOUR_FIELDS, *NUMBER_FIELDS, "variables")
SKIPPED = "the theme was skipped"
ELLIPSIS = "\u2026"

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,47}")
_VARIABLE = re.compile(r"[a-z][a-z0-9-]{0,63}")
_OPACITY = re.compile(r"(?P<colour>.+?)\s+(?P<opacity>\d{1,3}(?:\.\d+)?%)")


class Toolkit(Protocol):
    """What the UI toolkit decides about a theme (the UI passes one backed by Textual)."""

    def clean(self, value: Any) -> str:
        """A user's value as safe one-line text (controls made visible)."""

    def colour_parses(self, value: str) -> bool:
        """True if the toolkit reads ``value`` as a colour."""

    def style_words(self) -> Collection[str]:
        """The text-style words (bold, underline, ...)."""

    def variable_defaults(self) -> Mapping[str, str]:
        """Every theme variable the toolkit knows, with a default value of the right kind."""

    def build_problem(self, fields: Mapping[str, Any]) -> str | None:
        """Why the toolkit cannot build a theme from ``fields`` (safe text), or None if it can."""


def parse_theme(source: str, shown: str, warnings: list[str], kit: Toolkit
                ) -> dict[str, Any] | None:
    """One theme file's text (``source``) -> theme keyword arguments, or None after adding
    why it was skipped to ``warnings``. Pure (imports yaml on first use)."""
    import yaml  # deferred: a warm start never needs it, and the first frame would wait

    try:
        data = yaml.safe_load(source)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f", line {mark.line + 1}" if mark is not None else ""
        what = getattr(exc, "problem", None) or "cannot be parsed"
        warnings.append(f"{shown}{where}: not valid YAML ({kit.clean(what)}); {SKIPPED}")
        return None
    if not isinstance(data, dict):
        warnings.append(
            f"{shown}: expected a theme (settings such as 'name: my-theme' and "
            f"'primary: \"#4a90d9\"', one per line); {SKIPPED}"
        )
        return None
    return check_theme(data, shown, warnings, kit)


def check_theme(data: Mapping[Any, Any], shown: str, warnings: list[str], kit: Toolkit
                ) -> dict[str, Any] | None:
    """Validate one parsed theme; theme keyword arguments, or None if it cannot be used.

    Appends a warning to ``warnings`` for each problem; a problem that makes the theme unusable
    is the last one reported.
    """
    for key in data:
        if key not in KEYS:
            warnings.append(
                f"{shown}: {_shown(key, kit)} is not a theme setting (ignored); the settings "
                "are: " + ", ".join(KEYS)
            )
    fields: dict[str, Any] = {}
    for step in (_check_identity, _check_colours, _check_numbers):
        found = step(data, shown, warnings, kit)
        if found is None:
            return None
        fields.update(found)

    description = data.get("description")
    if description is not None and not isinstance(description, str):
        warnings.append(f"{shown}: description: should be text (ignored)")

    variables = data.get("variables")
    if variables is not None:
        fields["variables"] = _check_variables(variables, shown, warnings, kit)

    # Last, let the toolkit build the colour system, as it will when the theme is chosen.
    problem = kit.build_problem(fields)
    if problem is not None:
        warnings.append(f"{shown}: Textual cannot use this theme ({problem}); {SKIPPED}")
        return None
    return fields


def _check_identity(data: Mapping[Any, Any], shown: str, warnings: list[str], kit: Toolkit
                    ) -> dict[str, Any] | None:
    """The theme's name and darkness; None (with a warning appended) if either is unusable."""
    name = data.get("name")
    if name is None or name == "":
        warnings.append(f"{shown}: name: missing; a theme needs a name like 'my-theme'; {SKIPPED}")
        return None
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        warnings.append(
            f"{shown}: name: {_shown(name, kit)} is not usable; use letters, digits, '-' and "
            f"'_' (up to 48), like 'my-theme'; {SKIPPED}"
        )
        return None
    dark = data.get("dark", True)
    if not isinstance(dark, bool):
        warnings.append(f"{shown}: dark: {_shown(dark, kit)} should be true or false; {SKIPPED}")
        return None
    return {"name": name, "dark": dark}


def _check_colours(data: Mapping[Any, Any], shown: str, warnings: list[str], kit: Toolkit
                   ) -> dict[str, Any] | None:
    """The colours given (primary is required); None (with a warning appended) if one is
    missing or unusable."""
    if "primary" not in data:
        warnings.append(f"{shown}: primary: missing; every theme needs a primary color; {SKIPPED}")
        return None
    colours: dict[str, Any] = {}
    for key in COLOUR_FIELDS:
        if key not in data:
            continue
        value = data[key]
        problem = _colour_problem(value, kit)
        if problem:
            warnings.append(f"{shown}: {key}: {problem}; {SKIPPED}")
            return None
        colours[key] = value
    return colours


def _check_numbers(data: Mapping[Any, Any], shown: str, warnings: list[str], kit: Toolkit
                   ) -> dict[str, Any] | None:
    """The numbers given (each from 0 to 1); None (with a warning appended) if one is not."""
    numbers: dict[str, Any] = {}
    for key in NUMBER_FIELDS:
        if key not in data:
            continue
        value = data[key]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            warnings.append(
                f"{shown}: {key}: {_shown(value, kit)} should be a number from 0 to 1; {SKIPPED}"
            )
            return None
        numbers[key] = float(value)
    return numbers


def _check_variables(variables: Any, shown: str, warnings: list[str], kit: Toolkit
                     ) -> dict[str, str]:
    """The usable variables; each unusable one is left out with a warning."""
    if not isinstance(variables, dict):
        warnings.append(
            f"{shown}: variables: should be settings like 'footer-key-foreground: \"#ffaa00\"' "
            "(ignored)"
        )
        return {}
    defaults = kit.variable_defaults()
    kept: dict[str, str] = {}
    for name, value in variables.items():
        field = f"variables.{_shown(name, kit, quote=False)}"
        if not isinstance(name, str) or not _VARIABLE.fullmatch(name):
            warnings.append(
                f"{shown}: {field}: not a variable name like 'footer-key-foreground' (ignored)"
            )
            continue
        kind = _value_kind(value, kit)
        if kind is None:
            warnings.append(
                f"{shown}: {field}: {_shown(value, kit)} is neither a color (such as '#ffaa00' "
                "or '#ffaa00 50%') nor text-style words (such as 'bold underline') (ignored)"
            )
            continue
        if name in defaults:
            wanted = _value_kind(defaults[name], kit)
            if wanted is not None and kind != wanted:
                example = (
                    "a color such as '#ffaa00'" if wanted == "colour"
                    else "text-style words such as 'bold'"
                )
                warnings.append(
                    f"{shown}: {field}: {_shown(value, kit)} should be {example} (ignored)"
                )
                continue
        else:
            warnings.append(
                f"{shown}: {field}: not one of Textual's theme variables (a typo?); kept, "
                "but only a style sheet that uses it will see it"
            )
        kept[name] = value
    return kept


def _colour_problem(value: Any, kit: Toolkit) -> str:
    """Why ``value`` is not a colour the toolkit can parse, or "" if it is one."""
    if value is None:
        return (
            "empty; write colours in quotes (\"#4a90d9\"): in YAML an unquoted '#' starts a "
            "comment"
        )
    if not isinstance(value, str):
        return f"{_shown(value, kit)} is not a color; write it in quotes, like \"#4a90d9\""
    if not kit.colour_parses(value):
        return (
            f"{_shown(value, kit)} is not a color Textual knows; use '#rrggbb', "
            "'rgb(r, g, b)', 'hsl(h, s%, l%)' or a color name such as 'white'"
        )
    return ""


def _value_kind(value: Any, kit: Toolkit) -> str | None:
    """"colour" or "style" for a usable variable value, else None."""
    if not isinstance(value, str) or not value.strip() or len(value) > 80:
        return None
    value = value.strip()
    if value in ("initial", "transparent", "auto"):
        return "colour"
    match = _OPACITY.fullmatch(value)
    colour = match["colour"] if match else value
    if colour == "auto" and match:
        return "colour"
    if kit.colour_parses(colour):
        return "colour"
    if not match and all(word in kit.style_words() for word in value.split()):
        return "style"
    return None


def _shown(value: Any, kit: Toolkit, quote: bool = True) -> str:
    """A value from a user's file, safe and short enough for a one-line message."""
    shown = kit.clean(value if isinstance(value, str) else repr(value))
    if len(shown) > 40:
        shown = shown[:39] + ELLIPSIS
    return f"'{shown}'" if quote and isinstance(value, str) else shown
