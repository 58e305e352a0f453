"""AgendaTable: the agenda's rows (``screens/agenda_screen.py``)."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType

from ..kit.item_table import ItemTable


class AgendaTable(ItemTable):
    """An ItemTable whose ``enter`` opens the highlighted entry's case, said in the footer."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Open", id="agenda.open"),
    ]
