"""The ``secondview`` command line, end to end: in-process through ``main`` and, for the
console script and exit statuses, through a real subprocess. Every folder is a tmp folder."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from secondview.cli import cases
from secondview.core import choices, model
from secondview.core.ids import new_id
from secondview.core.replica import Write
from secondview.demo import DEMO_TITLE, SECOND_DOCTOR
from secondview.store.config import Config
from secondview.store.paths import Device
from secondview.store.repository import CaseRepository

from cli_kit import Cli, run  # noqa: F401 (run is a fixture)

BIN = Path(sys.executable).parent

COMMANDS = (
    "new", "list", "agenda", "search", "show", "archive", "restore", "set", "add", "edit", "delete",
    "check", "where", "settle", "sync", "import", "export", "attach", "verify", "import-fhir",
    "seal", "unlock", "lock", "git-textconv",
)
"""Every command of the command line (the test below holds the parser to this list)."""


def subprocess_env(runner: Cli) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SECONDVIEW_")}
    return {**env, **runner.env}


# -- new ---------------------------------------------------------------------------------------


def test_new_saves_the_case_with_starter_checklist_and_questions(run: Cli) -> None:
    case_id = run.new("Mum - knee", "--condition", "knee osteoarthritis", "--urgency", "soon")
    case = run.case(case_id)
    assert (case.title, case.info.condition, case.info.urgency) == (
        "Mum - knee", "knee osteoarthritis", "soon"
    )
    assert len(case.checklist) >= 5 and all(not i.done for i in case.checklist)
    assert len(case.questions) >= 5
    assert case.info.checklist_template  # remembers the content it started from
    folder = run.root / "cases" / case_id
    (replica,) = folder.iterdir()
    assert stat.S_IMODE(replica.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_new_json_and_emergency_warning(run: Cli) -> None:
    _, out, err = run("new", "Chest pain", "--urgency", "emergency", "--json")
    data = json.loads(out)
    assert run.case(data["id"]).info.urgency == "emergency"
    assert data["title"] == "Chest pain"
    assert "Do not wait for a second opinion" in err
    _, out, _ = run("show", data["id"])
    assert "!! Emergency" in out


def test_new_refuses_a_bad_urgency_with_the_valid_ones(run: Cli) -> None:
    _, out, err = run("new", "X", "--urgency", "whenever", ok=False)
    assert "routine, soon, emergency" in err
    assert out == "" and run.case_dirs() == []


def test_new_refuses_an_empty_title(run: Cli) -> None:
    _, _, err = run("new", "  ", ok=False)
    assert "title" in err and run.case_dirs() == []


# -- list, archive, restore --------------------------------------------------------------------


def test_list_shows_every_column_and_json(run: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    (run.root / "config").mkdir()
    (run.root / "config" / "config.yaml").write_text("device_name: study desktop\n")
    knee = run.new("Mum - knee", "--condition", "knee osteoarthritis")
    run.new("Dad - heart", "--condition", "aortic valve narrowing")
    _, out, _ = run("list")
    head, *rows = out.splitlines()
    for column in ("ID", "TITLE", "CONDITION", "PHASE", "CHANGED", "NEXT STEP"):
        assert column in head
    row = next(r for r in rows if r.startswith(knee[:8]))
    assert "Mum - knee" in row and "knee osteoarthritis" in row
    assert "Deciding whether" in row and "study desktop" in row
    _, out, _ = run("list", "--json")
    data = json.loads(out)
    assert {d["title"] for d in data} == {"Mum - knee", "Dad - heart"}
    assert all(d["updated_by"] == "study desktop" and d["next_step"] for d in data)


def test_list_marks_an_unreadable_case_and_keeps_the_others(run: Cli) -> None:
    broken = run.new("Broken")
    run.new("Fine")
    replica = next((run.root / "cases" / broken).glob("*.json"))
    replica.write_bytes(b"")
    _, out, err = run("list")
    rows = out.splitlines()
    assert any(r.startswith(broken[:8]) and "unreadable" in r for r in rows)
    assert any("Fine" in r for r in rows)
    assert str(replica) in err and "secondview check" in err
    assert replica.read_bytes() == b""


def test_list_with_no_cases_says_how_to_start(run: Cli) -> None:
    _, out, _ = run("list")
    assert "secondview new" in out


def test_archive_hides_from_list_and_restore_brings_back(run: Cli) -> None:
    case_id = run.new("Old case")
    run.new("Current case")
    _, out, _ = run("archive", "Old case")
    assert "restore" in out
    assert run.case(case_id).archived is True
    _, out, _ = run("list")
    assert "Old case" not in out and "Current case" in out
    _, out, _ = run("list", "--all")
    assert "Old case [archived]" in out
    _, out, _ = run("list", "--json")
    assert [d["title"] for d in json.loads(out)] == ["Current case"]
    run("restore", case_id[:6])
    assert run.case(case_id).archived is False
    _, out, _ = run("list")
    assert "Old case" in out
    # no replica file was removed on the way
    assert len(list((run.root / "cases" / case_id).glob("*.json"))) == 1


def test_set_adds_the_steps_an_answer_calls_for_and_show_counts_the_needed(run: Cli) -> None:
    case_id = run.new("Dad - prostate")
    keys = {i.template_id for i in run.case(case_id).checklist}
    assert "general/medicare-accepts" not in keys
    run("set", case_id, "medicare=yes", "in_network_only=no")
    case = run.case(case_id)
    assert "general/medicare-accepts" in {i.template_id for i in case.checklist}
    needed = sum(1 for i in case.checklist if i.template_id != "general/insurance-network")
    _, out, _ = run("show", case_id)
    assert f"checklist 0 of {needed} done" in out


# -- show --------------------------------------------------------------------------------------


def test_show_overview_and_json_hold_the_whole_case(run: Cli) -> None:
    case_id = run.new("Mum - knee", "--condition", "knee osteoarthritis")
    run("set", case_id, "insurance_plan=Acme PPO", "covered=yes", "medicare=yes")
    _, rid, _ = run("add", case_id, "record", "title=MRI report", "kind=imaging_report")
    run("add", case_id, "opinion", "doctor=Dr Lee", "order=1", "treatment=Knee replacement")
    _, out, _ = run("show", "Mum - knee")
    # choices in the words every screen and export uses, never their codes
    for text in ("knee osteoarthritis", "Acme PPO", "second opinion covered: Yes",
                 "must stay in network: Not known yet", "Urgency       Routine",
                 "Medicare: Yes", "First opinion: Dr Lee", "Knee replacement",
                 "Next steps", "records 1", "opinions 1"):
        assert text in out, text
    _, out, _ = run("show", case_id[:8], "--json")
    data = json.loads(out)
    assert data["id"] == case_id and data["case"]["values"]["covered"] == "yes"
    assert [r["id"] for r in data["records"]] == [rid.strip()]
    assert data["records"][0]["values"]["kind"] == "imaging_report"
    assert len(data["checklist"]) == len(run.case(case_id).checklist)
    for table in ("checklist", "records", "transfers", "opinions", "questions", "answers", "log"):
        assert isinstance(data[table], list)
    assert data["conflicts"] == [] and data["problems"] == []


def test_show_never_passes_terminal_escapes_through(run: Cli) -> None:
    case_id = run.new("Evil", "--condition", "knee\x1b[2J\x1b]8;;http://x\x07 \u202eabc")
    _, out, _ = run("show", case_id)
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert "knee\u241b[2J" in out  # a visible ␛, as on the screen and in the exports
    _, out, _ = run("list")
    assert "\x1b" not in out
    _, out, _ = run("show", case_id, "--json")
    assert "\x1b" not in out and json.loads(out)["case"]["values"]["condition"].startswith(
        "knee\x1b"
    )


def test_unknown_and_ambiguous_case_refs(run: Cli) -> None:
    _, _, err = run("show", "nothing like this", ok=False)
    assert "no case matches 'nothing like this'" in err and "secondview list" in err
    a = run.new("Same title")
    b = run.new("Same title")
    _, _, err = run("show", "Same title", ok=False)
    assert "2 cases have that title" in err and a[:8] in err and b[:8] in err
    ids = [a, b]
    while len({i[0] for i in ids}) == len(ids):  # pigeonhole: at most 17 cases
        ids.append(run.new(f"Case {len(ids)}"))
    shared = next(i[0] for i in ids if sum(j[0] == i[0] for j in ids) > 1)
    _, _, err = run("show", shared, ok=False)
    assert "name one by the start of its id" in err


# -- set, add, edit, delete --------------------------------------------------------------------


def test_set_changes_case_fields_on_disk(run: Cli) -> None:
    case_id = run.new("Dad")
    _, out, _ = run("set", "Dad", "condition=prostate cancer", "cancer=yes",
                    "referral_needed=yes", "urgency=soon")
    assert "Saved" in out
    info = run.case(case_id).info
    assert (info.condition, info.cancer, info.referral_needed, info.urgency) == (
        "prostate cancer", True, "yes", "soon"
    )
    replica = next((run.root / "cases" / case_id).glob("*.json"))
    assert "prostate cancer" in replica.read_text()


@pytest.mark.parametrize(
    ("assignment", "expected"),
    [
        ("colour=red", "Valid fields: title, patient, condition, urgency (routine|soon|emergency)"),
        ("covered=maybe", "'maybe' is not one of: unknown, yes, no"),
        ("medicare=perhaps", "'perhaps' is not one of: unknown, yes, no"),
        ("condition", "is not FIELD=VALUE. Valid fields: title"),
        ("title=", "title: cannot be empty"),
    ],
)
def test_set_refuses_bad_fields_and_values(run: Cli, assignment: str, expected: str) -> None:
    case_id = run.new("Dad", "--condition", "before")
    replica = next((run.root / "cases" / case_id).glob("*.json"))
    before = replica.read_bytes()
    _, _, err = run("set", case_id, "condition=after", assignment, ok=False)
    assert expected in err
    assert replica.read_bytes() == before
    assert run.case(case_id).info.condition == "before"


def test_add_every_kind_of_item(run: Cli) -> None:
    case_id = run.new("Mum - hip")
    short = case_id[:6]

    def add(*words: str) -> str:
        _, out, _ = run("add", short, *words)
        return out.strip()

    rid = add("record", "title=X-ray report", "kind=imaging_report", "date=2026-01-05")
    tid = add("transfer", f"record={rid[:6]}", "recipient=Dr Ortiz", "requested_on=2026-01-10")
    oid = add("opinion", "doctor=Dr Ortiz", "order=2", "diagnosis=Hip dysplasia")
    qid = add("question", "text=Could physio help first?", "category=options", "priority=high")
    aid = add("answer", f"question={qid}", f"opinion={oid[:7]}", "text=Yes, for 12 weeks")
    cid = add("checklist", "text=Book the MRI", "phase=preparing", "due=2026-02-01")
    case = run.case(case_id)
    assert case.find(rid).title == "X-ray report"
    transfer = case.find(tid)
    assert (transfer.record, transfer.state, transfer.from_provider) == (rid, "requested", True)
    assert case.find(oid).diagnosis == "Hip dysplasia"
    assert case.find(qid).priority == "high"
    assert (case.find(aid).question, case.find(aid).opinion) == (qid, oid)
    assert case.find(cid).due == "2026-02-01"
    _, out, _ = run("add", short, "question", "text=Another one", "--json")
    data = json.loads(out)
    assert data["table"] == "questions" and run.case(case_id).find(data["id"]).text == "Another one"


def test_add_refuses_what_it_cannot_take(run: Cli) -> None:
    case_id = run.new("Mum - hip")
    _, _, err = run("add", case_id, "diagnosis", "text=x", ok=False)
    assert "checklist, record, transfer, doctor, visit, opinion, question, answer" in err
    _, _, err = run("add", case_id, "record", "kind=labs", ok=False)
    assert "title=VALUE" in err and "Valid fields: title, kind" in err
    _, _, err = run("add", case_id, "record", "title=A", "kind=xray", ok=False)
    assert "'xray' is not one of: labs, pathology_report" in err
    _, _, err = run("add", case_id, "transfer", "record=abc", "recipient=Dr A", ok=False)
    assert "record: no item 'abc' in records" in err
    _, _, err = run("add", case_id, "record", "title=A", "date=05/01/2026", ok=False)
    assert "YYYY-MM-DD" in err
    assert run.case(case_id).records == ()


def test_edit_and_delete_items(run: Cli) -> None:
    case_id = run.new("Mum - hip")
    _, rid, _ = run("add", case_id, "record", "title=Labs", "kind=labs")
    rid = rid.strip()
    first = run.case(case_id).checklist[0]
    run("edit", case_id, first.id[:10], "done=yes", "notes=Asked on the phone")
    run("edit", case_id, rid[:8], "title=Blood tests", "source=City Lab")
    run("edit", case_id, "decision", "leaning=physio first", "who_decides=shared")
    case = run.case(case_id)
    assert case.find(first.id).done is True and case.find(first.id).notes == "Asked on the phone"
    assert (case.find(rid).title, case.find(rid).source) == ("Blood tests", "City Lab")
    assert (case.decision.leaning, case.decision.who_decides) == ("physio first", "shared")

    _, out, _ = run("delete", case_id, rid[:8])
    assert "Deleted" in out and "Blood tests" in out
    assert run.case(case_id).find(rid) is None
    replica = next((run.root / "cases" / case_id).glob("*.json"))
    assert rid in replica.read_text()  # a tombstone, not a removal

    _, _, err = run("edit", case_id, first.id[:10], "done=sometimes", ok=False)
    assert "is not yes or no" in err
    _, _, err = run("edit", case_id, first.id[:10], "colour=red", ok=False)
    assert "Valid fields: text, phase" in err
    _, _, err = run("edit", case_id, "0000zz", "done=yes", ok=False)
    assert "no item '0000zz'" in err
    _, _, err = run("delete", case_id, case_id, ok=False)
    assert "secondview archive" in err


def test_deleting_a_question_says_its_answers_go_with_it(run: Cli) -> None:
    case_id = run.new("Mum - hip")
    _, qid, _ = run("add", case_id, "question", "text=How long is recovery?")
    _, oid, _ = run("add", case_id, "opinion", "doctor=Dr Lind")
    qid, oid = qid.strip(), oid.strip()
    run("add", case_id, "answer", f"question={qid}", f"opinion={oid}", "text=Six weeks")
    _, out, _ = run("delete", case_id, qid[:8])
    assert "How long is recovery?" in out and "with its 1 answer" in out
    assert run.case(case_id).answers == ()
    _, out, _ = run("delete", case_id, oid[:8])
    assert "Dr Lind" in out and "answer" not in out  # its one answer went with the question


def test_a_unique_start_of_the_title_names_the_case(run: Cli) -> None:
    dad = run.new("Dad - prostate cancer")
    run.new("Mum - knee")
    for ref in ("Dad", "dad", "  DAD - pro", "Dad - prostate cancer"):
        _, out, _ = run("show", ref, "--json")
        assert json.loads(out)["id"] == dad, ref
    run("set", "dad", "urgency=soon")  # every command takes the same words
    assert run.case(dad).info.urgency == "soon"


def test_an_ambiguous_start_of_the_title_lists_the_cases_it_fits(run: Cli) -> None:
    prostate = run.new("Dad - prostate cancer")
    back = run.new("Dad - back surgery")
    _, _, err = run("show", "Dad", ok=False)
    assert "'Dad' fits 2 cases" in err
    assert "Dad - prostate cancer" in err and "Dad - back surgery" in err
    assert prostate[:8] in err and back[:8] in err
    _, out, _ = run("show", "dad - b", "--json")
    assert json.loads(out)["id"] == back


def test_an_exact_title_wins_over_an_id_that_starts_the_same(run: Cli) -> None:
    other = run.new("Somebody else")
    titled = run.new(other[:3])  # a title that is also the start of the other case's id
    _, out, _ = run("show", other[:3], "--json")
    assert json.loads(out)["id"] == titled
    _, out, _ = run("show", other[:8], "--json")
    assert json.loads(out)["id"] == other


def test_ambiguous_item_ref_is_refused(run: Cli) -> None:
    case_id = run.new("Mum - hip")
    case = run.case(case_id)
    items = [*case.checklist, *case.questions]
    firsts = [i.id[0] for i in items]
    shared = next(c for c in firsts if firsts.count(c) > 1)
    _, _, err = run("edit", case_id, shared, "notes=x", ok=False)
    assert "use more of the id" in err
    assert all(not i.notes for i in run.case(case_id).checklist)


def test_a_read_only_case_refuses_edits_with_the_reason(run: Cli) -> None:
    case_id = run.new("Shared case")
    repo = run.repo()
    own = repo.own_file(case_id)
    other = CaseRepository(repo.paths, Device("b0b0b0b0b0b0", "laptop"))
    opened = other.open(case_id)
    other.apply(opened, [Write("checklist", new_id(), {"text": "From the laptop"})])
    other.close()
    repo.close()
    own.write_bytes(b'{"format": "1.0", "tables"')
    _, _, err = run("set", case_id, "notes=edited", ok=False)
    assert "read-only" in err and own.name in err and "move it aside" in err
    assert own.read_bytes() == b'{"format": "1.0", "tables"'
    _, out, _ = run("show", case_id)
    assert "READ-ONLY" in out and own.name in out  # still shown, with the laptop's edit
    assert f"checklist 0 of {len(run.case(case_id).checklist)} done" in out


def test_a_newer_format_replica_makes_the_case_read_only(run: Cli) -> None:
    case_id = run.new("Shared case")
    own = next((run.root / "cases" / case_id).glob("*.json"))
    newer = json.loads(own.read_text())
    newer["format"] = "3.0"
    (own.parent / "b0b0b0b0b0b0.json").write_text(json.dumps(newer))
    before = own.read_bytes()
    _, _, err = run("add", case_id, "record", "title=Labs", ok=False)
    assert "read-only" in err and "newer secondview" in err
    assert own.read_bytes() == before


def test_new_warns_about_bad_user_content_and_still_creates(run: Cli) -> None:
    folder = run.root / "config" / "content" / "checklists"
    folder.mkdir(parents=True)
    (folder / "mine.yaml").write_text("id: mine\ntitle: [unclosed\n")
    _, out, err = run("new", "Still works")
    assert "warning" in err and "mine.yaml" in err
    assert run.case(out.strip()).checklist


# -- check and where ---------------------------------------------------------------------------


def test_check_reports_fine_cases(run: Cli) -> None:
    run.new("One")
    run.new("Two")
    _, out, _ = run("check")
    assert "All 2 cases are fine" in out
    _, out, _ = run("check", "--json")
    assert json.loads(out)["fine"] is True


def test_check_names_a_corrupt_file_and_exits_1(run: Cli) -> None:
    case_id = run.new("One")
    run.new("Two")
    bad = run.root / "cases" / case_id / "c0ffee000000.json"
    bad.write_bytes(b'{"format": "1.0", "tables": {"case": ')
    _, out, err = run("check", ok=False)
    assert str(bad) in out and "truncated" in out
    assert "1 problem needs you" in err
    quarantined = list((run.root / "data" / "quarantine" / case_id).iterdir())
    assert len(quarantined) == 1 and str(quarantined[0]) in out
    assert bad.read_bytes() == b'{"format": "1.0", "tables": {"case": '  # left untouched
    _, out, _ = run("check", "--json", ok=None)
    data = json.loads(out)
    assert data["fine"] is False and data["problems"][0]["path"] == str(bad)
    # the case and the other one still work
    _, out, _ = run("list")
    assert "One" in out and "Two" in out


def test_check_reports_unsettled_conflicts(run: Cli) -> None:
    case_id = run.new("Shared")
    repo = run.repo()
    a = repo.open(case_id)
    other = CaseRepository(repo.paths, Device("b0b0b0b0b0b0", "laptop"))
    b = other.open(case_id)
    other.update(b, "case", case_id, {"condition": "knee OA"})
    repo.update(a, "case", case_id, {"condition": "osteoarthritis"})
    other.close()
    repo.close()
    _, out, _ = run("check", ok=False)
    assert "'Shared'" in out and "condition" in out and "conflicting" in out
    _, out, _ = run("show", case_id)
    assert "Unsettled conflicts" in out and "field 'condition'" in out


def test_where_names_the_folders_and_this_device(run: Cli) -> None:
    (run.root / "config").mkdir()
    (run.root / "config" / "config.yaml").write_text("device_name: kitchen laptop\n")
    _, out, _ = run("where")
    for name in ("cases", "data", "cache", "config"):
        assert str(run.root / name) in out
    assert "kitchen laptop" in out
    _, out, _ = run("where", "--json")
    data = json.loads(out)
    device = json.loads((run.root / "data" / "device.json").read_text())
    assert data["device_id"] == device["id"] and data["device_name"] == "kitchen laptop"
    assert data["cases_dir"] == str(run.root / "cases")


def test_cases_folder_from_option_then_env_then_config(
    run: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = run.root / "elsewhere"
    _, out, _ = run("--cases", str(elsewhere), "new", "Moved")
    assert (elsewhere / out.strip()).is_dir()
    _, out, _ = run("list", "--cases", str(elsewhere))  # after the sub-command too
    assert "Moved" in out
    monkeypatch.delenv("SECONDVIEW_CASES")
    (run.root / "config").mkdir()
    (run.root / "config" / "config.yaml").write_text(f"cases_dir: {run.root / 'synced'}\n")
    _, out, _ = run("where", "--json")
    assert json.loads(out)["cases_dir"] == str(run.root / "synced")


def test_a_broken_config_file_is_named(run: Cli) -> None:
    (run.root / "config").mkdir()
    (run.root / "config" / "config.yaml").write_text("cases_dir: [unclosed\n")
    _, _, err = run("list", ok=False)
    assert "config.yaml" in err and "not valid YAML" in err



def test_a_setting_that_does_not_fit_is_named_with_what_it_expects(run: Cli) -> None:
    (run.root / "config").mkdir()
    config = run.root / "config" / "config.yaml"
    config.write_text("device_name: [a, b]\n")
    _, out, err = run("where", ok=False)
    assert out == "" and len(err.strip().splitlines()) == 1
    assert f"{config}: 'device_name' should be text, like 'laptop'" in err
    assert "fix the file or move it aside" in err


def test_unknown_settings_are_a_warning_and_the_command_runs(run: Cli) -> None:
    (run.root / "config").mkdir()
    config = run.root / "config" / "config.yaml"
    config.write_text("device_name: desk\ncolour: red\nkeys: [n]\n")
    _, out, err = run("where", "--json")
    assert json.loads(out)["device_name"] == "desk"
    assert f"secondview: warning: {config}: unknown setting 'colour' left out" in err
    assert f"secondview: warning: {config}: 'keys' should map binding ids to keys" in err

# -- demo --------------------------------------------------------------------------------------


def test_demo_show_prints_both_opinions_and_leaves_nothing_behind(
    run: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = run.root / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    _, out, _ = run("--demo", "show", DEMO_TITLE)
    assert "First opinion: Dr. Martin Hale" in out
    assert f"Opinion 2: {SECOND_DOCTOR}" in out
    assert "laminectomy" in out and "without a fusion" in out
    assert "Medicare: Yes" in out and "past the 30 days the law allows" in out
    assert list(scratch.iterdir()) == []  # the throwaway folder is gone
    assert not (run.root / "cases").exists() and not (run.root / "data").exists()


def test_demo_case_is_complete(run: Cli) -> None:
    _, out, _ = run("--demo", "show", DEMO_TITLE, "--json")
    data = json.loads(out)
    info = data["case"]["values"]
    assert info["insurance_plan"] and info["covered"] == "yes" and info["medicare"] == "yes"
    opinions = {o["id"]: o["values"] for o in data["opinions"]}
    assert len(opinions) == 2
    first, second = sorted(opinions.values(), key=lambda o: o["order"])
    assert first["treatment"] != second["treatment"]
    assert first["diagnosis"] in second["diagnosis"] or "slip" in second["diagnosis"]
    states = {t["values"]["state"] for t in data["transfers"]}
    assert states == set(model.TRANSFER_STATES)
    assert any("Chase" in s for s in data["next_steps"])
    answered_by = {a["values"]["opinion"] for a in data["answers"]}
    assert answered_by == set(opinions)
    answered = {a["values"]["question"] for a in data["answers"]}
    open_questions = [q for q in data["questions"] if q["id"] not in answered]
    assert open_questions and all(not q["values"]["asked"] for q in open_questions)
    done = [c for c in data["checklist"] if c["values"]["done"]]
    assert 0 < len(done) < len(data["checklist"])
    assert data["phase"] == "choosing" and data["decision"]["values"]["leaning"]
    assert len(data["devices"]) == 2 and data["conflicts"] == [] and data["problems"] == []


def test_demo_check_and_list(run: Cli) -> None:
    _, out, _ = run("--demo", "check")
    assert "All 1 case is fine" in out
    _, out, _ = run("--demo", "list")
    assert DEMO_TITLE in out and choices.CASE_PHASE_LABELS["choosing"] in out


# -- help, usage, crashes ----------------------------------------------------------------------


def test_the_commands_are_those_listed_here(run: Cli) -> None:
    _, _, err = run("frobnicate", ok=False)
    offered = err.split("choose from", 1)[1].split(")", 1)[0]
    assert sorted(word.strip(" '") for word in offered.split(",")) == sorted(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_sub_command_has_help(run: Cli, command: str) -> None:
    code, out, _ = run(command, "--help")
    assert code == 0 and f"usage: secondview {command}" in out
    description = out.split("\n\n")[1]
    assert description.strip() and "\n" not in description.strip()


def test_top_level_help_and_version(run: Cli) -> None:
    _, out, _ = run("--help")
    for command in COMMANDS:
        assert command in out
    _, out, _ = run("--version")
    assert out.startswith("secondview ")


def test_usage_mistakes_exit_1_with_a_hint(run: Cli) -> None:
    _, _, err = run("frobnicate", ok=False)
    assert "invalid choice" in err and "--help" in err
    _, _, err = run("show", ok=False)
    assert "CASE" in err and "secondview show --help" in err
    _, _, err = run("list", "--bogus", ok=False)
    assert "--bogus" in err


def test_an_unexpected_error_writes_a_crash_log(run: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(args: object, env: object) -> int:
        raise RuntimeError("something internal")

    monkeypatch.setattr(cases, "cmd_list", boom)
    _, out, err = run("list", ok=False)
    assert len(err.strip().splitlines()) == 1
    (log,) = (run.root / "data").glob("crash-*.log")
    assert str(log) in err
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert "RuntimeError: something internal" in log.read_text()


def test_an_unwritable_cases_folder_is_a_message(run: Cli) -> None:
    blocker = run.root / "file"
    blocker.write_text("")
    _, _, err = run("--cases", str(blocker / "cases"), "new", "X", ok=False)
    assert str(blocker) in err and "--cases" in err


# -- the console script ------------------------------------------------------------------------


def test_console_script_and_exit_status(run: Cli) -> None:
    env = subprocess_env(run)
    script = BIN / "secondview"
    made = subprocess.run([script, "new", "Via script"], env=env, capture_output=True,
                          text=True, timeout=60)
    assert made.returncode == 0 and "Traceback" not in made.stderr
    case_id = made.stdout.strip()
    assert run.case(case_id).title == "Via script"
    missing = subprocess.run([script, "show", "no such case"], env=env, capture_output=True,
                             text=True, timeout=60)
    assert missing.returncode == 1 and missing.stderr.startswith("secondview: no case")
    assert "Traceback" not in missing.stderr
    (run.root / "cases" / case_id / "0badf11e0000.json").write_bytes(b"\xff\xfe")
    check = subprocess.run([script, "check"], env=env, capture_output=True, text=True,
                           timeout=60)
    assert check.returncode == 1 and "0badf11e0000.json" in check.stdout
    assert "Traceback" not in check.stderr


def test_python_dash_m_and_no_textual_for_sub_commands(run: Cli) -> None:
    env = subprocess_env(run)
    shown = subprocess.run([sys.executable, "-m", "secondview", "--version"], env=env,
                           capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0 and shown.stdout.startswith("secondview ")
    probe = (
        "import sys; from secondview.cli import main; "
        "code = main(['list']); print(code, 'textual' in sys.modules)"
    )
    listed = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True,
                            text=True, timeout=60)
    assert listed.stdout.splitlines()[-1] == "0 False", listed.stderr


# -- the app -----------------------------------------------------------------------------------


def _fake_app_run(monkeypatch: pytest.MonkeyPatch, return_code: int = 0) -> dict[str, object]:
    """Replace SecondViewApp.run with one that records what the app was given."""
    appmod = pytest.importorskip("secondview.ui.app")
    seen: dict[str, object] = {}

    def run(self: object, *args: object, **kwargs: object) -> None:
        repo = self.repo  # type: ignore[attr-defined]
        seen["titles"] = [r.title for r in repo.list()]
        seen["paths"] = self.paths  # type: ignore[attr-defined]
        # the content set arrives after the first frame, from the loader the CLI hands over
        loader = self._content_loader  # type: ignore[attr-defined]
        seen["content"] = self.content if loader is None else loader()  # type: ignore
        seen["config"] = self.config  # type: ignore[attr-defined]
        seen["cases_dir_existed"] = repo.paths.cases_dir.is_dir()
        self._return_code = return_code  # type: ignore[attr-defined]

    monkeypatch.setattr(appmod.SecondViewApp, "run", run)
    return seen


def test_no_sub_command_starts_the_app_with_resolved_paths(
    run: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = _fake_app_run(monkeypatch)
    (run.root / "config").mkdir()
    (run.root / "config" / "config.yaml").write_text("theme: nord\n")
    run.new("Mum - knee")
    run()
    assert seen["titles"] == ["Mum - knee"]
    assert seen["paths"].cases_dir == run.root / "cases"  # type: ignore[attr-defined]
    assert seen["config"] == Config(file=run.root / "config" / "config.yaml", theme="nord")
    assert seen["content"].checklists  # type: ignore[attr-defined]


def test_the_app_shows_the_config_warnings_itself(
    run: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = _fake_app_run(monkeypatch)
    (run.root / "config").mkdir()
    (run.root / "config" / "config.yaml").write_text("colour: red\n")
    _, out, err = run()
    assert out == "" and err == ""  # stderr would garble the screen
    (warning,) = seen["config"].warnings  # type: ignore[attr-defined]
    assert "unknown setting 'colour'" in warning

def test_demo_starts_the_app_on_a_throwaway_case(
    run: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = _fake_app_run(monkeypatch)
    scratch = run.root / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    run("--demo")
    assert seen["titles"] == [DEMO_TITLE] and seen["cases_dir_existed"] is True
    assert str(seen["paths"].cases_dir).startswith(str(scratch))  # type: ignore[attr-defined]
    assert list(scratch.iterdir()) == [] and not (run.root / "cases").exists()


def test_an_app_that_ends_in_error_exits_1(run: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_app_run(monkeypatch, return_code=1)
    code, _, _ = run(ok=None)
    assert code == 1
