"""Naming a case on the command line (issue 18): any unique part of a title, in any letter
case, punctuation aside; ``new`` warns when its title is already used and says how to tell
the cases apart."""

from __future__ import annotations

import json

from cli_kit import Cli, run  # noqa: F401 (run is a fixture)


def _shown(run: Cli, ref: str) -> str:
    _, out, _ = run("show", ref, "--json")
    return str(json.loads(out)["id"])


def test_a_part_of_the_title_names_the_case_whichever_way_the_name_is_written(
        run: Cli) -> None:
    maria = run.new("Maria Garcia")
    run.new("Dad - back surgery")
    assert _shown(run, "Garcia") == maria and _shown(run, "garcia") == maria
    assert _shown(run, "back SURGERY") != maria
    comma = run.new("Garcia, Maria")
    # both now fit 'Garcia': a start of a title is read before a part of one
    assert _shown(run, "Garcia") == comma
    assert _shown(run, "garcia maria") == comma  # the whole title, its comma left out
    assert _shown(run, "Maria Garcia") == maria
    run("set", "arcia, Mar", "urgency=soon")  # every command takes the same words
    assert run.case(comma).info.urgency == "soon"


def test_a_part_that_fits_several_cases_lists_them_and_says_how_to_pick_one(run: Cli) -> None:
    maria = run.new("Maria Garcia")
    luis = run.new("Luis Garcia - knee")
    _, _, err = run("show", "garc", ok=False)
    assert "'garc' fits 2 cases" in err
    assert f"Maria Garcia ({maria[:8]})" in err and f"Luis Garcia - knee ({luis[:8]})" in err
    assert "name one by the start of its id, shown in brackets" in err
    assert _shown(run, luis[:8]) == luis


def test_new_warns_when_the_title_is_used_and_still_creates_the_case(run: Cli) -> None:
    first = run.new("Garcia, Maria")
    run("archive", first)
    code, out, err = run("new", "garcia  maria")
    second = out.strip()
    assert code == 0 and second and second != first
    assert {d.name for d in run.case_dirs()} == {first, second}
    assert err.startswith("secondview: ")
    assert "'Garcia, Maria'" in err and first[:8] in err and "archived" in err
    assert f"secondview set {second[:8]} title=" in err  # how to tell them apart
    _, _, err = run("new", "Maria Garcia")  # a different title: nothing to say
    assert err == ""
