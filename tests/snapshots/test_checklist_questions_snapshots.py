"""SVG snapshots of the checklist pane (key 2) and the questions pane (key 4), in the default
theme and a light one at 120x40, and both at 80x24, on fixed data (ids, clock, day,
device, TZ) and a small content set of our own making (so the offer line shows and the image
does not change when the bundled checklist grows).

Update the baselines with `pytest tests/snapshots --snapshot-update` after looking at them.
"""

from __future__ import annotations

from pathlib import Path

from secondview.core.content import Content
from secondview.core.content_items import ChecklistTemplate, TemplateItem

from ui_kit import case_uuid, seed_case, settle

CASE = case_uuid(31)
HALE, OKAFOR = case_uuid(811), case_uuid(812)
LIGHT = "secondview-light"


def _content() -> Content:
    """A content set with one step the case has and one it lacks (offered with u)."""
    steps = (
        TemplateItem("reasons", "Note why another opinion would help", "deciding", "snap",
                     details="A sentence or two is enough: it keeps the visit on track."),
        TemplateItem("bring-list", "Bring the list of medicines", "visit", "snap"),
    )
    return Content(checklists=[ChecklistTemplate("snap", "Snapshot steps", 1, steps,
                                                 Path("snap.yaml"))])


def _seed(world) -> None:
    checklist = [
        ("Note why another opinion would help", "deciding", True, "", "", "snap/reasons"),
        ("Ask how long the decision can wait", "deciding", True, "", "Six weeks is fine.", ""),
        ("Call the insurer about coverage", "preparing", True, "2026-09-01", "", ""),
        ("Request the MRI report from the clinic", "preparing", False, "2026-09-05",
         "Fax 555-0100, ask for Jo.", ""),
        ("Sign the records release form", "preparing", False, "2026-09-20", "", ""),
        ("Settle whether the visit is in person or by video", "visit", False, "", "", ""),
        ("Ask for the opinion in writing", "visit", False, "", "", ""),
        ("Set the two opinions side by side", "after", False, "", "", ""),
    ]
    items = [
        ("checklist", case_uuid(610 + n), {
            "text": t, "phase": p, "done": d, "due": due, "notes": notes,
            "template_id": key, "order": float(n),
        })
        for n, (t, p, d, due, notes, key) in enumerate(checklist, start=1)
    ]
    questions = [
        ("How sure are you of the diagnosis?", "diagnosis", "high", True,
         "Everything else follows from it."),
        ("What are the options besides surgery?", "options", "high", True, ""),
        ("What happens if we wait three months?", "waiting", "normal", False, ""),
        ("How long is recovery, and when can he drive?", "recovery", "normal", False, ""),
        ("What will we pay ourselves?", "cost", "low", False, ""),
    ]
    items += [
        ("questions", case_uuid(710 + n), {
            "text": t, "category": c, "priority": p, "asked": a, "why": why,
            "order": float(n),
        })
        for n, (t, c, p, a, why) in enumerate(questions, start=1)
    ]
    items += [
        ("opinions", HALE, {"doctor": "Dr Martin Hale", "order": 1}),
        ("opinions", OKAFOR, {"doctor": "Dr Amara Okafor", "order": 2}),
        ("answers", case_uuid(901), {"question": case_uuid(711), "opinion": HALE,
                                     "text": "Stenosis at L4-L5, clear on the MRI."}),
        ("answers", case_uuid(902), {"question": case_uuid(711), "opinion": OKAFOR,
                                     "text": "The same narrowing, with a small stable slip."}),
        ("answers", case_uuid(903), {"question": case_uuid(712), "opinion": HALE,
                                     "text": "Physiotherapy first, then see."}),
    ]
    seed_case(world, CASE, {"title": "Dad - back surgery", "condition": "stenosis",
                            "surgery": True}, items)


def _pane(key: str, row: int = 0):
    """A run_before that opens the case, shows the pane of ``key`` and puts the cursor on
    ``row``."""

    async def run(pilot):
        await settle(pilot)
        pilot.app.open_case(CASE)
        await settle(pilot)
        await pilot.press(key)
        await settle(pilot)
        for _ in range(row):
            await pilot.press("down")
        await settle(pilot)

    return run


def _app(make_app, world, theme: str | None = None):
    _seed(world)
    app = make_app(content=_content())
    if theme is not None:
        app.theme = theme
    return app


def test_checklist(snap_compare, make_app, world):
    app = _app(make_app, world)
    assert snap_compare(app, terminal_size=(120, 40), run_before=_pane("2", row=3))


def test_checklist_light(snap_compare, make_app, world):
    app = _app(make_app, world, LIGHT)
    assert snap_compare(app, terminal_size=(120, 40), run_before=_pane("2", row=3))


def test_checklist_80x24(snap_compare, make_app, world):
    app = _app(make_app, world)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_pane("2", row=3))


def test_questions(snap_compare, make_app, world):
    app = _app(make_app, world)
    assert snap_compare(app, terminal_size=(120, 40), run_before=_pane("4"))


def test_questions_light(snap_compare, make_app, world):
    app = _app(make_app, world, LIGHT)
    assert snap_compare(app, terminal_size=(120, 40), run_before=_pane("4"))


NOT_NEEDED_CASE = case_uuid(32)


def _not_needed_app(make_app, world):
    """A case whose insurance answers rule out two of its steps (marked, not counted), with
    the cursor on one of them, so the line under the list says which answer."""
    network = '{"in_network_only": ["unknown", "yes"]}'
    referral = '{"referral_needed": ["unknown", "yes"]}'
    steps = [
        ("Call the insurer about coverage", "preparing", True, ""),
        ("Check that the second doctor is in the plan's network", "preparing", False, network),
        ("Get the referral the plan asks for", "preparing", False, referral),
        ("Request the MRI report from the clinic", "preparing", False, ""),
    ]
    seed_case(world, NOT_NEEDED_CASE, {
        "title": "Mum - knee", "in_network_only": "no", "referral_needed": "no",
    }, [
        ("checklist", case_uuid(630 + n), {"text": t, "phase": p, "done": d, "order": float(n),
                                           **({"applies_when": rule} if rule else {})})
        for n, (t, p, d, rule) in enumerate(steps, start=1)
    ])
    return make_app()


async def _on_not_needed(pilot):
    await settle(pilot)
    pilot.app.open_case(NOT_NEEDED_CASE)
    await settle(pilot)
    await pilot.press("2", "down")
    await settle(pilot)


def test_checklist_not_needed(snap_compare, make_app, world):
    app = _not_needed_app(make_app, world)
    assert snap_compare(app, terminal_size=(120, 40), run_before=_on_not_needed)


def test_checklist_not_needed_80x24(snap_compare, make_app, world):
    app = _not_needed_app(make_app, world)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_on_not_needed)


def test_questions_80x24(snap_compare, make_app, world):
    app = _app(make_app, world)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_pane("4", row=3))
