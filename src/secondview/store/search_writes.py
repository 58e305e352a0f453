"""Writing one case's rows of the search index (the tables ``store.search_index`` makes): its
texts (``search_rows``) and its words (``search_words``, and the trigram index over them).

Two ways, one result (a test holds them equal after every kind of edit):

- ``write_case``, the full path, for a case this process has not written (the first save
  after a start, a refresh that reads a case, a case another process wrote since): the rows
  the database holds are read back and compared with the pieces; nothing is written when
  their fingerprint says they hold these pieces already (most saves change no text).
- ``Written.update``, for a case written through the same connection last: ``Written``
  remembers what was written (per pane: the list of pieces, its rows' ids, places and
  fingerprints; how many pieces hold each word), so a save compares, in memory, only the
  panes whose list of pieces is another object (``core.search_text.searchable_panes`` keeps
  an unchanged pane's list), writes only the rows that changed, and the case's words only
  when a word came or went.

A row's ``position`` orders a case's hits: its pane's rank times ``_POSITION``, plus its
place in the pane. Places are spread out (``_GAP`` apart when a pane is written whole), so a
piece that comes between two others takes a free place between theirs and no other row
moves; only when there is none is the whole pane placed again.

Side effects: rows of those tables, inside the caller's transaction; nothing at import.
"""

from __future__ import annotations

import bisect
import hashlib
import sqlite3
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..core.search_text import PANE_ORDER, Searchable, pane_rank

MAX_WORDS = 1_000_000
"""Characters of one case's distinct words that are searched (a case of a million
distinct words is a hostile one)."""
_POSITION = 100_000
"""Positions of one pane: its rank times this, plus a place below this."""
_GAP = 16
"""Places between two pieces of a pane written whole: room for pieces added between them
later. ``core.search_text.MAX_PIECES`` times this is below ``_POSITION``."""

Row = tuple[str, str, str, str]
"""A row's (pane, item id, where, text): a Searchable's fields (equal tuples, equal rows)."""
Panes = Sequence[Sequence[Searchable]]
"""A case's pieces, one sequence per pane, the pane of rank i (``pane_rank``) i-th."""


def by_pane(pieces: Sequence[Searchable]) -> list[list[Searchable]]:
    """Pieces in one list (in pane order) as one list per pane (``Panes``); a pane not in
    PANE_ORDER last."""
    out: list[list[Searchable]] = [[] for _ in range(len(PANE_ORDER) + 1)]
    for piece in pieces:
        out[pane_rank(piece.pane)].append(piece)
    return out


def _words(text: str) -> set[str]:
    return set(text.casefold().split())


def words_of(pieces: Sequence[Searchable]) -> str:
    """Every distinct word of the pieces' texts, letter case folded, space-separated (at
    most MAX_WORDS characters)."""
    found: set[str] = set()
    for piece in pieces:
        found.update(piece.text.casefold().split())
    return " ".join(sorted(found))[:MAX_WORDS]


def _print(piece: Row) -> bytes:
    """The fingerprint of one piece."""
    return hashlib.blake2b("\0".join(piece).encode("utf-8", "surrogatepass"),
                           digest_size=16).digest()


def _digest(prints: Sequence[Sequence[bytes]]) -> str:
    """The fingerprint of a case's pieces from theirs, in order: equal fingerprints, equal
    rows."""
    return hashlib.blake2b(b"".join(b"".join(p) for p in prints), digest_size=16).hexdigest()


@dataclass
class _Pane:
    """The rows of one pane as written: the pieces (the very list object given), and per
    piece its row's id, place and fingerprint."""

    pieces: Sequence[Row]
    ids: list[int] = field(default_factory=list)
    places: list[int] = field(default_factory=list)
    prints: list[bytes] = field(default_factory=list)


