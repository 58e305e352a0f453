"""Reading an export's bytes into FHIR resources: ``parse``, ``Parsed`` and ``Resource``.

An export is a Bundle (JSON), a single resource, a JSON list of resources, or NDJSON (one
resource per line, as FHIR bulk exports write them). Bundles inside bundles are opened, at
most MAX_NESTING deep. What cannot be read as resources (not UTF-8, bad JSON, an entry that is
not an object, a resource without ``resourceType``, a number JSON does not allow such as
``NaN`` or one too large to hold) becomes a problem naming where it is; ``parse`` never
raises. Pure; nothing happens when this module is imported.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .values import json_type

MAX_NESTING = 8
"""Bundles inside bundles opened at most this deep."""


@dataclass(frozen=True, slots=True)  # an export holds 100,000 of them: no __dict__ each
class Resource:
    """One resource found in the file, with where it was (for messages) and its fullUrl."""

    data: Mapping[str, Any]
    where: str
    full_url: str = ""

    @property
    def type(self) -> str:
        """Its ``resourceType`` (text: ``parse`` keeps no resource without one)."""
        rtype: str = self.data["resourceType"]
        return rtype


@dataclass(frozen=True)
class Parsed:
    """What ``parse`` found: the resources, the problems (malformed input) and the file's form."""

    resources: tuple[Resource, ...]
    problems: tuple[str, ...] = ()
    form: str = ""
    """"Bundle", "resource", "list" or "NDJSON"."""
    empty_entries: int = 0
    """Bundle entries with no resource (a deleted one in a history, a response): skipped."""


class _NotANumber(ValueError):
    """A number JSON does not allow (``NaN``, ``Infinity``) or too large to hold, which
    Python's decoder would otherwise accept."""

    def __init__(self, token: str) -> None:
        super().__init__(token)
        self.token = token

    def reason(self) -> str:
        if self.token.lstrip("-") in ("NaN", "Infinity"):
            return f"{self.token} is not a number JSON allows"
        return f"{self.token} is too large a number"

    def where(self, text: str) -> str:
        """" at line L, column C" of the token's first use as a value in ``text``, or ""."""
        found = re.search(rf"(?<![\w.\"]){re.escape(self.token)}(?![\w.\"])", text)
        if found is None:
            return ""
        line = text.count("\n", 0, found.start()) + 1
        column = found.start() - text.rfind("\n", 0, found.start())
        return f" at line {line}, column {column}"


def _constant(token: str) -> float:
    raise _NotANumber(token)


def _finite(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value):
        raise _NotANumber(literal)
    return value


SHARED_TEXT_CHARS = 80
"""Text values up to this long are held once however often they occur (``_Sharing``)."""


class _Sharing:
    """An ``object_hook`` that makes equal short text values of an export one object.

    A bulk export repeats the same words in every resource ("final", "http://loinc.org",
    a unit, a category, the patient's reference): the decoder makes a new string each time,
    a sixth of the decoded export. Shared, they are held once; nothing else changes."""

    def __init__(self) -> None:
        self.seen: dict[str, str] = {}

    def __call__(self, obj: dict[str, Any]) -> dict[str, Any]:
        seen = self.seen
        for key, value in obj.items():
            if type(value) is str and len(value) <= SHARED_TEXT_CHARS:
                obj[key] = seen.setdefault(value, value)
        return obj


def _loads(text: str, sharing: _Sharing | None = None) -> object:
    """``json.loads``, refusing the numbers JSON does not allow (``_NotANumber``); with
    ``sharing``, equal short text values become one object (across calls that share it)."""
    return json.loads(text, parse_constant=_constant, parse_float=_finite,
                      object_hook=sharing)


