"""Saving a case updates its search rows by what the save changed (store.search_writes,
core.search_text's per-pane lists), and the rows, their order and the case's words are always
those a fresh index builds from the same case."""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from secondview.core import search_text
from secondview.core.search_text import PANE_ORDER, searchable
from secondview.store import search_index, search_writes
from secondview.store.case_files import keep
from secondview.store.case_index import CaseIndex
from secondview.store.index_file import IndexFile
from secondview.store.paths import Device, Paths
from secondview.store.repository import CaseRepository, OpenCase

TODAY = dt.date(2026, 12, 6)
DESK = Device("aaaaaaaaaaaa", "desk")
WORDS = ("lumbar", "spine", "MRI", "Patel", "biopsy", "García", "stage", "II", "50%", "x",
         "follow", "up", "CT", "chest", "note", "Okafor", "mercy", "plan")


def _tables(db: sqlite3.Connection, case_id: str) -> tuple[list[tuple[str, ...]], str, str]:
    """(the case's rows as (pane, item, where, text) in the order hits list them, its words,
    its fingerprint); positions are checked to be distinct (the order is strict)."""
    rows = db.execute("SELECT pane, item_id, place, text, position FROM search_rows "
                      "WHERE case_id = ? ORDER BY position", (case_id,)).fetchall()
    assert len({r[4] for r in rows}) == len(rows)
    found = db.execute("SELECT words, digest FROM search_words WHERE case_id = ?",
                       (case_id,)).fetchone()
    words, digest = found if found is not None else ("", "")
    return [r[:4] for r in rows], words, digest


def _fresh(repo: CaseRepository, opened: OpenCase, where: Path
           ) -> tuple[list[tuple[str, ...]], str, str]:
    """The search tables a new index (a new database: the full path) writes for the case."""
    index = CaseIndex(IndexFile(where), read_kept=repo.index.read_kept)
    try:
        index.put_case(opened, TODAY)
        return _tables(index.db(), opened.case_id)
    finally:
        index.close()


