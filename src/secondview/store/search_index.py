"""The full-text search index of every case: SQLite FTS5, in the case list index's database.

Each case's searchable pieces (``core.search_text.searchable``) are rows of table
``search_rows`` (case id, pane, item, where, text, order); table ``search_text`` is an FTS5
index over their text with the trigram tokenizer, so any part of a word of three letters or
more is found ("Pat" finds "Patel"); shorter queries are matched with LIKE. Table
``search_kept`` remembers the text of notes an import kept in a case, by the SHA-256 they are
kept under (a kept file never changes), so a save reads no kept file twice.

The tables live in the SAME database as the case list (``store.case_index`` creates them
with its own, writes a case's rows in the same transaction as its ``cases`` row, and drops
them when it rebuilds): so the search index is updated on every save and on every refresh
that reads a case another device changed, is rebuilt whenever the case list is, and is
wherever the case list index is (the cache folder, or memory), never in the cases folder.

Side effects: each function's docstring names the rows it writes; nothing at import.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..core.ids import is_case_id
from ..core.model import Case
from ..core.search_text import MAX_TEXT, Searchable, pane_rank, searchable, snippet
from .case_files import CaseFileError, read_kept
from .storage import Sealer

MAX_HITS = 200
"""Hits a search returns at most (a person reads a screenful; a script can narrow)."""
MAX_NOTE_BYTES = 1024 * 1024
"""A kept file larger than this is not read for search (a note's text is far smaller)."""
MIN_TRIGRAM = 3
"""Queries shorter than this many characters are matched with LIKE (the trigram index
needs three)."""
_POSITION = 100_000
"""Order of a piece: its pane's rank times this, plus its place among the case's pieces."""

KeptReader = Callable[[str, str], bytes]
"""(case id, SHA-256) -> the bytes of the file kept in that case under that name."""


def create_tables(db: sqlite3.Connection) -> None:
    """Drop and create the search tables (inside the caller's transaction)."""
    for table in ("search_text", "search_rows", "search_kept"):
        db.execute(f"DROP TABLE IF EXISTS {table}")
    db.execute("CREATE TABLE search_rows (id INTEGER PRIMARY KEY, case_id TEXT NOT NULL, "
               "pane TEXT NOT NULL, item_id TEXT NOT NULL, place TEXT NOT NULL, "
               "text TEXT NOT NULL, position INTEGER NOT NULL)")
    db.execute("CREATE INDEX search_rows_by_case ON search_rows (case_id)")
    db.execute("CREATE VIRTUAL TABLE search_text USING fts5(text, content='search_rows', "
               "content_rowid='id', tokenize='trigram')")
    db.execute("CREATE TABLE search_kept (digest TEXT PRIMARY KEY, text TEXT NOT NULL)")


def replace_case(db: sqlite3.Connection, case_id: str, pieces: Sequence[Searchable]) -> None:
    """Make the rows of ``case_id`` hold ``pieces`` (inside the caller's transaction):
    only pieces that changed are written, so saving one edit re-indexes one text."""
    old = db.execute("SELECT id, pane, item_id, place, text, position FROM search_rows "
                     "WHERE case_id = ?", (case_id,)).fetchall()
    wanted: dict[tuple[str, str, str, str], list[int]] = {}
    for n, piece in enumerate(pieces):
        key = (piece.pane, piece.item_id, piece.where, piece.text)
        wanted.setdefault(key, []).append(pane_rank(piece.pane) * _POSITION + n)
    gone: list[tuple[int, str]] = []
    moved: list[tuple[int, int]] = []
    for row_id, pane, item_id, place, found, position in old:
        places = wanted.get((pane, item_id, place, found))
        if places:
            now = places.pop(0)
            if now != position:
                moved.append((now, row_id))
        else:
            gone.append((row_id, found))
    if gone:
        db.executemany("INSERT INTO search_text (search_text, rowid, text) "
                       "VALUES ('delete', ?, ?)", gone)
        db.executemany("DELETE FROM search_rows WHERE id = ?", [(i,) for i, _ in gone])
    if moved:
        db.executemany("UPDATE search_rows SET position = ? WHERE id = ?", moved)
    for (pane, item_id, place, found), positions in wanted.items():
        for position in positions:
            row_id = db.execute(
                "INSERT INTO search_rows (case_id, pane, item_id, place, text, position) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (case_id, pane, item_id, place, found, position)).lastrowid
            db.execute("INSERT INTO search_text (rowid, text) VALUES (?, ?)", (row_id, found))


def delete_cases(db: sqlite3.Connection, ids: Iterable[str]) -> None:
    """Forget the rows of these cases (inside the caller's transaction)."""
    for case_id in ids:
        replace_case(db, case_id, ())


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
    kept = [a for a in case.attachments if a.kind == "kept" and isinstance(a.sha256, str)
            and a.sha256 and not (isinstance(a.size, int) and a.size > MAX_NOTE_BYTES)]
    if not kept:
        return {}
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
    return {a.id: known[str(a.sha256)] for a in kept if known.get(str(a.sha256))}


def pieces(db: sqlite3.Connection, case: Case, read: KeptReader | None) -> list[Searchable]:
    """The searchable pieces of ``case`` with the text of its kept notes (``kept_texts``)."""
    return searchable(case, kept_texts(db, case, read))


@dataclass(frozen=True)
class Hit:
    """Where a search found its text: the case (id, title, archived), the pane and the row
    there (``item_id``, "" for the pane's own fields), the words saying where, and a short
    part of the text around the match."""

    case_id: str
    case_title: str
    archived: bool
    pane: str
    item_id: str
    where: str
    snippet: str


def _query(text: str, include_archived: bool, case_id: str | None
           ) -> tuple[str, list[object]]:
    """The FROM and WHERE of a search for ``text`` (trimmed, non-empty), with parameters."""
    wanted = " ".join(text.split())
    params: list[object] = []
    if len(wanted) >= MIN_TRIGRAM:
        sql = ("FROM search_text JOIN search_rows r ON r.id = search_text.rowid "
               "JOIN cases c ON c.id = r.case_id WHERE search_text MATCH ?")
        params.append('"' + wanted.replace('"', '""') + '"')
    else:
        escaped = wanted.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        sql = ("FROM search_rows r JOIN cases c ON c.id = r.case_id "
               "WHERE r.text LIKE ? ESCAPE '\\'")
        params.append(f"%{escaped}%")
    if not include_archived:
        sql += " AND c.archived = 0"
    if case_id is not None:
        sql += " AND r.case_id = ?"
        params.append(case_id)
    return sql, params


def search(db: sqlite3.Connection, text: str, include_archived: bool = False,
           limit: int = MAX_HITS, case_id: str | None = None) -> list[Hit]:
    """Where ``text`` is found (any part of a word, letter case folded), in every case (or
    only ``case_id``), archived ones only with ``include_archived``: at most ``limit`` hits,
    by case title, then in pane order. [] for blank text or an unreadable index."""
    if not text.strip():
        return []
    sql, params = _query(text, include_archived, case_id)
    try:
        found = db.execute(
            "SELECT r.case_id, c.title, c.archived, r.pane, r.item_id, r.place, r.text "
            f"{sql} ORDER BY lower(c.title), c.id, r.position LIMIT ?",
            [*params, max(limit, 0)]).fetchall()
    except sqlite3.Error:
        return []
    return [Hit(case, title, bool(archived), pane, item, place, snippet(found_text, text))
            for case, title, archived, pane, item, place, found_text in found]


def case_ids(db: sqlite3.Connection, text: str, include_archived: bool = True) -> set[str]:
    """The ids of the cases where ``text`` is found (every one: the list filter keeps
    them); empty for blank text or an unreadable index."""
    if not text.strip():
        return set()
    sql, params = _query(text, include_archived, None)
    try:
        return {row[0] for row in db.execute(f"SELECT DISTINCT r.case_id {sql}", params)}
    except sqlite3.Error:
        return set()

