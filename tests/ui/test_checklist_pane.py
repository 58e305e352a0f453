"""The checklist pane (key 2): ticking, adding, notes, due dates, deleting, progress, filtering,
and the steps a newer checklist brings. Keys are pressed in the real app; then the case is read
back from disk with a fresh repository, and the screen is read."""

from __future__ import annotations

from pathlib import Path

from secondview.store.content_files import load_content
from secondview.store.editing import Editor
from secondview.store.repository import CaseRepository

from ui_kit import DEVICE, TODAY, case_uuid, drive, screen_text, seed_case, settle

CASE = case_uuid(7)
ITEMS = [
    ("checklist", case_uuid(601), {"text": "Write down why another opinion would help",
                                   "phase": "deciding", "order": 1.0}),
    ("checklist", case_uuid(602), {"text": "Ask how long the decision can wait",
                                   "phase": "deciding", "done": True, "order": 2.0}),
    ("checklist", case_uuid(603), {"text": "Request the MRI report", "phase": "preparing",
                                   "due": "2026-09-20", "order": 3.0}),
    ("checklist", case_uuid(604), {"text": "Ask for the opinion in writing", "phase": "visit",
                                   "done": True, "order": 4.0}),
]


def _seed(world) -> None:
    seed_case(world, CASE, {"title": "Knee", "condition": "osteoarthritis"}, ITEMS)


def _on_disk(world, case_id: str = CASE):
    """The case as a fresh repository reads it from the files (nothing cached)."""
    fresh = CaseRepository(world.paths, DEVICE, world.repo.clock, TODAY)
    try:
        return fresh.open(case_id).case
    finally:
        fresh.close()


def _item(case, item_id):
    return next((i for i in case.checklist if i.id == item_id), None)


def _pane(app):
    return app.screen.query_one("#checklist")


def _rows(app) -> list[list[str]]:
    table = _pane(app).table
    return [[c.plain.rstrip() for c in table.get_row_at(n)] for n in range(table.row_count)]


def _summary(app) -> str:
    return str(_pane(app).query_one(".pane-summary").content)


def _detail(app) -> str:
    return str(_pane(app).query_one(".pane-detail").content)


async def _open(pilot, app, case_id: str = CASE) -> None:
    app.open_case(case_id)
    await settle(pilot)
    await pilot.press("2")
    await settle(pilot)


async def _to_row(pilot, app, text: str) -> None:
    """Put the cursor on the row whose item text is ``text``."""
    rows = _rows(app)
    target = next(n for n, row in enumerate(rows) if row[2] == text)
    _pane(app).table.move_cursor(row=target)
    await pilot.pause()


async def _type(pilot, words: str) -> None:
    for char in words:
        await pilot.press("space" if char == " " else char)


def test_space_ticks_an_item_done_and_ctrl_z_undoes_it(make_app, world):
    _seed(world)
    app = make_app()

    async def steps(pilot):
        await _open(pilot, app)
        assert _rows(app)[0][0] == "\u2610"  # the first deciding step, not done
        await pilot.press("space")
        await settle(pilot)
        assert _item(_on_disk(world), case_uuid(601)).done is True
        assert _rows(app)[0][0] == "\u2714"
        assert "3 of 4 done" in _summary(app)
        assert "\u2714 Deciding whether 2/2" in _summary(app)
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert _item(_on_disk(world), case_uuid(601)).done is False
        assert _rows(app)[0][0] == "\u2610"
        assert "2 of 4 done" in _summary(app)

    drive(app, steps)


def test_an_item_added_with_a_past_due_date_is_marked_overdue(make_app, world):
    _seed(world)
    app = make_app()

    async def steps(pilot):
        await _open(pilot, app)
        await _to_row(pilot, app, "Ask for the opinion in writing")
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert type(form).__name__ == "ItemFormScreen"
        assert form.raw("phase") == "visit"  # the phase of the highlighted item
        await _type(pilot, "Send the scans")
        form.query_one("#f-due").focus()
        await _type(pilot, "2026-09-01")
        await pilot.press("ctrl+s")
        await settle(pilot)
        added = [i for i in _on_disk(world).checklist if i.text == "Send the scans"]
        assert len(added) == 1
        assert added[0].due == "2026-09-01" and added[0].phase == "visit"
        assert added[0].order == 5.0  # after every other item
        row = next(r for r in _rows(app) if r[2] == "Send the scans")
        assert row[3] == "2026-09-01 !"  # the mark, not only a colour
        assert "! 1 overdue" in _summary(app)
        # the cursor went to the new item: its detail says how late it is
        assert "Due 2026-09-01 ! overdue by 13 days" in _detail(app)
        assert "Send the scans" in screen_text(app)
        # ticked done, it is no longer overdue
        await pilot.press("space")
        await settle(pilot)
        row = next(r for r in _rows(app) if r[2] == "Send the scans")
        assert row[3] == "2026-09-01"
        assert "overdue" not in _summary(app)

    drive(app, steps)


