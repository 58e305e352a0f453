"""Content loading: the bundled content validates, rules select the right steps, a new case starts
with its checklist and questions, and a broken user file is reported without stopping the rest."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from secondview.core import model, starter_questions
from secondview.core.content_items import ContentProblem
from secondview.store.content_files import bundled_content_dir, load_content
from secondview.store.paths import Device, Paths
from secondview.store.repository import CaseRepository

BUNDLED = bundled_content_dir()


@pytest.fixture(scope="module")
def content():
    return load_content()


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


def user_dir(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "config" / "content"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def keys(items) -> set[str]:
    return {i.key for i in items}


# -- the bundled content ------------------------------------------------------------------------


def test_bundled_content_is_found_and_loads_without_problems(content):
    assert BUNDLED is not None and (BUNDLED / "checklists" / "general.yaml").is_file()
    assert [str(p) for p in content.problems] == []
    general = content.checklist("general")
    assert general is not None and general.version >= 1
    assert {i.phase for i in general.items} == set(model.PHASES)
    assert len(general.items) >= 16
    assert {b.id for b in content.banks} >= {"core"}
    assert len(content.questions) >= 20


def test_bundled_questions_cover_every_category_and_say_why(content):
    assert {q.category for q in content.questions} == set(model.QUESTION_CATEGORIES)
    assert all(q.why for q in content.questions)
    assert {q.priority for q in content.questions} <= set(model.PRIORITIES)


def test_every_record_kind_is_described(content):
    kinds = {k.id: k for k in content.record_kinds}
    assert set(kinds) == set(model.RECORD_KINDS)
    for kind in kinds.values():
        assert kind.label and kind.what_to_request and kind.usually_held_by
        assert kind.response_days >= 0
    assert content.record_kind("pathology_slides").label


def test_bundled_ids_are_unique_in_the_files_themselves():
    # Read the YAML directly: the loader drops duplicates, so check the source.
    for path in sorted((BUNDLED / "checklists").glob("*.yaml")):
        ids = [item["id"] for item in yaml.safe_load(path.read_text())["items"]]
        assert len(ids) == len(set(ids)), path
    for path in sorted((BUNDLED / "questions").glob("*.yaml")):
        ids = [q["id"] for q in yaml.safe_load(path.read_text())["questions"]]
        assert len(ids) == len(set(ids)), path
    kinds = [k["id"] for k in yaml.safe_load((BUNDLED / "records.yaml").read_text())["kinds"]]
    assert len(kinds) == len(set(kinds))


def test_emergency_step_comes_first_for_every_case(content):
    for values in ({}, {"urgency": "emergency"}, {"cancer": True, "surgery": True}):
        first = content.applicable_items(values)[0]
        assert first.key == "general/not-an-emergency"
        assert "emergency" in first.text.lower()


# -- applies_when ---------------------------------------------------------------------------------


def test_cancer_case_gets_pathology_review_and_others_do_not(content):
    cancer = content.applicable_items({"cancer": True})
    other = content.applicable_items({"cancer": False})
    assert "general/pathology-review" in keys(cancer)
    assert "general/pathology-review" not in keys(other)
    assert "general/pathology-review" not in keys(content.applicable_items({}))
    assert "core/tests-pathology-review" in keys(content.applicable_questions({"cancer": True}))
    assert "core/tests-pathology-review" not in keys(content.applicable_questions({}))
    # Steps for everyone are there in both.
    assert "general/request-records" in keys(cancer) & keys(other)


def test_surgery_and_medicare_steps_follow_their_fields(content):
    assert "general/surgery-plan-rules" in keys(content.applicable_items({"surgery": True}))
    assert "general/surgery-plan-rules" not in keys(content.applicable_items({"medicare": True}))
    # Part B's second surgical opinion: for a Medicare case with surgery proposed, not for
    # every Medicare case whatever is proposed
    both = {"medicare": True, "surgery": True}
    assert "general/medicare-part-b" in keys(content.applicable_items(both))
    assert "general/medicare-part-b" not in keys(content.applicable_items({"medicare": True}))
    assert "general/medicare-part-b" not in keys(content.applicable_items({"surgery": True}))


def test_case_values_typed_in_as_text_are_understood(content):
    # Values straight from a form or the command line ("yes") select like parsed ones.
    assert "general/pathology-review" in keys(content.applicable_items({"cancer": "yes"}))
    assert "general/pathology-review" not in keys(content.applicable_items({"cancer": "no"}))


def test_checklist_is_ordered_by_phase(content):
    phases = [i.phase for i in content.applicable_items({"cancer": True, "surgery": True})]
    assert phases == sorted(phases, key=model.PHASES.index)


def test_rule_lists_are_any_of_and_fields_are_all_of(tmp_path):
    extra = user_dir(
        tmp_path,
        {
            "checklists/rules.yaml": """
