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

Where the work is done: ``store/theme_files.py`` finds and reads the files and keeps the JSON
cache that lets a warm start skip yaml (see there); ``core/themes.py`` checks a parsed theme
(pure, no textual). This module only supplies what Textual decides (``TextualKit``: does a
colour parse, can the colour system be built) and turns the checked fields into
``textual.theme.Theme`` objects. Nothing happens when this module is imported.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

from textual.theme import BUILTIN_THEMES, Theme

from ..store import theme_files
from . import text

DEFAULT_THEME = "secondview-dark"
"""The theme used when neither state.json nor config.yaml names a usable one."""

FALLBACK_THEME = "textual-dark"
"""Used if even the default is missing (a broken install): Textual's own default."""

bundled_themes_dir = theme_files.bundled_themes_dir


def theme_dirs(config_dir: Path) -> list[Path]:
    """The folders to load, ours first: the bundled folder (if found), then the user's."""
    bundled = bundled_themes_dir()
    return [*([bundled] if bundled is not None else []), Path(config_dir) / "themes"]


def load_themes(
    dirs: Sequence[Path], cache_file: Path | None = None
) -> tuple[list[Theme], list[str]]:
    """The themes in ``dirs`` (later folders win a name clash) and warnings, one line each.

    ``store.theme_files.load_themes`` with Textual as the judge of colours; see there. With
    ``cache_file`` a warm start reads only the cache (no YAML). Side effects: rewrites
    ``cache_file`` (0600, atomic) when a theme file changed. Never raises for a bad theme
    file, a bad cache or an unwritable cache folder.
    """
    return theme_files.load_themes(
        dirs, cache_file, TEXTUAL_KIT, _theme, BUILTIN_THEMES, (Path(__file__),)
    )


def _theme(fields: dict[str, Any]) -> Theme:
    return Theme(**fields)


class TextualKit:
    """What Textual decides about a theme, for ``core.themes`` (only used on a cold start)."""

    def clean(self, value: Any) -> str:
        return text.clean(value)

    def colour_parses(self, value: str) -> bool:
        from textual.color import Color, ColorParseError

        try:
            Color.parse(value)
        except ColorParseError:
            return False
        return True

    def style_words(self) -> Collection[str]:
        from textual.css.constants import VALID_STYLE_FLAGS

        return VALID_STYLE_FLAGS

    def variable_defaults(self) -> Mapping[str, str]:
        from textual.design import ColorSystem

        return ColorSystem(primary="#000000", dark=True).generate()

    def build_problem(self, fields: Mapping[str, Any]) -> str | None:
        try:
            Theme(**fields).to_color_system().generate()
        except Exception as exc:  # noqa: BLE001 - any failure here must skip the file, not crash
            return text.clean(exc)
        return None


TEXTUAL_KIT = TextualKit()