@dataclass
class _Change:
    """The statements a save makes, gathered pane by pane."""

    case_id: str
    next_id: int = 0
    """The next free row id (0: not read yet)."""
    gone: list[tuple[int]] = field(default_factory=list)
    moved: list[tuple[int, int]] = field(default_factory=list)
    added: list[tuple[int, str, str, str, str, str, int]] = field(default_factory=list)
    texts_gone: list[str] = field(default_factory=list)
    texts_added: list[str] = field(default_factory=list)

    def new_id(self, db: sqlite3.Connection) -> int:
        if not self.next_id:
            self.next_id = (db.execute("SELECT max(id) FROM search_rows").fetchone()[0]
                            or 0) + 1
        self.next_id += 1
        return self.next_id - 1

    def write(self, db: sqlite3.Connection) -> None:
        db.executemany("DELETE FROM search_rows WHERE id = ?", self.gone)
        db.executemany("UPDATE search_rows SET position = ? WHERE id = ?", self.moved)
        db.executemany("INSERT INTO search_rows (id, case_id, pane, item_id, place, text, "
                       "position) VALUES (?, ?, ?, ?, ?, ?, ?)", self.added)


def _matched(old: Sequence[Row], new: Sequence[Row]) -> list[int]:
    """For each piece of ``new``, the index of the piece of ``old`` it keeps the row of (-1:
    a new row), in increasing order: the common start and end first, then equal pieces of
    the middle in order."""
    start, end = 0, min(len(old), len(new))
    while start < end and (old[start] is new[start] or old[start] == new[start]):
        start += 1
    tail = 0
    while tail < end - start and (old[-1 - tail] is new[-1 - tail]
                                  or old[-1 - tail] == new[-1 - tail]):
        tail += 1
    found = list(range(start))
    waiting: dict[Row, list[int]] = {}
    for n in range(len(old) - tail - 1, start - 1, -1):  # the first of equals at the end
        waiting.setdefault(old[n], []).append(n)
    last = start - 1
    for piece in new[start:len(new) - tail]:
        left = waiting.get(piece)
        while left and left[-1] <= last:
            left.pop()
        if left:
            last = left.pop()
            found.append(last)
        else:
            found.append(-1)
    found += range(len(old) - tail, len(old))
    return found