class _Reader:
    """Collects resources from decoded JSON values, opening bundles."""

    def __init__(self) -> None:
        self.resources: list[Resource] = []
        self.problems: list[str] = []
        self.empty_entries = 0

    def parsed(self, form: str) -> Parsed:
        return Parsed(tuple(self.resources), tuple(self.problems), form, self.empty_entries)

    def take(self, value: object, where: str, full_url: str = "", depth: int = 0) -> None:
        """Keep ``value`` as a resource, open it if a Bundle, or note why it is neither."""
        if not isinstance(value, dict):
            self.problems.append(f"{where}: expected a FHIR resource (an object), "
                                 f"found {json_type(value)}")
            return
        rtype = value.get("resourceType")
        if not isinstance(rtype, str) or not rtype.strip():
            self.problems.append(f"{where}: not a FHIR resource (no resourceType)")
            return
        rid = value.get("id")
        if rid is not None and not isinstance(rid, str):
            self.problems.append(f"{where} ({rtype}): id should be text, found {json_type(rid)}")
            return
        if rtype != "Bundle":
            self.resources.append(Resource(value, where, full_url))
            return
        if depth >= MAX_NESTING:
            self.problems.append(f"{where}: bundles nested more than {MAX_NESTING} deep")
            return
        entries = value.get("entry", [])
        if not isinstance(entries, list):
            self.problems.append(f"{where} (Bundle): entry should be a list, "
                                 f"found {json_type(entries)}")
            return
        for n, entry in enumerate(entries, start=1):
            here = f"entry {n}" if depth == 0 and where == "the file" else f"{where}, entry {n}"
            self._entry(entry, here, depth)

    def _entry(self, entry: object, here: str, depth: int) -> None:
        if not isinstance(entry, dict):
            self.problems.append(f"{here}: expected an object, found {json_type(entry)}")
            return
        url = entry.get("fullUrl", "")
        if not isinstance(url, str):
            self.problems.append(f"{here}: fullUrl should be text, found {json_type(url)}")
            return
        if "resource" not in entry:
            self.empty_entries += 1
            return
        self.take(entry["resource"], here, url, depth + 1)


def parse(data: bytes) -> Parsed:
    """Read an export's bytes: a Bundle, one resource, a JSON list, or NDJSON. Never raises."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return Parsed((), (f"not UTF-8 text (byte {exc.start + 1}); FHIR JSON is UTF-8",))
    if not text.strip():
        return Parsed((), ("the file is empty",))
    try:
        whole = _loads(text, _Sharing())
    except _NotANumber as exc:
        return Parsed((), (f"not valid JSON{exc.where(text)} ({exc.reason()})",))
    except RecursionError:
        return Parsed((), ("the JSON is nested too deeply to be a FHIR export",))
    except ValueError as exc:
        return _parse_lines(text, exc)
    return _parse_whole(whole)


def _parse_whole(whole: object) -> Parsed:
    """The file as one JSON value: a list of resources, a Bundle or one resource."""
    reader = _Reader()
    if isinstance(whole, list):
        for n, value in enumerate(whole, start=1):
            reader.take(value, f"item {n}")
        return reader.parsed("list")
    reader.take(whole, "the file")
    bundle = isinstance(whole, dict) and whole.get("resourceType") == "Bundle"
    return reader.parsed("Bundle" if bundle else "resource")


def _parse_lines(text: str, error: ValueError) -> Parsed:
    """The file that is not one JSON value: NDJSON if its first line is JSON and it has more
    than one line; else not JSON at all (``error`` says why)."""
    lines = text.splitlines()
    if not _is_ndjson(lines):
        return Parsed((), (f"not valid JSON{_where(error)} ({_reason(error)}); expected a FHIR "
                           "Bundle, a resource, or NDJSON (one resource per line)",))
    reader = _Reader()
    sharing = _Sharing()
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            value = _loads(line, sharing)
        except _NotANumber as exc:
            reader.problems.append(f"line {n}: not valid JSON ({exc.reason()})")
            continue
        except RecursionError:
            reader.problems.append(f"line {n}: nested too deeply")
            continue
        except ValueError as exc:
            reader.problems.append(f"line {n}: not valid JSON ({_reason(exc)})")
            continue
        reader.take(value, f"line {n}")
    return reader.parsed("NDJSON")


def _is_ndjson(lines: list[str]) -> bool:
    first = next((line for line in lines if line.strip()), "")
    try:
        _loads(first)
    except (ValueError, RecursionError):
        return False
    return sum(1 for line in lines if line.strip()) > 1


def _where(error: ValueError) -> str:
    if isinstance(error, json.JSONDecodeError):
        return f" at line {error.lineno}, column {error.colno}"
    return ""


def _reason(error: ValueError) -> str:
    """What the JSON decoder says is wrong (without its position, given apart)."""
    return error.msg if isinstance(error, json.JSONDecodeError) else str(error)
