"""Which checklist steps apply to a case (core/content_rules.py): the rule a step keeps, read from
the case alone, and every reader (next steps, the packet, the command line) asking the same
place."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from secondview.core import content_rules, export_packet, progress
from secondview.core.content_rules import InvalidContent, Rule, parse_rule, stored
from secondview.core.model import Case, Item
from secondview.store.content_files import load_content

TODAY = dt.date(2026, 12, 6)


def _item(table: str, item_id: str, **values: Any) -> Item:
    return Item(table, item_id, values, frozenset(),
                changed_at=f"2026-01-01T00:00:00.000Z/{item_id}")


def _case(answers: dict[str, Any], *steps: Item) -> Case:
    return Case("case-1", _item("case", "case-1", title="Knee", **answers), checklist=steps)


def _step(item_id: str, text: str, rule: Rule | None = None, **values: Any) -> Item:
    if rule is not None:
        values["applies_when"] = stored(rule)
    return _item("checklist", item_id, text=text, phase="preparing", order=1.0, **values)


ANY_UNKNOWN = {"any_of": {"in_network_only": "unknown", "referral_needed": "unknown"}}


def test_any_of_matches_when_one_of_its_fields_does() -> None:
    rule = parse_rule(ANY_UNKNOWN)
    assert rule.matches({})
    assert rule.matches({"in_network_only": "no"})
    assert not rule.matches({"in_network_only": "no", "referral_needed": "yes"})
    both = parse_rule({"cancer": True, **ANY_UNKNOWN})
    assert not both.matches({"cancer": False})
    assert both.matches({"cancer": True, "referral_needed": "unknown"})


@pytest.mark.parametrize("raw, where", [
    ({"any_of": "referral_needed"}, ("applies_when", "any_of")),
    ({"any_of": {}}, ("applies_when", "any_of")),
    ({"any_of": {"any_of": {"cancer": True}}}, ("applies_when", "any_of")),
    ({"any_of": {"cancer": "maybe"}}, ("applies_when", "any_of", "cancer")),
])
def test_a_bad_any_of_is_named_where_it_is(raw: Any, where: tuple[str, ...]) -> None:
    with pytest.raises(InvalidContent) as caught:
        parse_rule(raw)
    assert caught.value.where == where


def test_a_stored_rule_reads_back_as_the_same_rule() -> None:
    rule = parse_rule({"cancer": True, "urgency": ["routine", "soon"], **ANY_UNKNOWN})
    step = _step("s1", "Ask", rule)
    assert content_rules.rule_of(step) == rule


@pytest.mark.parametrize("text", ["", "not json", "[1, 2]", '{"colour": ["red"]}'])
def test_a_step_without_a_readable_rule_always_applies(text: str) -> None:
    step = _item("checklist", "s1", text="Mine", applies_when=text)
    assert content_rules.applies(step, _case({"cancer": False}, step))


def test_a_step_the_answers_rule_out_is_not_needed_and_says_why() -> None:
    network = _step("s1", "Check the network", parse_rule({"in_network_only": ["unknown", "yes"]}))
    mine = _step("s2", "Call the clinic")
    case = _case({"in_network_only": "no"}, network, mine)
    assert content_rules.steps_that_apply(case) == (mine,)
    assert content_rules.not_needed(case) == (network,)
    assert content_rules.not_needed_because(network, case) == "Must stay in network is no"
    assert content_rules.not_needed_because(mine, case) == ""
    again = _case({"in_network_only": "yes"}, network, mine)
    assert content_rules.steps_that_apply(again) == (network, mine)


def test_our_content_gives_each_ruled_step_its_whole_rule() -> None:
    content = load_content()
    writes = {w.values["template_id"]: w.values for w in content.starter_writes({})
              if w.table == "checklist"}
    rules = {i.key: i.rule for i in content.applicable_items({})}
    for key, values in writes.items():
        if rules[key] is None:
            assert "applies_when" not in values, key
        else:
            assert content_rules.rule_of(_item("checklist", "x", **values)) == rules[key], key
    assert writes["general/insurance-rules"]["applies_when"]


def test_a_release_step_the_case_does_not_call_for_is_not_in_the_packet() -> None:
    slides = _step("s1", "Send the pathology slides", parse_rule({"cancer": True}),
                   template_id="general/pathology-review")
    sign = _step("s2", "Sign a release form", template_id="general/sign-release")
    text = export_packet.packet(_case({"cancer": False}, slides, sign), TODAY).markdown
    assert "Sign a release form" in text
    assert "Send the pathology slides" not in text
    text = export_packet.packet(_case({"cancer": True}, slides, sign), TODAY).markdown
    assert "Send the pathology slides" in text


def test_next_steps_leave_out_what_is_not_needed() -> None:
    network = _step("s1", "Check the network", parse_rule({"in_network_only": ["unknown", "yes"]}))
    case = _case({"in_network_only": "no"}, network)
    assert "Check the network" not in progress.next_steps(case, TODAY)
    assert "Check the network" in progress.next_steps(_case({}, network), TODAY)
