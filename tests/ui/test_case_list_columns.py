"""The list answers the Monday-morning questions: overdue requests, the next visit, what waits
on me, and urgency, each a column that `s` and the digits sort by and the filter words
(`/overdue`, `/waiting:me`, `/visit`) narrow to. Keys pressed in the real app."""

from __future__ import annotations

import datetime as dt
from typing import Any

from secondview.ui.case_columns import COLUMN_KEYS

from ui_kit import TODAY, case_uuid, drive, screen_lines, seed_case, settle, table_rows


def _ago(days: int) -> str:
    return (TODAY - dt.timedelta(days=days)).isoformat()


def _late_request(n: int) -> list[tuple[str, str, dict[str, Any]]]:
    """A record and an access request for it sent 45 days ago: past the 30 days."""
    record = case_uuid(1000 + n)
    return [("records", record, {"title": "MRI lumbar spine", "kind": "imaging_report"}),
            ("transfers", case_uuid(2000 + n), {"record": record, "recipient": "Dr Patel",
                                                "state": "requested", "from_provider": True,
                                                "request_kind": "access",
                                                "requested_on": _ago(45)})]


def _clients(world: Any) -> set[str]:
    """28 clients; 4 of them have an overdue request where the next-step cell hides it (an
    emergency's first step comes before it)."""
    late = set()
    for n in range(1, 29):
        values: dict[str, Any] = {"title": f"Client {n:02d}", "condition": "back pain"}
        items: list[tuple[str, str, dict[str, Any]]] = []
        if n % 7 == 0:
            values["urgency"] = "emergency"
            items = _late_request(n)
            late.add(case_uuid(n))
        seed_case(world, case_uuid(n), values, items, index=False)
    world.repo.refresh()
    return late


def _column(app: Any, key: str) -> dict[str, str]:
    """The cells of column ``key`` by case id, as shown."""
    table = app.screen.query_one("#cases")
    at = table.column_keys.index(key)
    return {table.row_at(i).id: cells[at].strip() for i, cells in enumerate(table_rows(app))}


def test_every_client_with_an_overdue_request_shows_it(make_app, world):
    """'4 of 28 clients with overdue requests did not show it': the Overdue column counts
    each of them, whatever the next step says, and /overdue keeps exactly them."""
    late = _clients(world)
    app = make_app()

    async def steps(pilot):
        table = app.screen.query_one("#cases")
        assert table.row_count == 28
        next_steps = _column(app, "next")
        assert all("Chase" not in next_steps[case] for case in late)  # hidden there
        overdue = _column(app, "overdue")
        assert {case for case, cell in overdue.items() if cell} == late
        assert {overdue[case] for case in late} == {"1"}
        await pilot.press("slash", *"overdue")
        await pilot.pause()
        assert {table.row_at(i).id for i in range(table.row_count)} == late
        assert "4 of 28 cases" in screen_lines(app)[0]

    drive(app, steps, size=(120, 40))


def _varied(world: Any) -> dict[str, str]:
    """Four cases, each first by one of the new columns."""
    ids = {name: case_uuid(n) for n, name in enumerate(("late", "visit", "mine", "urgent"), 1)}
    seed_case(world, ids["late"], {"title": "A late request"}, _late_request(1), index=False)
    seed_case(world, ids["visit"], {"title": "B visit soon"}, [
        ("appointments", case_uuid(301), {"date": _ago(-3), "status": "planned"}),
        ("appointments", case_uuid(302), {"date": _ago(2), "status": "planned"})],
        index=False)
    seed_case(world, ids["mine"], {"title": "C my to-dos"}, [
        ("checklist", case_uuid(401), {"text": "Call the clinic", "due": _ago(3)}),
        ("checklist", case_uuid(402), {"text": "Book the taxi"}),
        ("appointments", case_uuid(303), {"date": _ago(-30), "status": "planned"})],
        index=False)
    seed_case(world, ids["urgent"], {"title": "D urgent", "urgency": "emergency"},
              index=False)
    world.repo.refresh()
    return ids


def _order(app: Any, ids: dict[str, str]) -> list[str]:
    names = {case: name for name, case in ids.items()}
    table = app.screen.query_one("#cases")
    return [names[table.row_at(i).id] for i in range(table.row_count)]


def test_s_reaches_every_column_and_says_which_sorts_when_not_shown(make_app, world):
    ids = _varied(world)
    app = make_app()

    async def steps(pilot):
        home = app.screen
        table = home.query_one("#cases")
        reached = [home.sort_column]
        firsts = {}
        for _ in COLUMN_KEYS:
            await pilot.press("s")
            await pilot.pause()
            reached.append(home.sort_column)
            firsts[home.sort_column] = _order(app, ids)[0]
            if home.sort_column not in table.column_keys:
                assert "not shown at this width" in screen_lines(app)[0] or (
                    "mark before each title" in screen_lines(app)[0]), home.sort_column
        assert set(reached) == set(COLUMN_KEYS)
        assert firsts["overdue"] == "late"
        assert firsts["visit"] == "visit"  # the 17th; the 12th has gone by
        assert firsts["mine"] == "mine"  # one past its due date
        assert firsts["urgency"] == "urgent"

    drive(app, steps, size=(80, 24))


def test_digits_sort_by_the_new_columns_shown(make_app, world):
    ids = _varied(world)
    app = make_app()

    async def steps(pilot):
        table = app.screen.query_one("#cases")
        shown = table.column_keys
        for key, first in (("overdue", "late"), ("visit", "visit"), ("mine", "mine")):
            await pilot.press(str(shown.index(key) + 1))
            await pilot.pause()
            assert app.screen.sort_column == key
            assert _order(app, ids)[0] == first, key
        assert "For me▼" in screen_lines(app)[1]  # the most first
        assert _column(app, "visit")[ids["visit"]] == "17 Sep"
        assert _column(app, "visit")[ids["mine"]] == "14 Oct"
        assert _column(app, "mine")[ids["mine"]] == "2 (1!)"  # one past its due date
        assert _column(app, "overdue")[ids["late"]] == "1"

    drive(app, steps, size=(120, 40))


def test_filter_words_of_the_new_columns_in_the_list(make_app, world):
    ids = _varied(world)
    app = make_app()

    async def steps(pilot):
        async def filtered(typed: str) -> list[str]:
            await pilot.press("escape")  # clears the filter before, if any
            await pilot.press("slash", *typed)
            await settle(pilot)
            return sorted(_order(app, ids))

        assert await filtered("waiting:me") == ["mine"]  # its open steps wait on me
        assert await filtered("waiting:office") == ["late"]
        assert await filtered("late") == ["mine"]
        assert await filtered("visit") == ["visit"]
        assert await filtered("visit:30") == ["mine", "visit"]
        assert await filtered("urgency") == ["urgent"]

    drive(app, steps, size=(120, 40))
