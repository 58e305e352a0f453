"""model: typed-in text becomes a stored value in exactly one place, with reasons for refusals.

The command line (`secondview set/add/edit`) and the app's forms both go through
``FieldSpec.parse`` / ``parse_assignments``, so what is tested here is what a user sees when a
value is accepted or refused.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from secondview.core import field_spec, model
from secondview.core.model import FieldSpec, InvalidValue, Kind

FAST = settings(max_examples=60, deadline=None)


def spec(table: str, name: str) -> FieldSpec:
    return model.spec(table, name)


# -- bool ------------------------------------------------------------------------------------


@pytest.mark.parametrize("word", ["yes", "YES", " y ", "true", "True", "1", "on", "done"])
def test_bool_true_words(word: str) -> None:
    assert spec("checklist", "done").parse(word) is True


@pytest.mark.parametrize("word", ["no", "N", "false", "0", "off", "", "  "])
def test_bool_false_words(word: str) -> None:
    assert spec("checklist", "done").parse(word) is False


def test_bool_passes_real_booleans_through() -> None:
    done = spec("checklist", "done")
    assert done.parse(True) is True
    assert done.parse(False) is False


@pytest.mark.parametrize("word", ["maybe", "2", "yess", "nope"])
def test_bool_refuses_other_words_saying_yes_or_no(word: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        spec("checklist", "done").parse(word)
    message = str(caught.value)
    assert message.startswith("done:")
    assert f"'{word}'" in message
    assert "yes or no" in message


# -- dates -----------------------------------------------------------------------------------


def test_date_is_stored_in_iso_form() -> None:
    due = spec("checklist", "due")
    assert due.parse("2026-03-04") == "2026-03-04"
    assert due.parse("  2026-03-04 ") == "2026-03-04"
    assert due.parse("20260304") == "2026-03-04"  # the basic ISO form, normalised


def test_empty_optional_date_is_unset() -> None:
    assert spec("checklist", "due").parse("") == ""
    assert spec("checklist", "due").parse("   ") == ""


@pytest.mark.parametrize("raw", ["4/3/2026", "2026-02-30", "tomorrow", "2026-13-01"])
def test_bad_dates_are_refused_with_the_expected_form(raw: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        spec("records", "date").parse(raw)
    message = str(caught.value)
    assert message.startswith("date:") and f"'{raw}'" in message
    assert "YYYY-MM-DD" in message


def test_required_date_refuses_empty() -> None:
    required = FieldSpec("when", "When", Kind.DATE, required=True)
    with pytest.raises(InvalidValue, match="when: a date is required"):
        required.parse("")


@given(st.dates())
@FAST
def test_any_date_round_trips(day) -> None:  # type: ignore[no-untyped-def]
    assert spec("transfers", "sent_on").parse(day.isoformat()) == day.isoformat()


# -- choices ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, stored",
    [
        ("soon", "soon"),
        ("  Emergency ", "emergency"),
        ("ROUTINE", "routine"),
    ],
)
def test_choice_is_normalised(raw: str, stored: str) -> None:
    assert spec("case", "urgency").parse(raw) == stored


@pytest.mark.parametrize("raw", ["pathology report", "Pathology-Report", "pathology_report"])
def test_choice_accepts_spaces_and_dashes_for_underscores(raw: str) -> None:
    assert spec("records", "kind").parse(raw) == "pathology_report"


def test_empty_optional_choice_takes_its_default() -> None:
    assert spec("case", "urgency").parse("") == "routine"
    assert spec("opinions", "visit_mode").parse(" ") == "unknown"


def test_bad_choice_lists_every_valid_value() -> None:
    with pytest.raises(InvalidValue) as caught:
        spec("case", "urgency").parse("asap")
    message = str(caught.value)
    assert message == "urgency: 'asap' is not one of: routine, soon, emergency"


def test_required_choice_refuses_empty() -> None:
    required = FieldSpec("colour", "Colour", Kind.CHOICE, ("red", "blue"), required=True)
    with pytest.raises(InvalidValue, match="not one of: red, blue"):
        required.parse("")


# -- text ------------------------------------------------------------------------------------


def test_one_line_text_is_stripped_and_multiline_text_kept_as_typed() -> None:
    assert spec("records", "title").parse("  MRI report \n") == "MRI report"
    notes = "  first line\n  second line\n"
    assert spec("records", "notes").parse(notes) == notes


def test_required_text_refuses_blank() -> None:
    for raw in ("", "   ", "\n"):
        with pytest.raises(InvalidValue, match="title: cannot be empty"):
            spec("records", "title").parse(raw)


def test_text_at_the_limit_is_accepted_and_one_more_character_refused() -> None:
    notes = spec("opinions", "diagnosis")
    assert notes.parse("x" * field_spec.MAX_TEXT) == "x" * field_spec.MAX_TEXT
    with pytest.raises(InvalidValue) as caught:
        notes.parse("x" * (field_spec.MAX_TEXT + 1))
    assert str(caught.value) == f"diagnosis: longer than {field_spec.MAX_TEXT:,} characters"


def test_text_refuses_non_text_values() -> None:
    with pytest.raises(InvalidValue, match="title: expected text, got int"):
        spec("records", "title").parse(5)


@given(st.text(max_size=200))
@FAST
def test_any_multiline_text_is_stored_exactly(text: str) -> None:
    assert spec("opinions", "treatment").parse(text) == text


# -- numbers ---------------------------------------------------------------------------------


def test_int_and_number_fields() -> None:
    assert spec("opinions", "order").parse(" 2 ") == 2
    assert spec("checklist", "order").parse("2.5") == 2.5
    assert isinstance(spec("checklist", "order").parse("3"), float)
    for raw in ("two", "1.5", ""):
        with pytest.raises(InvalidValue, match="order: .* is not a whole number"):
            spec("opinions", "order").parse(raw)
    with pytest.raises(InvalidValue, match="expected a whole number"):
        spec("opinions", "order").parse(True)
    for raw in ("nan", "inf", "-inf"):
        with pytest.raises(InvalidValue, match="not a finite number"):
            spec("checklist", "order").parse(raw)
    with pytest.raises(InvalidValue, match="is not a number"):
        spec("checklist", "order").parse("first")


# -- whole documents -------------------------------------------------------------------------


def test_every_optional_field_accepts_its_own_empty_value() -> None:
    # A form starts from empty(); saving an untouched optional field must never be refused.
    for table, fields in model.SCHEMA.items():
        for fspec in fields:
            if fspec.required:
                continue
            empty = fspec.empty()
            assert fspec.accepts_stored(empty), (table, fspec.name)
            assert fspec.parse(empty) == empty


def test_every_choice_default_is_one_of_its_choices() -> None:
    for table, fields in model.SCHEMA.items():
        for fspec in fields:
            if fspec.kind is Kind.CHOICE:
                assert fspec.empty() in fspec.choices, (table, fspec.name)


def test_parse_assignments_parses_each_field() -> None:
    values = model.parse_assignments(
        "records", ["title=MRI report", "kind=imaging report", "date=2026-01-02", "notes=a=b"]
    )
    assert values == {
        "title": "MRI report",
        "kind": "imaging_report",
        "date": "2026-01-02",
        "notes": "a=b",  # only the first '=' separates the field from the value
    }


def test_parse_assignments_unknown_field_lists_the_valid_ones() -> None:
    with pytest.raises(InvalidValue) as caught:
        model.parse_assignments("records", ["colour=red"])
    message = str(caught.value)
    assert "unknown field 'colour'" in message
    for fspec in model.RECORD_FIELDS:
        assert fspec.name in message
    # Choices and forms are described so the user can type a valid value next time.
    assert "kind (labs|" in message and "date (YYYY-MM-DD)" in message


def test_parse_assignments_without_equals_lists_the_valid_fields() -> None:
    with pytest.raises(InvalidValue) as caught:
        model.parse_assignments("questions", ["why"])
    message = str(caught.value)
    assert "'why' is not FIELD=VALUE" in message
    assert "Valid fields:" in message
    assert all(f.name in message for f in model.QUESTION_FIELDS)
    with pytest.raises(InvalidValue, match="not FIELD=VALUE"):
        model.parse_assignments("questions", ["=value"])


def test_parse_assignments_reports_every_bad_value_at_once() -> None:
    with pytest.raises(InvalidValue) as caught:
        model.parse_assignments("checklist", ["done=perhaps", "due=soon", "text=Call clinic"])
    message = str(caught.value)
    assert "done: 'perhaps' is not yes or no" in message
    assert "due: 'soon' is not a date" in message


def test_parse_fields_unknown_table() -> None:
    with pytest.raises(InvalidValue, match="unknown table 'pets'"):
        model.parse_fields("pets", {"name": "Rex"})


def test_missing_required() -> None:
    assert model.missing_required("transfers", {"record": "r1"}) == ["recipient"]
    assert model.missing_required("transfers", {"record": "r1", "recipient": "  "}) == [
        "recipient"
    ]
    assert model.missing_required("transfers", {"record": "r1", "recipient": "Dr B"}) == []


# -- stored values ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "table, name, good, bad",
    [
        ("checklist", "done", [True, False], [0, 1, "yes", None]),
        ("opinions", "order", [0, 3, -1], [True, 1.5, "1", None]),
        ("checklist", "order", [0, 1.5, 2], [True, "1", None]),
        ("records", "title", ["", "MRI"], [1, None, ["MRI"]]),
        ("case", "urgency", ["soon"], [1, None]),
        ("records", "date", ["2026-01-02", ""], [20260102, None]),
        ("answers", "question", ["3f1c"], [3, None]),
    ],
)
def test_accepts_stored_checks_the_type_read_from_a_file(
    table: str, name: str, good: list[object], bad: list[object]
) -> None:
    fspec = spec(table, name)
    for value in good:
        assert fspec.accepts_stored(value), value
    for value in bad:
        assert not fspec.accepts_stored(value), value


@given(st.sampled_from([(t, f) for t, fs in model.SCHEMA.items() for f in fs]), st.text())
@FAST
def test_whatever_parse_accepts_is_storable(pair, raw: str) -> None:  # type: ignore[no-untyped-def]
    table, fspec = pair
    try:
        value = fspec.parse(raw)
    except InvalidValue as exc:
        assert str(exc).startswith(f"{fspec.name}:")
        return
    assert fspec.accepts_stored(value)


# -- views -----------------------------------------------------------------------------------


def test_item_exposes_values_and_defaults_as_attributes() -> None:
    item = model.Item("records", "r1", {"title": "MRI"})
    assert item.title == "MRI"
    assert item.kind == "other"  # not set yet: the field's default
    assert item.notes == ""
    with pytest.raises(AttributeError):
        _ = item.colour
    assert not item.has_conflict
    assert model.Item("records", "r1", {}, frozenset({"title"})).has_conflict


def test_case_find_by_id_or_unique_prefix() -> None:
    info = model.Item("case", "c0ffee", {"title": "Knee"})
    records = (
        model.Item("records", "abc123", {"title": "MRI"}),
        model.Item("records", "abd456", {"title": "Labs"}),
    )
    case = model.Case(id="c0ffee", info=info, records=records)
    assert case.find("abc123") is records[0]
    assert case.find("abd") is records[1]
    assert case.find("ab") is None  # ambiguous
    assert case.find("zzz") is None
    assert case.title == "Knee" and not case.archived


# -- the decision's options, factors and leanings (issue 5) ------------------------------------

IMPORTANCE = model.spec("factors", "importance")


@pytest.mark.parametrize("raw, stored", [("0", 0), ("5", 5), (" 3 ", 3), (4, 4)])
def test_importance_takes_whole_numbers_from_0_to_5(raw: object, stored: int) -> None:
    assert IMPORTANCE.parse(raw) == stored


@pytest.mark.parametrize("raw", ["-1", "6", "50", 6])
def test_importance_out_of_range_is_refused_naming_the_range(raw: object) -> None:
    with pytest.raises(InvalidValue) as err:
        IMPORTANCE.parse(raw)
    assert "from 0 to 5" in str(err.value) and "importance" in str(err.value)


def test_importance_refuses_words_and_says_so_on_the_command_line() -> None:
    with pytest.raises(InvalidValue, match="not a whole number"):
        model.parse_assignments("factors", ["importance=lots"])
    assert "importance (0-5)" in IMPORTANCE.describe()


def test_an_int_field_without_bounds_takes_any_whole_number() -> None:
    assert model.spec("opinions", "order").parse("-7") == -7
    assert model.spec("opinions", "order").parse("700") == 700


def test_the_new_tables_are_in_the_schema_the_cli_and_the_case() -> None:
    assert {"options", "factors", "leanings"} <= set(model.TABLES)
    assert model.ITEM_TABLES["option"] == "options"
    assert model.ITEM_TABLES["factor"] == "factors"
    assert model.ITEM_TABLES["leaning"] == "leanings"
    assert model.parse_assignments("options", ["title=Wait and watch", "source=waiting"]) == {
        "title": "Wait and watch", "source": "waiting"}
    with pytest.raises(InvalidValue, match="own, opinion, waiting"):
        model.parse_assignments("options", ["source=friend"])
    with pytest.raises(InvalidValue, match="benefit, risk"):
        model.parse_assignments("factors", ["kind=cost"])
    assert model.missing_required("factors", {"kind": "risk"}) == ["option", "text"]
    assert model.missing_required("leanings", {}) == ["date"]
    case = model.Case(id="c", info=model.Item("case", "c", {"title": "t"}))
    assert case.options == case.factors == case.leanings == ()
    assert case.table("options") == ()


def test_the_sure_check_is_four_yes_no_fields_of_the_decision() -> None:
    names = [f.name for f in model.DECISION_FIELDS if f.name.startswith("sure_")]
    assert names == ["sure_know", "sure_values", "sure_support", "sure_certain"]
    assert all(model.spec("decision", n).kind is Kind.BOOL for n in names)
    assert model.parse_assignments("decision", ["sure_know=yes"]) == {"sure_know": True}


def test_factors_for_an_option_list_benefits_first_most_important_first() -> None:
    def factor(n: int, option: str, kind: str, importance: int) -> model.Item:
        return model.Item("factors", f"f{n}", {"option": option, "kind": kind,
                                               "text": f"t{n}", "importance": importance})

    case = model.Case(id="c", info=model.Item("case", "c", {"title": "t"}), factors=(
        factor(1, "a", "risk", 5), factor(2, "a", "benefit", 1), factor(3, "b", "benefit", 4),
        factor(4, "a", "benefit", 4)))
    assert [f.id for f in case.factors_for("a")] == ["f4", "f2", "f1"]
    leanings = (model.Item("leanings", "l1", {"date": "2026-09-02"}),
                model.Item("leanings", "l2", {"date": "2026-09-01"}))
    case = model.Case(id="c", info=model.Item("case", "c", {"title": "t"}), leanings=leanings)
    assert [i.id for i in case.leanings_by_date()] == ["l2", "l1"]


# -- opinion order: one function for every pane, export and command --------------------------


def _opinion(oid: str, order: int, at: str = "") -> model.Item:
    return model.Item("opinions", oid, {"doctor": f"Dr {oid}", "order": order}, changed_at=at)


def test_opinions_in_order_numbered_first_then_when_written_then_id() -> None:
    unnumbered = _opinion("u", 0, "2026-01-01")
    second, first = _opinion("b", 2, "2026-01-05"), _opinion("a", 1, "2026-01-09")
    tie_late, tie_early = _opinion("t1", 3, "2026-02-02"), _opinion("t2", 3, "2026-02-01")
    same_a, same_b = _opinion("s-b", 4, "2026-03-01"), _opinion("s-a", 4, "2026-03-01")
    case = model.Case("c", model.Item("case", "c", {"title": "x"}),
                      opinions=(unnumbered, same_a, tie_late, second, same_b, first, tie_early))
    ordered = case.opinions_in_order()
    assert [o.id for o in ordered] == ["a", "b", "t2", "t1", "s-a", "s-b", "u"]
    assert case.first_opinion() is first
    assert case.later_opinions() == ordered[1:]
    empty = model.Case("c", model.Item("case", "c", {"title": "x"}))
    assert empty.first_opinion() is None and empty.later_opinions() == ()


def test_questions_in_order_by_their_number_then_when_written() -> None:
    def question(qid: str, order: object, at: str = "") -> model.Item:
        return model.Item("questions", qid, {"text": qid, "order": order}, changed_at=at)

    case = model.Case("c", model.Item("case", "c", {"title": "x"}), questions=(
        question("late", 2.0, "b"), question("first", 1.0), question("early", 2.0, "a"),
        question("odd", "not a number"),
    ))
    assert [q.id for q in case.questions_in_order()] == ["odd", "first", "early", "late"]


# -- where a field shows: declared once, on its spec --------------------------------------------


def test_the_flags_say_where_each_opinion_field_shows() -> None:
    assert [f.name for f in model.compared_fields("opinions")] == [
        "diagnosis", "stage", "treatment", "alternatives", "risks", "side_effects", "goals",
        "recovery", "if_waiting", "evidence", "specialty", "institution", "independent",
        "visit_mode", "written_copy", "costs"]
    assert [f.name for f in model.brief_fields("opinions")] == [
        "diagnosis", "stage", "treatment", "alternatives", "if_waiting"]
    hidden = {f.name for f in model.OPINION_FIELDS} - {
        f.name for f in model.listed_fields("opinions")}
    assert hidden == {"order", "doctor_id", "diagnosis_relation", "treatment_relation"}
    assert model.compared_fields("records") == () and model.brief_fields("records") == ()


def test_one_new_opinion_field_spec_is_compared_listed_and_briefed_everywhere(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Adding an opinion field is one line in OPINION_FIELDS: here a test-only copy of the
    schema with one more spec, and the compare engine, the full view's list and the brief
    all take it up."""
    import datetime as dt

    from secondview.core import compare, export

    extra = FieldSpec("second_look", "Second look at the slides", multiline=True,
                      compared=model.COMPARE_SAID, in_brief=True)
    fields = model.OPINION_FIELDS + (extra,)
    monkeypatch.setitem(model.SCHEMA, "opinions", fields)
    monkeypatch.setitem(model._SPEC_INDEX, "opinions", {f.name: f for f in fields})

    a = model.Item("opinions", "a", {"doctor": "Dr A", "order": 1, "second_look": "Grade 2"})
    b = model.Item("opinions", "b", {"doctor": "Dr B", "order": 2, "second_look": "Grade 3"})
    case = model.Case("c", model.Item("case", "c", {"title": "x"}), opinions=(a, b))

    rows = compare.compare(case, a, b).rows
    names = [r.name for r in rows]
    assert names.index("second_look") == names.index("evidence") + 1  # last of its rank
    assert compare.compare(case, a, b).row("second_look").label == "Second look at the slides"
    assert extra in model.listed_fields("opinions")
    brief = export.brief(case, dt.date(2026, 1, 1)).markdown
    assert "**Second look at the slides:** Grade 2" in brief


