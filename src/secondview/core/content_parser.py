"""Content files' text made into a ``Content``: validated, every problem collected.

``ContentParser`` takes the text of each file (``store.content_files`` reads them) and adds
what it holds to one ``Content``: checklist templates, question banks, record kinds and
guides. A bad file, entry or value is never an exception: it becomes a ``ContentProblem``
naming the file, the line (found with ``yaml.compose`` only when a problem needs it) and the
field, and everything else still loads. YAML is read with PyYAML's safe loader, in its C
build when PyYAML has one (the same rules, about ten times faster).

Pure: no I/O, nothing at import (PyYAML is imported on first use).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from . import model
from .content import GUIDE_ORDER_PREFIX, ID_PATTERN, Content
from .content_items import (
    BankQuestion,
    ChecklistTemplate,
    ContentProblem,
    Guide,
    QuestionBank,
    RecordKind,
    TemplateItem,
)
from .content_rules import InvalidContent, Rule, field_path, parse_rule, strip_name, type_word
from .field_spec import MAX_TEXT


def safe_load(text: str) -> Any:
    """``yaml.safe_load(text)``, with libyaml's C safe loader when PyYAML was built with it.

    ``CSafeLoader`` builds only plain Python values (dicts, lists, strings, numbers, dates),
    exactly like ``yaml.safe_load``, many times faster on our content.
    """
    import yaml  # deferred: importing this module stays cheap for the app's first frame

    loader = getattr(yaml, "CSafeLoader", None)
    if loader is None:
        return yaml.safe_load(text)
    return yaml.load(text, Loader=loader)  # a safe loader: never builds arbitrary objects


def line_of(text: str, where: Sequence[str | int]) -> int | None:
    """The 1-based line of the value at ``where`` in YAML ``text`` (as deep as it can be found).

    Uses ``yaml.compose`` with the safe loader: it builds the node tree only, never objects.
    """
    import yaml  # deferred: importing this module stays cheap for the app's first frame
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    if node is None:
        return None
    line = node.start_mark.line
    for step in where:
        if isinstance(node, yaml.MappingNode) and isinstance(step, str):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == step:
                    line, node = key.start_mark.line, value
                    break
            else:
                break
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            if not 0 <= step < len(node.value):
                break
            node = node.value[step]
            line = node.start_mark.line
        else:
            break
    return line + 1


# ---------------------------------------------------------------------------------------------
# Validation helpers


def _check_keys(data: dict[str, Any], allowed: Iterable[str], where: tuple[str | int, ...]) -> None:
    allowed = tuple(allowed)
    for key in data:
        if not isinstance(key, str) or key not in allowed:
            raise InvalidContent(
                (*where, str(key)), f"unknown field '{key}'. Valid fields: {', '.join(allowed)}"
            )


def _text(
    data: dict[str, Any], name: str, where: tuple[str | int, ...], required: bool = True
) -> str:
    value = data.get(name)
    if value is None:
        if required:
            raise InvalidContent((*where, name), "missing; it must be filled in")
        return ""
    if not isinstance(value, str):
        raise InvalidContent((*where, name), f"expected text, found {type_word(value)}")
    value = value.strip()
    if required and not value:
        raise InvalidContent((*where, name), "cannot be empty")
    if len(value) > MAX_TEXT:
        raise InvalidContent((*where, name), f"longer than {MAX_TEXT:,} characters")
    return value


def _ident(data: dict[str, Any], where: tuple[str | int, ...]) -> str:
    value = data.get("id")
    if value is None:
        raise InvalidContent((*where, "id"), "missing; every entry needs a stable id")
    if not isinstance(value, str) or not ID_PATTERN.match(value):
        raise InvalidContent(
            (*where, "id"),
            f"'{value}' is not a valid id: use lower-case letters, digits, '-' and '_' "
            f"(at most 64, starting with a letter or digit)",
        )
    return value


def _choice(
    data: dict[str, Any],
    name: str,
    table: str,
    where: tuple[str | int, ...],
    default: str | None = None,
) -> str:
    value = data.get(name)
    spec = model.spec(table, name)
    if value is None:
        if default is not None:
            return default
        raise InvalidContent((*where, name), f"missing; use one of: {', '.join(spec.choices)}")
    if not isinstance(value, str):
        raise InvalidContent(
            (*where, name), f"'{value}' is not one of: {', '.join(spec.choices)}"
        )
    try:
        parsed: str = spec.parse(value)
    except model.InvalidValue as exc:
        raise InvalidContent((*where, name), strip_name(str(exc), name)) from None
    if parsed not in spec.choices:
        raise InvalidContent(
            (*where, name), f"cannot be empty; use one of: {', '.join(spec.choices)}"
        )
    return parsed


def _whole(data: dict[str, Any], name: str, where: tuple[str | int, ...], least: int) -> int:
    value = data.get(name)
    if value is None:
        raise InvalidContent((*where, name), f"missing; a whole number of at least {least}")
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise InvalidContent((*where, name), f"'{value}' is not a whole number of at least {least}")
    return value


def _since(data: dict[str, Any], where: tuple[str | int, ...], version: int) -> int:
    """A question's ``since``: the bank version that first released it (1 when left out)."""
    if "since" not in data:
        return 1
    since = _whole(data, "since", where, 1)
    if since > version:
        raise InvalidContent((*where, "since"),
                             f"{since} is newer than the bank's version {version}")
    return since


