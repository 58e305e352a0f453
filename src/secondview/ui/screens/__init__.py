"""Screens: one class per module, named after it. Screens own the case shown and save
through the repository; widgets never touch files."""
