"""Snapshot tests share the Pilot tests' fixtures and helpers (tests/ui/ui_kit.py, importable
as ``ui_kit``: pyproject.toml's pytest ``pythonpath`` names tests/ui)."""

from ui_kit import make_app, utc_zone, world  # noqa: F401  (fixtures)