def _spread(rank: int, count: int) -> list[int]:
    """Places of ``count`` pieces of the pane of ``rank`` written whole: ``_GAP`` apart (less
    if they are too many for that), the first ones a gap after the pane's start."""
    gap = min(_GAP, _POSITION // (count + 1))
    return [rank * _POSITION + (n + 1) * gap for n in range(count)]


def _placed(rank: int, kept: Sequence[int]) -> list[int] | None:
    """Places for pieces where ``kept`` holds the place each keeps (-1: a new piece): kept
    places stay, new pieces are spread between their neighbours; None when there is no
    room (the pane is then placed anew)."""
    base = rank * _POSITION
    places = list(kept)
    low, run = base - 1, 0  # the last kept place, and how many new pieces since
    for n, place in enumerate([*kept, base + _POSITION]):
        if place < 0:
            run += 1
            continue
        if place <= low + run or (n < len(kept) and place >= base + _POSITION):
            return None
        # pieces added at the end (a new item, most often) take the next places; the rest
        # share the room between their neighbours
        step = _GAP if n == len(kept) and low + run * _GAP < place else 0
        for k in range(run):
            places[n - run + k] = (low + step * (k + 1) if step
                                   else low + (place - low) * (k + 1) // (run + 1))
        low, run = place, 0
    return places


def _update_pane(db: sqlite3.Connection, change: _Change, rank: int, old: _Pane,
                 new: Sequence[Searchable], prints: list[bytes] | None) -> _Pane:
    """The rows of one pane made to hold ``new`` (``prints``: their fingerprints, when
    made already), the statements gathered in ``change``."""
    if not old.pieces:  # a pane written whole (as when the index is rebuilt)
        return _new_pane(db, change, rank, new, prints)
    matched = _matched(old.pieces, new)
    kept = {n for n in matched if n >= 0}
    for n, row_id in enumerate(old.ids):
        if n not in kept:
            change.gone.append((row_id,))
            change.texts_gone.append(old.pieces[n][3])
    places = _placed(rank, [old.places[n] if n >= 0 else -1 for n in matched])
    if places is None:  # no room left between two pieces: the pane placed anew
        places = _spread(rank, len(new))
        change.moved += [(place, old.ids[n]) for place, n in zip(places, matched, strict=True)
                         if n >= 0 and old.places[n] != place]
    done = _Pane(new, places=places)
    for at, (piece, n) in enumerate(zip(new, matched, strict=True)):
        if n >= 0:
            done.ids.append(old.ids[n])
            done.prints.append(prints[at] if prints is not None else old.prints[n])
        else:
            row_id = change.new_id(db)
            change.added.append((row_id, change.case_id, *piece, places[at]))
            change.texts_added.append(piece.text)
            done.ids.append(row_id)
            done.prints.append(prints[at] if prints is not None else _print(piece))
    return done


def _new_pane(db: sqlite3.Connection, change: _Change, rank: int,
              new: Sequence[Searchable], prints: list[bytes] | None) -> _Pane:
    """``_update_pane`` of a pane that has no rows yet."""
    if not new:
        return _Pane(new)
    first = change.new_id(db)
    change.next_id += len(new) - 1
    done = _Pane(new, list(range(first, first + len(new))), _spread(rank, len(new)),
                 prints if prints is not None else [_print(p) for p in new])
    change.added += [(row_id, change.case_id, *piece, place) for row_id, piece, place
                     in zip(done.ids, new, done.places, strict=True)]
    change.texts_added += [p.text for p in new]
    return done


@dataclass
class Written:
    """What was last written for one case through the connection ``db`` (see the module
    docstring), to update its rows by what changed."""

    db: sqlite3.Connection
    case_id: str
    row_id: int
    """Of the case's ``search_words`` row."""
    digest: str
    words: str
    """As written in ``search_words`` (the trigram index is told these to forget them)."""
    panes: list[_Pane]
    version: int = 0
    """The connection's ``PRAGMA data_version`` then: another connection's write since
    changes it."""
    counts: Counter[str] | None = None
    """Word -> how many pieces hold it; made when a save first needs it."""
    sorted_words: list[str] = field(default_factory=list)

    def trusted(self, db: sqlite3.Connection) -> bool:
        """Whether the database still holds what this says: the same connection, no other
        connection wrote since, and no write was rolled back (the fingerprint stored)."""
        if db is not self.db or _version(db) != self.version:
            return False
        found = db.execute("SELECT digest FROM search_words WHERE id = ? AND case_id = ?",
                           (self.row_id, self.case_id)).fetchone()
        return found is not None and found[0] == self.digest

    def update(self, db: sqlite3.Connection, panes: Panes) -> Written | None:
        """Make the case's rows hold ``panes``, comparing only the panes whose sequence is
        another object than the one written last; self brought up to date, or None when
        the case has no piece left (its rows and words deleted)."""
        if not any(panes):
            _delete(db, self.case_id, self.row_id, self.words)
            return None
        change = _Change(self.case_id)
        for rank in range(max(len(panes), len(self.panes))):
            new = panes[rank] if rank < len(panes) else ()
            old = self.panes[rank] if rank < len(self.panes) else _Pane(())
            if new is old.pieces or (not new and not old.pieces):
                continue
            done = _update_pane(db, change, rank, old, new, None)
            if rank < len(self.panes):
                self.panes[rank] = done
            else:
                self.panes.append(done)
        if not (change.gone or change.moved or change.added):
            return self
        change.write(db)
        self.digest = _digest([p.prints for p in self.panes])
        if self._count(change):
            old_words, self.words = self.words, " ".join(self.sorted_words)[:MAX_WORDS]
            _write_words(db, self.row_id, self.digest, self.words, old_words)
        else:
            db.execute("UPDATE search_words SET digest = ? WHERE id = ?",
                       (self.digest, self.row_id))
        self.version = _version(db)
        return self

    def _count(self, change: _Change) -> bool:
        """The words of the texts gone counted out, of those added in; whether a word came
        or went (the case's words then change)."""
        if self.counts is None:  # the first change since the full path: every text counted
            self.counts = Counter()
            for pane in self.panes:
                for piece in pane.pieces:
                    self.counts.update(_words(piece[3]))
            self.sorted_words = sorted(self.counts)
            return " ".join(self.sorted_words)[:MAX_WORDS] != self.words
        delta: Counter[str] = Counter()
        for text in change.texts_gone:
            delta.subtract(_words(text))
        for text in change.texts_added:
            delta.update(_words(text))
        counts, known, changed = self.counts, self.sorted_words, False
        for word, by in delta.items():
            if not by:
                continue
            was = counts[word]
            now = was + by
            if now > 0:
                counts[word] = now
                if not was:
                    bisect.insort(known, word)
                    changed = True
            elif was:
                del counts[word]
                del known[bisect.bisect_left(known, word)]
                changed = True
        return changed


def _version(db: sqlite3.Connection) -> int:
    found: int = db.execute("PRAGMA data_version").fetchone()[0]
    return found


def _delete(db: sqlite3.Connection, case_id: str, row_id: int | None, words: str) -> None:
    """Forget every row and the words of a case."""
    if row_id is not None:
        db.execute("INSERT INTO search_text (search_text, rowid, words) "
                   "VALUES ('delete', ?, ?)", (row_id, words))
        db.execute("DELETE FROM search_words WHERE id = ?", (row_id,))
    db.execute("DELETE FROM search_rows WHERE case_id = ?", (case_id,))


def _write_words(db: sqlite3.Connection, row_id: int, digest: str, words: str,
                 old_words: str) -> None:
    """The case's words row and its document in the trigram index, replaced."""
    db.execute("INSERT INTO search_text (search_text, rowid, words) "
               "VALUES ('delete', ?, ?)", (row_id, old_words))
    db.execute("UPDATE search_words SET digest = ?, words = ? WHERE id = ?",
               (digest, words, row_id))
    db.execute("INSERT INTO search_text (rowid, words) VALUES (?, ?)", (row_id, words))


def write_case(db: sqlite3.Connection, case_id: str, panes: Panes) -> Written | None:
    """Make the rows of ``case_id`` hold ``panes`` (the full path: see the module
    docstring); what was written, or None when the case has no piece (its rows and words
    deleted)."""
    known = db.execute("SELECT id, digest, words FROM search_words WHERE case_id = ?",
                       (case_id,)).fetchone()
    if not any(panes):
        _delete(db, case_id, known[0] if known else None, known[2] if known else "")
        return None
    prints = [[_print(p) for p in pane] for pane in panes]
    digest = _digest(prints)
    if known is not None and known[1] == digest:
        written = _as_written(db, case_id, known, panes, prints)
        if written is not None:
            return written
    old: list[_Pane] = [_Pane([]) for _ in range(max(len(panes), len(PANE_ORDER) + 1))]
    for row_id, pane, item_id, place, text, position in db.execute(
            "SELECT id, pane, item_id, place, text, position FROM search_rows "
            "WHERE case_id = ? ORDER BY position", (case_id,)):
        found = old[min(pane_rank(pane), len(old) - 1)]
        assert isinstance(found.pieces, list)
        found.pieces.append((pane, item_id, place, text))
        found.ids.append(row_id)
        found.places.append(position)
    change = _Change(case_id)
    done = [_update_pane(db, change, rank, old[rank], new, prints[rank])
            for rank, new in enumerate(panes)]
    for rank in range(len(panes), len(old)):
        _update_pane(db, change, rank, old[rank], (), [])
    change.write(db)
    words = words_of([p for pane in panes for p in pane])
    if known is None:
        row_id = db.execute("INSERT INTO search_words (case_id, digest, words) "
                            "VALUES (?, ?, ?)", (case_id, digest, words)).lastrowid
        assert row_id is not None
        db.execute("INSERT INTO search_text (rowid, words) VALUES (?, ?)", (row_id, words))
    else:  # a case keeps its row id for as long as it is indexed (SearchIndex caches them)
        row_id = known[0]
        _write_words(db, row_id, digest, words, known[2])
    return Written(db, case_id, row_id, digest, words, done, _version(db))


def _as_written(db: sqlite3.Connection, case_id: str, known: tuple[int, str, str],
                panes: Panes, prints: list[list[bytes]]) -> Written | None:
    """What the rows already hold (their fingerprint is that of ``panes``): their ids and
    places read, in order; None if they are not as many as the pieces."""
    rows = db.execute("SELECT id, position FROM search_rows WHERE case_id = ? "
                      "ORDER BY position", (case_id,)).fetchall()
    if len(rows) != sum(len(pane) for pane in panes):
        return None
    done, at = [], 0
    for pane, marks in zip(panes, prints, strict=True):
        part = rows[at:at + len(pane)]
        at += len(pane)
        done.append(_Pane(pane, [r[0] for r in part], [r[1] for r in part], marks))
    return Written(db, case_id, known[0], known[1], known[2], done, _version(db))
