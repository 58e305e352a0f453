"""Fixtures for Pilot tests of the real app; they and the helpers live in ui_kit.py."""

from ui_kit import make_app, utc_zone, world  # noqa: F401  (fixtures)
