"""What content is made of: a checklist template and its steps, a question bank and its
questions, a record kind, a guide, and a problem found loading any of them. Pure data; what
the files look like and how the whole is used are ``core.content``'s.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .content_rules import Rule, stored

# ---------------------------------------------------------------------------------------------
# Problems


@dataclass(frozen=True)
class ContentProblem:
    """A problem in one content file: where it is and what is wrong, in words for the user.

    ``path`` is the file; ``shown`` is how the file is named in messages (``content/...`` for
    the bundled content, the full path for the user's own files); ``line`` is 1-based, or None
    when the problem is not tied to a line; ``field`` is the path of the value inside the file,
    such as ``items[3].phase`` (list positions count from 0), or "" for the whole file.
    """

    path: Path
    line: int | None
    field: str
    problem: str
    shown: str = ""

    def message(self) -> str:
        """One line naming the file, the line, the field and the problem."""
        where = self.shown or str(self.path)
        if self.line is not None:
            where += f", line {self.line}"
        what = f"{self.field}: {self.problem}" if self.field else self.problem
        return f"{where}: {what}"

    def __str__(self) -> str:
        return self.message()


# ---------------------------------------------------------------------------------------------
# What the content holds


@dataclass(frozen=True)
class TemplateItem:
    """One step of a checklist template."""

    id: str
    text: str
    phase: str
    template: str
    applies_when: Rule | None = None
    details: str = ""
    template_rule: Rule | None = None
    """Its checklist's own ``applies_when``, which the step meets too."""

    @property
    def key(self) -> str:
        """The ``template_id`` a case item made from this step carries."""
        return f"{self.template}/{self.id}"

    @property
    def rule(self) -> Rule | None:
        """The whole rule for this step: its checklist's and its own; None when it has none."""
        if self.template_rule is None or self.applies_when is None:
            return self.template_rule or self.applies_when
        return self.template_rule & self.applies_when

    def case_values(self, order: float) -> dict[str, Any]:
        """The values of a case's checklist item made from this step (with its rule, which
        ``core.content_rules`` reads to tell whether the step applies)."""
        values: dict[str, Any] = {"text": self.text, "phase": self.phase,
                                  "template_id": self.key, "order": order}
        if self.rule is not None:
            values["applies_when"] = stored(self.rule)
        return values


@dataclass(frozen=True)
class ChecklistTemplate:
    """A checklist: a versioned list of steps, each in one phase of the process."""

    id: str
    title: str
    version: int
    items: tuple[TemplateItem, ...]
    path: Path
    applies_when: Rule | None = None
    description: str = ""


@dataclass(frozen=True)
class BankQuestion:
    """A question a person may want to ask a doctor, with why it is worth asking."""

    id: str
    text: str
    category: str
    priority: str
    why: str
    bank: str
    applies_when: Rule | None = None
    since: int = 1
    """The version of its bank that first released it (``core.starter_questions``)."""

    @property
    def key(self) -> str:
        """The ``bank_id`` a case question made from this one carries."""
        return f"{self.bank}/{self.id}"

    def case_values(self, order: float) -> dict[str, Any]:
        """The values of a case's question made from this one."""
        return {
            "text": self.text,
            "category": self.category,
            "priority": self.priority,
            "why": self.why,
            "bank_id": self.key,
            "order": order,
        }


@dataclass(frozen=True)
class QuestionBank:
    """A versioned set of questions (the questions themselves are in ``Content.questions``)."""

    id: str
    title: str
    version: int
    path: Path
    applies_when: Rule | None = None


@dataclass(frozen=True)
class RecordKind:
    """A kind of medical record: what to ask for, who usually has it, how long they may take."""

    id: str
    label: str
    what_to_request: str
    usually_held_by: str
    response_days: int
    details: str = ""


@dataclass(frozen=True)
class Guide:
    """A guide in Markdown; ``title`` is its first ``# `` heading.

    ``bundled`` is False for a guide from the user's own content folder: its title and text
    are user text (shown through ``ui/text.py``, never as markup).
    """

    id: str
    title: str
    text: str
    path: Path
    bundled: bool = True
