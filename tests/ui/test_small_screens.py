"""The workspace at 80x24: every tab name whole, `? Help` in every footer, and the words a
narrow table cuts shown whole under it for the highlighted row (issue 14)."""

from __future__ import annotations

from secondview.ui.case_panes import PANES

from ui_kit import case_uuid, drive, screen_lines, screen_text, seed_case, settle

CASE = case_uuid(41)
LONG_ITEM = "Settle whether the visit is in person or by video, and who comes along to it"
LONG_QUESTION = "How sure are you of the diagnosis, and what would make you change your mind?"
LONG_RECORD = "Pathology report of the prostate biopsy, with the Gleason grades"


def _seed(world) -> None:
    seed_case(world, CASE, {"title": "Dad - prostate cancer", "condition": "prostate cancer"}, [
        ("checklist", case_uuid(501), {"text": "Ask for the scans", "phase": "preparing",
                                       "order": 1.0}),
        ("checklist", case_uuid(502), {"text": LONG_ITEM, "phase": "visit", "order": 2.0}),
        ("questions", case_uuid(601), {"text": "What happens if we wait?", "order": 1.0}),
        ("questions", case_uuid(602), {"text": LONG_QUESTION, "order": 2.0}),
        ("records", case_uuid(701), {"title": LONG_RECORD, "kind": "pathology_report"}),
        ("opinions", case_uuid(801), {"doctor": "Dr Okafor", "order": 1}),
    ])


async def _open(pilot) -> None:
    pilot.app.open_case(CASE)
    await settle(pilot)


def test_at_80_columns_every_tab_name_shows_whole(make_app, world):
    """Nine panes do not fit 80 columns with their keys: each name stays whole, and the
    shown pane keeps its key too (every key is in the help)."""
    _seed(world)
    app = make_app()

    async def steps(pilot):
        await _open(pilot)
        for _, key, shown, _, _ in PANES:
            await pilot.press(key)
            await settle(pilot)
            tabs = screen_lines(app)[1]
            assert f"{key} {shown}" in tabs, (key, tabs)
            for _, _, label, _, _ in PANES:
                assert f" {label} " in f" {tabs} ", (key, tabs)

    drive(app, steps, size=(80, 24))


def test_at_80_columns_every_footer_keeps_help(make_app, world):
    _seed(world)
    app = make_app()

    async def steps(pilot):
        assert "? Help" in screen_lines(app)[-1]  # the case list
        await _open(pilot)
        for _, key, _, _, _ in PANES:
            await pilot.press(key)
            await settle(pilot)
            footer = screen_lines(app)[-1]
            assert "? Help" in footer, (key, footer)
            assert "palette" in footer, (key, footer)

    drive(app, steps, size=(80, 24))


def test_a_cut_checklist_item_shows_whole_under_the_list(make_app, world):
    _seed(world)
    app = make_app()

    async def steps(pilot):
        await _open(pilot)
        await pilot.press("2")
        await settle(pilot)
        table = app.screen.query_one("#checklist").table
        row = next(n for n in range(table.row_count) if table.row_key_at(n) == case_uuid(502))
        table.move_cursor(row)
        await settle(pilot)
        assert LONG_ITEM not in "\n".join(screen_lines(app)[:8])  # cut in the row...
        assert LONG_ITEM in screen_text(app).replace("\n ", " ")  # ...and whole below it
        table.move_cursor(0)
        await settle(pilot)
        assert "Ask for the scans" in screen_text(app).split("Item", 2)[-1]  # follows it

    drive(app, steps, size=(80, 24))


def test_a_cut_question_shows_whole_under_the_list(make_app, world):
    _seed(world)
    app = make_app()

    async def steps(pilot):
        await _open(pilot)
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("down")
        await settle(pilot)
        assert LONG_QUESTION in screen_text(app).replace("\n ", " ")

    drive(app, steps, size=(80, 24))


def test_a_cut_record_title_shows_whole_under_the_list(make_app, world):
    _seed(world)
    app = make_app()

    async def steps(pilot):
        await _open(pilot)
        await pilot.press("3")
        await settle(pilot)
        assert LONG_RECORD in screen_text(app).replace("\n ", " ")

    drive(app, steps, size=(80, 24))


def test_at_120_columns_nothing_is_repeated_when_nothing_is_cut(make_app, world):
    _seed(world)
    app = make_app()

    async def steps(pilot):
        await _open(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert screen_text(app).count(LONG_ITEM) == 1

    drive(app, steps, size=(160, 40))
