"""A field of a document: its name, label, kind, the values it accepts and where it shows.

``FieldSpec.parse`` is the single place where text typed by a person (a form, ``secondview
set``) becomes a stored value, so the CLI and the app refuse the same bad input with the same
reason. The fields themselves (the schema) are declared in ``model``. Pure: no I/O.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from .choices import YES_NO_LABELS, label

MAX_TEXT = 20_000
"""Longest text a field takes. Long enough for a pasted report, short enough to stay fast."""


class Kind(Enum):
    """How a field's value is typed in and stored."""

    TEXT = "text"  # one line or many; stored as str
    CHOICE = "choice"  # one of ``choices``; stored as str
    BOOL = "bool"  # stored as bool; typed as yes/no/true/false/1/0
    DATE = "date"  # ISO date YYYY-MM-DD; stored as str, "" when unset
    INT = "int"  # stored as int
    NUMBER = "number"  # stored as float (ordering keys)
    REF = "ref"  # the id of a document in ``ref_table``; stored as str
    TIME = "time"  # a time of day, 24-hour HH:MM; stored as str, "" when unset
    ZONE = "zone"  # an IANA time zone name (Europe/Paris); stored as str, "" when unset


class InvalidValue(ValueError):
    """A value a field does not accept. The message says why, in words for the user."""


UNSTATED_CHOICES = frozenset({"unknown", "unsettled", ""})
"""Choice values that mean nobody said: a field holding one counts as empty."""

TRUE_WORDS = {"yes", "y", "true", "1", "on", "done"}
FALSE_WORDS = {"no", "n", "false", "0", "off", ""}


