"""``applies_when`` rules: which content steps a case calls for, and which of a case's checklist
steps apply to it now. The one home of that rule: the checklist pane, the next steps, the
overview, the command line and the exports all ask here.

A rule names case fields (the yes/no and choice fields, ``RULE_FIELDS``) and the values each
may hold; a case matches when every named field holds one of them, and, when the rule has an
``any_of`` part, when at least one of the fields named there holds one of its values.
``parse_rule`` builds one from the YAML value, raising ``InvalidContent`` with the path of the
bad part inside the file (``core.content_parser`` turns that into a ``ContentProblem`` with
its line).

A checklist step made from the content keeps its rule in its ``applies_when`` field (the
rule's data as JSON, ``stored``): so every device, the command line and the list index read
whether it applies from the case alone, without the content files. A step whose rule the case
no longer matches is *not needed*: kept with what the person wrote and ticked, left out of the
counts and the next steps, and needed again as soon as the answer changes back.

Pure functions and data: no I/O.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from . import model

RULE_FIELDS: tuple[str, ...] = tuple(
    f.name
    for f in model.CASE_FIELDS
    if f.kind in (model.Kind.BOOL, model.Kind.CHOICE) and f.name != "archived"
)
"""Case fields an ``applies_when`` rule may name."""

ANY_OF = "any_of"
"""The key of a rule's part that matches when any one of its fields matches."""

Conditions = tuple[tuple[str, tuple[Any, ...]], ...]


class InvalidContent(ValueError):
    """A value in a content file that cannot be used; ``where`` is its path inside the file."""

    def __init__(self, where: tuple[str | int, ...], problem: str) -> None:
        super().__init__(problem)
        self.where = where
        self.problem = problem


def field_path(where: Sequence[str | int]) -> str:
    text = ""
    for step in where:
        if isinstance(step, int):
            text += f"[{step}]"
        else:
            text += f".{step}" if text else step
    return text


