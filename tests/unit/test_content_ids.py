"""Content ids are a promise to every case already made.

A case remembers each step and question it was given as ``<template>/<id>`` (``template_id``,
``bank_id``). An id that disappears from the content orphans that item in every open case; an
id reused for a different step confuses them; steps added without raising the version leave
cases that recorded the version unaware of them.

When you add steps or questions: raise the file's ``version`` and list the new ids under the
new version here. Never remove or move an id in these lists.
"""

from __future__ import annotations

import pytest
import yaml

from secondview.store.content_files import bundled_content_dir, load_content

RELEASED_CHECKLISTS: dict[str, dict[int, str]] = {
    # template id: {version: the item ids first released in that version}
    "general": {
        1: """
            not-an-emergency write-reasons ask-time-to-decide decide-to-go-ahead
            insurance-coverage insurance-rules medicare-part-b surgery-plan-rules
            tell-current-doctor concerns-charted choose-specialist rare-condition-centre
            ask-which-records sign-release request-records pathology-review treatments-tried
            confirm-records-arrived questions-written someone-takes-notes visit-mode
            opinion-in-writing compare-opinions third-opinion make-decision
            tell-treating-doctor
        """,
        2: """
            weigh-drawbacks dismissed-note-concerns not-improving-tell-doctor
            insurance-network insurance-referral insurance-preauth medicare-accepts
            surgery-non-surgeon rare-timeline cancer-tumour-board cancer-scans-and-markers
            dismissed-visit-notes video-check own-copies surgery-other-ways ask-evidence
            medicare-third-opinion what-matters keep-copies
        """,
        3: """
            safety-while-waiting caregiver-authority cancer-fertility dismissed-declined-test
            dismissed-corrections dismissed-patient-relations cancer-clinical-trials
            records-late access-needs costs-beyond-visit work-and-travel report-when
            report-to-first-doctor move-care
        """,
    },
}

RELEASED_BANKS: dict[str, dict[int, str]] = {
    # bank id: {version: the question ids first released in that version}
    "core": {
        1: """
            dx-agree dx-certainty dx-severity dx-why-not-working tests-more-needed
            tests-originals tests-pathology-review options-all options-less-invasive
            options-trials rec-which rec-personal risks-main risks-for-me goals-aim
            recovery-time recovery-help waiting-outcome waiting-how-long evidence-basis
            evidence-experience cost-total cost-where first-plan-view first-plan-difference
            first-plan-in-writing
        """,
        2: """
            dx-other-possibilities dx-plain-words dx-cancer-type dx-unclear-next
            tests-repeat tests-missing tests-markers tests-results-how options-pros-cons
            options-next-step options-surgery-ways options-after-failure rec-strength
            rec-change-mind rec-family rec-who-treats risks-long-term risks-warning-signs
            risks-lower risks-daily-life risks-surgery-here goals-working goals-quality
            goals-my-priorities goals-outlook recovery-rehab recovery-follow-up
            recovery-limits waiting-signs waiting-monitoring waiting-delay-cancer
            evidence-guideline-differs evidence-out-of-100 evidence-centre-results
            evidence-reading evidence-experts cost-visit cost-approval cost-time
            cost-medicare cost-support first-plan-read-differently first-plan-same-records
            first-plan-changes first-plan-talk
        """,
        3: """
            dx-heard-concerns dx-look-again tests-declined-in-record waiting-keep-treatment
            waiting-worse cost-facility-fee cost-estimate risks-fertility
            first-plan-send-report
        """,
    },
}

BUNDLED = bundled_content_dir()


@pytest.fixture(scope="module")
def content():
    return load_content()


def released(table: dict[str, dict[int, str]]) -> list[tuple[str, int, set[str]]]:
    """(id, latest released version, every id released up to it) per template or bank."""
    out = []
    for name, versions in table.items():
        ids: set[str] = set()
        for words in versions.values():
            listed = words.split()
            assert not ids & set(listed), f"{name}: an id is listed in two versions"
            ids |= set(listed)
        out.append((name, max(versions), ids))
    return out


@pytest.mark.parametrize("name, version, ids", released(RELEASED_CHECKLISTS))
def test_no_released_checklist_step_disappeared(content, name, version, ids):
    template = content.checklist(name)
    assert template is not None, f"the released checklist '{name}' is gone"
    current = {item.id for item in template.items}
    assert ids - current == set(), "released steps removed or renamed; restore them"
    assert template.version >= version, "a version went down"
    added = current - ids
    assert not added, (
        f"new steps {sorted(added)}: raise {name}'s version to {version + 1} and list them "
        f"under it in RELEASED_CHECKLISTS"
    )
    assert template.version == version, (
        f"version {template.version} is not listed: list its new steps under it here"
    )


@pytest.mark.parametrize("name, version, ids", released(RELEASED_BANKS))
def test_no_released_question_disappeared(content, name, version, ids):
    bank = next((b for b in content.banks if b.id == name), None)
    assert bank is not None, f"the released question bank '{name}' is gone"
    current = {q.id for q in content.questions if q.bank == name}
    assert ids - current == set(), "released questions removed or renamed; restore them"
    assert bank.version >= version
    added = current - ids
    assert not added, (
        f"new questions {sorted(added)}: raise {name}'s version to {version + 1} and list "
        f"them under it in RELEASED_BANKS"
    )
    assert bank.version == version


def test_every_bundled_file_is_listed_here():
    # A new bundled checklist or bank is a new promise: list its ids above.
    templates = {
        yaml.safe_load(p.read_text())["id"] for p in (BUNDLED / "checklists").glob("*.yaml")
    }
    banks = {yaml.safe_load(p.read_text())["id"] for p in (BUNDLED / "questions").glob("*.yaml")}
    assert templates == set(RELEASED_CHECKLISTS)
    assert banks == set(RELEASED_BANKS)


def test_keys_are_unique_across_all_content(content):
    steps = [item.key for t in content.checklists for item in t.items]
    questions = [q.key for q in content.questions]
    assert len(steps) == len(set(steps))
    assert len(questions) == len(set(questions))
    assert len({g.id for g in content.guides}) == len(content.guides)
