"""Which Observations are results a doctor reads, how they are grouped, and what a group is
called.

A portal's export holds far more observations than results: a Synthea patient has 154 survey
answers and no lab panel; the US Core test patient has 96 social-history entries and 27 vital
signs beside 10 lab results. Filed as lab records, they buried the results under titles like
"Observations (29)". So:

- an Observation is a *result* unless its categories are only ones that are not
  (``OTHER_CATEGORIES``: vital signs, social history, survey answers, exam findings...); one
  with no category, or a category this table does not know, is a result;
- a panel (an Observation with ``hasMember``) is one record with its members in the file;
- the other results are grouped by date; a group is titled by what it holds
  ("Hemoglobin; Platelets; PSA"), never by a count;
- the observations that are not results are counted by what they are, and kept (as records
  of their own, ``OTHER_TITLE``) only when the person asks.

Pure; nothing happens at import.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .keys import resource_key
from .reading import Resource
from .references import ResourceIndex
from .values import Malformed, category_codes, concept_text, element, objects, one_line, text

OTHER_CATEGORIES: dict[str, str] = {
    "vital-signs": "vital signs",
    "social-history": "social history",
    "survey": "survey answers",
    "sdoh": "social needs",
    "exam": "exam findings",
    "activity": "activity",
    "therapy": "therapy notes",
}
"""Observation category codes (FHIR's observation-category, US Core's) that are not results,
with what to call them; the first listed that an Observation carries names it."""

RESULT_CATEGORIES = frozenset({"laboratory", "clinical-test", "imaging", "procedure"})
"""Categories that make an Observation a result even beside one of ``OTHER_CATEGORIES``."""

OTHER_TITLE = "Other observations"
"""The title's start of a record of observations that are not results (kept on request)."""

NAMED_IN_TITLE = 3
"""A group's title names at most this many of the things it holds, then "and N more"."""


def not_a_result(data: Mapping[str, Any]) -> str:
    """What an Observation is when it is not a result ("vital signs", "survey answers"...);
    "" when it is one. Raises Malformed."""
    found = category_codes(data)
    if not found or found & RESULT_CATEGORIES:
        return ""
    return next((label for code, label in OTHER_CATEGORIES.items() if code in found), "")


def panels(index: ResourceIndex, observations: Iterable[Resource]) -> dict[str, list[Resource]]:
    """Each panel's key (an Observation listing others in ``hasMember``) -> its members found
    in the file, in the order it lists them. A member of two panels stays with the first.
    Raises Malformed (a ``hasMember`` of the wrong shape)."""
    out: dict[str, list[Resource]] = {}
    taken: set[str] = set()
    for r in observations:
        members = []
        for n, ref in enumerate(objects(r.data, "hasMember")):
            target = index.resolve(text(ref, "reference", f"hasMember[{n}]."))
            if target is None or target.type != "Observation":
                continue
            key = resource_key(target)
            if key not in taken and target is not r:
                taken.add(key)
                members.append(target)
        if members:
            out[resource_key(r)] = members
    return out


def observation_name(r: Resource) -> str:
    """What an Observation measured, on one line ("" if it says nothing)."""
    try:
        return one_line(concept_text(element(r.data, "code"), "code."))
    except Malformed:
        return ""


def group_title(members: Iterable[Resource]) -> str:
    """A group's title from what it holds: "Hemoglobin; Platelets; PSA and 4 more"."""
    names = list(dict.fromkeys(n for n in (observation_name(m) for m in members) if n))
    if not names:
        return "Results"
    shown = "; ".join(names[:NAMED_IN_TITLE])
    more = len(names) - NAMED_IN_TITLE
    return f"{shown} and {more} more" if more > 0 else shown