id: rules
title: Rules
version: 1
items:
  - id: not-urgent
    phase: deciding
    text: Only when not urgent
    applies_when: {urgency: [routine, soon]}
  - id: both
    phase: deciding
    text: Only with cancer and Medicare
    applies_when: {cancer: true, medicare: yes}
  - id: covered
    phase: preparing
    text: Only when covered
    applies_when: {covered: yes}
""",
        },
    )
    content = load_content([extra])
    assert content.problems == []

    def picked(values):
        found = keys(content.applicable_items(values))
        return {k.split("/")[1] for k in found if k.startswith("rules/")}

    assert picked({}) == {"not-urgent"}  # urgency defaults to routine
    assert picked({"urgency": "soon"}) == {"not-urgent"}
    assert picked({"urgency": "emergency"}) == set()
    assert picked({"urgency": "emergency", "cancer": True}) == set()
    assert picked({"urgency": "emergency", "cancer": True, "medicare": True}) == {"both"}
    assert picked({"urgency": "emergency", "covered": "yes"}) == {"covered"}
    assert picked({"urgency": "emergency", "covered": "unknown"}) == set()


# -- starting a case ------------------------------------------------------------------------------


def test_starter_writes_hold_values_the_model_accepts(content):
    writes = content.starter_writes({"cancer": True})
    tables = {w.table for w in writes}
    assert tables == {"checklist", "questions"}
    for write in writes:
        assert model.parse_fields(write.table, write.values) == dict(write.values)
        assert model.missing_required(write.table, write.values) == []
    assert len({w.doc_id for w in writes}) == len(writes)
    # Fresh ids each time: two cases never share item ids.
    again = content.starter_writes({"cancer": True})
    assert not {w.doc_id for w in writes} & {w.doc_id for w in again}
    fields = content.template_fields()
    assert model.parse_fields("case", fields) == fields
    assert fields == {
        "checklist_template": "general",
        "checklist_version": content.checklist("general").version,
        "question_banks": f"core:{content.banks[0].version}",
    }


def test_a_new_case_starts_with_its_checklist_and_questions(content, repo):
    values = model.parse_fields("case", {"title": "Dad - biopsy result", "cancer": "yes"})
    values.update(content.template_fields())
    opened = repo.create(values, extra=content.starter_writes(values))

    reopened = repo.open(opened.case_id)
    case = reopened.case
    expected_items = content.applicable_items(values)
    ordered = sorted(case.checklist, key=lambda i: i.order)
    assert [i.template_id for i in ordered] == [t.key for t in expected_items]
    assert [i.text for i in ordered] == [t.text for t in expected_items]
    assert [i.phase for i in ordered] == [t.phase for t in expected_items]
    assert not any(i.done for i in case.checklist)
    assert "general/pathology-review" in {i.template_id for i in case.checklist}

    expected_questions = starter_questions.choose(content.applicable_questions(values))
    assert 0 < len(expected_questions) <= starter_questions.STARTER_SIZE
    questions = sorted(case.questions, key=lambda q: q.order)
    assert [q.bank_id for q in questions] == [q.key for q in expected_questions]
    assert all(q.why and not q.asked for q in questions)
    assert case.info.checklist_template == "general"
    assert case.info.checklist_version == content.checklist("general").version >= 2


def test_a_case_without_cancer_starts_without_pathology_review(content, repo):
    values = {"title": "Knee"}
    opened = repo.create(values, extra=content.starter_writes(values))
    templates = {i.template_id for i in repo.open(opened.case_id).case.checklist}
    assert "general/pathology-review" not in templates
    assert "general/request-records" in templates


# -- user content ---------------------------------------------------------------------------------


def test_user_checklist_loads_beside_ours_and_reaches_new_cases(tmp_path, repo):
    extra = user_dir(
        tmp_path,
        {
            "checklists/knee.yaml": """
id: my-knee
title: My knee steps
version: 2
items:
  - id: physio-notes
    phase: preparing
    text: Get the physiotherapy notes
