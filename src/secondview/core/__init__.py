"""Pure domain logic: no I/O, no UI. Never imports textual (tests/unit/test_layering.py)."""
