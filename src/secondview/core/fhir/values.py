"""Typed readers of a FHIR resource's elements, and the text forms the records are made of.

A resource is JSON someone else wrote: each reader checks the JSON type of the element it
reads and raises Malformed, naming the element's path and what was found, when it is wrong.
An absent element reads as empty ("", [], {}, None). Also here: a record's date from a FHIR
date or dateTime, and the clipping and joining of text to what a record's field takes.
Pure functions; nothing happens when this module is imported.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, TypeVar

from .. import model
from ..field_spec import MAX_TEXT

T = TypeVar("T")


class Malformed(Exception):
    """A resource element of the wrong shape (or missing); the message says which and how."""


def json_type(value: object) -> str:
    """What a decoded JSON value is, in the words of a message ("text", "a list"...)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "an object"


_WANT: dict[type, str] = {
    str: "text", list: "a list", dict: "an object", bool: "true/false", int: "a whole number",
}


def field(obj: Mapping[str, Any], name: str, kind: type[T], path: str = "") -> T | None:
    """``obj[name]`` if present and of ``kind``; None if absent. Raises Malformed otherwise.

    ``kind`` is str, list, dict, bool or int; true/false is not taken for a whole number.
    ``path`` (such as ``"content[0]."``) prefixes ``name`` in the message.
    """
    value = obj.get(name)
    if value is None:
        return None
    if isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
        return value
    raise Malformed(f"{path}{name} should be {_WANT[kind]}, found {json_type(value)}")


def number(obj: Mapping[str, Any], name: str, path: str = "") -> float | int | None:
    """A number element (whole or not, never true/false); None if absent. Raises Malformed."""
    value = obj.get(name)
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    raise Malformed(f"{path}{name} should be a number, found {json_type(value)}")


def text(obj: Mapping[str, Any], name: str, path: str = "") -> str:
    """A text element, stripped ("" if absent). Raises Malformed."""
    return (field(obj, name, str, path) or "").strip()


def array(obj: Mapping[str, Any], name: str, path: str = "") -> list[Any]:
    """A list element, items of any type ([] if absent). Raises Malformed."""
    return field(obj, name, list, path) or []


def objects(obj: Mapping[str, Any], name: str, path: str = "") -> list[dict[str, Any]]:
    """A list element whose items are all objects ([] if absent). Raises Malformed."""
    items = array(obj, name, path)
    for n, item in enumerate(items):
        if not isinstance(item, dict):
            raise Malformed(f"{path}{name}[{n}] should be an object, found {json_type(item)}")
    return items


def element(obj: Mapping[str, Any], name: str, path: str = "") -> dict[str, Any]:
    """An element that is an object ({} if absent). Raises Malformed."""
    return field(obj, name, dict, path) or {}


def concept_text(concept: Mapping[str, Any], path: str) -> str:
    """The words of a CodeableConcept: its text, else its first coding's display, else code."""
    if not concept:
        return ""
    words = text(concept, "text", path)
    if words:
        return words
    for n, coding in enumerate(objects(concept, "coding", path)):
        display = text(coding, "display", f"{path}coding[{n}].")
        if display:
            return display
    for n, coding in enumerate(objects(concept, "coding", path)):
        code = text(coding, "code", f"{path}coding[{n}].")
        if code:
            return code
    return ""


def codes(concept: Mapping[str, Any], path: str) -> set[str]:
    """The codes of a CodeableConcept's codings (any system), without empty ones."""
    return {
        text(c, "code", f"{path}coding[{n}].")
        for n, c in enumerate(objects(concept, "coding", path))
    } - {""}


def status(data: Mapping[str, Any]) -> str:
    """A resource's ``status`` ("" if it has none)."""
    return text(data, "status")


def category_codes(data: Mapping[str, Any]) -> set[str]:
    """Every code of a resource's ``category`` concepts (``categories`` without the words:
    what sorting tens of thousands of observations needs). Raises Malformed."""
    found: set[str] = set()
    for n, concept in enumerate(objects(data, "category")):
        found |= codes(concept, f"category[{n}].")
    return found


def categories(data: Mapping[str, Any]) -> tuple[set[str], list[str]]:
    """A resource's ``category`` concepts: every code, and the words of each concept."""
    found: set[str] = set()
    words: list[str] = []
    for n, concept in enumerate(objects(data, "category")):
        found |= codes(concept, f"category[{n}].")
        words.append(concept_text(concept, f"category[{n}]."))
    return found, words


_DATE = re.compile(r"^(\d{4})(-(\d{2})(-(\d{2}))?)?")


def record_date(value: str) -> tuple[str, str]:
    """A record's date from a FHIR date or dateTime: (ISO date or "", the text as given when
    it is not a whole valid date, for the notes)."""
    if not value:
        return "", ""
    m = _DATE.match(value)
    if m and m.group(5):
        iso = value[:10]
        try:
            return model.spec("records", "date").parse(iso), ""
        except model.InvalidValue:
            return "", value
    return "", value


def clip(words: str, limit: int = MAX_TEXT) -> str:
    """``words`` cut to ``limit`` characters, an ellipsis marking the cut."""
    return words if len(words) <= limit else words[: limit - 1] + "\u2026"


def one_line(words: str) -> str:
    """``words`` on one line: every run of white space (newlines too) becomes one space."""
    return " ".join(words.split())


def byte_size(n: float) -> str:
    """A size in bytes as people read it: "812 bytes", "52.3 kB", "1.2 GB"."""
    size: float = int(n)
    for unit in ("bytes", "kB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:,} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size = size / 1000
    return f"{size} bytes"
