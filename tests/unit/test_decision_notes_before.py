"""The decision's free-text "options" and "what matters most" of older versions (issue 5):
no form offers them, a file holding them still reads (format 1.0) and keeps them, the
export shows them as notes from before next to the options list."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from secondview.core import export, model
from secondview.core.decision import notes_to_titles
from secondview.core.model import Case, Item
from secondview.core.replica import CaseState, Write, new_case
from secondview.store.storage import parse_replica, replica_bytes
from secondview.ui.widgets.decision_pane import FORM_FIELDS

TODAY = dt.date(2026, 3, 14)
OLD_OPTIONS = "1. Replace the knee now (Dr Berg)\n2. [Physio] first *then* decide"
OLD_MATTERS = "Gardening again: a lot\nA short recovery: some"


def test_the_form_no_longer_offers_the_old_fields_but_the_schema_keeps_them():
    assert model.DECISION_NOTES_BEFORE == ("options", "matters")
    assert not set(model.DECISION_NOTES_BEFORE) & set(FORM_FIELDS)
    assert "choice" in FORM_FIELDS and "reasons" in FORM_FIELDS
    # still fields: an old file's text is typed, kept and settable from the command line
    assert model.parse_fields("decision", {"options": "a\nb"}) == {"options": "a\nb"}
    assert "notes from before" in model.spec("decision", "matters").label


def test_an_old_file_with_free_text_reads_and_keeps_it_through_a_new_edit():
    state, _ = new_case({"title": "Mum - knee"}, "aaaaaaaaaaaa", "2026-03-14T10:00:00.000Z",
                        case_id="case-1")
    state = state.apply([Write("decision", "case-1", {"options": OLD_OPTIONS,
                                                      "matters": OLD_MATTERS})],
                        "aaaaaaaaaaaa", "2026-03-14T10:00:01.000Z")
    raw = replica_bytes(state.tables, "aaaaaaaaaaaa", "desk")  # a format 1.0 file
    meta, tables = parse_replica(Path("aaaaaaaaaaaa.json"), raw)
    assert meta["format"] == "1.0"
    reread = CaseState(tables)
    write = reread.prepare("decision", "case-1", {"choice": "Physio first"})
    later = reread.apply([write], "aaaaaaaaaaaa", "2026-03-14T10:00:02.000Z")
    _, again = parse_replica(Path("aaaaaaaaaaaa.json"),
                             replica_bytes(later.tables, "aaaaaaaaaaaa", "desk"))
    decision = CaseState(again).case().decision
    assert (decision.options, decision.matters, decision.choice) == (
        OLD_OPTIONS, OLD_MATTERS, "Physio first")


def _case(options=(), factors=(), decision_values=None, opinions=()) -> Case:
    decision = Item("decision", "case-1", decision_values) if decision_values else None
    return Case("case-1", Item("case", "case-1", {"title": "Mum - knee"}),
                opinions=tuple(opinions), options=tuple(options), factors=tuple(factors),
                decision=decision)


def test_the_export_shows_old_text_as_notes_from_before_beside_the_options_list():
    berg = Item("opinions", "op-1", {"doctor": "Dr Berg", "order": 1})
    options = [
        Item("options", "o-1", {"title": "Knee replacement", "source": "opinion",
                                "opinion": "op-1", "order": 1.0}),
        Item("options", "o-2", {"title": "Physio", "source": "opinion", "opinion": "op-gone",
                                "order": 2.0}),
    ]
    factors = [Item("factors", "f-1", {"option": "o-1", "kind": "risk",
                                       "text": "Six *weeks* off", "importance": 4})]
    doc = export.decision(_case(options, factors, {"options": OLD_OPTIONS,
                                                   "matters": OLD_MATTERS}, [berg]), TODAY)
    md = doc.markdown
    assert "1\\. **Knee replacement** (recommended by Dr Berg" in md
    assert "- Risk, matters 4 of 5: Six \\*weeks\\* off" in md
    assert "2\\. **Physio** (recommended; the doctor's opinion was deleted)" in md
    notes = md.index(export.NOTES_BEFORE)
    assert md.index("**Physio**") < notes < md.index("1\\. Replace the knee now (Dr Berg)")
    assert "2\\. \\[Physio\\] first \\*then\\* decide" in md  # escaped: text, not markup
    assert "## What matters most\n\n" + export.NOTES_BEFORE + "\n\nGardening again" in md


def test_the_export_without_old_text_has_no_notes_and_no_empty_matters_section():
    md = export.decision(_case([Item("options", "o-1", {"title": "Physio", "source": "own"})],
                               decision_values={"choice": "Physio"}), TODAY).markdown
    assert "Notes from before" not in md and "What matters most" not in md
    assert "1\\. **Physio** (your own idea)" in md
    empty = export.decision(_case(), TODAY).markdown
    assert "## The options\n\nNone written down yet." in empty


def test_notes_become_one_option_a_line_without_list_marks_or_repeats():
    assert notes_to_titles(OLD_OPTIONS, set()) == [
        "Replace the knee now (Dr Berg)", "[Physio] first *then* decide"]
    assert notes_to_titles("- Physio\n\n  * physio \n• Wait\n3) Surgery", {"wait"}) == [
        "Physio", "Surgery"]
