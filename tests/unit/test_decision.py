"""decision: where the decision stands, the SURE check, how much a benefit or risk matters and
where an option comes from, in the words the pane and the export share."""

from __future__ import annotations

import datetime as dt

import pytest

from secondview.core import decision, export, model
from secondview.core.model import Case, Item


def case_with(decided: dict[str, object] | None = None, **tables: tuple[Item, ...]) -> Case:
    info = Item("case", "c", {"title": "Knee"})
    d = Item("decision", "c", decided) if decided is not None else None
    return Case("c", info, decision=d, **tables)  # type: ignore[arg-type]


def test_the_state_follows_what_the_decision_holds() -> None:
    option = Item("options", "o1", {"title": "Physio"})
    leaning = Item("leanings", "l1", {"date": "2026-01-01", "option": "o1"})
    assert decision.state(case_with()) == ""
    assert decision.state(case_with(options=(option,))) == "weighing options"
    assert decision.state(case_with({"options": "physio?"})) == "weighing options"
    assert decision.state(case_with(options=(option,), leanings=(leaning,))) == "leaning"
    assert decision.state(case_with({"choice": "Physio"})) == "decided"
    assert decision.state(case_with({"choice": "Physio", "doctor_told": True})) == (
        "decided, doctor told")
    assert set(decision.STATE_WORDS) == {"", "weighing options", "leaning", "decided",
                                         "decided, doctor told"}


def test_the_sure_score_counts_the_yes_answers_and_never_advises() -> None:
    assert decision.SURE_FIELDS == ("sure_know", "sure_values", "sure_support",
                                    "sure_certain")
    assert all(model.spec("decision", name).kind is model.Kind.BOOL
               for name in decision.SURE_FIELDS)
    assert decision.sure_score(None) == 0
    two = Item("decision", "c", {"sure_know": True, "sure_support": True, "sure_values": "yes"})
    assert decision.sure_score(two) == 2  # only a real yes counts
    assert decision.sure_words(2).startswith("SURE 2/4: a 'no' is worth talking through")
    assert decision.sure_words(4).startswith("SURE 4/4: yes to all four")
    assert decision.sure_question("sure_certain") == (
        "Do I feel sure about the best choice for me?")


@pytest.mark.parametrize("stored, matters", [
    ({"importance": 4}, 4), ({"importance": 9}, 5), ({"importance": -2}, 0),
    ({"importance": True}, 0), ({"importance": "4"}, 0), ({}, 3),  # the field's default
])
def test_importance_is_kept_within_the_scale(stored: dict[str, object], matters: int) -> None:
    factor = Item("factors", "f1", {"option": "o1", "text": "Walk", **stored})
    assert decision.importance(factor) == matters


def test_an_option_says_where_it_comes_from_in_one_wording() -> None:
    doctor = Item("opinions", "op1", {"doctor": "Dr Lind", "order": 1})
    opinions = {doctor.id: doctor}
    own = Item("options", "o1", {"title": "Physio", "source": "own"})
    theirs = Item("options", "o2", {"title": "Knee", "source": "opinion", "opinion": "op1"})
    orphan = Item("options", "o3", {"title": "Brace", "source": "opinion", "opinion": "gone"})
    waiting = Item("options", "o4", {"title": "Wait", "source": "waiting"})
    assert decision.option_source(own, opinions) == ("your own idea", None)
    assert decision.option_source(theirs, opinions) == ("recommended", doctor)
    assert decision.option_source(orphan, opinions) == (
        "recommended; the doctor's opinion was deleted", None)
    assert decision.option_source(waiting, opinions) == ("waiting", None)


def test_the_export_and_the_pane_share_the_words() -> None:
    """The decision export takes its option sources, importance and state from here."""
    own = Item("options", "o1", {"title": "Physio", "source": "own"})
    factor = Item("factors", "f1", {"option": "o1", "kind": "risk", "text": "Slow",
                                    "importance": 12})
    case = case_with({"who_decides": "shared"}, options=(own,), factors=(factor,))
    md = export.decision(case, dt.date(2026, 1, 1)).markdown
    assert "**Physio** (your own idea)" in md
    assert "- Risk, matters 5 of 5: Slow" in md
    assert "**Where it stands:** weighing options." in md
    assert f"**Who decides:** {model.spec('decision', 'who_decides').label_of('shared')}." in md


