"""When the content grows, an open case is offered what it does not have yet, and nothing else.

A case made from version 1 of the checklist meets version 2: ``Content.missing_items`` offers
the new steps and questions that apply to it, never a step the user deleted (on this device or
another), and never rewrites a step the user edited. Saved through the real repository, so the
files on disk are what is checked.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from test_content_ids import RELEASED_BANKS, RELEASED_CHECKLISTS

from secondview.core import model
from secondview.core.content import missing_summary
from secondview.core.replica import CaseState, new_case
from secondview.store import content_files as content_module
from secondview.store.content_files import bundled_content_dir, load_content
from secondview.store.paths import Device, Paths
from secondview.store.repository import CaseRepository

BUNDLED = bundled_content_dir()
V1_STEPS = set(RELEASED_CHECKLISTS["general"][1].split())
V1_QUESTIONS = set(RELEASED_BANKS["core"][1].split())


def bundle_as_version_1(root: Path) -> Path:
    """A copy of the bundled content cut back to the ids released in version 1."""
    shutil.copytree(BUNDLED, root)
    general = root / "checklists" / "general.yaml"
    data = yaml.safe_load(general.read_text())
    data["version"] = 1
    data["items"] = [i for i in data["items"] if i["id"] in V1_STEPS]
    general.write_text(yaml.safe_dump(data, sort_keys=False))
    core = root / "questions" / "core.yaml"
    data = yaml.safe_load(core.read_text())
    data["version"] = 1
    data["questions"] = [q for q in data["questions"] if q["id"] in V1_QUESTIONS]
    core.write_text(yaml.safe_dump(data, sort_keys=False))
    return root


@pytest.fixture
def old_content(tmp_path, monkeypatch):
    """Content as version 1 shipped it (loaded from a cut-down copy of the bundle)."""
    root = bundle_as_version_1(tmp_path / "v1")
    monkeypatch.setattr(content_module, "bundled_content_dir", lambda: root)
    loaded = load_content()
    monkeypatch.undo()
    assert loaded.problems == [] and loaded.checklist("general").version == 1
    return loaded


@pytest.fixture(scope="module")
def new_content():
    loaded = load_content()
    assert loaded.problems == []
    return loaded


def make_repo(tmp_path: Path, device: Device | None = None) -> CaseRepository:
    env = {
        "SECONDVIEW_DATA_DIR": str(tmp_path / "data"),
        "SECONDVIEW_CACHE_DIR": str(tmp_path / "cache"),
        "SECONDVIEW_CONFIG_DIR": str(tmp_path / "config"),
    }
    paths, _ = Paths.resolve(tmp_path / "cases", env)
    return CaseRepository(paths, device or Device.load_or_create(paths.data_dir))


@pytest.fixture
def repo(tmp_path):
    repository = make_repo(tmp_path)
    yield repository
    repository.close()


def create(repo, content, **values):
    values = model.parse_fields("case", {"title": "Dad - biopsy", **values})
    values.update(content.template_fields())
    return repo.create(values, extra=content.starter_writes(values))


def by_key(case, table="checklist", field="template_id"):
    return {item.values.get(field): item for item in case.table(table)}


def added_keys(writes, table, field):
    return {w.values[field] for w in writes if w.table == table}


# -- what is offered ------------------------------------------------------------------------------


def test_a_version_1_case_is_offered_exactly_the_new_steps_that_apply(
    repo, old_content, new_content
):
    opened = create(repo, old_content, cancer="yes")
    writes = new_content.missing_items(opened.state)

    expected_steps = {
        i.key for i in new_content.applicable_items({"cancer": True})
    } - {f"general/{i}" for i in V1_STEPS}
    expected_questions = {
        q.key for q in new_content.applicable_questions({"cancer": True})
    } - {f"core/{i}" for i in V1_QUESTIONS}
    assert added_keys(writes, "checklist", "template_id") == expected_steps
    assert added_keys(writes, "questions", "bank_id") == expected_questions
    assert "general/cancer-tumour-board" in expected_steps  # cancer: its new steps come too
    assert "general/rare-timeline" not in expected_steps  # not a rare condition
    # Every write is to a new document, with values the model accepts.
    existing = {i.id for i in opened.case.checklist} | {q.id for q in opened.case.questions}
    for write in writes[:-1]:
        assert write.doc_id not in existing
        assert model.parse_fields(write.table, write.values) == dict(write.values)
    # The last write records the new content version on the case.
    assert writes[-1].table == "case"
    # The record says the case has met this content: the checklist's version, and the banks
    # the offered questions came from (so they are not offered as new again).
    assert writes[-1].values == {"checklist_version": new_content.checklist("general").version,
                                 "question_banks": f"core:{new_content.banks[0].version}"}


def test_deleted_and_edited_steps_are_left_alone(repo, old_content, new_content):
    opened = create(repo, old_content)
    items = by_key(opened.case)
    # The user deletes one step, rewrites another and ticks a third.
    opened = repo.delete(opened, "checklist", items["general/third-opinion"].id)
    opened = repo.update(
        opened, "checklist", items["general/visit-mode"].id,
        {"text": "Video call with Dr Okafor on Tuesday", "notes": "link in email"},
    )
    opened = repo.update(opened, "checklist", items["general/sign-release"].id, {"done": "yes"})
    questions = by_key(opened.case, "questions", "bank_id")
    opened = repo.delete(opened, "questions", questions["core/options-all"].id)
    before = opened.state.tables

    writes = new_content.missing_items(opened.state)
    offered = added_keys(writes, "checklist", "template_id")
    assert "general/third-opinion" not in offered
    assert "core/options-all" not in added_keys(writes, "questions", "bank_id")
    assert offered and offered.isdisjoint({f"general/{i}" for i in V1_STEPS})
    touched = {(w.table, w.doc_id) for w in writes}
    assert not touched & {("checklist", doc) for doc in before["checklist"]}
    assert not touched & {("questions", doc) for doc in before["questions"]}

    saved = repo.apply(opened, writes, missing_summary(writes))
    case = repo.open(saved.case_id).case
    after = by_key(case)
    assert "general/third-opinion" not in after  # still deleted
    assert after["general/visit-mode"].text == "Video call with Dr Okafor on Tuesday"
    assert after["general/visit-mode"].notes == "link in email"
    assert after["general/sign-release"].done is True
    assert offered <= set(after)
    assert case.info.checklist_version == new_content.checklist("general").version
    assert missing_summary(writes) in {entry.summary for entry in case.log}
    # Once applied, nothing more is offered.
    assert new_content.missing_items(repo.open(saved.case_id).state) == []


def test_a_step_deleted_on_another_device_is_not_offered_again(tmp_path, old_content, new_content):
    laptop = make_repo(tmp_path, Device("aaaaaaaaaaaa", "laptop"))
    phone = make_repo(tmp_path, Device("bbbbbbbbbbbb", "phone"))
    try:
        opened = create(laptop, old_content)
        on_phone = phone.open(opened.case_id)
        step = by_key(on_phone.case)["general/compare-opinions"]
        phone.delete(on_phone, "checklist", step.id)

        merged = laptop.reload(opened)  # the laptop reads the phone's replica
        assert "general/compare-opinions" not in by_key(merged.case)
        offered = added_keys(new_content.missing_items(merged.state), "checklist", "template_id")
        assert "general/compare-opinions" not in offered
    finally:
        laptop.close()
        phone.close()


def test_two_devices_adding_the_new_steps_end_with_one_copy_of_each(
    tmp_path, old_content, new_content
):
    laptop = make_repo(tmp_path, Device("aaaaaaaaaaaa", "laptop"))
    phone = make_repo(tmp_path, Device("bbbbbbbbbbbb", "phone"))
    try:
        opened = create(laptop, old_content, surgery="yes")
        on_phone = phone.open(opened.case_id)
        # Both devices were updated and offer the new steps before either sees the other.
        laptop_writes = new_content.missing_items(opened.state)
        phone_writes = new_content.missing_items(on_phone.state)
        laptop.apply(opened, laptop_writes)
        phone.apply(on_phone, phone_writes)

        case = laptop.open(opened.case_id).case
        keys = [i.template_id for i in case.checklist]
        assert len(keys) == len(set(keys)), "a step was added twice"
        assert "general/surgery-non-surgeon" in keys
        assert case.conflicts == ()  # the same values written twice agree
    finally:
        laptop.close()
        phone.close()


def test_steps_that_start_to_apply_are_offered_when_the_case_changes(repo, new_content):
    opened = create(repo, new_content)
    assert new_content.missing_items(opened.state) == []
    opened = repo.update(opened, "case", opened.case_id, {"rare": "yes", "medicare": "yes"})
    writes = new_content.missing_items(opened.state)
    # (Part B's second surgical opinion waits for surgery to be proposed as well.)
    assert added_keys(writes, "checklist", "template_id") == {
        "general/rare-condition-centre", "general/rare-timeline",
        "general/medicare-accepts", "general/medicare-third-opinion",
    }
    # the questions that start to apply wait in the bank picker (core.starter_questions)
    assert added_keys(writes, "questions", "bank_id") == set()
    assert all(w.table != "case" for w in writes)  # the version is current already
    assert missing_summary(writes) == "Added 4 checklist steps from the updated content"
    opened = repo.update(opened, "case", opened.case_id, {"surgery": "yes"})
    writes = new_content.missing_items(opened.state)
    assert "general/medicare-part-b" in added_keys(writes, "checklist", "template_id")


def test_new_steps_are_placed_after_their_neighbour_in_the_template(
    repo, old_content, new_content
):
    opened = create(repo, old_content, dismissed="yes")
    saved = repo.apply(opened, new_content.missing_items(opened.state))
    case = repo.open(saved.case_id).case
    order = [i.template_id for i in case.checklist]  # the case's own order
    assert order == [i.key for i in new_content.applicable_items(case.info.values)]


def test_the_recorded_version_is_never_lowered(repo, new_content):
    values = {**new_content.template_fields(), "title": "From a newer app",
              "checklist_template": "general", "checklist_version": 9}
    opened = repo.create(values, extra=new_content.starter_writes(values))
    assert new_content.missing_items(opened.state) == []


def test_a_user_checklist_added_later_reaches_open_cases(tmp_path, repo, new_content):
    opened = create(repo, new_content)
    extra = tmp_path / "config" / "content" / "checklists"
    extra.mkdir(parents=True)
    (extra / "mine.yaml").write_text(
        "id: mine\ntitle: Mine\nversion: 1\nitems:\n"
        "  - id: parking\n    phase: visit\n    text: Book parking near the clinic\n"
    )
    with_mine = load_content([extra.parent])
    writes = with_mine.missing_items(opened.state)
    assert added_keys(writes, "checklist", "template_id") == {"mine/parking"}
    assert writes[-1].values == {"checklist_template": "general,mine"}


def test_missing_items_reads_only_the_state_it_is_given(new_content):
    # Pure: a state built in memory (no files) works, and is not changed.
    state, case_id = new_case({"title": "In memory", "cancer": True}, "dddddddddddd", "0")
    tables_before = repr(state.tables)
    writes = new_content.missing_items(state)
    assert repr(state.tables) == tables_before
    assert isinstance(state, CaseState)
    keys = added_keys(writes, "checklist", "template_id")
    assert keys == {i.key for i in new_content.applicable_items({"cancer": True})}
    # Ids depend on the case and the step only, so they are the same every time.
    assert [w.doc_id for w in writes] == [w.doc_id for w in new_content.missing_items(state)]