@dataclass(frozen=True)
class FieldSpec:
    """One field of a document: its name, label, kind and the values it accepts."""

    name: str
    label: str
    kind: Kind = Kind.TEXT
    choices: tuple[str, ...] = ()
    required: bool = False
    default: Any = None
    multiline: bool = False
    ref_table: str = ""
    help: str = ""
    least: int | None = None
    """The smallest whole number an INT field accepts (None: no bound)."""
    most: int | None = None
    """The largest whole number an INT field accepts (None: no bound)."""
    compared: int = 0
    """Where the field sits when two items are set side by side (``core.compare``): 0 not
    compared; else compared fields come by this rank (see COMPARE_SAID, COMPARE_CONTEXT),
    then in schema order."""
    listed: bool = True
    """Shown among the item's details (an opinion's full view); False for what the app keeps
    for itself or shows elsewhere (a number in the heading, a relation in the compare pane)."""
    in_brief: bool = False
    """Printed, when it holds text, where an item is summed up for a doctor new to the case:
    the brief export and the command line's overview."""
    labels: Mapping[str, str] = field(default_factory=dict, hash=False, compare=False)
    """A CHOICE field's label for each of its values (a table of ``core.choices``)."""
    was_bool: bool = False
    """A yes/no/unknown CHOICE that older versions stored as true/false, and that this one
    still stores so (``to_stored``), so a device not yet updated reads every file: its
    true/false reads as yes/no (``read_stored``)."""

    def empty(self) -> Any:
        """The value a document has for this field before anyone sets it."""
        if self.default is not None:
            return self.default
        return {Kind.BOOL: False, Kind.INT: 0, Kind.NUMBER: 0.0}.get(self.kind, "")

    def parse(self, raw: Any) -> Any:
        """Turn typed-in text (or an already typed value) into the stored value.

        Raises InvalidValue with a reason a person can act on.
        """
        kind = self.kind
        if kind is Kind.BOOL:
            return self._parse_bool(raw)
        if kind is Kind.INT:
            return self._parse_int(raw)
        if kind is Kind.NUMBER:
            return self._parse_number(raw)
        if kind is Kind.CHOICE and isinstance(raw, bool) and {"yes", "no"} <= set(self.choices):
            return "yes" if raw else "no"  # YAML's and older files' true/false
        if not isinstance(raw, str):
            raise InvalidValue(f"{self.name}: expected text, got {type(raw).__name__}")
        text = raw if self.multiline else raw.strip()
        if kind is Kind.CHOICE:
            return self._parse_choice(raw, text)
        if kind is Kind.DATE:
            return self._parse_date(raw, text)
        if kind is Kind.TIME:
            return self._parse_time(raw, text)
        if kind is Kind.ZONE:
            return self._parse_zone(raw, text)
        if self.required and not text.strip():
            raise InvalidValue(f"{self.name}: cannot be empty")
        if len(text) > MAX_TEXT:
            raise InvalidValue(f"{self.name}: longer than {MAX_TEXT:,} characters")
        return text

    def _parse_bool(self, raw: Any) -> bool:
        """``parse`` for a yes/no field: a bool as is, or one of the yes and no words."""
        if isinstance(raw, bool):
            return raw
        word = str(raw).strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise InvalidValue(f"{self.name}: '{raw}' is not yes or no")

    def _parse_int(self, raw: Any) -> int:
        """``parse`` for a whole-number field, within its bounds."""
        if isinstance(raw, bool):
            raise InvalidValue(f"{self.name}: expected a whole number")
        try:
            number = int(str(raw).strip())
        except ValueError:
            raise InvalidValue(f"{self.name}: '{raw}' is not a whole number") from None
        if (self.least is not None and number < self.least) or (
            self.most is not None and number > self.most
        ):
            raise InvalidValue(
                f"{self.name}: {number} is out of range; give a whole number from "
                f"{self.least} to {self.most}"
            )
        return number

    def _parse_number(self, raw: Any) -> float:
        """``parse`` for a number field: finite only."""
        if isinstance(raw, bool):
            raise InvalidValue(f"{self.name}: expected a number")
        try:
            value = float(str(raw).strip())
        except ValueError:
            raise InvalidValue(f"{self.name}: '{raw}' is not a number") from None
        if value != value or value in (float("inf"), float("-inf")):
            raise InvalidValue(f"{self.name}: '{raw}' is not a finite number")
        return value

    def _parse_choice(self, raw: str, text: str) -> Any:
        """``parse`` for a choice: words with spaces or dashes match the stored word."""
        word = text.strip().lower().replace("-", "_").replace(" ", "_")
        if word == "" and not self.required:
            return self.empty()
        if word not in self.choices:
            # the label a person reads is also what they may type ("lab results")
            by_label = {lab.casefold(): code for code, lab in self.labels.items()}
            word = by_label.get(text.strip().casefold(), word)
        if word not in self.choices:
            raise InvalidValue(
                f"{self.name}: '{raw}' is not one of: {', '.join(self.choices)}"
            )
        return word

    def _parse_date(self, raw: str, text: str) -> str:
        """``parse`` for a date: YYYY-MM-DD, or "" when the field is optional."""
        if text == "":
            if self.required:
                raise InvalidValue(f"{self.name}: a date is required (YYYY-MM-DD)")
            return ""
        try:
            return _dt.date.fromisoformat(text).isoformat()
        except ValueError:
            raise InvalidValue(
                f"{self.name}: '{raw}' is not a date; write it as YYYY-MM-DD"
            ) from None

    def _parse_time(self, raw: str, text: str) -> str:
        """``parse`` for a time of day: 24-hour HH:MM (9:30 is read as 09:30), or ""."""
        if text == "":
            if self.required:
                raise InvalidValue(f"{self.name}: a time is required (HH:MM, 24-hour)")
            return ""
        hours, sep, minutes = text.partition(":")
        if (sep and hours.isdigit() and minutes.isdigit() and len(hours) <= 2
                and len(minutes) == 2 and int(hours) < 24 and int(minutes) < 60):
            return f"{int(hours):02d}:{minutes}"
        raise InvalidValue(
            f"{self.name}: '{raw}' is not a time of day; write it as HH:MM, 24-hour (14:30)"
        )

    def _parse_zone(self, raw: str, text: str) -> str:
        """``parse`` for a time zone: a name from the IANA database (America/Chicago), or ""."""
        if text == "":
            if self.required:
                raise InvalidValue(f"{self.name}: a time zone is required (America/Chicago)")
            return ""
        if not _known_zone(text):
            raise InvalidValue(
                f"{self.name}: '{raw}' is not a time zone name this device knows; write "
                "it as Region/City, e.g. America/Chicago or Europe/London"
            )
        return text

    def accepts_stored(self, value: Any) -> bool:
        """Whether a value read from a file has the right type for this field."""
        kind = self.kind
        if kind is Kind.BOOL:
            return isinstance(value, bool)
        if kind is Kind.INT:
            return isinstance(value, int) and not isinstance(value, bool)
        if kind is Kind.NUMBER:
            return isinstance(value, (int, float)) and not isinstance(value, bool)
        return isinstance(value, str) or (self.was_bool and isinstance(value, bool))

    def to_stored(self, value: Any) -> Any:
        """A value as it goes into a file: a ``was_bool`` field's yes/no as true/false (the
        form older versions read; "unknown" stays text, see ``core.replica``'s ``apply``);
        anything else as it is."""
        if self.was_bool and value in ("yes", "no"):
            return value == "yes"
        return value

    def read_stored(self, value: Any) -> Any:
        """A value read from a file as this version holds it: an older version's true/false
        of a ``was_bool`` field as yes/no; anything else as it is."""
        if self.was_bool and type(value) is bool:
            return "yes" if value else "no"
        return value

    def label_of(self, value: Any) -> str:
        """A stored value as every screen, command and export shows it: a choice as its
        label ("labs" -> "Lab results"), a yes/no field as Yes or No, text as is, nothing as
        "". The one place a stored code becomes words."""
        if self.kind is Kind.BOOL:
            return YES_NO_LABELS[value is True]
        if self.kind is Kind.CHOICE:
            return label(self.labels, value) if isinstance(value, str) and value else ""
        if value is None:
            return ""
        return value if isinstance(value, str) else str(value)

    def words(self, value: Any) -> str:
        """``label_of``, except that a choice nobody stated (see UNSTATED_CHOICES) says
        nothing: how a document or a comparison prints a value."""
        if self.kind is Kind.CHOICE and (not isinstance(value, str) or value in UNSTATED_CHOICES):
            return ""
        return self.label_of(value)

    def describe(self) -> str:
        """A short description for ``--help`` and error messages."""
        if self.kind is Kind.CHOICE:
            return f"{self.name} ({'|'.join(self.choices)})"
        if self.kind is Kind.BOOL:
            return f"{self.name} (yes|no)"
        if self.kind is Kind.DATE:
            return f"{self.name} (YYYY-MM-DD)"
        if self.kind is Kind.TIME:
            return f"{self.name} (HH:MM)"
        if self.kind is Kind.ZONE:
            return f"{self.name} (Region/City)"
        if self.kind is Kind.INT and self.least is not None and self.most is not None:
            return f"{self.name} ({self.least}-{self.most})"
        if self.kind in (Kind.INT, Kind.NUMBER):
            return f"{self.name} (number)"
        if self.kind is Kind.REF:
            return f"{self.name} (id of a {self.ref_table} item)"
        return self.name


def _known_zone(name: str) -> bool:
    """Whether ``name`` is a time zone in this device's IANA database (never a path: names
    with dots or a leading slash are refused before the database is asked)."""
    if name.startswith("/") or ".." in name or len(name) > 64:
        return False
    # The time zone database is loaded when a zone is first checked, not with the schema,
    # which every start of the app imports (zoneinfo finds its database when imported).
    import zoneinfo

    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True
