"""OverviewPane: a case at a glance, read-only: the case, its first opinion, insurance,
where things stand and what to do next.

Shows the ``model.Case`` it is given (``show``); never reads files. Every value from the case
goes through ``text``, so what another device wrote is shown literally.
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Any, Iterable

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from ...core import progress
from .. import text

if TYPE_CHECKING:
    from ...core.model import Case

LABEL_WIDTH = 26

URGENCY_WORDS = {
    "routine": "Routine",
    "soon": "Soon",
    "emergency": "\u203c Emergency: get care now",
}
REASON_FLAGS = (
    ("cancer", "a cancer diagnosis"),
    ("surgery", "major or elective surgery proposed"),
    ("rare", "a rare or unclear diagnosis"),
    ("not_improving", "treatment not working"),
    ("dismissed", "feeling dismissed"),
)

SECTIONS = (
    ("case", "The case"),
    ("opinion", "First opinion"),
    ("insurance", "Insurance"),
    ("progress", "Where things stand"),
    ("steps", "Next steps"),
)


def _yes_no(value: Any) -> str:
    return "yes" if value is True else "no" if value is False else text.clean(value)


def _lines(rows: Iterable[Content]) -> Content:
    return Content("\n").join(rows)


class OverviewPane(VerticalScroll):
    """The overview of one case, in sections; ``show`` fills it."""

    can_focus = True

    def compose(self) -> ComposeResult:
        for key, title in SECTIONS:
            section = Static(id=f"overview-{key}", classes="overview-section")
            section.border_title = title
            yield section

    def on_resize(self) -> None:
        self.set_class(self.size.width < 100, "-narrow")

    def show(self, case: Case, today: _dt.date) -> None:
        """Fill every section from ``case``; next steps are computed for ``today``."""
        self._set("case", self._case_rows(case))
        self._set("opinion", self._opinion_rows(case))
        self._set("insurance", self._insurance_rows(case))
        self._set("progress", self._progress_rows(case, today))
        steps = progress.next_steps(case, today)
        self._set(
            "steps",
            [Content.assemble(("\u2022 ", "bold"), text.content(step)) for step in steps],
        )

    def _set(self, key: str, rows: list[Content]) -> None:
        self.query_one(f"#overview-{key}", Static).update(_lines(rows))

    @staticmethod
    def _row(label: str, value: Any, multiline: bool = False) -> Content:
        return text.labelled(label, value, LABEL_WIDTH, multiline)

    def _case_rows(self, case: Case) -> list[Content]:
        info = case.info
        urgency = URGENCY_WORDS.get(info.urgency, info.urgency)
        rows = [
            self._row("Title", case.title),
            self._row("Patient", info.patient),
            self._row("Condition", info.condition),
            Content.assemble(
                ("Urgency".ljust(LABEL_WIDTH), "bold"),
                text.content(urgency, "bold red" if info.urgency == "emergency" else ""),
            ),
            self._row("Phase", progress.PHASE_LABELS.get(progress.phase(case), "")),
        ]
        reasons = [words for name, words in REASON_FLAGS if getattr(info, name) is True]
        if reasons:
            rows.append(self._row("Why a second opinion", ", ".join(reasons)))
        if str(info.notes).strip():
            rows.append(self._row("Notes", info.notes, multiline=True))
        return rows

    def _opinion_rows(self, case: Case) -> list[Content]:
        first = case.first_opinion()
        if first is None:
            return [Content.styled("No first opinion noted yet.", "dim")]
        where = ", ".join(str(v) for v in (first.specialty, first.institution) if str(v).strip())
        rows = [self._row("Doctor", first.doctor)]
        if where:
            rows.append(self._row("Specialty, institution", where))
        if first.date:
            rows.append(self._row("Date", first.date))
        rows.append(self._row("Diagnosis", first.diagnosis, multiline=True))
        rows.append(self._row("Recommended treatment", first.treatment, multiline=True))
        return rows

    def _insurance_rows(self, case: Case) -> list[Content]:
        info = case.info
        return [
            self._row("Plan", info.insurance_plan),
            self._row("Second opinion covered", _yes_no(info.covered)),
            self._row("Must stay in network", _yes_no(info.in_network_only)),
            self._row("Referral needed", _yes_no(info.referral_needed)),
            self._row("Pre-authorisation needed", _yes_no(info.preauth_needed)),
            self._row("Medicare", _yes_no(info.medicare)),
        ]

    def _progress_rows(self, case: Case, today: _dt.date) -> list[Content]:
        done = sum(1 for i in case.checklist if i.done)
        confirmed, records = progress.records_confirmed(case)
        overdue = len(progress.overdue_transfers(case, today))
        asked = sum(1 for q in case.questions if q.asked)
        transfers = f"{len(case.transfers)}"
        if overdue:
            transfers += f" ({overdue} overdue)"
        rows = [
            self._row("Checklist done", f"{done} of {len(case.checklist)}"),
            self._row("Records", f"{records} ({confirmed} confirmed at every doctor)"),
            self._row("Record transfers", transfers),
            self._row("Questions asked", f"{asked} of {len(case.questions)}"),
            self._row("Opinions", len(case.opinions)),
        ]
        decision = progress.decision_state(case)
        if decision:
            rows.append(self._row("Decision", decision))
        conflicts = len(case.conflicts) + len(case.races)
        if conflicts:
            rows.append(
                Content.assemble(
                    ("Conflicting edits".ljust(LABEL_WIDTH), "bold"),
                    (f"\u2260 {conflicts} to settle between devices", "bold yellow"),
                )
            )
        return rows