class _Editor:
    """Random edits of one case through the repository, as a person (and the command line)
    makes them."""

    def __init__(self, repo: CaseRepository, paths: Paths, rnd: random.Random) -> None:
        self.repo, self.paths, self.rnd = repo, paths, rnd
        self.opened = repo.create({"title": "Garcia, Maria", "condition": "Lumbar stenosis"})

    def text(self, most: int = 4) -> str:
        return " ".join(self.rnd.choice(WORDS) for _ in range(self.rnd.randint(1, most)))

    def ids(self, table: str) -> list[str]:
        return [i.id for i in self.opened.case.table(table)]

    def add(self, table: str, values: dict[str, object]) -> None:
        self.opened, _ = self.repo.add(self.opened, table, values)

    def update(self, table: str, values: dict[str, object]) -> None:
        found = self.ids(table)
        if found:
            self.opened = self.repo.update(self.opened, table, self.rnd.choice(found), values)

    def delete(self, table: str) -> None:
        found = self.ids(table)
        if found:
            self.opened = self.repo.delete(self.opened, table, self.rnd.choice(found))

    def kept_note(self) -> None:
        records = self.ids("records")
        if not records:
            return
        data = f"Imported note: {self.text(12)}".encode()
        digest = keep(self.repo.folder(self.opened.case_id), data, self.repo.key)
        self.add("attachments", {"record": self.rnd.choice(records), "path": "note.txt",
                                 "kind": "kept", "size": len(data), "file_count": 1,
                                 "sha256": digest})

    def transfer(self) -> None:
        records, doctors = self.ids("records"), self.ids("doctors")
        if not records:
            return
        values: dict[str, object] = {"record": self.rnd.choice(records),
                                      "recipient": "Dr. " + self.text(2)}
        if doctors and self.rnd.random() < 0.5:
            values["doctor_id"] = self.rnd.choice(doctors)
        self.add("transfers", values)

    def answer(self) -> None:
        questions, opinions = self.ids("questions"), self.ids("opinions")
        if questions and opinions:
            self.add("answers", {"question": self.rnd.choice(questions),
                                 "opinion": self.rnd.choice(opinions), "text": self.text()})

    def elsewhere(self) -> None:
        """The command line (another connection to the index) edits the case; this device's
        list then refreshes and the person carries on from the case as read again."""
        other = CaseRepository(self.paths, DESK, today=TODAY)
        try:
            there = other.open(self.opened.case_id)
            other.update(there, "case", self.opened.case_id, {"notes": self.text(6)})
        finally:
            other.close()
        self.repo.refresh()
        self.opened = self.repo.open(self.opened.case_id)

    def restart(self) -> None:
        """The app quits and starts again: nothing of the index is remembered in memory."""
        self.repo.close()
        self.repo = CaseRepository(self.paths, DESK, today=TODAY)
        self.opened = self.repo.open(self.opened.case_id)

    def edits(self) -> list[Callable[[], None]]:
        t = self.text
        return [
            lambda: self.add("records", {"title": t(), "source": t(2), "notes": t(6)}),
            lambda: self.add("records", {"title": t()}),
            lambda: self.update("records", {"title": t()}),
            lambda: self.update("records", {"notes": self.rnd.choice(("", t(8)))}),
            lambda: self.delete("records"),
            self.kept_note,
            self.transfer,
            lambda: self.update("transfers", {"notes": t()}),
            lambda: self.delete("transfers"),
            lambda: self.add("doctors", {"name": "Dr. " + t(2), "institution": t(2)}),
            lambda: self.update("doctors", {"name": "Dr. " + t(2)}),
            lambda: self.delete("doctors"),
            lambda: self.add("questions", {"text": t() + "?", "why": t()}),
            lambda: self.update("questions", {"text": t() + "?"}),
            lambda: self.delete("questions"),
            lambda: self.add("opinions", {"doctor": "Dr. " + t(2), "diagnosis": t()}),
            lambda: self.update("opinions", {"doctor": "Dr. " + t(2)}),
            self.answer,
            lambda: self.update("answers", {"text": t()}),
            lambda: self.add("checklist", {"text": t(), "notes": t()}),
            lambda: self.update("checklist", {"notes": t()}),
            lambda: self.add("options", {"title": t(), "notes": t()}),
            lambda: self.add("appointments", {"date": "2026-12-20", "place": t(2)}),
            lambda: self.update("case", {"notes": t(6)}),
            lambda: self.update("case", {"title": "Garcia " + t(1), "condition": t(3)}),
            lambda: self.update("case", {"notes": ""}),
            lambda: self.update("checklist", {"done": self.rnd.choice((True, False))}),
            self.elsewhere,
            self.restart,
        ]


@pytest.mark.parametrize("seed, cap", [(1, None), (2, None), (3, None), (4, 12), (5, 40)])
def test_every_save_leaves_the_rows_a_fresh_index_builds(paths, tmp_path, monkeypatch,
                                                         seed, cap):
    if cap is not None:  # a case of more pieces than are indexed: the cut moves with edits
        monkeypatch.setattr(search_text, "MAX_PIECES", cap)
    rnd = random.Random(seed)
    editor = _Editor(CaseRepository(paths, DESK, today=TODAY), paths, rnd)
    try:
        edits = editor.edits()
        for step in range(60):
            rnd.choice(edits)()
            repo = editor.repo
            found = _tables(repo.index_db(), editor.opened.case_id)
            assert found == _fresh(repo, editor.opened, tmp_path / f"fresh-{step}.sqlite"), (
                f"seed {seed}, step {step}")
        hits = repo.index.search.search("spine")
        assert [(h.pane, h.item_id) for h in hits] == [
            (p.pane, p.item_id) for p in search_index.pieces(
                repo.index_db(), editor.opened.case, repo.index.read_kept)
            if "spine" in p.text.casefold()][:len(hits)]
    finally:
        editor.repo.close()