# -- one label per stored choice ----------------------------------------------------------------


def test_every_choice_of_every_field_has_a_label_of_its_own() -> None:
    for table, fields in model.SCHEMA.items():
        for f in fields:
            if f.kind is not Kind.CHOICE:
                continue
            for value in f.choices:
                assert value in f.labels, (table, f.name, value)  # not the fallback's words
                label = f.label_of(value)
                assert label and label[0].isupper(), (table, f.name, value, label)
                assert "_" not in label, (table, f.name, value, label)


def test_a_choice_reads_the_same_wherever_it_is_shown() -> None:
    kind = spec("records", "kind")
    assert kind.label_of("labs") == "Lab results"
    assert kind.label_of("imaging_images") == "Imaging files"
    assert kind.label_of("physician_notes") == "Doctors' notes"
    assert kind.words("labs") == "Lab results"  # documents and comparisons say the same
    assert spec("case", "urgency").label_of("soon") == "Soon"
    assert spec("opinions", "visit_mode").words("in_person") == "In person"
    assert spec("opinions", "visit_mode").words("unknown") == ""  # unstated says nothing
    assert spec("checklist", "done").label_of(True) == "Yes"


def test_a_choice_may_be_typed_as_its_label() -> None:
    assert spec("records", "kind").parse("lab results") == "labs"
    assert spec("records", "kind").parse("Doctors' notes") == "physician_notes"
    assert spec("case", "urgency").parse("Soon") == "soon"