def test_a_due_date_still_ahead_is_not_overdue(make_app, world):
    _seed(world)
    app = make_app()

    async def steps(pilot):
        await _open(pilot, app)
        await _to_row(pilot, app, "Request the MRI report")
        row = next(r for r in _rows(app) if r[2] == "Request the MRI report")
        assert row[3] == "2026-09-20"
        assert "Due 2026-09-20, in 6 days" in _detail(app)
        assert "overdue" not in _summary(app)

    drive(app, steps)


def test_notes_are_edited_in_the_form_and_shown_under_the_list(make_app, world):
    _seed(world)
    app = make_app()

    async def steps(pilot):
        await _open(pilot, app)
        await _to_row(pilot, app, "Request the MRI report")
        assert "No notes: e adds some." in _detail(app)
        await pilot.press("e")
        await settle(pilot)
        app.screen.query_one("#f-notes").focus()
        await _type(pilot, "Clinic fax 555-0100")
        await pilot.press("ctrl+s")
        await settle(pilot)
        item = _item(_on_disk(world), case_uuid(603))
        assert item.notes == "Clinic fax 555-0100"
        assert item.text == "Request the MRI report"  # the other fields as they were
        assert item.due == "2026-09-20"
        assert "Notes  Clinic fax 555-0100" in _detail(app)
        row = next(r for r in _rows(app) if r[2] == "Request the MRI report")
        assert row[4] == "\u270e"  # the notes mark
        assert "Clinic fax 555-0100" in screen_text(app)

    drive(app, steps)


def test_delete_removes_an_item_and_ctrl_z_restores_it(make_app, world):
    _seed(world)
    app = make_app()

    async def steps(pilot):
        await _open(pilot, app)
        await _to_row(pilot, app, "Request the MRI report")
        await pilot.press("delete")
        await settle(pilot)
        assert _item(_on_disk(world), case_uuid(603)) is None
        assert all(r[2] != "Request the MRI report" for r in _rows(app))
        assert "Preparing" not in _summary(app)
        await pilot.press("ctrl+z")
        await settle(pilot)
        restored = _item(_on_disk(world), case_uuid(603))
        assert restored is not None and restored.due == "2026-09-20"
        assert any(r[2] == "Request the MRI report" for r in _rows(app))
        assert "Preparing 0/1" in _summary(app)

    drive(app, steps)


def test_progress_is_counted_per_phase_and_phases_group_the_rows(make_app, world):
    _seed(world)
    app = make_app()

    async def steps(pilot):
        await _open(pilot, app)
        summary = _summary(app)
        assert "Progress  2 of 4 done" in summary
        assert "Deciding whether 1/2" in summary
        assert "Preparing 0/1" in summary
        assert "\u2714 The visit 1/1" in summary  # a finished phase is ticked
        assert "After" not in summary  # a phase without items is left out
        assert [r[1] for r in _rows(app)] == ["Deciding", "", "Preparing", "The visit"]
        shown = screen_text(app)
        assert "Deciding whether 1/2" in shown and "\u2714 The visit 1/1" in shown

    drive(app, steps)


def test_the_filter_narrows_the_list_and_escape_clears_it(make_app, world):
    _seed(world)
    app = make_app()

    async def steps(pilot):
        await _open(pilot, app)
        await pilot.press("slash")
        await _type(pilot, "mri")
        await pilot.pause()
        assert [r[2] for r in _rows(app)] == ["Request the MRI report"]
        assert _rows(app)[0][1] == "Preparing"  # the phase shows on the first row shown
        await _type(pilot, "xyz")
        await pilot.pause()
        assert _rows(app) == []
        assert "Nothing matches the filter." in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert len(_rows(app)) == 4
        assert type(app.screen).__name__ == "CaseScreen"  # escape cleared, did not leave

    drive(app, steps)


USER_CHECKLIST = """\
id: family
title: Our own steps
version: 1
items:
  - id: tell-sister
    phase: deciding
    text: Tell my sister about the second opinion
  - id: book-taxi
    phase: visit
    text: Book a taxi for the visit
"""


def _case_from_bundled_content(world):
    """A case started from our own content (every step it has a template id)."""
    values = {"title": "Back", "condition": "stenosis"}
    return world.repo.create(values, extra=load_content().starter_writes(values))


