"""A new case starts with a short list of bank questions chosen by its answers, records the
bank versions it met, and is never offered the questions it met but did not get as "new
content"; the questions card prints the case's questions, not the bank
(``core.starter_questions``, ``Editor.create_case``, ``Content.missing_items``)."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from test_content_ids import RELEASED_BANKS

from secondview.core import export, starter_questions
from secondview.core.content_rules import Rule
from secondview.store import content_files
from secondview.store.content_files import load_content
from secondview.store.editing import Editor
from secondview.store.paths import Device, Paths
from secondview.store.repository import CaseRepository

TODAY = dt.date(2026, 9, 14)


@pytest.fixture(scope="module")
def content():
    loaded = load_content()
    assert loaded.problems == []
    return loaded


@pytest.fixture
def repo(tmp_path):
    env = {
        "SECONDVIEW_DATA_DIR": str(tmp_path / "data"),
        "SECONDVIEW_CACHE_DIR": str(tmp_path / "cache"),
        "SECONDVIEW_CONFIG_DIR": str(tmp_path / "config"),
    }
    paths, _ = Paths.resolve(tmp_path / "cases", env)
    repository = CaseRepository(paths, Device.load_or_create(paths.data_dir))
    yield repository
    repository.close()


def start(repo, content, **answers):
    return Editor(repo).create_case({"title": "Dad - prostate cancer", **answers}, content)


def bank_keys(case) -> list[str]:
    return [q.bank_id for q in case.questions_in_order()]


def offered_questions(content, opened) -> set[str]:
    return {w.values["bank_id"] for w in content.missing_items(opened.state)
            if w.table == "questions"}


# -- the starter list -----------------------------------------------------------------------------


def test_a_new_case_starts_with_about_ten_questions_not_the_whole_bank(repo, content):
    opened = start(repo, content)
    keys = bank_keys(repo.open(opened.case_id).case)
    assert 0 < len(keys) <= starter_questions.STARTER_SIZE < len(content.questions)
    priorities = [q.priority for q in repo.open(opened.case_id).case.questions_in_order()]
    assert priorities == sorted(priorities, key=starter_questions.PRIORITY_RANK.__getitem__)
    assert "core/dx-agree" in keys and "core/dx-cancer-type" not in keys


def test_the_starter_list_follows_the_answers(repo, content):
    cancer = bank_keys(start(repo, content, cancer=True).case)
    assert {"core/dx-cancer-type", "core/tests-pathology-review"} <= set(cancer)
    surgery = bank_keys(start(repo, content, surgery=True).case)
    assert {"core/options-less-invasive", "core/risks-surgery-here"} <= set(surgery)
    assert not {"core/dx-cancer-type", "core/tests-pathology-review"} & set(surgery)
    rare = bank_keys(start(repo, content, rare=True).case)
    assert {"core/dx-unclear-next", "core/evidence-experts"} <= set(rare)
    for keys in (cancer, surgery, rare):
        assert len(keys) == starter_questions.STARTER_SIZE


def test_a_new_case_records_the_bank_versions_it_met(repo, content):
    case = repo.open(start(repo, content).case_id).case
    core = next(b for b in content.banks if b.id == "core")
    assert case.info.values[starter_questions.MET_FIELD] == f"core:{core.version}"


# -- what may be offered later --------------------------------------------------------------------


def test_the_questions_not_chosen_are_not_offered_as_new_content(repo, content):
    opened = start(repo, content, cancer=True)
    assert offered_questions(content, opened) == set()
    # nor once an answer changes (the bank picker has them)
    saved = Editor(repo).update(opened, "case", opened.case_id, {"surgery": True}).saved
    assert offered_questions(content, saved) == set()


NEWER_QUESTION = {"id": "later", "category": "tests", "text": "Is a newer scan worth it?"}


def test_the_demo_family_is_not_offered_the_bank_above_their_own_questions(repo, content):
    from secondview.demo import build_demo

    opened = build_demo(repo, content)
    assert offered_questions(content, opened) == set()
    assert all(not q.bank_id for q in opened.case.questions)  # the family's own


def test_a_question_a_newer_bank_version_brings_is_offered(repo, content, tmp_path: Path,
                                                           monkeypatch):
    opened = start(repo, content)
    root = tmp_path / "bundle"
    shutil.copytree(content_files.bundled_content_dir(), root)
    core = root / "questions" / "core.yaml"
    data = yaml.safe_load(core.read_text())
    data["version"] += 1
    data["questions"].append({**NEWER_QUESTION, "since": data["version"]})
    core.write_text(yaml.safe_dump(data, sort_keys=False))
    monkeypatch.setattr(content_files, "bundled_content_dir", lambda: root)
    newer = load_content()
    monkeypatch.undo()
    assert newer.problems == []
    assert offered_questions(newer, opened) == {"core/later"}


def test_a_case_made_before_the_record_is_offered_what_it_lacks_as_before(repo, content):
    values = {"title": "Old case"}
    opened = repo.create(values)  # no record, no questions: an older app's case
    assert offered_questions(content, opened) == {
        q.key for q in content.applicable_questions(values)}


def test_every_question_says_which_bank_version_first_released_it(content):
    for bank, versions in RELEASED_BANKS.items():
        for version, words in versions.items():
            for question_id in words.split():
                question = next(q for q in content.questions
                                if q.bank == bank and q.id == question_id)
                assert question.since == version, question.key


# -- the rule on its own --------------------------------------------------------------------------


@dataclass(frozen=True)
class Q:
    id: str
    category: str
    priority: str = "normal"
    applies_when: object | None = None
    bank: str = "b"
    since: int = 1

    @property
    def key(self) -> str:
        return f"{self.bank}/{self.id}"


def test_choose_ranks_priority_then_the_case_s_own_then_one_per_category():
    bank = [
        Q("d1", "diagnosis"), Q("d2", "diagnosis"), Q("d3", "diagnosis"),
        Q("t1", "tests"), Q("low", "cost", "low"),
        Q("own", "risks", applies_when=Rule()), Q("hi", "waiting", "high"),
    ]
    assert [q.id for q in starter_questions.choose(bank, 4)] == ["hi", "d1", "t1", "own"]
    assert [q.id for q in starter_questions.choose(bank, 2)] == ["hi", "own"]
    assert len(starter_questions.choose(bank)) == len(bank)


def test_the_record_reads_back_and_passes_over_what_it_cannot_read():
    assert starter_questions.banks_met({"question_banks": "core:2, mine:1,bad,x:y"}) == {
        "core": 2, "mine": 1}
    assert starter_questions.banks_met({}) == {}
    met = {"question_banks": "b:2"}
    kept = starter_questions.not_met([Q("a", "tests"), Q("n", "tests", since=3),
                                      Q("o", "tests", bank="other")], met)
    assert [q.id for q in kept] == ["n", "o"]


def test_the_picker_lists_what_the_case_lacks_those_that_fit_first():
    every = [Q("a", "tests"), Q("b", "tests", "high"), Q("c", "tests"), Q("held", "tests")]
    fits = [every[0], every[1], every[3]]
    listed = starter_questions.choices(every, fits, {"b/held"})
    assert [(q.id, fit) for q, fit in listed] == [("b", True), ("a", True), ("c", False)]


# -- the questions card ---------------------------------------------------------------------------


def test_the_questions_card_for_one_doctor_prints_the_chosen_questions(repo, content):
    opened = start(repo, content, cancer=True)
    opened = Editor(repo).add(opened, "opinions", {"doctor": "Dr Lind", "order": 1}).saved
    case = repo.open(opened.case_id).case
    doctor = case.opinions[0]
    text = export.questions(case, TODAY, doctor).render("md")
    assert f"{len(case.questions)} questions, in the order" in text
    assert text.count("\n### ") == len(case.questions) <= starter_questions.STARTER_SIZE
    chosen = case.questions_in_order()
    assert chosen[0].text in text
    unchosen = next(q for q in content.questions if q.key not in set(bank_keys(case)))
    assert unchosen.text not in text
