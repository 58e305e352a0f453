"""Reading the JSON text of a case's replica files one after another (``Reading``), so that a
table two files hold written alike is parsed once.

A case folder holds one replica file per device, and most of their tables are the same, and
written the same way (files are canonical: sorted keys, one layout). ``Reading.loads`` gives
what ``json.loads`` with the same decoder gives for each file's text, the same value or the
same error, with one shortcut: a table whose text, from its opening brace to its closing one,
is exactly the text of the same table in the first file read (and kept, after its check), is
not parsed again but is that file's table object. The same text is the same JSON value, and
that table was checked with its file (``core.replica_validation``; the check of this file
then finds it identical to the known one), so nothing is taken on trust: every character of
every file is still read, and every other table parsed.

Pure: the caller reads the files; nothing happens at import.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from .registers import Tables

_SPACE = re.compile(r"[ \t\n\r]*")
"""JSON's whitespace, as ``json.decoder`` skips it."""

Span = tuple[int, int]


class _Unlike(ValueError):
    """The text is not an object of tables as the shortcut reads it: ``json.loads`` decides."""


class Reading:
    """One reading of a case folder's replica files (see the module docstring).

    ``known``: the tables of the first file kept (``keep``), read and checked whole; ``None``
    before. Side effects: ``loads`` notes where each table lies in the text it read, ``keep``
    makes the first file kept the one the later ones are read against.
    """

    def __init__(self) -> None:
        self.known: Tables | None = None
        self._texts: dict[str, str] = {}
        """The text of each table of the known file (from its brace to its brace)."""
        self._last: dict[str, Span] = {}

    def loads(self, text: str, decoder: json.JSONDecoder) -> Any:
        """``text`` parsed as ``json.loads`` with ``decoder``'s hooks parses it (its value,
        or the error it raises), its tables written as the known file's being that file's."""
        spans: dict[str, Span] = {}
        try:
            document = self._parse(text, decoder, spans)
        except (ValueError, StopIteration, IndexError, RecursionError):
            document = _whole(text, decoder)  # json's own verdict, value or error
            spans = {}
        self._last = spans
        return document

    def keep(self, text: str, tables: Tables) -> None:
        """``tables``, just parsed from ``text`` by ``loads`` and checked, become ``known``
        if no file was kept yet."""
        if self.known is None:
            self.known = tables
            self._texts = {name: text[start:end] for name, (start, end) in self._last.items()}

    def _parse(self, text: str, decoder: json.JSONDecoder, spans: dict[str, Span]) -> Any:
        known, texts = self.known or {}, self._texts

        def table(name: str, at: int) -> tuple[Any, int]:
            alike = texts.get(name)
            if alike is not None and text.startswith(alike, at):
                end = at + len(alike)
                value: Any = known[name]
            else:
                value, end = decoder.raw_decode(text, at)
            spans[name] = (at, end)
            return value, end

        def member(key: str, at: int) -> tuple[Any, int]:
            if key == "tables" and text.startswith("{", at):
                spans.clear()  # of two "tables", JSON keeps the last
                return _object(text, at, decoder, table)
            return decoder.raw_decode(text, at)

        document, at = _object(text, _skip(text, 0), decoder, member)
        if _skip(text, at) != len(text):
            raise _Unlike("more after the object")
        return document


def _object(text: str, at: int, decoder: json.JSONDecoder,
            value_at: Callable[[str, int], tuple[Any, int]]) -> tuple[dict[str, Any], int]:
    """The JSON object at ``text[at]`` and where it ends, each member's value read by
    ``value_at(key, where it starts)``; _Unlike if it is not one."""
    if not text.startswith("{", at):
        raise _Unlike("not an object")
    out: dict[str, Any] = {}
    at = _skip(text, at + 1)
    if text.startswith("}", at):
        return out, at + 1
    while True:
        if not text.startswith('"', at):
            raise _Unlike("not a name")
        key, at = decoder.raw_decode(text, at)
        at = _skip(text, at)
        if not text.startswith(":", at):
            raise _Unlike("no colon")
        at = _skip(text, at + 1)
        out[key], at = value_at(key, at)  # a name given twice keeps its last value, as in JSON
        at = _skip(text, at)
        if text.startswith("}", at):
            return out, at + 1
        if not text.startswith(",", at):
            raise _Unlike("no comma")
        at = _skip(text, at + 1)


def _skip(text: str, at: int) -> int:
    """Where the whitespace at ``text[at]`` ends."""
    match = _SPACE.match(text, at)
    return match.end() if match else at


def _whole(text: str, decoder: json.JSONDecoder) -> Any:
    """``json.loads(text)`` with ``decoder``'s hooks."""
    if text.startswith("\ufeff"):
        return json.loads(text)  # json's own refusal of a byte order mark, before any parsing
    return decoder.decode(text)
