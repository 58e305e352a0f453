"""RecordsPane: the records that exist and, per doctor, where each one is on its way.

The records table lists each record (kind, title, date, who holds it, transfers confirmed,
an overdue mark, a conflict mark). Under it: the highlighted record (its path as text, its
attached files, its notes, the content set's hint for its kind), then its transfers, one row
per doctor (``ui.transfer_rows``): requested -> sent -> received -> confirmed, with dates,
the release authorization and the response clock. What is overdue comes from
``core.progress.overdue_transfers``. Shows the bound ``case``; every change goes up as a
message (``ListPane``): the pane never touches files (f, i and v ask the case screen for the
attach, import and kept-note dialogs); the transfers table's keys come up as ``ActionChosen``.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.color import Color, ColorParseError
from textual.content import Content
from textual.widgets import Static

from ...core import model, progress
from ...core.model import RECORD_KINDS, TRANSFER_STATES
from .. import text
from ..attachment_lines import ATTACHED_MARK, attachment_lines
from ..kit.item_table import ItemTable
from ..messages.attach_requested import AttachRequested
from ..messages.fhir_import_requested import FhirImportRequested
from ..messages.kept_file_view_requested import KeptFileViewRequested
from ..record_transfers import RecordTransfers
from ..transfer_rows import OVERDUE_MARK, STATE_MARKS, transfer_cells
from .list_pane import ListPane, conflict_mark
from .records_layout import RecordsLayout
from .transfers_table import TransfersTable

if TYPE_CHECKING:
    from ...core.content_items import RecordKind
    from ...core.model import Case, Item

RECORD_FORM = ("title", "kind", "date", "source", "files", "notes")
ATTACHMENT_LINES = 4
"""Attached files listed in the detail at most (fewer in a short terminal)."""
SHORT = 30
"""Below this many rows, the detail and the transfers take less room."""
NOTE_LINES = 3


class RecordsPane(RecordTransfers, ListPane):
    """The records and, for the highlighted one, its transfers. See the module docstring."""

    TABLE = "records"
    TITLE = "Records"
    NOUN = "record"
    COLUMNS = ()  # set by size: see _fit
    FORM_FIELDS = RECORD_FORM
    EMPTY = "No records yet: press a to add the first (a lab result, a scan, a report)."
    GUIDANCE = (
        "The records a second doctor needs, who holds each one, and where each is on its way "
        "to each doctor: requested, sent, received, confirmed (the doctor's office said it "
        "has it).",
        "In the records list: a adds a record, e or enter edits it, delete removes it, / "
        "filters (by title, kind, holder or doctor). t adds a transfer of the highlighted "
        "record to a doctor; tab moves down into its transfers.",
        "f attaches a file or folder to the highlighted record: type its full path and "
        "secondview reads it once to note its size and SHA-256 checksum (a folder of images "
        "shows a progress bar). The record's files are listed under it, and records with "
        "files are marked \u25a4 in the list. Attaching the same path again takes its "
        "checksum anew.",
        "i imports records from a FHIR file a patient portal exported: it shows what the "
        "file would add (and anything malformed, in which case nothing is imported) before "
        "you confirm with ctrl+s. Importing the same file again adds nothing twice. v reads a "
        "note the import kept in the case.",
        "In the transfers list: s moves the highlighted transfer to its next state and "
        "writes today's date for that step (a date you already wrote is kept); a or t adds "
        "another, e or enter edits one (dates, the signed release, notes), delete removes it; "
        "escape goes back up to the records.",
        "In the US a provider has 30 days to act on a request for your records. A request "
        "still unanswered after that is marked ! with the days it has waited, and the "
        "overview's next steps say to chase it. The attached file is only a path: "
        "secondview never opens it.",
        "ctrl+z undoes the last change, a deletion too.",
    )
    BINDINGS = [
        Binding("t", "add_transfer", "Add transfer", id="records.add_transfer"),
        Binding("tab", "focus_transfers", "Transfers", id="records.transfers"),
        Binding("f", "attach", "Attach file", id="records.attach"),
        Binding("i", "import_fhir", "Import FHIR", id="records.import_fhir"),
        Binding("v", "view_kept", "Read note", id="records.view_kept"),
    ]
    DEFAULT_CSS = """
    RecordsPane .transfers-title { height: auto; padding: 0 1; border-top: solid $primary 40%; }
    RecordsPane .transfers-table { height: auto; max-height: 10; }
    RecordsPane .transfers-empty { height: auto; padding: 0 2; }
    RecordsPane.-short .transfers-table { max-height: 5; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.today = _dt.date.today()
        self._fitted: tuple[Any, ...] | None = None
        self._wide = True
        self._title_width = 30
        self._to_width = 20
        self._overdue: dict[str, progress.Overdue] = {}
        self._by_record: dict[str, list[Item]] = {}
        self._wanted_transfer: str | None = None

    # -- building -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield from super().compose()
        yield Static(classes="transfers-title")
        yield TransfersTable(zebra_stripes=True, classes="transfers-table")
        yield Static(classes="transfers-empty")

    def on_mount(self) -> None:
        # Runs before ListPane.on_mount, which adds no columns (COLUMNS is empty) and rebuilds.
        self._fit()
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)

    def on_resize(self) -> None:
        if self._fit() and self.display:
            self.rebuild()

    def _theme_changed(self, _theme: Any) -> None:
        self._stale = True
        if self.is_mounted and self.display:
            self.rebuild()

    @property
    def transfers_table(self) -> TransfersTable:
        return self.query_one(TransfersTable)

    def _fit(self) -> bool:
        """Choose the columns (and how much detail) for the pane's size; True on a change."""
        width = self.size.width or self.app.size.width
        height = self.size.height or self.app.size.height
        short = height < SHORT
        self.set_class(short, "-short")
        layout = RecordsLayout.for_width(width)
        self._wide = wide = layout.wide
        records, transfers = layout.records, layout.transfers
        self._title_width, self._to_width = layout.title_width, layout.to_width
        key = (wide, short, self._title_width, self._to_width)
        if key == self._fitted:
            return False
        self._fitted = key
        for table, flexible, fixed, at in (
            (self.table, ("Title", self._title_width), records, 1),
            (self.transfers_table, ("To", self._to_width), transfers, 0),
        ):
            table.clear(columns=True)
            for heading, w in [*fixed[:at], flexible, *fixed[at:]]:
                table.add_column(heading, width=w)
        return True

    # -- what the pane shows ------------------------------------------------------------------

    def _kind(self, kind_id: str) -> RecordKind | None:
        content = getattr(self.app, "content", None)
        return content.record_kind(kind_id) if content is not None else None

    def kind_label(self, kind_id: Any) -> str:
        """A record kind's label (``FieldSpec.label_of``: the same words everywhere)."""
        return model.spec("records", "kind").label_of(str(kind_id))

    def _alert(self) -> str:
        """Bold in the theme's error text colour: how overdue marks stand out (with !)."""
        try:
            colour = Color.parse(self.app.theme_variables.get("text-error", ""))
        except ColorParseError:
            return "bold"
        return f"bold {colour.hex}"

    def items(self, case: Case) -> Sequence[Item]:
        order = {k: n for n, k in enumerate(RECORD_KINDS)}
        return sorted(
            case.records,
            key=lambda r: (order.get(r.kind, len(order)), str(r.date), str(r.title).casefold(),
                           r.id),
        )

    def row_for(self, doc_id: str) -> str:
        """A transfer's record (``ListPane.row_for``); the transfers below then put their
        cursor on the transfer (a search hit in a transfer)."""
        transfer = next((t for t in self.case.transfers if t.id == doc_id), None) \
            if self.case is not None else None
        if transfer is None:
            return doc_id
        self._wanted_transfer = transfer.id
        return str(transfer.record)

    def transfers_of(self, record: Item) -> list[Item]:
        """The record's transfers, by recipient."""
        return self._by_record.get(record.id, [])

    def visible_items(self) -> list[Item]:
        items = super().visible_items()
        if not self.filter_text or self.case is None:
            return items
        # Also match the kind's label and the doctors a record goes to.
        needle = self.filter_text.casefold()
        shown = {i.id for i in items}
        return [
            r for r in self.items(self.case)
            if r.id in shown
            or needle in self.kind_label(r.kind).casefold()
            or any(needle in str(t.recipient).casefold() for t in self.transfers_of(r))
        ]

    def rebuild(self) -> None:
        """Rows for the records, then the highlighted record's transfers."""
        self._index()
        super().rebuild()
        self._fill_transfers()

    def _index(self) -> None:
        case = self.case
        self._by_record = {}
        self._overdue = {}
        if case is None:
            return
        for transfer in case.transfers:
            self._by_record.setdefault(transfer.record, []).append(transfer)
        for rows in self._by_record.values():
            rows.sort(key=lambda t: (str(t.recipient).casefold(), t.id))
        self._overdue = {o.transfer.id: o for o in progress.overdue_transfers(case, self.today)}

    def cells(self, item: Item) -> Sequence[Text]:
        wide = self._wide
        transfers = self.transfers_of(item)
        done = sum(1 for t in transfers if t.state == "confirmed")
        if not transfers:
            summary = text.cell("none yet" if wide else "-", style="dim")
        else:
            words = f"{done}/{len(transfers)} confirmed" if wide else f"{done} of {len(transfers)}"
            summary = text.cell(words, style="bold" if done == len(transfers) else "")
        late = [self._overdue[t.id].days_waiting for t in transfers if t.id in self._overdue]
        late_cell = Text("")
        if late:
            days = max(late)
            late_cell = Text(f"{OVERDUE_MARK} {days} days" if wide else f"{OVERDUE_MARK} {days}d",
                             style=self._alert(), no_wrap=True, end="")
        row = [
            text.cell(self.kind_label(item.kind), width=20 if wide else 14),
            self._title_cell(item),
            text.cell(item.date),
        ]
        if wide:
            row.append(text.cell(item.source, width=20))
        row += [summary, late_cell, conflict_mark(item)]
        return row

    def _title_cell(self, item: Item) -> Text:
        """The title, with a mark after it when the record has attached files."""
        if self.case is None or not self.case.attachments_for(item.id):
            return text.cell(item.title, width=self._title_width)
        cell = text.cell(item.title, width=self._title_width - 2)
        cell.append(f" {ATTACHED_MARK}", style="bold")
        return cell

    def attachment_lines(self, item: Item) -> list[Content]:
        """One line per file or folder attached to the record (``ui.attachment_lines``)."""
        if self.case is None:
            return []
        short = self.has_class("-short")
        return attachment_lines(self.case.attachments_for(item.id),
                                1 if short else ATTACHMENT_LINES, short)

    def summary(self, case: Case) -> Content:
        records = len(case.records)
        if not records:
            return Content("")
        confirmed, _ = progress.records_confirmed(case)
        shown = {r.id for r in case.records}
        transfers = [t for t in case.transfers if t.record in shown]
        parts: list[Content | tuple[str, str] | str] = [
            (f"{records} record{'' if records == 1 else 's'}", "bold"),
            f", {confirmed} fully confirmed",
        ]
        if transfers:
            counts = [(s, sum(1 for t in transfers if t.state == s)) for s in TRANSFER_STATES]
            parts.append((" \u00b7 ", "dim"))
            parts.append(" ".join(f"{STATE_MARKS[s]} {n} {s}" for s, n in counts if n))
        if self._overdue:
            parts.append((" \u00b7 ", "dim"))
            parts.append((f"{OVERDUE_MARK} {len(self._overdue)} overdue", self._alert()))
        unsigned = sum(1 for t in transfers
                       if not t.authorisation_signed and t.state != "confirmed")
        if unsigned:
            parts.append((" \u00b7 ", "dim"))
            parts.append(f"\u2610 {unsigned} release{'' if unsigned == 1 else 's'} to sign")
        return Content.assemble(*parts)

    def detail(self, item: Item) -> Content:
        lines: list[Content] = []
        head: list[Content | tuple[str, str] | str] = [
            text.content(self.kind_label(item.kind), "bold")
        ]
        if str(item.source).strip():
            head += [("  held by ", "dim"), text.content(item.source)]
        if item.date:
            head += [("  dated ", "dim"), text.content(item.date)]
        lines.append(Content.assemble(*head))
        if str(item.files).strip():
            lines.append(Content.assemble(("File  ", "bold"), text.content(item.files),
                                          ("  (a path only: never opened)", "dim")))
        lines += self.attachment_lines(item)
        notes = text.clean(item.notes, multiline=True).strip()
        if notes:
            kept = notes.splitlines()
            most = 1 if self.has_class("-short") else NOTE_LINES
            shown = "\n".join(kept[:most]) + (text.ELLIPSIS if len(kept) > most else "")
            lines.append(Content(shown))
        kind = self._kind(str(item.kind))
        if kind is not None:
            lines.append(Content.assemble(("Ask for  ", "bold dim"),
                                          text.content(kind.what_to_request, "dim")))
            if kind.response_days:
                window = f"  \u00b7  reminder after {kind.response_days} days"
            else:
                window = "  \u00b7  you can usually get this yourself, no wait"
            lines.append(Content.assemble(("Usually held by  ", "bold dim"),
                                          text.content(kind.usually_held_by, "dim"),
                                          (window, "dim")))
        if item.conflicts:
            lines.append(Content.styled(
                f"\u2260 Two devices changed: {', '.join(sorted(item.conflicts))}", "bold"))
        return Content("\n").join(lines)

    # -- the transfers of the highlighted record ----------------------------------------------

    def _fill_transfers(self) -> None:
        """Fill the transfers table for the highlighted record, keeping the cursor's row."""
        table = self.transfers_table
        title = self.query_one(".transfers-title", Static)
        empty = self.query_one(".transfers-empty", Static)
        keep = self.highlighted_transfer
        row = table.cursor_row
        table.clear()
        record = self.highlighted
        if record is None:
            for widget in (title, table, empty):
                widget.display = False
            self._leave_transfers()
            return
        rows = self.transfers_of(record)
        alert = self._alert()
        for transfer in rows:
            table.add_row(*transfer_cells(transfer, self._overdue.get(transfer.id), alert,
                                          self._wide, self._to_width, self.today, record.kind,
                                          self.case),
                          key=transfer.id)
        if rows:
            ids = [t.id for t in rows]
            target = ids.index(keep.id) if keep is not None and keep.id in ids else row
            if self._wanted_transfer in ids:
                target, self._wanted_transfer = ids.index(self._wanted_transfer), None
            table.move_cursor(row=max(min(target, len(ids) - 1), 0), animate=False)
        title.display = True
        title.update(Content.assemble(
            ("Transfers of ", "bold"), text.content(str(record.title)[:200], "bold"),
            ("  to each doctor" if rows else "", "dim"),
        ))
        table.display = bool(rows)
        empty.display = not rows
        empty.update(Content.styled(
            "Not on its way to any doctor yet: t adds a transfer (who it goes to, when you "
            "asked).", "dim"))
        if not rows:
            self._leave_transfers()
        self.refresh_bindings()

    def _leave_transfers(self) -> None:
        if self.transfers_table.has_focus:
            self.table.focus()

    @on(ItemTable.RowHighlighted, ".pane-table")
    def _record_highlighted(self) -> None:
        self._fill_transfers()

    @on(TransfersTable.ActionChosen)
    def _transfers_key(self, event: TransfersTable.ActionChosen) -> None:
        """A key of the transfers table: run the pane's action it names."""
        event.stop()
        actions = {
            "add_transfer": self.action_add_transfer,
            "edit_transfer": self.action_edit_transfer,
            "advance_transfer": self.action_advance_transfer,
            "delete_transfer": self.action_delete_transfer,
            "filter": self.action_filter,
            "focus_records": self.action_focus_records,
        }
        action = actions.get(event.action)
        if action is not None:
            action()

    # -- keys ---------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("attach", "import_fhir"):
            # From the records list (the transfers list has its own keys).
            return not self.transfers_table.has_focus
        if action == "view_kept":
            return not self.transfers_table.has_focus and bool(self._kept())
        if action in ("add_transfer", "focus_transfers"):
            # From the records list only: the transfers list has its own keys.
            if not self.table.has_focus:
                return False
            return action == "add_transfer" or self.transfers_table.row_count > 0
        return super().check_action(action, parameters)

    def action_attach(self) -> None:
        """Ask for the attach dialog for the highlighted record (the case screen opens it and
        saves what it hashes: one save, one ctrl+z)."""
        record = self.highlighted
        if record is None:
            self.app.notify("Add a record first (a), then attach its file.", timeout=4)
            return
        self.post_message(AttachRequested(record.id, str(record.title)))

    def _kept(self) -> list[Item]:
        record, case = self.highlighted, self.case
        if record is None or case is None:
            return []
        return [a for a in case.attachments_for(record.id) if a.kind == "kept"]

    def action_view_kept(self) -> None:
        """Ask to read the first file an import kept for the highlighted record."""
        kept, record = self._kept(), self.highlighted
        if kept and record is not None:
            self.post_message(KeptFileViewRequested(str(record.title), str(kept[0].path),
                                                    str(kept[0].sha256)))

    def action_import_fhir(self) -> None:
        """Ask for the FHIR import dialog (the case screen opens it and saves the records it
        plans in one save: one file write, one log line, one ctrl+z)."""
        self.post_message(FhirImportRequested())
