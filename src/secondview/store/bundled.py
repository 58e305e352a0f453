"""Where a folder shipped with the app lives: the content set and the themes.

Standard library only (read at start, before the first frame).
"""

from __future__ import annotations

from pathlib import Path


def bundled_dir(name: str) -> Path | None:
    """The folder ``name`` shipped with the app: the source checkout's ``<root>/name``, else
    the installed package's ``secondview/_name``; None when neither is there. Reads nothing
    but the two folders' existence."""
    checkout = Path(__file__).resolve().parents[3]  # src/secondview/store -> the checkout
    if (checkout / "src" / "secondview").is_dir() and (checkout / name).is_dir():
        return checkout / name
    import importlib.resources  # deferred: only an installed copy needs it

    try:
        installed = importlib.resources.files("secondview") / f"_{name}"
    except (ModuleNotFoundError, TypeError):
        return None
    if isinstance(installed, Path) and installed.is_dir():
        return installed
    return None
