"""The errors the store raises about a case; each message is for the person, as it stands."""

from __future__ import annotations


class CaseError(Exception):
    """A request about a case that cannot be met; the message is for the user."""


class CaseNotFound(CaseError):
    """No case answers to the name or id given (or the folder went away)."""


class ReadOnlyCase(CaseError):
    """The case cannot be edited here; the message says why."""
