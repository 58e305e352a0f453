"""The full-text search index of every case: SQLite FTS5, in the case list index's database.

Each case's searchable pieces (``core.search_text.searchable``) are rows of table
``search_rows`` (case id, pane, item, where, text, order), read by case. Table
``search_words`` holds, per case, every distinct word of those texts (letter case folded),
and ``search_text`` is an FTS5 index over them with the trigram tokenizer. A search asks the
words first: a case matches when every word typed is part of one of its words (so "Pat"
finds "Patel", and "garcia mri" the case where both are); shorter words than three letters
are matched with LIKE. Only then are the rows of the matching cases read, to say where each
word is (``Hit``). One small document per case keeps the trigram index, the rebuild and
each save's update small, and a word found in every case costs one document per case, not
one per text.

A save writes the rows of what it changed alone (``store.search_writes``, which also says
how a row's order is kept): ``SearchIndex`` remembers, for the last few cases written, the
pieces made (``core.search_text.Memo``), the kept notes' text and what was written.

Table ``search_kept`` remembers the text of notes an import kept in a case, by the SHA-256
they are kept under (a kept file never changes), so a save reads no kept file twice.

The tables live in the SAME database as the case list (``store.index_file`` creates them
with its own and drops them when it rebuilds; ``store.case_index`` writes a case's rows in
the same transaction as its ``cases`` row): so the search index is updated on every save and
on every refresh that reads a case another device changed, is rebuilt whenever the case list
is, and is wherever the case list index is (the cache folder, or memory), never in the cases
folder.

Side effects: each function's docstring names the rows it writes; nothing at import.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..core.ids import is_case_id
from ..core.model import Case, Item
from ..core.search_text import (
    MAX_TEXT,
    Hit,
    Memo,
    Searchable,
    searchable,
    searchable_panes,
    snippet,
)
from . import search_writes
from .case_files import CaseFileError, read_kept
from .search_writes import Panes
from .storage import Sealer

MAX_HITS = 200
"""Hits a search returns at most (a person reads a screenful; a script can narrow)."""
MAX_NOTE_BYTES = 1024 * 1024
"""A kept file larger than this is not read for search (a note's text is far smaller)."""
MIN_TRIGRAM = 3
"""Words shorter than this many characters are matched with LIKE (the trigram index needs
three)."""
MEMO_CASES = 4
"""Cases whose pieces are remembered between saves (the one open, and a few before it)."""
MAX_WANTED = 8
"""Words of one query at most (more narrow nothing a person needs)."""

KeptReader = Callable[[str, str], bytes]
"""(case id, SHA-256) -> the bytes of the file kept in that case under that name."""


def create_tables(db: sqlite3.Connection) -> None:
    """Drop and create the search tables (inside the caller's transaction)."""
    for table in ("search_text", "search_rows", "search_words", "search_kept",
                  "search_cases"):
        db.execute(f"DROP TABLE IF EXISTS {table}")
    db.execute("CREATE TABLE search_rows (id INTEGER PRIMARY KEY, case_id TEXT NOT NULL, "
               "pane TEXT NOT NULL, item_id TEXT NOT NULL, place TEXT NOT NULL, "
               "text TEXT NOT NULL, position INTEGER NOT NULL)")
    db.execute("CREATE INDEX search_rows_by_case ON search_rows (case_id, position)")
    db.execute("CREATE TABLE search_words (id INTEGER PRIMARY KEY, case_id TEXT NOT NULL "
               "UNIQUE, digest TEXT NOT NULL, words TEXT NOT NULL)")
    db.execute("CREATE VIRTUAL TABLE search_text USING fts5(words, content='search_words', "
               "content_rowid='id', tokenize='trigram')")
    db.execute("CREATE TABLE search_kept (digest TEXT PRIMARY KEY, text TEXT NOT NULL)")


def kept_reader(cases_dir: Path, key: Callable[[], Sealer | None]) -> KeptReader:
    """How files kept in cases under ``cases_dir`` are read (``store.case_files.read_kept``,
    opened with ``key()`` in a sealed folder). Only reads."""
    def read(case_id: str, digest: str) -> bytes:
        if not is_case_id(case_id):
            raise CaseFileError(f"'{case_id[:40]}' is not a case id")
        return read_kept(cases_dir / case_id, digest, key())

    return read


def _as_text(data: bytes) -> str:
    """The text of a kept file, or "" when it is not text (a PDF, an image)."""
    try:
        found = data.decode("utf-8")
    except UnicodeDecodeError:
        return ""
    return "" if "\x00" in found else found[:MAX_TEXT]


def kept_texts(db: sqlite3.Connection, case: Case, read: KeptReader | None
               ) -> dict[str, str]:
    """Attachment id -> the text of the note kept in the case it names, for the kept files
    that are text (and not too large): from ``search_kept`` when known, else read with
    ``read`` and remembered there. A file that cannot be read (not synced yet) is left out,
    and read again next time. Side effects: rows of ``search_kept``."""
    return _kept_texts(db, case, read)[0]


def _kept_texts(db: sqlite3.Connection, case: Case, read: KeptReader | None
                ) -> tuple[dict[str, str], bool]:
    """``kept_texts``, and whether every kept file was known or read (none left out)."""
    kept = [a for a in case.attachments if a.kind == "kept" and isinstance(a.sha256, str)
            and a.sha256 and not (isinstance(a.size, int) and a.size > MAX_NOTE_BYTES)]
    if not kept:
        return {}, True
    digests = sorted({str(a.sha256) for a in kept})
    marks = ", ".join("?" for _ in digests)
    known: dict[str, str] = dict(db.execute(
        f"SELECT digest, text FROM search_kept WHERE digest IN ({marks})", digests).fetchall())
    if read is not None:
        for digest in digests:
            if digest in known:
                continue
            try:
                data = read(case.id, digest)
            except CaseFileError:
                continue
            known[digest] = _as_text(data) if len(data) <= MAX_NOTE_BYTES else ""
            try:
                db.execute("INSERT OR REPLACE INTO search_kept (digest, text) VALUES (?, ?)",
                           (digest, known[digest]))
            except sqlite3.Error:
                pass  # a cache of a cache: read again next time
    texts = {a.id: known[str(a.sha256)] for a in kept if known.get(str(a.sha256))}
    return texts, len(known) == len(digests)


def pieces(db: sqlite3.Connection, case: Case, read: KeptReader | None) -> list[Searchable]:
    """The searchable pieces of ``case`` with the text of its kept notes (``kept_texts``)."""
    return searchable(case, kept_texts(db, case, read))


def wanted_words(text: str) -> list[str]:
    """The words of a query, letter case folded (at most MAX_WANTED, each once)."""
    return list(dict.fromkeys(text.casefold().split()))[:MAX_WANTED]


def _escaped(word: str) -> str:
    """``word`` with LIKE's wildcards (and the escape character) escaped."""
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass
class _Remembered:
    """What ``SearchIndex`` keeps of a case between its saves."""

    memo: Memo = field(default_factory=dict)
    """The pieces made (``core.search_text.Memo``)."""
    kept: tuple[tuple[Item, ...], dict[str, str]] | None = None
    """The case's attachments, and the texts of its kept notes (``kept_texts``) read for
    them, when every one was found."""
    written: search_writes.Written | None = None
    """What was written last for the case."""


class SearchIndex:
    """Searches of the index in the database ``db()`` opens (``store.case_index``'s), and
    the writes of each case's rows into it.

    Keeps, between writes to the database, each indexed case's row id, title and archived
    flag in memory: a word found in every case then costs the trigram index's answer and no
    lookup per case (10,000 cases, while a person types into the list's filter). Keeps what
    it made and wrote for the last MEMO_CASES cases written, so the next save of one of them
    costs what it changed.
    """

    def __init__(self, db: Callable[[], sqlite3.Connection]) -> None:
        self.db = db
        self._cases: dict[int, tuple[str, str, bool]] = {}
        self._rows: dict[str, int] = {}
        """case id -> its row id (in ``_cases``)."""
        self._cases_at: tuple[int, int] | None = None
        self._changed: set[str] = set()
        """Cases written through this object since ``_cases`` was brought up to date."""
        self._lock = threading.Lock()  # the list's refresh writes from a worker thread
        self._memos: dict[str, _Remembered] = {}
        """Of the cases written last (MEMO_CASES, the last written last), by case id."""

    def pieces(self, db: sqlite3.Connection, case: Case, read: KeptReader | None
               ) -> Panes:
        """The searchable pieces of ``case`` by pane (``core.search_text.searchable_panes``)
        with the text of its kept notes (``kept_texts``: read again only when the case's
        attachments changed or a file was missing), remembering what was made for the last
        few cases written: the next save of one of them makes the pieces of its changed
        items and panes alone. Side effects: those of ``kept_texts``."""
        with self._lock:
            remembered = self._memos.get(case.id)
            if remembered is None:  # kept (or not) by replace_case
                remembered = self._memos[case.id] = _Remembered()
                self._forget_oldest()
        kept = remembered.kept
        if kept is None or kept[0] is not case.attachments:
            texts, complete = _kept_texts(db, case, read)
            kept = (case.attachments, texts)
            remembered.kept = kept if complete else None
        return searchable_panes(case, kept[1], remembered.memo)

    def replace_case(self, db: sqlite3.Connection, case_id: str, panes: Panes) -> None:
        """Make the rows of ``case_id`` hold ``panes`` (``pieces``; an empty sequence for
        none), inside the caller's transaction: by what changed since this object wrote
        the case last, through the same connection, when the database still holds that
        (``search_writes.Written``); else by the full path (``search_writes.write_case``).
        Notes that the case's title or archived flag may have changed with its row."""
        with self._lock:
            remembered = self._memos.pop(case_id, None) or _Remembered()
        last = remembered.written
        remembered.written = None  # until written: a failed write leaves the full path
        if last is not None and last.trusted(db):
            written = last.update(db, panes)
        else:
            written = search_writes.write_case(db, case_id, panes)
        with self._lock:
            self._changed.add(case_id)
            if written is not None:  # the last written last: the oldest go first
                remembered.written = written
                self._memos[case_id] = remembered
            self._forget_oldest()

    def _forget_oldest(self) -> None:
        """Keep MEMO_CASES cases remembered, the last written (call with the lock held)."""
        while len(self._memos) > MEMO_CASES:
            self._memos.pop(next(iter(self._memos)))

    def delete_cases(self, db: sqlite3.Connection, ids: Iterable[str]) -> None:
        """Forget the rows of these cases (each statement on its own)."""
        for case_id in ids:
            self.replace_case(db, case_id, ())

    def _case_rows(self, db: sqlite3.Connection) -> dict[int, tuple[str, str, bool]]:
        """Row id -> (case id, title, archived) of every indexed case: read whole when
        another process (or connection) wrote to the index (``PRAGMA data_version``), else
        only the cases written here since."""
        at = (id(db), db.execute("PRAGMA data_version").fetchone()[0])
        with self._lock:
            changed, self._changed = self._changed, set()
        select = ("SELECT w.id, w.case_id, c.title, c.archived FROM search_words w "
                  "JOIN cases c ON c.id = w.case_id")
        if at != self._cases_at:
            self._cases, self._rows = {}, {}
            found = db.execute(select).fetchall()
            self._cases_at = at
        else:
            for case_id in changed:
                self._cases.pop(self._rows.pop(case_id, -1), None)
            marks = ", ".join("?" for _ in changed)
            found = db.execute(f"{select} WHERE w.case_id IN ({marks})",
                               sorted(changed)).fetchall() if changed else []
        for row_id, case_id, title, archived in found:
            self._cases[row_id] = (case_id, title, bool(archived))
            self._rows[case_id] = row_id
        return self._cases

    def _matching(self, db: sqlite3.Connection, words: Sequence[str], include_archived: bool
                  ) -> list[tuple[str, str, bool]]:
        """(case id, title, archived) of the cases whose words hold every one of ``words``
        (not empty), in no order."""
        found: set[int] | None = None
        long = [w for w in words if len(w) >= MIN_TRIGRAM]
        if long:
            query = " AND ".join('"' + w.replace('"', '""') + '"' for w in long)
            found = {r for r, in db.execute(
                "SELECT rowid FROM search_text WHERE search_text MATCH ?", (query,))}
        short = [w for w in words if len(w) < MIN_TRIGRAM]
        if short:
            sql = "SELECT id FROM search_words WHERE " + " AND ".join(
                "words LIKE ? ESCAPE '\\'" for _ in short)
            rows = {r for r, in db.execute(sql, [f"%{_escaped(w)}%" for w in short])}
            found = rows if found is None else found & rows
        cases = self._case_rows(db)
        matched = [cases[r] for r in found or () if r in cases]
        return matched if include_archived else [c for c in matched if not c[2]]

    def _one_case(self, db: sqlite3.Connection, words: Sequence[str], include_archived: bool,
                  case_id: str) -> list[tuple[str, str, bool]]:
        """The case ``case_id`` if its words hold every one of ``words``, read directly:
        each word typed has no space, so it is part of one of the case's words exactly when
        it is part of their text."""
        found = db.execute("SELECT c.id, c.title, c.archived, w.words FROM search_words w "
                           "JOIN cases c ON c.id = w.case_id WHERE w.case_id = ?",
                           (case_id,)).fetchone()
        if found is None or (found[2] and not include_archived):
            return []
        return [(found[0], found[1], bool(found[2]))] if all(
            w in found[3] for w in words) else []

    def search(self, text: str, include_archived: bool = False, limit: int = MAX_HITS,
               case_id: str | None = None) -> list[Hit]:
        """Where the words of ``text`` are found (any part of a word, letter case folded)
        in the cases that hold every one of them, in every case (or only ``case_id``),
        archived ones only with ``include_archived``: each text of those cases that holds
        one of the words is a hit; at most ``limit`` hits, by case title, then in pane
        order. [] for blank text or an unreadable index."""
        words = wanted_words(text)
        if not words or limit <= 0:
            return []
        rows_sql = "SELECT pane, item_id, place, text FROM search_rows WHERE case_id = ?"
        likes: list[str] = []
        if all(w.isascii() for w in words):
            # SQLite's LIKE folds ASCII letters: it leaves out, in C, the texts holding
            # none of the words (Python's casefold below still decides)
            rows_sql += " AND (" + " OR ".join("text LIKE ? ESCAPE '\\'" for _ in words) + ")"
            likes = [f"%{_escaped(w)}%" for w in words]
        rows_sql += " ORDER BY position"
        hits: list[Hit] = []
        try:
            db = self.db()
            cases = (sorted(self._matching(db, words, include_archived),
                            key=lambda c: (c[1].casefold(), c[0])) if case_id is None
                     else self._one_case(db, words, include_archived, case_id))
            for found_id, title, archived in cases:
                for pane, item, place, found in db.execute(rows_sql, (found_id, *likes)):
                    folded = found.casefold()
                    first = next((w for w in words if w in folded), None)
                    if first is None:
                        continue
                    hits.append(Hit(found_id, title, archived, pane, item, place,
                                    snippet(found, first)))
                    if len(hits) >= limit:
                        return hits
        except sqlite3.Error:
            return []
        return hits

    def case_ids(self, text: str, include_archived: bool = True) -> set[str]:
        """The ids of the cases that hold every word of ``text`` (every one: the list
        filter keeps them); empty for blank text or an unreadable index."""
        words = wanted_words(text)
        if not words:
            return set()
        try:
            return {c[0] for c in self._matching(self.db(), words, include_archived)}
        except sqlite3.Error:
            return set()