def _user_content(tmp_path: Path):
    """Our content plus a user's own checklist with two steps."""
    extra = tmp_path / "user-content"
    (extra / "checklists").mkdir(parents=True)
    (extra / "checklists" / "family.yaml").write_text(USER_CHECKLIST)
    return load_content([extra])


def test_steps_a_newer_checklist_brings_are_offered_and_added(make_app, world, tmp_path: Path):
    opened = _case_from_bundled_content(world)
    case_id = opened.case_id
    steps_before = {i.id: i for i in opened.case.checklist}
    assert steps_before, "the bundled checklist gives a new case its steps"
    # the user changes one step and deletes another: neither may come back or change
    edited, deleted = list(steps_before.values())[:2]
    opened = world.repo.update(opened, "checklist", edited.id, {"text": "My own words"})
    opened = world.repo.delete(opened, "checklist", deleted.id)
    app = make_app(content=_user_content(tmp_path))

    async def steps(pilot):
        await _open(pilot, app, case_id)
        offer = _pane(app).query_one(".pane-offer")
        assert offer.display
        assert "2 new checklist steps are available: press u to add them." in str(offer.content)
        assert "press u to add them" in screen_text(app)
        await pilot.press("u")
        await settle(pilot)
        case = _on_disk(world, case_id)
        by_key = {i.template_id: i for i in case.checklist}
        assert by_key["family/tell-sister"].phase == "deciding"
        assert by_key["family/book-taxi"].text == "Book a taxi for the visit"
        assert len(case.checklist) == len(steps_before) - 1 + 2
        assert _item(case, edited.id).text == "My own words"
        assert _item(case, deleted.id) is None
        assert "family" in case.info.checklist_template.split(",")
        texts = [r[2] for r in _rows(app)]
        assert "Tell my sister about the second opinion" in texts
        assert not offer.display
        assert "press u" not in screen_text(app)
        # nothing more to add: u does nothing and writes nothing
        await pilot.press("u")
        await settle(pilot)
        assert len(_on_disk(world, case_id).checklist) == len(steps_before) + 1

    drive(app, steps)


def test_one_ctrl_z_takes_back_the_added_steps(make_app, world, tmp_path: Path):
    opened = _case_from_bundled_content(world)
    case_id = opened.case_id
    version_before = opened.case.info.checklist_template
    app = make_app(content=_user_content(tmp_path))

    def family(case):
        return {i.template_id for i in case.checklist if i.template_id.startswith("family/")}

    async def steps(pilot):
        await _open(pilot, app, case_id)
        ticked = _rows(app)[0][2]
        await pilot.press("space")  # an edit before: stays when the steps are taken back
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        case = _on_disk(world, case_id)
        assert family(case) == {"family/tell-sister", "family/book-taxi"}
        assert sum(1 for i in case.log if "2 checklist steps" in i.summary) == 1  # one save
        await pilot.press("ctrl+z")
        await settle(pilot)
        case = _on_disk(world, case_id)
        assert family(case) == set()
        assert case.info.checklist_template == version_before
        assert next(i for i in case.checklist if i.text == ticked).done is True
        assert not _pane(app).query_one(".pane-offer").display  # taken back: not offered again
        await pilot.press("ctrl+z")  # the next ctrl+z undoes the tick
        await settle(pilot)
        assert next(i for i in _on_disk(world, case_id).checklist if i.text == ticked).done is False

    drive(app, steps)


def test_without_a_content_set_nothing_is_offered(make_app, world):
    _seed(world)
    app = make_app(content=None)

    async def steps(pilot):
        await _open(pilot, app)
        assert not _pane(app).query_one(".pane-offer").display
        await pilot.press("u")
        await settle(pilot)
        assert len(_on_disk(world).checklist) == 4

    drive(app, steps)


def test_a_new_theme_repaints_the_overdue_mark_in_its_own_colour(make_app, world):
    seed_case(world, CASE, {"title": "Knee"}, [
        ("checklist", case_uuid(605), {"text": "Send the scans", "due": "2026-09-01"}),
    ])
    app = make_app()

    def due_style() -> str:
        return str(_pane(app).table.get_row_at(0)[3].style)

    async def steps(pilot):
        await _open(pilot, app)
        dark = app.theme_variables["text-error"]
        assert due_style() == f"bold {dark}"
        app.theme = "secondview-light"
        await settle(pilot)
        light = app.theme_variables["text-error"]
        assert light.lower() != dark.lower()
        assert due_style() == f"bold {light}"
        assert _rows(app)[0][3] == "2026-09-01 !"  # the mark stays whatever the colour

    drive(app, steps)