def _rule(data: dict[str, Any], where: tuple[str | int, ...]) -> Rule | None:
    if "applies_when" not in data:
        return None
    return parse_rule(data["applies_when"], (*where, "applies_when"))


def _entries(data: dict[str, Any], name: str, what: str) -> list[Any]:
    value = data.get(name)
    if not isinstance(value, list):
        raise InvalidContent((name,), f"expected a list of {what}, found {type_word(value)}")
    return value


_TEMPLATE_KEYS = ("id", "title", "version", "description", "applies_when", "items")
_ITEM_KEYS = ("id", "phase", "text", "details", "applies_when")
_BANK_KEYS = ("id", "title", "version", "description", "applies_when", "questions")
_QUESTION_KEYS = ("id", "category", "priority", "text", "why", "applies_when", "since")
_RECORDS_KEYS = ("version", "kinds")
_KIND_KEYS = ("id", "label", "what_to_request", "usually_held_by", "response_days", "details")


class ContentParser:
    """Builds one Content from the text of content files, collecting problems instead of
    raising (see the module docstring). ``path`` and ``shown`` name each file in problems."""

    def __init__(self) -> None:
        self.content = Content()
        self.template_files: dict[str, str] = {}
        self.bank_files: dict[str, str] = {}
        self.guide_files: dict[str, str] = {}

    # -- files ---------------------------------------------------------------------------------

    def problem(
        self, path: Path, shown: str, text: str | None, where: Sequence[str | int], problem: str
    ) -> None:
        line = line_of(text, where) if text is not None else None
        self.content.problems.append(
            ContentProblem(path, line, field_path(where), problem, shown)
        )

    def unreadable(self, path: Path, shown: str, problem: str) -> None:
        """Record that a file could not be read at all (``problem`` says why)."""
        self.problem(path, shown, None, (), problem)

    def parse_yaml(self, path: Path, shown: str, text: str) -> tuple[str, Any] | None:
        """(text, parsed YAML) of a file, or None after recording why it cannot be used."""
        import yaml  # deferred: importing this module stays cheap for the app's first frame

        try:
            data = safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
            line = mark.line + 1 if mark is not None else None
            what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            context = getattr(exc, "context", None)
            reason = f"not valid YAML: {what}" + (f" ({context})" if context else "")
            self.content.problems.append(ContentProblem(path, line, "", reason, shown))
            return None
        return text, data

    # -- kinds of file -------------------------------------------------------------------------

    def top(
        self, path: Path, shown: str, text: str, what: str
    ) -> tuple[str, dict[str, Any]] | None:
        read = self.parse_yaml(path, shown, text)
        if read is None:
            return None
        text, data = read
        if not isinstance(data, dict):
            found = "an empty file" if data is None else type_word(data)
            self.problem(path, shown, text, (), f"expected {what}, found {found}")
            return None
        return text, data

    def template(self, path: Path, shown: str, text: str) -> None:
        """Add what the template file at ``path`` holds (its ``text``)."""
        top = self.top(
            path, shown, text, "a checklist: a mapping with id, title, version and items"
        )
        if top is None:
            return
        text, data = top
        try:
            _check_keys(data, _TEMPLATE_KEYS, ())
            template_id = _ident(data, ())
            if template_id in self.template_files:
                raise InvalidContent(
                    ("id",),
                    f"'{template_id}' is already the id of the checklist in "
                    f"{self.template_files[template_id]}; give this one its own id",
                )
            title = _text(data, "title", ())
            version = _whole(data, "version", (), 1)
            description = _text(data, "description", (), required=False)
            rule = _rule(data, ())
            raw_items = _entries(data, "items", "checklist items")
        except InvalidContent as exc:
            self.problem(path, shown, text, exc.where, exc.problem)
            return
        items: list[TemplateItem] = []
        seen: set[str] = set()
        for index, raw in enumerate(raw_items):
            where = ("items", index)
            try:
                if not isinstance(raw, dict):
                    raise InvalidContent(
                        where,
                        f"expected a mapping with id, phase and text, found {type_word(raw)}",
                    )
                _check_keys(raw, _ITEM_KEYS, where)
                item_id = _ident(raw, where)
                if item_id in seen:
                    raise InvalidContent(
                        (*where, "id"), f"'{item_id}' is used twice in this checklist"
                    )
                item = TemplateItem(
                    id=item_id,
                    text=_text(raw, "text", where),
                    phase=_choice(raw, "phase", "checklist", where),
                    template=template_id,
                    applies_when=_rule(raw, where),
                    details=_text(raw, "details", where, required=False),
                    template_rule=rule,
                )
            except InvalidContent as exc:
                self.problem(path, shown, text, exc.where, exc.problem)
                continue
            seen.add(item_id)
            items.append(item)
        self.template_files[template_id] = shown
        self.content.checklists.append(
            ChecklistTemplate(template_id, title, version, tuple(items), path, rule, description)
        )

    def bank(self, path: Path, shown: str, text: str) -> None:
        """Add what the bank file at ``path`` holds (its ``text``)."""
        top = self.top(
            path, shown, text, "a question bank: a mapping with id, title, version and questions"
        )
        if top is None:
            return
        text, data = top
        try:
            _check_keys(data, _BANK_KEYS, ())
            bank_id = _ident(data, ())
            if bank_id in self.bank_files:
                raise InvalidContent(
                    ("id",),
                    f"'{bank_id}' is already the id of the question bank in "
                    f"{self.bank_files[bank_id]}; give this one its own id",
                )
            title = _text(data, "title", ())
            version = _whole(data, "version", (), 1)
            _text(data, "description", (), required=False)
            rule = _rule(data, ())
            raw_questions = _entries(data, "questions", "questions")
        except InvalidContent as exc:
            self.problem(path, shown, text, exc.where, exc.problem)
            return
        seen: set[str] = set()
        for index, raw in enumerate(raw_questions):
            where = ("questions", index)
            try:
                if not isinstance(raw, dict):
                    raise InvalidContent(
                        where,
                        f"expected a mapping with id, category and text, found {type_word(raw)}",
                    )
                _check_keys(raw, _QUESTION_KEYS, where)
                question_id = _ident(raw, where)
                if question_id in seen:
                    raise InvalidContent(
                        (*where, "id"), f"'{question_id}' is used twice in this question bank"
                    )
                question = BankQuestion(
                    id=question_id,
                    text=_text(raw, "text", where),
                    category=_choice(raw, "category", "questions", where),
                    priority=_choice(raw, "priority", "questions", where, default="normal"),
                    why=_text(raw, "why", where, required=False),
                    bank=bank_id,
                    applies_when=_rule(raw, where),
                    since=_since(raw, where, version),
                )
            except InvalidContent as exc:
                self.problem(path, shown, text, exc.where, exc.problem)
                continue
            seen.add(question_id)
            self.content.questions.append(question)
        self.bank_files[bank_id] = shown
        self.content.banks.append(QuestionBank(bank_id, title, version, path, rule))

    def records(self, path: Path, shown: str, text: str) -> None:
        """Add what the records file at ``path`` holds (its ``text``)."""
        top = self.top(path, shown, text, "a mapping with version and kinds")
        if top is None:
            return
        text, data = top
        try:
            _check_keys(data, _RECORDS_KEYS, ())
            _whole(data, "version", (), 1)
            raw_kinds = _entries(data, "kinds", "record kinds")
        except InvalidContent as exc:
            self.problem(path, shown, text, exc.where, exc.problem)
            return
        seen: set[str] = set()
        for index, raw in enumerate(raw_kinds):
            where = ("kinds", index)
            try:
                if not isinstance(raw, dict):
                    raise InvalidContent(
                        where, f"expected a mapping with id and label, found {type_word(raw)}"
                    )
                _check_keys(raw, _KIND_KEYS, where)
                kind_id = raw.get("id")
                if kind_id not in model.RECORD_KINDS:
                    raise InvalidContent(
                        (*where, "id"),
                        f"'{kind_id}' is not one of: {', '.join(model.RECORD_KINDS)}",
                    )
                if kind_id in seen:
                    raise InvalidContent((*where, "id"), f"'{kind_id}' is described twice")
                kind = RecordKind(
                    id=kind_id,
                    label=_text(raw, "label", where),
                    what_to_request=_text(raw, "what_to_request", where),
                    usually_held_by=_text(raw, "usually_held_by", where),
                    response_days=_whole(raw, "response_days", where, 0),
                    details=_text(raw, "details", where, required=False),
                )
            except InvalidContent as exc:
                self.problem(path, shown, text, exc.where, exc.problem)
                continue
            seen.add(kind_id)
            self.content.record_kinds.append(kind)

    def guide(self, path: Path, shown: str, text: str, bundled: bool = True) -> None:
        """Add the guide at ``path`` (Markdown ``text``; ``bundled`` False for a user's)."""
        title = next(
            (line[2:].strip() for line in text.splitlines() if line.startswith("# ")), ""
        )
        if not title:
            self.content.problems.append(
                ContentProblem(path, 1, "", "a guide starts with a '# Title' line", shown)
            )
            return
        guide_id = GUIDE_ORDER_PREFIX.sub("", path.stem, count=1) or path.stem
        if guide_id in self.guide_files:
            self.content.problems.append(
                ContentProblem(
                    path, None, "",
                    f"'{guide_id}' is already the name of the guide in "
                    f"{self.guide_files[guide_id]}; rename this file",
                    shown,
                )
            )
            return
        self.guide_files[guide_id] = shown
        self.content.guides.append(Guide(guide_id, title, text, path, bundled))