def test_the_content_names_each_record_kind_as_the_model_does() -> None:
    from pathlib import Path

    import yaml

    root = Path(__file__).resolve().parents[2]
    kinds = yaml.safe_load((root / "content" / "records.yaml").read_text())["kinds"]
    kind = spec("records", "kind")
    assert {k["id"]: k["label"] for k in kinds} == {v: kind.label_of(v) for v in kind.choices}



def test_the_transfer_help_makes_no_legal_claim_and_names_the_guide_on_the_rules() -> None:
    from pathlib import Path

    words = spec("transfers", "from_provider").help
    assert "legal" not in words.casefold() and "clock" not in words.casefold()
    assert "typical" in words.casefold() or "usually" in words.casefold()
    guides = Path(__file__).resolve().parents[2] / "content" / "guides"
    titles = [p.read_text().splitlines()[0].removeprefix("# ") for p in guides.glob("*.md")]
    named = [t for t in titles if f"'{t}'" in words]
    assert named == ["Preparing for the visit"], (words, titles)


def test_every_insurance_answer_starts_unknown() -> None:
    for name in ("covered", "in_network_only", "referral_needed", "preauth_needed", "medicare"):
        assert model.defaults("case")[name] == "unknown", name
        assert spec("case", name).label_of("unknown") == "Not known yet"