""",
            "questions/mine.yaml": """
id: mine
title: My questions
version: 1
questions:
  - id: stairs
    category: recovery
    text: When can I climb stairs again?
""",
        },
    )
    content = load_content([extra, tmp_path / "missing"])
    assert content.problems == []
    assert [t.id for t in content.checklists] == ["general", "my-knee"]
    assert "my-knee/physio-notes" in keys(content.applicable_items({}))
    assert "mine/stairs" in keys(content.applicable_questions({}))
    assert content.applicable_questions({})[-1].priority == "normal"  # the default
    assert content.template_fields()["checklist_template"] == "general,my-knee"

    values = {"title": "Knee", **content.template_fields()}
    opened = repo.create(values, extra=content.starter_writes(values))
    case = repo.open(opened.case_id).case
    assert "my-knee/physio-notes" in {i.template_id for i in case.checklist}
    # the short starter list leaves it in the bank, where the picker lists it
    held = {q.bank_id for q in case.questions}
    picker = starter_questions.choices(content.questions, content.applicable_questions({}), held)
    assert "mine/stairs" in {q.key for q, _ in picker}
    assert case.info.question_banks == "core:3,mine:1"


def test_missing_extra_folders_are_fine(tmp_path):
    content = load_content([tmp_path / "nope", tmp_path / "file-not-dir"])
    assert content.problems == []
    assert content.checklist("general") is not None


BROKEN = [
    pytest.param(
        "checklists/bad.yaml",
        "id: bad\ntitle: Bad\nversion: 1\nitems:\n  - id: a\n"
        "    text: [unclosed\n    phase: visit\n",
        7,
        "",
        "not valid YAML",
        id="bad-yaml",
    ),
    pytest.param(
        "checklists/bad.yaml",
        "id: bad\ntitle: Bad\nversion: 1\nitems:\n  - id: a\n    phase: visit\n    text: A\n"
        "  - id: b\n    phase: later\n    text: B\n",
        9,
        "items[1].phase",
        "'later' is not one of: deciding, preparing, visit, after",
        id="unknown-phase",
    ),
    pytest.param(
        "checklists/bad.yaml",
        "id: bad\ntitle: Bad\nversion: 1\nitems:\n  - id: a\n    phase: visit\n    text: A\n"
        "    applies_when: {cancr: true}\n",
        8,
        "items[0].applies_when",
        "unknown case field 'cancr'",
        id="unknown-rule-field",
    ),
    pytest.param(
        "checklists/bad.yaml",
        "id: bad\ntitle: Bad\nversion: 1\nitems:\n  - id: a\n    phase: visit\n    text: A\n"
        "    applies_when:\n      urgency: [routine, urgentish]\n",
        9,
        "items[0].applies_when.urgency",
        "'urgentish' is not one of: routine, soon, emergency",
        id="unknown-rule-value",
    ),
    pytest.param(
        "checklists/bad.yaml",
        "id: bad\ntitle: Bad\nversion: 1\nitems:\n  - id: a\n    phase: visit\n    text: A\n"
        "  - id: a\n    phase: after\n    text: Again\n",
        8,
        "items[1].id",
        "'a' is used twice",
        id="duplicate-item-id",
    ),
    pytest.param(
        "checklists/bad.yaml",
        "# mine\nid: general\ntitle: Mine\nversion: 1\nitems: []\n",
        2,
        "id",
        "already the id of the checklist in content/checklists/general.yaml",
        id="duplicate-template-id",
    ),
    pytest.param(
        "checklists/bad.yaml",
        "- id: a\n- id: b\n",
        1,
        "",
        "expected a checklist",
        id="not-a-mapping",
    ),
    pytest.param(
        "checklists/bad.yaml",
        "id: bad\ntitle: Bad\nversion: 1\nitems:\n  - id: a\n    phse: visit\n    text: A\n",
        6,
        "items[0].phse",
        "unknown field 'phse'",
        id="misspelt-field",
    ),
    pytest.param(
        "checklists/bad.yaml",
        "id: bad\ntitle: Bad\nversion: one\nitems: []\n",
        3,
        "version",
        "'one' is not a whole number",
        id="bad-version",
    ),
    pytest.param(
        "questions/bad.yaml",
        "id: bad\ntitle: Bad\nversion: 1\nquestions:\n  - id: q\n    category: feelings\n"
        "    text: Q?\n",
        6,
        "questions[0].category",
        "'feelings' is not one of: diagnosis",
        id="question-category",
    ),
    pytest.param(
        "questions/bad.yaml",
        "",
        None,
        "",
        "found an empty file",
        id="empty-file",
    ),
    pytest.param(
        "checklists/bad.yaml",
        'id: bad\ntitle: !!python/object/apply:os.system ["touch pwned"]\nversion: 1\n',
        2,
        "",
        "not valid YAML: could not determine a constructor",
        id="python-object-refused",
    ),
]


@pytest.mark.parametrize("name, text, line, field, words", BROKEN)
def test_a_broken_user_file_gives_one_problem_and_the_rest_loads(
    tmp_path, name, text, line, field, words
):
    extra = user_dir(tmp_path, {name: text})
    content = load_content([extra])

    assert len(content.problems) == 1, [str(p) for p in content.problems]
    problem = content.problems[0]
    assert isinstance(problem, ContentProblem)
    assert problem.path == extra / name
    assert problem.line == line
    assert problem.field == field
    assert words in problem.problem
    where = str(extra / name) + (f", line {line}" if line is not None else "")
    expected = f"{where}: {field}: {problem.problem}" if field else f"{where}: {problem.problem}"
    assert str(problem) == problem.message() == expected
    # Our own content is untouched by the user's mistake.
    general = content.checklist("general")
    assert general is not None and general.path.parent.parent == BUNDLED
    assert content.banks[0].id == "core" and len(content.record_kinds) == len(model.RECORD_KINDS)


def test_the_good_items_of_a_broken_file_still_load(tmp_path):
    extra = user_dir(
        tmp_path,
        {
            "checklists/mine.yaml": "id: mine\ntitle: Mine\nversion: 1\nitems:\n"
            "  - id: good\n    phase: visit\n    text: Good step\n"
            "  - id: bad\n    phase: later\n    text: Bad step\n"
            "  - id: also-good\n    phase: after\n    text: Another\n",
        },
    )
    content = load_content([extra])
    assert len(content.problems) == 1
    assert [i.id for i in content.checklist("mine").items] == ["good", "also-good"]


def test_problem_message_names_file_line_and_field():
    problem = ContentProblem(
        Path("/x/content/checklists/general.yaml"),
        12,
        "items[3].phase",
        "'later' is not one of: deciding, preparing, visit, after",
        "content/checklists/general.yaml",
    )
    assert str(problem) == (
        "content/checklists/general.yaml, line 12: items[3].phase: "
        "'later' is not one of: deciding, preparing, visit, after"
    )


def test_non_utf8_and_dot_files(tmp_path):
    extra = user_dir(tmp_path, {".hidden.yaml": "not: [valid"})
    (extra / "checklists").mkdir()
    (extra / "checklists" / ".syncthing.mine.yaml.tmp").write_text("- junk")
    (extra / "checklists" / "latin1.yaml").write_bytes(b"id: caf\xe9\n")
    content = load_content([extra])
    assert [(p.path.name, p.line) for p in content.problems] == [("latin1.yaml", None)]
    assert "UTF-8" in content.problems[0].problem


def test_a_template_level_rule_covers_all_its_items(tmp_path):
    extra = user_dir(
        tmp_path,
        {
            "checklists/surgery.yaml": "id: surgery-extra\ntitle: Before an operation\n"
            "version: 1\napplies_when: {surgery: true}\nitems:\n"
            "  - id: anaesthesia\n    phase: visit\n    text: Ask about the anaesthetic\n",
        },
    )
    content = load_content([extra])
    assert content.problems == []
    assert "surgery-extra/anaesthesia" in keys(content.applicable_items({"surgery": True}))
    assert "surgery-extra/anaesthesia" not in keys(content.applicable_items({}))


@pytest.fixture
def own_bundle(tmp_path, monkeypatch):
    """A copy of the bundled content that a test may change, used in its place."""
    import shutil

    from secondview.store import content_files as content_module

    root = tmp_path / "bundle"
    shutil.copytree(BUNDLED, root)
    monkeypatch.setattr(content_module, "bundled_content_dir", lambda: root)
    return root


def test_guides_load_with_their_titles(own_bundle):
    guides = own_bundle / "guides"
    guides.mkdir(exist_ok=True)
    (guides / "zz-when.md").write_text("Intro line\n\n# When to ask\n\nSome text.\n")
    (guides / "zz-untitled.md").write_text("no heading here\n")
    content = load_content()
    guide = content.guide("zz-when")
    assert guide is not None and guide.title == "When to ask" and "Some text." in guide.text
    assert content.guide("zz-untitled") is None
    assert [str(p) for p in content.problems] == [
        "content/guides/zz-untitled.md, line 1: a guide starts with a '# Title' line"
    ]


def test_a_broken_bundled_records_file_is_named_and_checklists_still_load(own_bundle):
    text = (own_bundle / "records.yaml").read_text()
    (own_bundle / "records.yaml").write_text(text.replace("id: labs", "id: lab_results"))
    content = load_content()
    assert len(content.problems) == 1
    problem = content.problems[0]
    assert str(problem).startswith("content/records.yaml, line ")
    assert problem.field == "kinds[0].id" and "'lab_results' is not one of" in problem.problem
    assert content.record_kind("labs") is None and content.record_kind("imaging_report")
    assert content.checklist("general") is not None


def test_a_missing_bundled_folder_is_reported_not_raised(monkeypatch, tmp_path):
    from secondview.store import content_files as content_module

    monkeypatch.setattr(content_module, "bundled_content_dir", lambda: None)
    content = load_content([tmp_path])
    assert content.checklists == [] and content.starter_writes({}) == []
    assert content.template_fields() == {}
    assert "reinstall" in str(content.problems[0])


# -- what issue #4 asks the content to hold ------------------------------------------------------

PROCESS_STEPS = [
    # (phase, step id): the general process, phase by phase, as issue #4 lists it
    ("deciding", "write-reasons"),  # the reasons people seek one
    ("deciding", "not-an-emergency"),  # when not to wait
    ("preparing", "insurance-coverage"),  # is it covered
    ("preparing", "insurance-network"),  # network rules
    ("preparing", "insurance-referral"),
    ("preparing", "insurance-preauth"),
    ("preparing", "medicare-part-b"),
    ("preparing", "tell-current-doctor"),
    ("preparing", "choose-specialist"),  # independent, at another institution
    ("preparing", "request-records"),
    ("preparing", "sign-release"),
    ("preparing", "confirm-records-arrived"),  # before the visit
    ("visit", "questions-written"),
    ("visit", "someone-takes-notes"),
    ("visit", "visit-mode"),  # in person or by video, and what must reach the doctor
    ("visit", "opinion-in-writing"),
    ("after", "compare-opinions"),
    ("after", "third-opinion"),
    ("after", "make-decision"),
    ("after", "tell-treating-doctor"),
]


def test_the_general_checklist_holds_every_step_of_the_process(content):
    items = {i.id: i for i in content.checklist("general").items}
    for phase, step in PROCESS_STEPS:
        assert step in items, step
        assert items[step].phase == phase, step
    assert "another institution" in items["choose-specialist"].text
    assert "video" in items["visit-mode"].details and "ahead of" in items["visit-mode"].details


SITUATIONS = [
    # (case field, steps that only such a case gets)
    ("cancer", {"pathology-review", "cancer-tumour-board", "cancer-scans-and-markers",
                "cancer-clinical-trials", "cancer-fertility"}),
    ("surgery", {"surgery-plan-rules", "surgery-non-surgeon", "surgery-other-ways"}),
    ("rare", {"rare-condition-centre", "rare-timeline"}),
    ("medicare", {"medicare-accepts", "medicare-third-opinion"}),
    ("not_improving", {"treatments-tried", "not-improving-tell-doctor"}),
    ("dismissed", {"concerns-charted", "dismissed-note-concerns", "dismissed-visit-notes",
                   "dismissed-declined-test", "dismissed-corrections",
                   "dismissed-patient-relations"}),
]


@pytest.mark.parametrize("field, steps", SITUATIONS)
def test_each_situation_adds_its_own_steps_and_only_those(content, field, steps):
    plain = {i.id for i in content.applicable_items({}) if i.template == "general"}
    with_it = {i.id for i in content.applicable_items({field: True}) if i.template == "general"}
    assert with_it - plain == steps
    assert plain <= with_it


def test_a_case_kept_by_someone_else_gets_the_step_on_their_authority(content):
    plain = {i.id for i in content.applicable_items({}) if i.template == "general"}
    kept = {i.id for i in content.applicable_items({"kept_by": "someone_else"})
            if i.template == "general"}
    assert kept - plain == {"caregiver-authority"}
    step = next(i for i in content.checklist("general").items if i.id == "caregiver-authority")
    assert "HIPAA authorization" in step.text and "power of attorney" in step.text
    assert {i.id for i in content.applicable_items({"kept_by": "patient"})
            if i.template == "general"} == plain


def test_a_dismissed_case_gets_the_record_steps_and_its_question_set(content):
    items = {i.id: i for i in content.applicable_items({"dismissed": True})}
    assert "reason" in items["dismissed-declined-test"].text
    assert "correct" in items["dismissed-corrections"].text
    assert "patient relations" in items["dismissed-patient-relations"].text
    asked = keys(content.applicable_questions({"dismissed": True}))
    plain = keys(content.applicable_questions({}))
    assert {"core/dx-heard-concerns", "core/dx-look-again",
            "core/tests-declined-in-record"} <= asked - plain


def test_a_cancer_case_gets_clinical_trials_and_fertility_as_steps(content):
    items = {i.id: i for i in content.applicable_items({"cancer": True})}
    assert "clinical trial" in items["cancer-clinical-trials"].text
    assert "children" in items["cancer-fertility"].text
    assert "core/risks-fertility" in keys(content.applicable_questions({"cancer": True}))


def test_every_case_gets_the_steps_on_safety_access_costs_and_closing_the_loop(content):
    plain = {i.id: i for i in content.applicable_items({}) if i.template == "general"}
    assert "unless a doctor" in plain["safety-while-waiting"].text
    assert "911" in plain["safety-while-waiting"].details
    details = plain["safety-while-waiting"].details
    assert details.index("911") < details.index("doctor's office")  # call first
    assert "interpreter" in plain["access-needs"].text
    assert "Good Faith Estimate" in plain["costs-beyond-visit"].details
    assert "charity care" in plain["costs-beyond-visit"].details
    assert "FMLA" in plain["work-and-travel"].details
    assert "first doctor" in plain["report-to-first-doctor"].text
    assert "cost-based fee" in plain["request-records"].details
    assert "guide on late records" in plain["records-late"].text
    assert "anyway" in plain["sign-release"].details  # not needed for treatment


def test_concerns_are_charted_for_a_patient_who_feels_dismissed(content):
    step = next(i for i in content.applicable_items({"dismissed": True})
                if i.key == "general/concerns-charted")
    assert "record" in step.text


@pytest.mark.parametrize(
    "field, step",
    [
        ("in_network_only", "general/insurance-network"),
        ("referral_needed", "general/insurance-referral"),
        ("preauth_needed", "general/insurance-preauth"),
    ],
)
def test_insurance_steps_follow_what_the_case_knows(content, field, step):
    # Unknown (the default) or yes: the step is there; a plain no drops it.
    assert step in keys(content.applicable_items({}))
    assert step in keys(content.applicable_items({field: "yes"}))
    assert step not in keys(content.applicable_items({field: "no"}))


def test_the_question_bank_is_big_enough_and_every_category_is_well_served(content):
    assert len(content.questions) >= 60
    per_category = {c: 0 for c in model.QUESTION_CATEGORIES}
    for question in content.questions:
        per_category[question.category] += 1
        assert question.text.endswith("?"), question.key
        assert 10 <= len(question.why) <= 140, question.key
    assert min(per_category.values()) >= 4, per_category
    # Questions for the second doctor about the first plan are there.
    assert per_category["first_plan"] >= 5


def test_situation_questions_reach_only_their_cases(content):
    everyone = keys(content.applicable_questions({}))
    assert "core/dx-cancer-type" in keys(content.applicable_questions({"cancer": True}))
    assert "core/dx-cancer-type" not in everyone
    assert "core/evidence-experts" in keys(content.applicable_questions({"rare": True}))
    assert "core/cost-medicare" in keys(content.applicable_questions({"medicare": True}))
    assert "core/options-surgery-ways" in keys(content.applicable_questions({"surgery": True}))
    assert len(everyone) >= 50


def test_record_kinds_say_what_to_request_and_the_response_window(content):
    slides = content.record_kind("pathology_slides")
    assert "slides" in slides.what_to_request and "blocks" in slides.what_to_request
    assert slides.response_days == 30 and "lab to lab" in slides.details
    images = content.record_kind("imaging_images")
    assert "disc" in images.what_to_request or "link" in images.what_to_request
    assert content.record_kind("medication_list").response_days == 0  # you write it yourself
    assert max(k.response_days for k in content.record_kinds) == 30  # the HIPAA window
