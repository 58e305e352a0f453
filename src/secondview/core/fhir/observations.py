"""An Observation as one line of results, and when it was made.

``line`` writes what was measured, its value (or its components' values), the reference range
and the interpretation unless normal: "Hemoglobin: 11.4 g/dL (ref 12–16 g/dL) [Low]". Raises
Malformed on an element of the wrong shape. Pure; nothing happens when this module is imported.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .values import codes, concept_text, element, field, number, objects, one_line, text


def quantity(q: Mapping[str, Any], path: str) -> str:
    """A Quantity as text ("<4 mg/L"); "" if it has no value."""
    value = number(q, "value", path)
    unit = text(q, "unit", path) or text(q, "code", path)
    comparator = text(q, "comparator", path)
    if value is None:
        return ""
    shown = f"{value:g}" if isinstance(value, float) else str(value)
    return f"{comparator}{shown}{' ' + unit if unit else ''}"


def value(obs: Mapping[str, Any], path: str) -> str:
    """An Observation's (or component's) value as text, whichever ``value[x]`` it has."""
    q = element(obs, "valueQuantity", path)
    if q:
        return quantity(q, f"{path}valueQuantity.")
    cc = element(obs, "valueCodeableConcept", path)
    if cc:
        return concept_text(cc, f"{path}valueCodeableConcept.")
    for name in ("valueString", "valueDateTime", "valueTime"):
        words = text(obs, name, path)
        if words:
            return one_line(words)
    flag = field(obs, "valueBoolean", bool, path)
    if flag is not None:
        return "yes" if flag else "no"
    whole = field(obs, "valueInteger", int, path)
    if whole is not None:
        return str(whole)
    rng = element(obs, "valueRange", path)
    if rng:
        low = quantity(element(rng, "low", f"{path}valueRange."), f"{path}valueRange.low.")
        high = quantity(element(rng, "high", f"{path}valueRange."), f"{path}valueRange.high.")
        return f"{low}\u2013{high}"
    ratio = element(obs, "valueRatio", path)
    if ratio:
        num = quantity(element(ratio, "numerator", f"{path}valueRatio."), path)
        den = quantity(element(ratio, "denominator", f"{path}valueRatio."), path)
        return f"{num}/{den}"
    period = element(obs, "valuePeriod", path)
    if period:
        return f"{text(period, 'start', path)}\u2013{text(period, 'end', path)}"
    if element(obs, "valueSampledData", path):
        return "(sampled data)"
    absent = element(obs, "dataAbsentReason", path)
    if absent:
        return f"(no value: {concept_text(absent, f'{path}dataAbsentReason.')})"
    return ""


def line(obs: Mapping[str, Any]) -> str:
    """The Observation's result line: name, value, reference range, interpretation."""
    name = concept_text(element(obs, "code"), "code.") or "Result"
    shown = value(obs, "")
    parts: list[str] = []
    for n, comp in enumerate(objects(obs, "component")):
        path = f"component[{n}]."
        cname = concept_text(element(comp, "code", path), f"{path}code.")
        cvalue = value(comp, path)
        if cname or cvalue:
            parts.append(f"{cname} {cvalue}".strip())
    if parts:
        shown = "; ".join([shown, *parts]) if shown else "; ".join(parts)
    result = f"{one_line(name)}: {shown}" if shown else one_line(name)
    return result + _reference_range(obs) + _interpretation(obs)


def _reference_range(obs: Mapping[str, Any]) -> str:
    """" (ref 12–16 g/dL)" from the first reference range; "" without one."""
    ranges = objects(obs, "referenceRange")
    if not ranges:
        return ""
    r = ranges[0]
    low_q = element(r, "low", "referenceRange[0].")
    high_q = element(r, "high", "referenceRange[0].")
    low = quantity(low_q, "referenceRange[0].low.")
    high = quantity(high_q, "referenceRange[0].high.")
    unit = low.partition(" ")[2]
    if low and high and unit and high.partition(" ")[2] == unit:
        low = low.partition(" ")[0]  # 12–16 g/dL rather than 12 g/dL–16 g/dL
    words = text(r, "text", "referenceRange[0].")
    span = f"{low}\u2013{high}" if low and high else (f"\u2265 {low}" if low else (
        f"\u2264 {high}" if high else ""))
    if span or words:
        return f" (ref {one_line(span or words)})"
    return ""


def _interpretation(obs: Mapping[str, Any]) -> str:
    """" [High]" from the first interpretation; "" without one or when it says normal."""
    for n, concept in enumerate(objects(obs, "interpretation")[:1]):
        found = codes(concept, f"interpretation[{n}].")
        if found and found <= {"N"}:
            break
        words = concept_text(concept, f"interpretation[{n}].")
        if words:
            return f" [{one_line(words)}]"
    return ""


def effective(obs: Mapping[str, Any]) -> str:
    """When an Observation (or report) was made: ``effective[x]``, else ``issued`` ("" if
    neither), as given."""
    for name in ("effectiveDateTime", "effectiveInstant"):
        when = text(obs, name)
        if when:
            return when
    period = element(obs, "effectivePeriod")
    if period:
        return text(period, "start", "effectivePeriod.")
    return text(obs, "issued")
