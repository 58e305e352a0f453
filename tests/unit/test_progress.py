"""Where a case stands (core/progress.py): its phase and next steps follow what the case holds,
its answers included. Cases are made the way the app makes them (the edit path, our content),
changed through the repository, and read back."""

from __future__ import annotations

import datetime as dt

import pytest

from secondview.core import choices, progress
from secondview.store.content_files import load_content
from secondview.store.editing import Editor
from secondview.store.paths import Device, Paths
from secondview.store.repository import CaseRepository, OpenCase

TODAY = dt.date(2026, 12, 6)

NETWORK = "general/insurance-network"
REFERRAL = "general/insurance-referral"
PREAUTH = "general/insurance-preauth"
RULES = "general/insurance-rules"
ANSWERED_NO = {"in_network_only": "no", "referral_needed": "no", "preauth_needed": "no"}


@pytest.fixture
def repo(paths: Paths) -> CaseRepository:
    made = CaseRepository(paths, Device("aaaaaaaaaaaa", "desk", "n1"), today=TODAY)
    yield made
    made.close()


@pytest.fixture(scope="module")
def content():
    return load_content()


def _by_key(opened: OpenCase) -> dict[str, object]:
    return {i.template_id: i for i in opened.case.checklist}


def _deciding_done(repo: CaseRepository, opened: OpenCase) -> OpenCase:
    """Tick the deciding steps, so the insurance steps come next."""
    changes = [("checklist", i.id, {"done": True})
               for i in opened.case.checklist if i.phase == "deciding"]
    return Editor(repo).change_many(opened, changes, "Ticked").saved


def test_steps_answered_away_are_never_suggested_and_come_back_with_the_answer(
        repo: CaseRepository, content) -> None:
    opened = Editor(repo).create_case({"title": "Dad", "condition": "prostate"}, content)
    opened = _deciding_done(repo, opened)
    texts = {key: str(item.text) for key, item in _by_key(opened).items()}
    before = progress.next_steps(opened.case, TODAY)
    assert texts[RULES] in before and texts[NETWORK] in before  # unknown: worth asking

    opened = Editor(repo).update(opened, "case", opened.case_id, ANSWERED_NO).saved
    steps = progress.next_steps(opened.case, TODAY)
    for key in (NETWORK, REFERRAL, PREAUTH, RULES):
        assert texts[key] not in steps, key
    assert steps, "other steps still come"
    # nothing the person wrote or ticked is gone: the steps are kept, only not suggested
    assert {NETWORK, REFERRAL, PREAUTH, RULES} <= set(_by_key(opened))

    opened = Editor(repo).update(opened, "case", opened.case_id,
                                 {"in_network_only": "unknown"}).saved
    steps = progress.next_steps(opened.case, TODAY)
    assert texts[RULES] in steps and texts[NETWORK] in steps


def _compared_case(repo: CaseRepository, relation: str = "confirmed",
                   leaning: bool = False) -> OpenCase:
    editor = Editor(repo)
    opened = editor.create_case({"title": "Knee"}, None, {
        "doctor": "Dr Okafor", "diagnosis": "Severe wear", "treatment": "Knee replacement"})
    opened = editor.add(opened, "opinions", {
        "doctor": "Dr Lind", "order": 2, "diagnosis": "Severe wear",
        "treatment": "Physiotherapy first", "diagnosis_relation": relation,
        "treatment_relation": "changed" if relation != "unsettled" else relation}).saved
    if leaning:
        edit = editor.add(opened, "options", {"title": "Physiotherapy first"})
        opened = editor.add(edit.saved, "leanings",
                            {"date": "2026-12-01", "option": edit.item_id}).saved
    return opened


def test_a_comparison_not_yet_settled_is_comparing(repo: CaseRepository) -> None:
    case = _compared_case(repo, relation="unsettled").case
    assert progress.phase(case) == "comparing"
    assert any("Compare the opinions" in s for s in progress.next_steps(case, TODAY))


def test_settled_relations_and_a_leaning_move_the_case_on_to_choosing(
        repo: CaseRepository) -> None:
    case = _compared_case(repo, leaning=True).case
    assert progress.phase(case) == "choosing"
    assert choices.CASE_PHASE_LABELS["choosing"] == "Choosing"
    steps = progress.next_steps(case, TODAY)
    assert not any("Compare the opinions" in s for s in steps)
    assert any("decision" in s.casefold() for s in steps)


def test_settled_relations_alone_move_the_case_on_and_ask_for_a_leaning(
        repo: CaseRepository) -> None:
    case = _compared_case(repo).case
    assert progress.phase(case) == "choosing"
    steps = progress.next_steps(case, TODAY)
    assert not any("Compare the opinions" in s for s in steps)
    assert any("leaning" in s.casefold() for s in steps)


def test_phases_run_in_order() -> None:
    assert progress.CASE_PHASES == (
        "deciding", "preparing", "visit", "comparing", "choosing", "decided")
    assert tuple(choices.CASE_PHASE_LABELS) == progress.CASE_PHASES
