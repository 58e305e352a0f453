"""Snapshot tests share the Pilot tests' fixtures and helpers (tests/ui/ui_kit.py)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "ui"))

from ui_kit import make_app, utc_zone, world  # noqa: E402,F401  (fixtures)