def test_medicare_written_as_yes_or_no_by_older_versions_reads_as_the_answer() -> None:
    medicare = spec("case", "medicare")
    assert medicare.accepts_stored(True) and medicare.accepts_stored("unknown")
    assert (medicare.parse(True), medicare.parse(False), medicare.parse("yes")) == (
        "yes", "no", "yes")
    assert not spec("case", "covered").accepts_stored(True)  # only what was yes/no before


def test_a_visit_time_is_a_real_time_of_day_and_its_zone_a_real_zone() -> None:
    values = model.parse_fields("appointments", {"date": "2026-12-09", "time": "9:30",
                                                 "zone": "America/Chicago"})
    assert values == {"date": "2026-12-09", "time": "09:30", "zone": "America/Chicago"}
    for field, typed, reason in (
        ("date", "2026-02-31", "is not a date"),
        ("time", "25:00", "is not a time of day"),
        ("time", "9.30", "is not a time of day"),
        ("zone", "Mars/Olympus_Mons", "is not a time zone name"),
        ("zone", "../../etc/passwd", "is not a time zone name"),
    ):
        with pytest.raises(model.InvalidValue, match=reason):
            model.parse_fields("appointments", {field: typed})


def test_doctors_and_visits_are_tables_of_a_case_the_command_line_adds_to() -> None:
    assert model.ITEM_TABLES["doctor"] == "doctors"
    assert model.ITEM_TABLES["visit"] == "appointments"
    assert model.missing_required("doctors", {}) == ["name"]
    assert model.defaults("appointments")["status"] == "planned"