# -- steps that follow the case's answers (issue 14) ------------------------------------------

NOT_NEEDED_KEYS = ("general/insurance-rules", "general/insurance-network",
                   "general/insurance-referral", "general/insurance-preauth")


def test_steps_the_answers_rule_out_show_as_not_needed_and_are_not_suggested(make_app, world):


    content = load_content()
    editor = Editor(world.repo)
    opened = editor.create_case({"title": "Back", "condition": "stenosis"}, content)
    opened = editor.update(opened, "case", opened.case_id, {
        "in_network_only": "no", "referral_needed": "no", "preauth_needed": "no"}).saved
    world.repo.refresh()
    case_id = opened.case_id
    texts = {i.template_id: str(i.text) for i in opened.case.checklist}
    total = len(opened.case.checklist)
    app = make_app(content=content)

    async def steps(pilot):
        await _open(pilot, app, case_id)
        rows = {r[2]: r for r in _rows(app)}
        for key in NOT_NEEDED_KEYS:
            assert rows[texts[key]][0] == "\u2013", key  # kept, marked not needed
        assert rows[texts["general/insurance-coverage"]][0] == "\u2610"
        assert f"0 of {total - 4} done" in _summary(app)
        assert "4 not needed" in _summary(app)
        await _to_row(pilot, app, texts["general/insurance-network"])
        assert "Not needed while Must stay in network is no" in _detail(app)
        await pilot.press("1")
        await settle(pilot)
        shown = app.screen.query_one("#overview").section_text("steps")
        for key in NOT_NEEDED_KEYS:
            assert texts[key] not in shown, key

    drive(app, steps)
    assert len(_on_disk(world, case_id).checklist) == total  # nothing deleted


def test_answering_yes_adds_the_steps_it_calls_for_on_that_save_without_an_offer(
        make_app, world):


    content = load_content()
    opened = Editor(world.repo).create_case({"title": "Dad", "condition": "prostate"}, content)
    world.repo.refresh()
    case_id = opened.case_id
    before = {i.template_id for i in opened.case.checklist}
    called_for = {i.key for i in content.applicable_items({"cancer": True})} - before
    assert called_for, "our content has steps for cancer"
    app = make_app(content=content)

    async def steps(pilot):
        app.open_case(case_id)
        await settle(pilot)
        await pilot.press("e")  # the case form, from the overview
        await settle(pilot)
        app.screen.query_one("#f-cancer").focus()
        await pilot.press("space")
        await pilot.press("ctrl+s")
        await settle(pilot)
        case = _on_disk(world, case_id)
        assert case.info.cancer is True
        assert {i.template_id for i in case.checklist} == before | called_for
        assert sum(1 for entry in case.log if "step" in entry.summary.casefold()) <= 1
        await pilot.press("2")
        await settle(pilot)
        assert not _pane(app).query_one(".pane-offer").display
        assert "new checklist step" not in screen_text(app)
        await pilot.press("ctrl+z")  # the answer goes back; the steps stay, not needed
        await settle(pilot)
        case = _on_disk(world, case_id)
        assert case.info.cancer is False
        assert {i.template_id for i in case.checklist} == before | called_for
        marks = {r[2]: r[0] for r in _rows(app)}
        added = [str(i.text) for i in case.checklist if i.template_id in called_for]
        assert all(marks[t] == "\u2013" for t in added)
        assert not _pane(app).query_one(".pane-offer").display

    drive(app, steps)


def test_steps_the_answers_call_for_are_not_offered_as_new_content(make_app, world):
    # An answer changed without its steps (by an older version of the app on another
    # device): the content did not change, so nothing is "new"; the line says why they fit.
    content = load_content()
    opened = Editor(world.repo).create_case({"title": "Dad", "condition": "prostate"}, content)
    opened = world.repo.update(opened, "case", opened.case_id, {"cancer": True})
    world.repo.refresh()
    case_id = opened.case_id
    called_for = {i.key for i in content.applicable_items({"cancer": True})} - {
        i.template_id for i in opened.case.checklist}
    app = make_app(content=content)

    async def steps(pilot):
        await _open(pilot, app, case_id)
        offer = str(_pane(app).query_one(".pane-offer").content)
        assert "new" not in offer
        assert (f"{len(called_for)} checklist steps fit this case's answers: press u to add "
                "them.") in offer
        await pilot.press("4")
        await settle(pilot)
        assert not app.screen.query_one("#questions .pane-offer").display
        await pilot.press("2", "u")
        await settle(pilot)
        assert called_for <= {i.template_id for i in _on_disk(world, case_id).checklist}

    drive(app, steps)
