"""OverviewPane: a case at a glance, read-only: the case, its first opinion, insurance,
where things stand and what to do next.

Shows the ``model.Case`` it is given (``show``); never reads files. Every value from the case
goes through ``text``, so what another device wrote is shown literally.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.reactive import reactive

from ...core import care_team, choices, content_rules, decision, model, progress
from .. import text
from ..messages.form_requested import FormRequested
from .overview_section import OverviewSection, Row

if TYPE_CHECKING:
    from ...core.model import Case


SECTIONS = (
    ("case", "The case"),
    ("opinion", "First opinion"),
    ("insurance", "Insurance"),
    ("progress", "Where things stand"),
    ("steps", "Next steps"),
)


def _yes_no(name: str, info: Any) -> str:
    """A case's answer to an insurance question, as labelled everywhere."""
    return model.spec("case", name).label_of(getattr(info, name))


CASE_FORM_FIELDS = (
    "title", "patient", "condition", "urgency", "cancer", "surgery", "rare", "not_improving",
    "dismissed", "notes", "health_summary", "kept_by",
)
INSURANCE_FORM_FIELDS = (
    "insurance_plan", "covered", "in_network_only", "referral_needed", "preauth_needed",
    "medicare",
)


class OverviewPane(VerticalScroll):
    """The overview of one case, in sections. Shows the ``case`` it is bound to; ``e`` and
    ``i`` ask the screen for the forms that edit the case and its insurance."""

    can_focus = True
    BINDINGS = [
        Binding("e", "edit_case", "Edit the case", id="overview.edit"),
        Binding("i", "edit_insurance", "Insurance", id="overview.insurance"),
    ]
    GUIDANCE = (
        "The overview gathers the case, the first doctor's opinion, insurance, where things "
        "stand and the next steps worked out from what the case holds.",
        "e edits the case (title, condition, urgency, why you want a second opinion); i "
        "edits the insurance details.",
    )

    case: reactive[Case | None] = reactive(None, init=False, always_update=True)

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.today = _dt.date.today()
        self._stale = False

    def on_mount(self) -> None:
        if self.case is not None:
            self.show(self.case, self.today)

    def watch_case(self, case: Case | None) -> None:
        if case is None or not self.is_mounted:
            return
        if not self.display:  # behind another pane: refilled when shown, not on every edit
            self._stale = True
            return
        self.show(case, self.today)

    def on_show(self) -> None:
        if self._stale and self.case is not None:
            self._stale = False
            self.show(self.case, self.today)

    def action_edit_case(self) -> None:
        """Ask for the form that edits the case itself."""
        if self.case is not None:
            self.post_message(FormRequested("case", self.case.id, CASE_FORM_FIELDS,
                                            title="The case"))

    def action_edit_insurance(self) -> None:
        """Ask for the form that edits the insurance details."""
        if self.case is not None:
            self.post_message(FormRequested("case", self.case.id, INSURANCE_FORM_FIELDS,
                                            title="Insurance"))

    def compose(self) -> ComposeResult:
        for key, title in SECTIONS:
            section = OverviewSection(id=f"overview-{key}", classes="overview-section")
            section.border_title = title
            yield section

    def on_resize(self) -> None:
        self.set_class(self.size.width < 100, "-narrow")

    def show(self, case: Case, today: _dt.date) -> None:
        """Fill every section from ``case``; next steps are computed for ``today``."""
        self._fill("case", self._case_rows(case))
        self._fill("opinion", self._opinion_rows(case))
        self._fill("insurance", self._insurance_rows(case))
        self._fill("progress", self._progress_rows(case, today))
        steps = progress.next_steps(case, today)
        self._fill(
            "steps",
            [Content.assemble(("\u2022 ", "bold"), text.content(step)) for step in steps],
        )

    def _fill(self, key: str, rows: Iterable[Row]) -> None:
        self.query_one(f"#overview-{key}", OverviewSection).set_rows(rows)

    @staticmethod
    def _row(label: str, value: Any, multiline: bool = False, style: str = "") -> Row:
        shown = text.content(value, style, multiline)
        return label, shown if shown.plain else Content.styled("-", "dim")

    def section_text(self, key: str) -> str:
        """The plain text of one section, a line per row ('label  value'), for tests."""
        return self.query_one(f"#overview-{key}", OverviewSection).text()

    def _case_rows(self, case: Case) -> list[Row]:
        info = case.info
        emergency = info.urgency == "emergency"
        rows = [
            self._row("Title", case.title),
            self._row("Patient", info.patient),
            self._row("Condition", info.condition),
            self._row("Urgency", ("\u203c " if emergency else "")
                      + model.spec("case", "urgency").label_of(info.urgency),
                      style="bold red" if emergency else ""),
            self._row("Phase", choices.CASE_PHASE_LABELS.get(progress.phase(case), "")),
        ]
        reasons = [words for name, words in choices.SECOND_OPINION_REASONS
                   if getattr(info, name) is True]
        if reasons:
            rows.append(self._row("Why a second opinion", ", ".join(reasons)))
        if str(info.notes).strip():
            rows.append(self._row("Notes", info.notes, multiline=True))
        if str(info.health_summary).strip():
            rows.append(self._row("Health summary", info.health_summary, multiline=True))
        return rows

    def _opinion_rows(self, case: Case) -> list[Row]:
        first = case.first_opinion()
        if first is None:
            return [Content.styled("No first opinion noted yet.", "dim")]
        where = ", ".join(str(v) for v in (first.specialty, first.institution) if str(v).strip())
        rows = [self._row("Doctor", care_team.doctor_name(case, first))]
        if where:
            rows.append(self._row("Specialty, institution", where))
        if first.date:
            rows.append(self._row("Date", first.date))
        rows.append(self._row("Diagnosis", first.diagnosis, multiline=True))
        rows.append(self._row("Recommended treatment", first.treatment, multiline=True))
        return rows

    def _insurance_rows(self, case: Case) -> list[Row]:
        info = case.info
        return [
            self._row("Plan", info.insurance_plan),
            self._row("Second opinion covered", _yes_no("covered", info)),
            self._row("Must stay in network", _yes_no("in_network_only", info)),
            self._row("Referral needed", _yes_no("referral_needed", info)),
            self._row("Prior authorization", _yes_no("preauth_needed", info)),
            self._row("Medicare", _yes_no("medicare", info)),
        ]

    def _progress_rows(self, case: Case, today: _dt.date) -> list[Row]:
        needed = content_rules.steps_that_apply(case)
        done = sum(1 for i in needed if i.done)
        spared = len(case.checklist) - len(needed)
        checklist = f"{done} of {len(needed)}" + (f" ({spared} not needed)" if spared else "")
        confirmed, records = progress.records_confirmed(case)
        overdue = len(progress.overdue_transfers(case, today))
        asked = sum(1 for q in case.questions if q.asked)
        transfers = f"{len(case.transfers)}"
        if overdue:
            transfers += f" ({overdue} overdue)"
        rows = [
            self._row("Checklist done", checklist),
            self._row("Records confirmed", f"{confirmed} of {records}"),
            self._row("Record transfers", transfers, style="bold yellow" if overdue else ""),
            self._row("Questions asked", f"{asked} of {len(case.questions)}"),
            self._row("Opinions", len(case.opinions)),
        ]
        where = decision.state(case)
        if where:
            rows.append(self._row("Decision", where))
        conflicts = len(case.conflicts) + len(case.races)
        if conflicts:
            rows.append(self._row("Conflicting edits",
                                  f"\u2260 {conflicts} to settle between devices",
                                  style="bold yellow"))
        return rows
