"""secondview: a keyboard-driven terminal companion for getting a medical second opinion."""

__version__ = "0.1.0"
