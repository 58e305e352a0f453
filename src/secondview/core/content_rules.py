"""``applies_when`` rules of the content files, and the one error their validation raises.

A rule names case fields (the yes/no and choice fields, ``RULE_FIELDS``) and the values each
may hold; a case matches when every named field holds one of them. ``parse_rule`` builds one
from the YAML value, raising ``InvalidContent`` with the path of the bad part inside the file
(``core.content_parser`` turns that into a ``ContentProblem`` with its line).

Pure functions and data: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from . import model

RULE_FIELDS: tuple[str, ...] = tuple(
    f.name
    for f in model.CASE_FIELDS
    if f.kind in (model.Kind.BOOL, model.Kind.CHOICE) and f.name != "archived"
)
"""Case fields an ``applies_when`` rule may name."""


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


@dataclass(frozen=True)
class Rule:
    """An ``applies_when`` rule: each named case field must hold one of its accepted values."""

    conditions: tuple[tuple[str, tuple[Any, ...]], ...] = ()

    def matches(self, case_values: Mapping[str, Any]) -> bool:
        return all(
            _case_value(name, case_values) in accepted for name, accepted in self.conditions
        )

    def __str__(self) -> str:
        def word(value: Any) -> str:
            return ("yes" if value else "no") if isinstance(value, bool) else str(value)

        return " and ".join(
            f"{name} is {' or '.join(word(v) for v in accepted)}"
            for name, accepted in self.conditions
        )


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


def parse_rule(raw: Any, where: tuple[str | int, ...] = ("applies_when",)) -> Rule:
    """A Rule from the YAML value of ``applies_when``; InvalidContent naming the bad part."""
    if not isinstance(raw, dict):
        raise InvalidContent(
            where,
            f"expected a mapping of case field to value, such as {{cancer: true}}; "
            f"found {type_word(raw)}",
        )
    conditions = []
    for name, accepted in raw.items():
        if not isinstance(name, str) or name not in RULE_FIELDS:
            raise InvalidContent(
                where,
                f"unknown case field '{name}'. Fields a rule can use: {', '.join(RULE_FIELDS)}",
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
    return Rule(tuple(conditions))
