"""SVG snapshots of the opinions, compare and decision panes on fixed data (ids, clock, day,
device, TZ), in the default theme and a light one at 120x40, and opinions, compare and
decision at 80x24. The decision pane's case also has options, benefits and risks, leanings
and SURE answers.

Update the baselines with `pytest tests/snapshots --snapshot-update` after looking at them.
"""

from __future__ import annotations

import pytest

from ui_kit import case_uuid, seed_case, settle

CASE = case_uuid(7)
OKAFOR, LIND = case_uuid(101), case_uuid(102)
QUESTIONS = (
    (case_uuid(401), "What happens if we wait?"),
    (case_uuid(402), "What are the other options?"),
    (case_uuid(403), "How long is recovery?"),
)
ITEMS = [
    ("opinions", OKAFOR, {
        "doctor": "Dr Okafor", "order": 1, "specialty": "Orthopaedic surgery",
        "institution": "Riverside Orthopaedics", "visit_mode": "in_person",
        "date": "2026-08-01", "diagnosis": "Severe wear of the knee joint (osteoarthritis)",
        "stage": "Grade 4", "treatment": "Total knee replacement",
        "alternatives": "Pain medicine; he did not expect physiotherapy to help.",
        "risks": "Infection, blood clots, a stiff knee, the implant wearing out after many "
                 "years.",
        "side_effects": "Pain and swelling for some weeks.",
        "goals": "Walk without pain.",
        "recovery": "Three nights in hospital.\nCrutches for six weeks; driving after eight.",
        "if_waiting": "Slowly worse; waiting a few months is safe.",
        "written_copy": True,
        "costs": "Covered after the deductible.",
    }),
    ("opinions", LIND, {
        "doctor": "Dr Lind", "order": 2, "specialty": "Sports medicine",
        "institution": "University Clinic", "independent": "yes", "visit_mode": "in_person",
        "date": "2026-09-01", "diagnosis": "Severe wear of the knee joint (osteoarthritis)",
        "stage": "Grade 3", "treatment": "Three months of guided physiotherapy, then decide "
                                         "again",
        "alternatives": "Knee replacement now, which she sees as a larger step than needed "
                        "yet.",
        "risks": "Few: soreness after exercise.",
        "goals": "Walk the dog for half an hour; put surgery off if a smaller step will do.",
        "recovery": "No time off.",
        "if_waiting": "Nothing unsafe in trying physiotherapy first.",
        "evidence": "Cited trials of exercise therapy for knee osteoarthritis.",
        "written_copy": True,
    }),
    *(("questions", qid, {"text": q, "order": float(n)})
      for n, (qid, q) in enumerate(QUESTIONS, 1)),
    ("answers", case_uuid(601), {"question": QUESTIONS[0][0], "opinion": OKAFOR,
                                 "text": "It will slowly get worse."}),
    ("answers", case_uuid(602), {"question": QUESTIONS[0][0], "opinion": LIND,
                                 "text": "Nothing bad; try physiotherapy first."}),
    ("answers", case_uuid(603), {"question": QUESTIONS[1][0], "opinion": LIND,
                                 "text": "Exercise, weight loss, an injection."}),
    ("answers", case_uuid(604), {"question": QUESTIONS[2][0], "opinion": OKAFOR,
                                 "text": "About three months."}),
    ("answers", case_uuid(605), {"question": QUESTIONS[2][0], "opinion": LIND,
                                 "text": "About three months."}),
    ("decision", CASE, {
        "options": "1. Knee replacement now (Dr Okafor)\n"
                   "2. Physiotherapy first, decide again in three months (Dr Lind)",
        "matters": "Walking the dog again: a lot\nAvoiding an operation if possible: some",
        "who_decides": "shared", "leaning": "Physiotherapy first",
        "choice": "Physiotherapy first", "reasons": "A smaller step; surgery stays possible.",
        "doctor_told": True, "told_on": "2026-09-12",
    }),
]