def test_hits_of_a_case_list_in_pane_order_then_item_order(paths):
    repo = CaseRepository(paths, DESK, today=TODAY)
    try:
        opened = repo.create({"title": "Spine case", "notes": "spine"})
        opened, first = repo.add(opened, "records", {"title": "spine one"})
        opened, _ = repo.add(opened, "doctors", {"name": "Dr. Spine"})
        opened, second = repo.add(opened, "records", {"title": "spine two"})
        opened = repo.update(opened, "records", first, {"notes": "spine again"})
        opened, _ = repo.add(opened, "questions", {"text": "Spine?"})
        opened, third = repo.add(opened, "records", {"title": "spine three"})
        hits = repo.index.search.search("spine")
        assert [h.pane for h in hits] == sorted((h.pane for h in hits), key=PANE_ORDER.index)
        assert [(h.pane, h.item_id, h.where) for h in hits] == [
            (p.pane, p.item_id, p.where) for p in searchable(opened.case)
            if "spine" in p.text.casefold()]
        assert {h.item_id for h in hits if h.pane == "records"} == {first, second, third}
    finally:
        repo.close()


def test_an_unchanged_pane_keeps_its_list_of_pieces(paths):
    repo = CaseRepository(paths, DESK, today=TODAY)
    try:
        opened = repo.create({"title": "Garcia, Maria"})
        opened, record = repo.add(opened, "records", {"title": "MRI lumbar spine"})
        opened, _ = repo.add(opened, "questions", {"text": "Is surgery needed?"})
        memo: search_text.Memo = {}
        before = search_text.searchable_panes(opened.case, {}, memo)
        opened = repo.update(opened, "case", opened.case_id, {"notes": "Ask about the MRI"})
        after = search_text.searchable_panes(opened.case, {}, memo)
        records, questions, overview = (PANE_ORDER.index(p) for p in
                                        ("records", "questions", "overview"))
        assert after[records] is before[records]
        assert after[questions] is before[questions]
        assert after[overview] is not before[overview]
        assert [p for pane in after for p in pane] == searchable(opened.case)
        opened = repo.update(opened, "records", record, {"title": "CT"})
        again = search_text.searchable_panes(opened.case, {}, memo)
        assert again[records] is not after[records] and again[questions] is after[questions]
    finally:
        repo.close()


def _statements(repo: CaseRepository, save: Callable[[], OpenCase]) -> tuple[OpenCase,
                                                                             list[str]]:
    said: list[str] = []
    db = repo.index_db()
    db.set_trace_callback(said.append)
    try:
        return save(), said
    finally:
        db.set_trace_callback(None)


def test_a_save_reads_no_search_rows_back_and_keeps_the_words_when_they_stay(paths):
    repo = CaseRepository(paths, DESK, today=TODAY)
    try:
        opened = repo.create({"title": "Garcia, Maria", "condition": "Lumbar stenosis"})
        opened, record = repo.add(opened, "records", {"title": "MRI lumbar spine"})
        opened, said = _statements(repo, lambda: repo.update(
            opened, "records", record, {"title": "lumbar spine MRI"}))
        assert not [s for s in said if s.startswith("SELECT") and "FROM search_rows WHERE" in s]
        assert not [s for s in said if "search_text" in s]  # the same words
        assert [s for s in said if s.startswith("INSERT INTO search_rows")]
        opened, said = _statements(repo, lambda: repo.update(
            opened, "records", record, {"title": "lumbar spine CT"}))
        assert [s for s in said if "search_text" in s]  # a word came, one went
    finally:
        repo.close()


def test_a_rolled_back_save_is_not_taken_for_the_rows(paths, tmp_path):
    repo = CaseRepository(paths, DESK, today=TODAY)
    try:
        opened = repo.create({"title": "Garcia, Maria"})
        opened, record = repo.add(opened, "records", {"title": "MRI lumbar spine"})
        index, db = repo.index.search, repo.index_db()
        [shown] = opened.case.records
        changed = replace(opened.case, records=(
            replace(shown, values={**shown.values, "notes": "never saved"}),))
        db.execute("BEGIN")  # as case_index writes a case; the commit fails
        index.replace_case(db, opened.case_id, index.pieces(db, changed, None))
        db.execute("ROLLBACK")
        opened = repo.update(opened, "records", record, {"title": "CT chest"})
        assert _tables(db, opened.case_id) == _fresh(repo, opened, tmp_path / "fresh.sqlite")
    finally:
        repo.close()


