"""Who an open item waits on: the one rule of it. The case list's counts, the agenda's
entries and the next steps ask here.

A checklist step or a transfer may say who it waits on (field ``waiting_on``, one of
``choices.WAITING_ON``). When it says nothing (``not_said``, or no value at all), the rule is:

- a checklist step not done waits on the person using the app ("me"), whether it came from
  a template or they added it themselves (an own to-do, ``own_todo``);
- a transfer requested from a provider (``record_requests.has_clock``) and not yet received
  waits on the office; one the person hands over themselves waits on them ("me");
- a step done, or a transfer received or confirmed, waits on no one (""), whatever it says.

What the case list counts as waiting is narrower (``asked_for``): the steps of the process's
template that nobody touched are left out.

Pure functions of a ``model.Case`` or ``model.Item``: no I/O.
"""

from __future__ import annotations

import datetime as _dt

from .choices import WAITING_ON_LABELS, WHO
from .content_rules import steps_that_apply
from .model import Case, Item
from .record_requests import has_clock

ME = "me"
OFFICE = "office"
NOT_SAID = "not_said"
ARRIVED = ("received", "confirmed")
"""Transfer states in which the record has arrived: nobody is waited on any more."""


def own_todo(item: Item) -> bool:
    """Whether a checklist step is one the person added themselves (no template gave it)."""
    return item.table == "checklist" and not item.values.get("template_id")


def waits_on(item: Item) -> str:
    """Who ``item`` (a checklist step or a transfer) waits on, one of ``WHO``; "" for no one
    (done, arrived, or an item of another table)."""
    said = str(item.values.get("waiting_on") or "")
    said = said if said in WHO else ""
    if item.table == "checklist":
        return "" if item.done else said or ME
    if item.table == "transfers":
        if item.state in ARRIVED:
            return ""
        return said or (OFFICE if has_clock(item) else ME)
    return ""


def label(who: str) -> str:
    """``who`` in words ("An office"); "" for no one."""
    return WAITING_ON_LABELS.get(who, who) if who else ""


def asked_for(item: Item) -> bool:
    """Whether an open item is one somebody asked for, and so counts as waiting in the case
    list and its filter: every transfer (a request made or a record to hand over), an own
    to-do, and a step that says who it waits on or has a due date. A template step nobody
    touched is the process's next step, not anyone's to-do: it stays on the checklist pane
    (counting it, a new case would show dozens of items waiting on the person)."""
    if item.table != "checklist":
        return True
    values = item.values
    said = str(values.get("waiting_on") or "") in WHO
    return own_todo(item) or said or bool(values.get("due"))


def open_items(case: Case) -> list[tuple[Item, str]]:
    """Every item of the case somebody asked for (``asked_for``) that waits on someone, with
    whom: the checklist steps that apply (``content_rules.steps_that_apply``) and the
    transfers, in the case's order."""
    found = [(item, waits_on(item)) for item in (*steps_that_apply(case), *case.transfers)
             if asked_for(item)]
    return [(item, who) for item, who in found if who]


def counts(case: Case) -> dict[str, int]:
    """How many open items wait on each of ``WHO`` (every one present, 0 or more)."""
    found = dict.fromkeys(WHO, 0)
    for _, who in open_items(case):
        found[who] += 1
    return found


def due_dates(case: Case, who: str) -> list[_dt.date]:
    """The due dates of the open checklist steps waiting on ``who`` (steps without a
    readable due date left out)."""
    found = []
    for item, waits in open_items(case):
        if waits == who and item.table == "checklist":
            try:
                found.append(_dt.date.fromisoformat(str(item.due)))
            except ValueError:
                continue
    return found