KNEE, PHYSIO, WAIT = case_uuid(701), case_uuid(702), case_uuid(703)
DECISION_ITEMS = [
    ("options", KNEE, {"title": "Total knee replacement", "source": "opinion",
                       "opinion": OKAFOR, "order": 1.0}),
    ("options", PHYSIO, {"title": "Three months of guided physiotherapy, then decide again",
                         "source": "opinion", "opinion": LIND, "order": 2.0}),
    ("options", WAIT, {"title": "Wait and watch", "source": "waiting", "order": 3.0}),
    ("factors", case_uuid(711), {"option": KNEE, "kind": "benefit",
                                 "text": "Walk the dog again without pain", "importance": 5}),
    ("factors", case_uuid(712), {"option": KNEE, "kind": "risk",
                                 "text": "Six weeks on crutches", "importance": 3}),
    ("factors", case_uuid(713), {"option": KNEE, "kind": "risk", "text": "Infection",
                                 "importance": 1}),
    ("factors", case_uuid(714), {"option": PHYSIO, "kind": "benefit",
                                 "text": "No operation, no time off", "importance": 4}),
    ("factors", case_uuid(715), {"option": PHYSIO, "kind": "risk",
                                 "text": "Three more months of pain", "importance": 0}),
    ("leanings", case_uuid(721), {"date": "2026-09-02", "option": KNEE}),
    ("leanings", case_uuid(722), {"date": "2026-09-10", "option": PHYSIO,
                                  "note": "after talking to Dr Lind"}),
    ("decision", CASE, {"sure_know": True, "sure_values": True, "sure_support": True}),
]


def _seed(world, decision: bool = False):
    seed_case(world, CASE, {"title": "Mum - knee surgery", "patient": "Mum",
                            "condition": "osteoarthritis", "surgery": True},
              [*ITEMS, *(DECISION_ITEMS if decision else ())])


def _steps(pane_key: str, theme: str | None = None):
    """A run_before: open the case, show the pane ``pane_key``, in ``theme`` if given."""

    async def run(pilot):
        await settle(pilot)
        if theme is not None:
            pilot.app.theme = theme
            await settle(pilot)
        await pilot.press("enter")  # the only case in the list
        await settle(pilot)
        await pilot.press(pane_key)
        await settle(pilot)

    return run


THEMES = [pytest.param(None, id="default"), pytest.param("secondview-light", id="light")]


@pytest.mark.parametrize("theme", THEMES)
def test_opinions_pane(snap_compare, make_app, world, theme):
    _seed(world)
    assert snap_compare(make_app(), terminal_size=(120, 40), run_before=_steps("5", theme))


@pytest.mark.parametrize("theme", THEMES)
def test_compare_pane(snap_compare, make_app, world, theme):
    _seed(world)
    assert snap_compare(make_app(), terminal_size=(120, 40), run_before=_steps("6", theme))


@pytest.mark.parametrize("theme", THEMES)
def test_decision_pane(snap_compare, make_app, world, theme):
    _seed(world, decision=True)
    assert snap_compare(make_app(), terminal_size=(120, 40), run_before=_steps("7", theme))


def test_decision_pane_80x24(snap_compare, make_app, world):
    _seed(world, decision=True)
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=_steps("7"))


def test_compare_pane_80x24(snap_compare, make_app, world):
    _seed(world)
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=_steps("6"))


def _pressed(pane_key: str, *keys: str):
    """A run_before: show the pane ``pane_key``, then press ``keys``."""
    shown = _steps(pane_key)

    async def run(pilot):
        await shown(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run


def test_relation_picker(snap_compare, make_app, world):
    _seed(world)
    assert snap_compare(make_app(), terminal_size=(120, 40), run_before=_pressed("6", "T"))


def test_relation_picker_80x24(snap_compare, make_app, world):
    _seed(world)
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=_pressed("6", "T"))


def test_opinions_pane_80x24(snap_compare, make_app, world):
    _seed(world)
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=_steps("5"))
