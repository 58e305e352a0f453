"""Widgets: one class per module, named after it. They show what a screen gives them and
never touch files."""