def type_word(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "yes/no"
    return {
        dict: "a mapping",
        list: "a list",
        str: "text",
        int: "a number",
        float: "a number",
    }.get(type(value), type(value).__name__)


def strip_name(message: str, name: str) -> str:
    prefix = f"{name}: "
    return message[len(prefix):] if message.startswith(prefix) else message


# ---------------------------------------------------------------------------------------------
# applies_when rules


def _case_value(name: str, case_values: Mapping[str, Any]) -> Any:
    """Case field ``name`` in ``case_values``, typed; the field's default when unset or bad."""
    spec = model.spec("case", name)
    value = case_values.get(name)
    if value is None:
        return spec.empty()
    choice_ok = spec.kind is not model.Kind.CHOICE or value in spec.choices
    if spec.accepts_stored(value) and choice_ok:
        return value
    try:
        return spec.parse(value)
    except model.InvalidValue:
        return spec.empty()


def _word(value: Any) -> str:
    return ("yes" if value else "no") if isinstance(value, bool) else str(value)


def _met(conditions: Conditions, case_values: Mapping[str, Any]) -> Iterable[bool]:
    return (_case_value(name, case_values) in accepted for name, accepted in conditions)


@dataclass(frozen=True)
class Rule:
    """An ``applies_when`` rule: each field of ``conditions`` must hold one of its accepted
    values and, when ``any_of`` names fields, at least one of those must hold one of its."""

    conditions: Conditions = ()
    any_of: Conditions = ()

    def matches(self, case_values: Mapping[str, Any]) -> bool:
        return all(_met(self.conditions, case_values)) and (
            not self.any_of or any(_met(self.any_of, case_values))
        )

    def unmet(self, case_values: Mapping[str, Any]) -> list[str]:
        """The fields whose values keep the case from matching ([] when it matches)."""
        if self.matches(case_values):
            return []
        missed = [name for (name, _), ok in zip(self.conditions, _met(self.conditions,
                                                                       case_values),
                                                strict=True) if not ok]
        if self.any_of and not any(_met(self.any_of, case_values)):
            missed += [name for name, _ in self.any_of]
        return missed

    def __str__(self) -> str:
        def said(conditions: Conditions) -> list[str]:
            return [f"{name} is {' or '.join(_word(v) for v in accepted)}"
                    for name, accepted in conditions]

        parts = said(self.conditions)
        if self.any_of:
            parts.append(f"any of ({', '.join(said(self.any_of))})")
        return " and ".join(parts)

    def fields(self) -> set[str]:
        """The case fields the rule reads."""
        return {name for name, _ in (*self.conditions, *self.any_of)}

    def data(self) -> dict[str, Any]:
        """The rule as the mapping ``parse_rule`` reads (lists of values)."""
        out: dict[str, Any] = {name: list(accepted) for name, accepted in self.conditions}
        if self.any_of:
            out[ANY_OF] = {name: list(accepted) for name, accepted in self.any_of}
        return out

    def __and__(self, other: Rule) -> Rule:
        """A rule that matches when both do."""
        return Rule(self.conditions + other.conditions, _and_any(self.any_of, other.any_of))


def _and_any(a: Conditions, b: Conditions) -> Conditions:
    if a and b and a != b:
        # Two "any of" parts cannot be one; rules in content have at most one each (a
        # template's and its step's), and none of ours has two.
        raise ValueError("a step and its checklist both have an any_of part")
    return a or b


def _rule_value(spec: model.FieldSpec, raw: Any) -> Any:
    if isinstance(raw, (list, dict)) or raw is None:
        raise model.InvalidValue("expected a value or a list of values")
    if spec.kind is model.Kind.CHOICE and isinstance(raw, bool):
        # YAML reads an unquoted yes/no as true/false.
        raw = "yes" if raw else "no"
    if spec.kind is model.Kind.BOOL and not isinstance(raw, (bool, str)):
        raise model.InvalidValue(f"'{raw}' is not yes or no")
    if spec.kind is model.Kind.CHOICE and not isinstance(raw, str):
        raise model.InvalidValue(f"'{raw}' is not one of: {', '.join(spec.choices)}")
    try:
        value = spec.parse(raw)
    except model.InvalidValue as exc:
        raise model.InvalidValue(strip_name(str(exc), spec.name)) from None
    if spec.kind is model.Kind.CHOICE and value not in spec.choices:
        raise model.InvalidValue(f"an empty value; use one of: {', '.join(spec.choices)}")
    return value


def _conditions(raw: Mapping[Any, Any], where: tuple[str | int, ...],
                nested: bool) -> tuple[Conditions, Conditions]:
    conditions = []
    any_of: Conditions = ()
    for name, accepted in raw.items():
        if name == ANY_OF and not nested:
            if not isinstance(accepted, dict) or not accepted:
                raise InvalidContent(
                    (*where, ANY_OF),
                    f"expected a mapping of case field to value, such as "
                    f"{{referral_needed: unknown, preauth_needed: unknown}}; "
                    f"found {type_word(accepted)}",
                )
            any_of, _ = _conditions(accepted, (*where, ANY_OF), nested=True)
            continue
        if not isinstance(name, str) or name not in RULE_FIELDS:
            raise InvalidContent(
                where,
                f"unknown case field '{name}'. Fields a rule can use: {', '.join(RULE_FIELDS)}"
                + ("" if nested else f", and {ANY_OF}"),
            )
        spec = model.spec("case", name)
        values = accepted if isinstance(accepted, list) else [accepted]
        if not values:
            raise InvalidContent((*where, name), "an empty list matches no case")
        parsed = []
        for value in values:
            try:
                parsed.append(_rule_value(spec, value))
            except model.InvalidValue as exc:
                raise InvalidContent((*where, name), str(exc)) from None
        conditions.append((name, tuple(dict.fromkeys(parsed))))
    return tuple(conditions), any_of


def parse_rule(raw: Any, where: tuple[str | int, ...] = ("applies_when",)) -> Rule:
    """A Rule from the YAML value of ``applies_when``; InvalidContent naming the bad part."""
    if not isinstance(raw, dict):
        raise InvalidContent(
            where,
            f"expected a mapping of case field to value, such as {{cancer: true}}; "
            f"found {type_word(raw)}",
        )
    conditions, any_of = _conditions(raw, where, nested=False)
    return Rule(conditions, any_of)


# ---------------------------------------------------------------------------------------------
# Which of a case's checklist steps apply


def stored(rule: Rule) -> str:
    """The text a checklist step keeps in its ``applies_when`` field for ``rule``."""
    return json.dumps(rule.data(), ensure_ascii=False)  # unsorted: it reads back equal


def rule_of(item: model.Item) -> Rule | None:
    """The rule a checklist step keeps, or None (a step of the person's own, or one whose
    stored rule cannot be read: such a step always applies, never hidden by mistake)."""
    text = item.values.get("applies_when")
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        return parse_rule(json.loads(text))
    except (ValueError, InvalidContent):
        return None


def applies(item: model.Item, case: model.Case) -> bool:
    """Whether the checklist step ``item`` applies to ``case`` as its answers stand now."""
    rule = rule_of(item)
    return rule is None or rule.matches(case.info.values)


def steps_that_apply(case: model.Case) -> tuple[model.Item, ...]:
    """The case's checklist steps that apply now, in the case's order."""
    return tuple(i for i in case.checklist if applies(i, case))


def not_needed(case: model.Case) -> tuple[model.Item, ...]:
    """The case's checklist steps its answers no longer call for."""
    return tuple(i for i in case.checklist if not applies(i, case))


def not_needed_because(item: model.Item, case: model.Case) -> str:
    """Why a step is not needed, in words ("Must stay in network is no"); "" when it is."""
    rule = rule_of(item)
    if rule is None:
        return ""
    said = []
    for name in rule.unmet(case.info.values):
        spec = model.spec("case", name)
        said.append(f"{spec.label} is {_word(_case_value(name, case.info.values))}")
    return ", ".join(dict.fromkeys(said))