def _written_rows(db: sqlite3.Connection) -> list[tuple[str, ...]]:
    rows = db.execute("SELECT pane, item_id, place, text, position FROM search_rows "
                      "ORDER BY position").fetchall()
    assert len({r[4] for r in rows}) == len(rows)
    return [r[:4] for r in rows]


def test_pieces_added_between_others_take_free_places_until_none_is_left():
    db, fresh = sqlite3.connect(":memory:"), sqlite3.connect(":memory:")
    search_index.create_tables(db)
    piece = search_text.Searchable

    def panes(texts: list[str]) -> list[list[search_text.Searchable]]:
        out: list[list[search_text.Searchable]] = [[] for _ in PANE_ORDER]
        out[PANE_ORDER.index("overview")] = [piece("overview", "", "Title", "Garcia")]
        out[PANE_ORDER.index("records")] = [piece("records", t, "Records: " + t, t)
                                            for t in texts]
        return out

    texts = ["first", "last"]
    written = search_writes.write_case(db, "c", panes(texts))
    placed_anew = 0
    for n in range(60):  # each one in the middle, then at the start: the room runs out
        texts.insert(len(texts) // 2 if n % 2 else 0, f"added {n}")
        before = {r[0]: r[1] for r in db.execute("SELECT id, position FROM search_rows")}
        assert written is not None and written.trusted(db)
        written = written.update(db, panes(texts))
        after = {r[0]: r[1] for r in db.execute("SELECT id, position FROM search_rows")}
        moved = [i for i in before if i in after and before[i] != after[i]]
        assert len(after) == len(before) + 1
        assert not moved or len(moved) == len(before) - 1  # none, or the pane's all
        placed_anew += bool(moved)
        search_index.create_tables(fresh)
        search_writes.write_case(fresh, "c", panes(texts))
        assert _written_rows(db) == _written_rows(fresh)
        assert [r[3] for r in _written_rows(db)][1:] == texts
    assert 0 < placed_anew < 15
    texts[3:9] = []
    assert written is not None
    written = written.update(db, panes(texts))
    assert [r[3] for r in _written_rows(db)][1:] == texts
    words = db.execute("SELECT words FROM search_words").fetchone()[0]
    assert words == search_writes.words_of([p for pane in panes(texts) for p in pane])


def test_rows_an_earlier_version_wrote_are_taken_over(paths, tmp_path):
    """Its positions were the pane's rank times 100,000 plus the piece's place among all the
    case's pieces (no room between two), and its fingerprint was made another way."""
    repo = CaseRepository(paths, DESK, today=TODAY)
    opened = repo.create({"title": "Garcia, Maria", "condition": "Lumbar stenosis"})
    for title in ("MRI lumbar spine", "CT chest", "Biopsy"):
        opened, _ = repo.add(opened, "records", {"title": title, "notes": "spine"})
    db = repo.index_db()
    rows = db.execute("SELECT id, pane FROM search_rows ORDER BY position").fetchall()
    db.executemany("UPDATE search_rows SET position = ? WHERE id = ?",
                   [(PANE_ORDER.index(pane) * 100_000 + n, row_id)
                    for n, (row_id, pane) in enumerate(rows)])
    db.execute("UPDATE search_words SET digest = 'of an earlier version'")
    repo.close()
    repo = CaseRepository(paths, DESK, today=TODAY)
    try:
        opened = repo.open(opened.case_id)
        for title in ("Angiogram", "Zeta scan", "Abdomen US"):  # among the others
            opened, record = repo.add(opened, "records", {"title": title, "notes": "spine"})
            assert _tables(repo.index_db(), opened.case_id) == _fresh(
                repo, opened, tmp_path / f"fresh-{title}.sqlite")
        opened = repo.update(opened, "records", record, {"notes": ""})
        assert _tables(repo.index_db(), opened.case_id) == _fresh(
            repo, opened, tmp_path / "fresh.sqlite")
    finally:
        repo.close()
