"""Opening a case: its read-only overview, the emergency banner, going back."""

from __future__ import annotations

import os

from ui_kit import Notes, case_uuid, drive, screen_text, section, seed_case, seed_sample, settle


async def _open(pilot, app, title):
    table = app.screen.query_one("#cases")
    titles = [table.row_at(i).title for i in range(table.row_count)]
    table.move_cursor(titles.index(title))
    await pilot.press("enter")
    await settle(pilot)


def test_enter_opens_the_overview_with_the_cases_values(make_app, world):
    seed_sample(world)
    app = make_app()

    async def steps(pilot):
        await _open(pilot, app, "Mum - knee surgery")
        assert type(app.screen).__name__ == "CaseScreen"
        case = section(app, "case")
        assert "Mum - knee surgery" in case
        assert "Mum" in case and "osteoarthritis" in case
        assert "Soon" in case and "Preparing" in case
        assert "major or elective surgery proposed" in case
        opinion = section(app, "opinion")
        assert "Dr Okafor" in opinion
        assert "Severe wear of the knee joint" in opinion
        assert "Total knee replacement" in opinion
        insurance = section(app, "insurance")
        assert "Acme PPO" in insurance
        assert "Second opinion covered  Yes" in insurance
        assert "Referral needed  No" in insurance
        assert "Prior authorization  Not known yet" in insurance
        where = section(app, "progress")
        assert "Checklist done  1 of 2" in where
        assert "Records confirmed  1 of 2" in where
        assert "Questions asked  1 of 2" in where
        assert "Opinions  1" in where
        steps_text = section(app, "steps")
        assert "Find a second surgeon (due 2026-09-30)" in steps_text
        assert not app.screen.query_one("#emergency").display
        assert not app.screen.query_one("#read-only").display
        shown = screen_text(app)
        assert "Dr Okafor" in shown and "Next steps" in shown
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "HomeScreen"

    drive(app, steps)


def test_an_emergency_case_shows_the_banner(make_app, world):
    seed_sample(world)
    app = make_app()

    async def steps(pilot):
        await _open(pilot, app, "Dad - chest pain")
        banner = app.screen.query_one("#emergency")
        assert banner.display
        assert "Emergency: get care now. Do not wait for a second opinion." in str(banner.content)
        assert "Emergency: get care now. Do not wait for a second opinion." in screen_text(app)

    drive(app, steps)


def test_the_overview_works_at_80_by_24(make_app, world):
    seed_sample(world)
    app = make_app()

    async def steps(pilot):
        await _open(pilot, app, "Dad - chest pain")
        lines = screen_text(app).splitlines()
        assert len(lines) == 24 and all(len(line) <= 80 for line in lines)
        assert any("Do not wait for a second opinion" in line for line in lines)
        assert app.screen.query_one("#overview").has_class("-narrow")

    drive(app, steps, size=(80, 24))


def test_a_case_from_a_newer_version_opens_read_only_with_a_note(make_app, world):
    seed_case(world, case_uuid(5), {"title": "From the future"})
    other = world.repo.folder(case_uuid(5)) / "0123456789ab.json"
    text = world.repo.own_file(case_uuid(5)).read_text().replace('"format": "1.0"',
                                                                  '"format": "9.0"')
    other.write_text(text)
    os.chmod(other, 0o600)
    world.repo.refresh()
    app = make_app()

    async def steps(pilot):
        await _open(pilot, app, "From the future")
        assert type(app.screen).__name__ == "CaseScreen"
        note = app.screen.query_one("#read-only")
        assert note.display
        assert "Read-only" in str(note.content)
        assert "From the future" in section(app, "case")

    drive(app, steps)


def test_a_case_that_vanished_is_reported_and_the_list_stays(make_app, world, monkeypatch):
    seed_sample(world)
    app = make_app()
    notes = Notes(app, monkeypatch)

    async def steps(pilot):
        import shutil

        shutil.rmtree(world.repo.folder(case_uuid(3)))  # removed by a sync tool meanwhile
        await _open(pilot, app, "Thyroid nodule")
        assert type(app.screen).__name__ == "HomeScreen"
        assert "The case could not be opened" in notes.text()
        assert app.is_running

    drive(app, steps)


def test_long_values_wrap_under_their_value_at_any_width(make_app, world):
    notes = "second line [bold]not bold[/bold] " + " ".join(["word"] * 40)
    seed_case(world, case_uuid(6), {"title": "Long notes", "condition": "[@click=app.quit]",
                                    "notes": "first line\n" + notes})

    for size in ((120, 40), (80, 40)):
        app = make_app()

        async def steps(pilot, app=app):  # called in this round of the loop
            await _open(pilot, app, "Long notes")
            lines = screen_text(app).splitlines()
            head = next(i for i, line in enumerate(lines) if "Notes" in line)
            column = lines[head].index("first line")

            def value(line):  # the value column of the case section, up to its border
                return line[column:line.index("\u2502", column)].rstrip()

            shown = []
            for line in lines[head + 1:]:
                if "\u2570" in line[:column]:  # the section's bottom border
                    break
                assert not line[:column].strip("\u2502 ")  # the label column stays blank
                shown.append(value(line))
            assert len(shown) >= 3  # the long line wrapped, every part under the value
            assert " ".join(shown) == notes  # literally, nothing cut off
            assert any("Condition" in line and "[@click=app.quit]" in line for line in lines)
            assert app.is_running

        drive(app, steps, size=size)


def test_the_phase_and_next_steps_follow_a_settled_comparison_and_a_leaning(make_app, world):
    option = case_uuid(701)
    seed_case(world, case_uuid(70), {"title": "Knee choice", "condition": "osteoarthritis"}, [
        ("opinions", case_uuid(101), {"doctor": "Dr Okafor", "order": 1,
                                      "diagnosis": "Severe wear", "treatment": "Knee replacement"}),
        ("opinions", case_uuid(102), {"doctor": "Dr Lind", "order": 2,
                                      "diagnosis": "Severe wear",
                                      "treatment": "Physiotherapy first",
                                      "diagnosis_relation": "confirmed",
                                      "treatment_relation": "changed"}),
        ("options", option, {"title": "Physiotherapy first", "order": 1.0}),
        ("leanings", case_uuid(702), {"date": "2026-09-10", "option": option}),
    ])
    app = make_app()

    async def steps(pilot):
        await _open(pilot, app, "Knee choice")
        assert "Phase  Choosing" in section(app, "case")
        shown = section(app, "steps")
        assert "Compare the opinions" not in shown
        assert "decision" in shown

    drive(app, steps)


def test_the_health_summary_shows_on_the_overview_and_e_edits_it(make_app, world):
    summary = "Problems\n- Prostate cancer (since 2024-03-02)\nMedicines\n- Tamsulosin"
    seed_case(world, case_uuid(80), {"title": "Dad - prostate", "health_summary": summary})
    app = make_app()

    async def steps(pilot):
        await _open(pilot, app, "Dad - prostate")
        shown = screen_text(app)
        assert "Health summary" in shown and "Medicines" in shown
        assert "- Prostate cancer (since" in shown and "- Tamsulosin" in shown
        await pilot.press("e")
        await settle(pilot)
        assert "Health summary" in screen_text(app)  # a field of the case's form

    drive(app, steps)