def test_field_words_read_the_decision_for_a_person() -> None:
    who = model.spec("decision", "who_decides")
    told = model.spec("decision", "doctor_told")
    assert decision.field_words(who, "someone_else") == "Someone else"
    assert decision.field_words(who, "unknown") == ""
    assert decision.field_words(told, False) == "not yet"
    assert decision.field_words(told, True) == "yes"
    assert decision.field_words(model.spec("decision", "choice"), "Physio") == "Physio"


def test_options_from_a_treatment_and_from_notes() -> None:
    assert decision.treatment_options("\n  Knee replacement\n") == ["Knee replacement"]
    assert decision.treatment_options("1. Knee replacement\n- then rehab") == [
        "Knee replacement", "Then rehab"]
    # issue 14: a long recommendation was stored cut, its title ending in an ellipsis
    long = "Three months of guided physical therapy with one injection, then decide again"
    assert decision.treatment_options(long) == [long]
    assert decision.notes_to_titles("1. Physio\n- wait\n\n2) Surgery", {"wait"}) == [
        "Physio", "Surgery"]


@pytest.mark.parametrize(
    "treatment, options",
    [
        ("Surveillance or SBRT", ["Surveillance", "SBRT"]),
        ("either surgery or radiotherapy.", ["Surgery", "Radiotherapy"]),
        ("Radiotherapy (SBRT, or protons) or surgery", ["Radiotherapy (SBRT, or protons)",
                                                         "Surgery"]),
        ("Surgery within two or three weeks", ["Surgery within two or three weeks"]),
        ("Physiotherapy with or without an injection",
         ["Physiotherapy with or without an injection"]),
        ("Physio first. If it fails, surgery or injections.",
         ["Physio first. If it fails, surgery or injections."]),
        ("SBRT or sbrt", ["SBRT"]),
    ],
)
def test_one_doctors_alternatives_become_one_option_each(treatment: str,
                                                         options: list[str]) -> None:
    # issue 14: "surveillance or SBRT" from one doctor became one option
    assert decision.treatment_options(treatment) == options


def opinion_item(oid: str, order: int, treatment: str) -> Item:
    return Item("opinions", oid, {"doctor": f"Dr {oid}", "order": order,
                                  "treatment": treatment})


def test_the_offered_options_never_repeat_one_already_there() -> None:
    ops = (opinion_item("a", 1, "Knee replacement or physio"),
           opinion_item("b", 2, "knee  replacement."))
    own = Item("options", "o1", {"title": "Wait and watch.", "source": "own"})
    offered = decision.offered_options(case_with(opinions=ops, options=(own,)))
    assert [(o.title, o.source, o.opinion) for o in offered] == [
        ("Knee replacement", "opinion", "a"), ("Physio", "opinion", "a")]
    # a doctor's own kind of waiting stands for 'wait and watch'
    ops = (opinion_item("a", 1, "Active surveillance or SBRT"),)
    offered = decision.offered_options(case_with(opinions=ops))
    assert [o.title for o in offered] == ["Active surveillance", "SBRT"]
    ops = (opinion_item("a", 1, "SBRT"),)
    offered = decision.offered_options(case_with(opinions=ops))
    assert [(o.title, o.source) for o in offered] == [
        ("SBRT", "opinion"), (decision.WAIT_TITLE, "waiting")]
    # an opinion with an option made from it already is left as the person keeps it
    mine = Item("options", "o2", {"title": "Radiotherapy", "source": "opinion",
                                  "opinion": "a"})
    assert decision.offered_options(case_with(opinions=ops, options=(mine,))) == [
        decision.Offered(decision.WAIT_TITLE, "waiting", "")]
