"""Exports (core/export.py, cli/exports.py): what a person prints or sends.

- Golden files: each document in Markdown and HTML for one fixed case, byte for byte. After a
  deliberate change of wording or layout, regenerate them and read the diff before committing:
      UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/unit/test_export.py
  (the tests then rewrite tests/unit/golden/ and fail, so a run that updates never passes).
- Hostile text in every field of every table stays text: the Markdown keeps its structure
  (same headings, no link, no raw HTML) and the HTML, parsed with html.parser, has no script,
  no iframe, no event handler, no link at all, and shows each hostile string literally.
- ``esc`` and ``cell`` give any text back exactly (a property test through markdown-it-py).
- The ``export`` sub-command: stdout, -o (0600, never replacing a file without --force),
  --what all into a folder, the options' errors, and --replica handing over to sync.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import stat
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from secondview import cli
from secondview.cli import exports
from secondview.cli.context import Env
from secondview.core import export, export_blocks, export_html, export_packet, markdown_escape
from secondview.core.attached_files import attached_files
from secondview.core.model import Case, Item
from secondview.core.replica import Write
from secondview.core.sizes import human_size
from secondview.store.paths import Device, Paths
from secondview.store.repository import CaseRepository

GOLDEN = Path(__file__).parent / "golden"
TODAY = dt.date(2026, 3, 14)
SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

# ---------------------------------------------------------------------------------------------
# A fixed case (every id, date and value spelled out: the documents depend on nothing else)


def _item(table: str, item_id: str, conflicts: frozenset[str] = frozenset(),
          **values: Any) -> Item:
    return Item(table, item_id, values, conflicts, changed_at=f"2026-01-01T00:00:00.000Z/{item_id}")


def fixed_case() -> Case:
    info = _item(
        "case", "case-0001", title="Mum - knee", patient="Rosa Lindqvist, 71",
        condition="Osteoarthritis of the right knee", urgency="soon", surgery=True,
        notes="Pain on stairs for two years.\nWalks with a stick since the autumn.",
        health_summary="Problems\n- Osteoarthritis of the right knee (since 2024-05-01)\n"
                       "Medicines\n- Naproxen 500 mg (since 2025-01-10)",
        covered="yes", birth_date="1954-06-02", contact_name="Eva Lindqvist (daughter)",
        contact_phone="+1 555 0147", contact_email="eva@example.org",
    )
    records = (
        _item("records", "rec-mri", title="MRI of the right knee, report", kind="imaging_report",
              date="2025-11-02", source="Northside Imaging"),
        _item("records", "rec-xray", title="Knee X-rays, images", kind="imaging_images",
              date="2025-10-20", source="Northside Imaging"),
        _item("records", "rec-notes", title="Dr. Berg's notes <surgery plan> & 1|2",
              kind="physician_notes", date="2026-01-15", source="Valley Orthopaedics",
              notes="Includes the plan for a total knee replacement.",
              files="C:\\Users\\rosa\\berg-notes.pdf"),  # a path typed in, never hashed
        _item("records", "rec-meds", title="Medication list", kind="medication_list",
              source="Family"),
    )
    transfers = (
        _item("transfers", "tr-1", doctor_id="doc-chen", record="rec-mri",
              recipient="Dr. Chen (City Knee Clinic)",
              state="confirmed", from_provider=True, authorisation_signed=True,
              requested_on="2026-01-20", sent_on="2026-01-25", received_on="2026-02-01",
              confirmed_on="2026-02-03"),
        _item("transfers", "tr-2", doctor_id="doc-chen", record="rec-xray",
              recipient="Dr. Chen (City Knee Clinic)",
              state="sent", from_provider=True, authorisation_signed=False,
              requested_on="2026-01-20", sent_on="2026-02-10"),
        _item("transfers", "tr-3", doctor_id="doc-chen", record="rec-meds",
              recipient="Dr. Chen (City Knee Clinic)",
              state="received", from_provider=False, sent_on="2026-02-11",
              received_on="2026-02-12"),
        _item("transfers", "tr-4", record="rec-notes", recipient="Dr. Park",
              state="requested", from_provider=True, requested_on="2026-02-01"),
    )
    opinions = (
        _item("opinions", "op-berg", doctor="Dr. Anna Berg", doctor_id="doc-berg", order=1,
              specialty="Orthopaedic surgery", institution="Valley Orthopaedics",
              visit_mode="in_person", date="2026-01-15",
              diagnosis="Severe osteoarthritis of the right knee.",
              stage="Grade 4 on the X-rays",
              treatment="Total knee replacement within three months.",
              alternatives="Injections; she did not expect them to help for long.",
              if_waiting="Pain likely to get slowly worse.", written_copy=True),
        _item("opinions", "op-chen", doctor="Dr. Li Chen", doctor_id="doc-chen", order=2,
              specialty="Sports medicine", institution="City Knee Clinic", independent="yes",
              visit_mode="video", date="2026-02-20",
              diagnosis="Severe osteoarthritis of the right knee, mostly the inner side.",
              treatment="Six weeks of physiotherapy and weight loss first; then a partial "
                        "knee replacement if needed.",
              written_copy=False, diagnosis_relation="refined"),
    )
    doctors = (  # the care team: opinions and transfers name them by id
        _item("doctors", "doc-berg", name="Dr. Anna Berg", role="first",
              institution="Valley Orthopaedics", phone="+1 555 0123"),
        _item("doctors", "doc-chen", name="Dr. Li Chen", role="second",
              institution="City Knee Clinic", phone="+1 555 0188", fax="+1 555 0189",
              email="knees@cityclinic.example"),
    )
    questions = (
        _item("questions", "q-1", text="How sure are you of the diagnosis?", category="diagnosis",
              priority="high", order=1.0, why="The two reports use different words."),
        _item("questions", "q-2", text="What happens if we wait a year?", category="waiting",
              priority="normal", order=2.0),
        _item("questions", "q-3", text="Is a partial replacement possible?", category="options",
              priority="high", order=3.0),
    )
    answers = (
        _item("answers", "a-1", question="q-1", opinion="op-berg", text="Quite sure; the X-rays "
              "are clear."),
        _item("answers", "a-2", question="q-1", opinion="op-chen",
              text="Sure, and the MRI shows it is mostly the inner side.\nThe outer side looks "
                   "fine."),
        _item("answers", "a-3", question="q-2", opinion="op-chen", text="Slowly worse; no harm "
              "in trying therapy first."),
    )
    attachments = (
        _item("attachments", "att-1", record="rec-mri", path="~/records/mri-report.pdf",
              kind="file", size=482113, file_count=1, sha256=SHA),
        _item("attachments", "att-2", record="rec-xray", path="/media/cd/DICOM", kind="folder",
              size=73400320, file_count=312, sha256=SHA.upper()),
        _item("attachments", "att-3", record="rec-xray", path="/media/cd/viewer.txt",
              kind="file", size=900, file_count=1),
    )
    checklist = (
        _item("checklist", "c-1", text="Sign a release form", phase="preparing", done=True,
              order=1.0, template_id="general/sign-release"),
        _item("checklist", "c-2", text="Check every record arrived", phase="preparing",
              done=False, order=2.0, template_id="general/confirm-records-arrived"),
        _item("checklist", "c-3", text="Call the insurer", phase="preparing", done=True,
              order=3.0, template_id="general/insurance-coverage"),
    )
    decision = _item(
        "decision", "case-0001",
        options="1. Total replacement now (Dr. Berg)\n2. Therapy first, partial replacement "
                "later (Dr. Chen)",
        matters="Gardening again: a lot\nA short recovery: some", who_decides="shared",
        leaning="Therapy first", choice="", reasons="",
    )
    return Case("case-0001", info, checklist=checklist, records=records, transfers=transfers,
                attachments=attachments, doctors=doctors, opinions=opinions,
                questions=questions,
                answers=answers, decision=decision)


def documents() -> list[export.Document]:
    case = fixed_case()
    return [export.build(what, case, TODAY) for what in export.WHATS]


# ---------------------------------------------------------------------------------------------
# Golden files


@pytest.mark.parametrize("fmt", export.FORMATS)
@pytest.mark.parametrize("what", export.WHATS)
def test_each_document_matches_its_golden_file(what: str, fmt: str) -> None:
    document = export.build(what, fixed_case(), TODAY)
    text = document.render(fmt)
    path = GOLDEN / f"{what}.{fmt}"
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        pytest.fail(f"rewrote {path}; read the diff, then run again without UPDATE_GOLDEN")
    assert path.exists(), f"no golden file {path}; run with UPDATE_GOLDEN=1 to make it"
    assert text == path.read_text(encoding="utf-8"), (
        f"{what}.{fmt} changed; if on purpose, regenerate with UPDATE_GOLDEN=1 and read the diff"
    )


def test_documents_are_the_same_on_every_run_and_hold_the_case() -> None:
    first = [d.render(f) for d in documents() for f in export.FORMATS]
    again = [d.render(f) for d in documents() for f in export.FORMATS]
    assert first == again
    brief, questions, packet, comparison, decision = documents()
    assert "Osteoarthritis of the right knee" in brief.markdown
    assert "Dr. Anna Berg" in brief.markdown and "Dr. Li Chen" not in brief.markdown
    assert brief.markdown.index("Knee X-rays") < brief.markdown.index("MRI of the right knee")
    assert "1. How sure are you of the diagnosis? **(important)**" in brief.markdown
    # the packet goes to whoever most records went to; each file's checksum is listed
    assert "For Dr. Li Chen (City Knee Clinic)" in packet.markdown
    assert packet.markdown.count(f"`{SHA}`") == 2
    assert "| 1 | DICOM/ | 73.4 MB in 312 files | " in packet.markdown
    assert "| 1 | viewer.txt | 900 bytes | not computed |" in packet.markdown
    assert "| 2 | mri-report.pdf | 482.1 kB | " in packet.markdown  # no folders of this device
    assert "| 3 | berg-notes.pdf | not known | not computed |" in packet.markdown
    assert "~/records" not in packet.markdown and "Users" not in packet.markdown
    assert export_packet.FOLDER_CHECKSUM_HELP in packet.markdown
    assert "| 2 | MRI of the right knee, report | ☑ | ☑ 2026-01-20 | ☑ 2026-01-25 | " \
           "☑ 2026-02-01 | ☑ 2026-02-03 |" in packet.markdown
    assert "- ☐ Check every record arrived" in packet.markdown
    assert "Call the insurer" not in packet.markdown  # not about records
    assert "| Diagnosis | Severe osteoarthritis of the right knee. | Severe osteoarthritis " \
           "of the right knee, mostly the inner side. | ≠ |" in comparison.markdown
    assert "- Diagnosis: B refines what A said (settled by the family)" in comparison.markdown
    assert "Sure, and the MRI shows it is mostly the inner side. / The outer side looks fine." \
        in comparison.markdown
    assert "1\\. Total replacement now (Dr. Berg)" in decision.markdown
    assert "## The choice\n\nNot made yet." in decision.markdown
    assert "Write each answer on the lines under its question" in questions.markdown


def test_questions_for_a_chosen_doctor_show_their_answers_and_leave_room() -> None:
    case = fixed_case()
    chen = export.find_opinion(case, "chen")
    doc = export.questions(case, TODAY, chen)
    md = doc.markdown
    assert "For Dr. Li Chen (Sports medicine, City Knee Clinic)" in md
    assert "**Answered before:** Sure, and the MRI shows it is mostly the inner side." in md
    assert "\n\nThe outer side looks fine.\n\n" in md
    assert "Quite sure" not in md  # Dr. Berg's answer is not Dr. Chen's
    # three lines to write on under each question, printed as rules in HTML
    assert md.count(export.ANSWER_LINE) == 3 * len(case.questions)
    assert doc.html().count("<hr />") == 3 * len(case.questions) + 1  # + the footer's rule


def test_packet_for_a_doctor_uses_their_transfers() -> None:
    case = fixed_case()
    doc = export.build("packet", case, TODAY, doctor=export.find_opinion(case, "2"))
    assert "For Dr. Li Chen (City Knee Clinic)" in doc.markdown
    park = export.packet(case, TODAY, "Dr. Park")
    assert "| 3 | Dr. Berg's notes \\<surgery plan> & 1\\|2 | ☐ | ☑ 2026-02-01 | ☐ | ☐ | ☐ |" \
        in park.markdown
    assert park.markdown.count("not requested") == 3


def test_the_release_checklist_starts_a_printed_page() -> None:
    page = export.build("packet", fixed_case(), TODAY).html()
    assert '<h2 class="new-page">Release checklist</h2>' in page
    assert page.count('class="new-page"') == 1


def test_comparison_needs_two_different_opinions() -> None:
    case = fixed_case()
    one = Case(case.id, case.info, opinions=case.opinions[:1])
    with pytest.raises(export.ExportError, match="has 1 opinion; a comparison needs two"):
        export.build("comparison", one, TODAY)
    berg = case.opinions[0]
    with pytest.raises(export.ExportError, match="two different opinions"):
        export.build("comparison", case, TODAY, opinions=(berg, berg))
    made, skipped = export.build_many("all", one, TODAY)
    assert [d.what for d in made] == ["brief", "questions", "packet", "decision"]
    assert skipped == ["no comparison: 'Mum - knee' has 1 opinion; a comparison needs two"]
    swapped = export.build("comparison", case, TODAY, opinions=tuple(reversed(case.opinions)))
    assert "**A:** Dr. Li Chen" in swapped.markdown


def test_find_opinion_by_name_number_or_id_and_says_which_exist() -> None:
    case = fixed_case()
    assert export.find_opinion(case, "Berg").id == "op-berg"
    assert export.find_opinion(case, "2").id == "op-chen"
    assert export.find_opinion(case, "op-c").id == "op-chen"
    with pytest.raises(export.ExportError, match=r"no opinion 'Smith'. Opinions: 1: Dr. Anna "
                                                 r"Berg \(op-berg\); 2: Dr. Li Chen"):
        export.find_opinion(case, "Smith")
    with pytest.raises(export.ExportError, match="fits 2 opinions"):
        export.find_opinion(case, "Dr.")


def test_an_empty_case_still_makes_every_document_but_the_comparison() -> None:
    case = Case("c", _item("case", "c", title=""))
    made, skipped = export.build_many("all", case, TODAY)
    assert len(made) == 4 and len(skipped) == 1
    for doc in made:
        assert doc.markdown.startswith(f"# {export.TITLES[doc.what]}: Untitled case\n")
    assert "No records listed yet." in made[0].markdown
    assert "## The choice\n\nNot made yet." in made[3].markdown


def test_conflicts_and_emergencies_are_said() -> None:
    base = fixed_case()
    info = _item("case", "case-0001", title="T", urgency="emergency")
    case = Case(base.id, info, conflicts=(("case", "case-0001", "title"),))
    md = export.brief(case, TODAY).markdown
    assert "**Emergency: get care now. Do not wait for a second opinion.**" in md
    assert export_blocks.CONFLICT_NOTE in md


def test_file_names_are_plain_ascii() -> None:
    case = fixed_case()
    assert export.file_name(case, "brief", "md") == "mum-knee-brief.md"
    odd = Case("abcdef123456", _item("case", "x", title="Ölçü / ../../etc <x>"))
    assert export.file_name(odd, "packet", "html") == "olcu-etc-x-packet.html"
    blank = Case("abcdef123456", _item("case", "x", title="   "))
    assert export.file_name(blank, "decision", "md") == "abcdef12-decision.md"


def test_two_packets_for_two_offices_get_two_file_names() -> None:
    case = fixed_case()
    chen, berg = export.find_opinion(case, "chen"), export.find_opinion(case, "berg")

    def name(what: str, fmt: str = "md", doctor: Item | None = None) -> str:
        document = export.build(what, case, TODAY, doctor=doctor)
        assert document.for_whom == export.for_whom(case, what, doctor)  # the dialog asks first
        return export.file_name(case, what, fmt, document.for_whom)

    assert name("packet", doctor=chen) == "mum-knee-packet-dr-li-chen-city-knee-clinic.md"
    assert name("packet", doctor=berg) == "mum-knee-packet-dr-anna-berg.md"
    # without a doctor: the office the packet goes to by default (the most transfers)
    assert name("packet") == "mum-knee-packet-dr-li-chen-city-knee-clinic.md"
    assert name("questions", "html", chen) == "mum-knee-questions-dr-li-chen.html"
    assert name("brief", doctor=chen) == "mum-knee-brief.md"  # for no one in particular
    assert export.packet(case, TODAY, "Dr. Park").for_whom == ""  # packet() alone: build names


def test_human_sizes() -> None:
    assert [human_size(n) for n in (None, 1, 999, 1000, 482113, 73400320, 5 * 10**12)] \
        == ["", "1 byte", "999 bytes", "1.0 kB", "482.1 kB", "73.4 MB", "5.0 TB"]


# ---------------------------------------------------------------------------------------------
# Hostile text

HOSTILE = (
    "# heading",
    "*x* _y_ **z**",
    "[a](javascript:alert(1))",
    "<script>alert(1)</script>",
    "a | b || c",
    "`code` ```fence",
    "- item",
    "1. first",
    "12) twelfth",
    "> quote",
    "<img src=x onerror=alert(1)>",
    "<iframe src=//evil.example>",
    "&lt;b&gt; &#60;i&#62; &amp;",
    "<javascript:alert(1)>",
    "<https://evil.example/x>",
    "![i](javascript:alert(1))",
    "[r]: javascript:alert(1)",
    "<!-- hidden -->",
    "<a href='javascript:alert(1)' onclick=alert(1)>click</a>",
    "===",
    "---",
    "~~~",
    "+ plus",
    "ends with a backslash \\",
    "trailing spaces   ",
    "title ##",
)
PLACEHOLDER_CONTROLS = "esc\x1b[31mred \u202eevil\u202c tab\there"
SHOWN_TITLE = " ".join(" ".join(h.strip() for h in HOSTILE).split()) + \
    " esc\u241b[31mred \u27e8U+202E\u27e9evil\u27e8U+202C\u27e9 tab here"
"""The hostile title as it must print: every character, controls made visible."""


def hostile_case() -> Case:
    text = "\n".join(HOSTILE)
    one_line = " ".join(h.strip() for h in HOSTILE)

    def fill(table: str, item_id: str, **fixed: Any) -> Item:
        from secondview.core.model import SCHEMA, Kind
        values: dict[str, Any] = {}
        for spec in SCHEMA[table]:
            if spec.kind in (Kind.TEXT, Kind.DATE):
                values[spec.name] = text if spec.multiline else one_line
        values.update(fixed)
        return _item(table, item_id, **values)

    info = fill("case", "c", title=one_line + " " + PLACEHOLDER_CONTROLS)
    records = (fill("records", "r1", kind="labs", files=one_line, size=12,
                    sha256="<script>alert(1)</script>"),)
    transfers = (fill("transfers", "t1", record="r1", state="sent"),)
    opinions = (fill("opinions", "o1", order=1), fill("opinions", "o2", order=2))
    questions = (fill("questions", "q1", order=1.0, priority="high"),)
    answers = (fill("answers", "a1", question="q1", opinion="o1"),
               fill("answers", "a2", question="q1", opinion="o2"))
    checklist = (fill("checklist", "k1", template_id="general/sign-release"),)
    decision = fill("decision", "c")
    return Case("c", info, checklist=checklist, records=records, transfers=transfers,
                opinions=opinions, questions=questions, answers=answers, decision=decision)


class Page(HTMLParser):
    """Every tag, attribute and piece of text of an HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str, str]] = []
        self.text: list[str] = []
        self.in_head = False
        self.headings: list[tuple[str, str]] = []
        self._heading: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend((tag, name, value or "") for name, value in attrs)
        if tag in ("h1", "h2", "h3"):
            self._heading = tag
            self.headings.append((tag, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == self._heading:
            self._heading = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._heading:
            tag, seen = self.headings[-1]
            self.headings[-1] = (tag, seen + data)

    @property
    def body_text(self) -> str:
        return " ".join("".join(self.text).split())


def page_of(markup: str) -> Page:
    page = Page()
    page.feed(markup)
    page.close()
    return page


class Cells(HTMLParser):
    """The text of each table body cell (td) of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.cells: list[str] = []
        self.depth = 0
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "td":
            self.cells.append("")
        elif self.cells:
            self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        if self.cells:
            self.cells[-1] += data


def cells_of(markup: str) -> list[str]:
    """The td texts of ``markup``; any tag inside a cell fails the test."""
    parser = Cells()
    parser.feed(markup)
    parser.close()
    assert not [t for t in parser.tags if t not in ("tr",)], parser.tags
    return [c.strip("\n") for c in parser.cells]


ALLOWED_TAGS = {"html", "head", "meta", "title", "style", "body", "main", "h1", "h2", "h3",
                "p", "strong", "em", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th",
                "td", "hr", "code"}
ALLOWED_ATTRS = {("html", "lang"), ("meta", "charset"), ("meta", "http-equiv"),
                 ("meta", "content"), ("meta", "name"), ("h2", "class"), ("td", "class"),
                 ("ol", "start")}


def _normal(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("what", export.WHATS)
def test_hostile_text_stays_text_in_html(what: str) -> None:
    case = hostile_case()
    clean_doc = export.build(what, fixed_case(), TODAY)
    doc = export.build(what, case, TODAY)
    page = page_of(doc.html())
    assert set(page.tags) <= ALLOWED_TAGS, set(page.tags) - ALLOWED_TAGS
    assert {(t, a) for t, a, _ in page.attrs} <= ALLOWED_ATTRS
    assert not [a for a in page.attrs if a[1].startswith("on") or "javascript" in a[2]]
    assert page.tags.count("h1") == 1 and page.tags.count("script") == 0
    # the same sections as for a harmless case: hostile text made no heading of its own
    assert [t for t, _ in page.headings if t == "h2"] == \
        [t for t, _ in page_of(clean_doc.html()).headings if t == "h2"]
    h1 = next(text for tag, text in page.headings if tag == "h1")
    assert _normal(h1) == f"{export.TITLES[what]}: {SHOWN_TITLE}"
    shown = page.body_text
    for hostile in HOSTILE:
        assert _normal(hostile) in shown, hostile
    assert "esc\u241b[31mred \u27e8U+202E\u27e9evil\u27e8U+202C\u27e9 tab here" in shown
    assert "\x1b" not in doc.html() and "\u202e" not in doc.html()


@pytest.mark.parametrize("what", export.WHATS)
def test_hostile_text_keeps_the_markdown_structure(what: str) -> None:
    md = export.build(what, hostile_case(), TODAY).markdown
    # shown by a renderer that allows raw HTML, it is still only our tags, and no link
    page = page_of(permissive_parser().render(md))
    assert set(page.tags) <= ALLOWED_TAGS and not page.attrs, (set(page.tags), page.attrs)
    structure = [line for line in md.splitlines() if line.startswith(("#", "|---", "---"))]
    clean_structure = [line.split(" ")[0] for line in
                       export.build(what, fixed_case(), TODAY).markdown.splitlines()
                       if line.startswith(("#", "|---", "---"))]
    if what != "questions":  # the questions document has one heading per question
        assert [line.split(" ")[0] for line in structure] == clean_structure
    for line in md.splitlines():
        stripped = line.lstrip()
        assert not stripped.startswith(("<", "> ", "```", "~~~")), line
        assert not line.startswith("    "), line
    # the title is one heading line, its # escaped
    assert md.splitlines()[0].startswith(f"# {export.TITLES[what]}: \\# heading \\*x\\*")
    assert "\x1b" not in md and "\u202e" not in md


def permissive_parser() -> Any:
    """A CommonMark renderer with every rule on and raw HTML allowed: how someone else's
    tool may show the Markdown file."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).enable("table")


PARSERS = {"ours": export_html.markdown_parser, "permissive": permissive_parser}


@pytest.mark.parametrize("parser", PARSERS)
@settings(max_examples=int(os.environ.get("EXPORT_EXAMPLES", "300")), deadline=None)
@given(raw=st.text(alphabet=st.characters(codec="utf-8"), max_size=60))
def test_escaped_text_renders_as_itself(parser: str, raw: str) -> None:
    """Whatever a person typed comes back as the same characters (lines joined by " / ",
    controls made visible), as a paragraph, a table cell and a heading."""
    expected = " / ".join(markdown_escape.lines(raw))
    md = PARSERS[parser]()
    paragraph = page_of(md.render(markdown_escape.esc(raw))).text
    assert "".join(paragraph).strip("\n") == expected
    table = "| a | b |\n|---|---|\n| " + (markdown_escape.cell(raw) or " ") + " | x |\n"
    assert cells_of(md.render(table)) == [expected, "x"]
    heading = page_of(md.render("# T: " + markdown_escape.heading_text(raw)))
    # a heading is one line: the lines are joined by a space (a " / " typed stays as it is)
    assert heading.tags == ["h1"] and heading.headings == [
        ("h1", ("T: " + " ".join(markdown_escape.lines(raw))).strip())]


@pytest.mark.parametrize("parser", PARSERS)
@settings(max_examples=int(os.environ.get("EXPORT_EXAMPLES", "300")), deadline=None)
@given(raw=st.text(alphabet=st.sampled_from("#*_-+=~`<>[]()!|\\&;:1. \nabj/"), max_size=40))
def test_escaped_markdown_characters_never_make_structure(parser: str, raw: str) -> None:
    md = PARSERS[parser]()
    for markdown in (markdown_escape.esc(raw), "\n\n".join(markdown_escape.paragraphs(raw))):
        page = page_of(md.render(markdown)) if markdown else Page()
        assert set(page.tags) <= {"p"}, (raw, markdown, page.tags)
    table = "| a | b |\n|---|---|\n| " + (markdown_escape.cell(raw) or " ") + " | x |\n"
    assert len(cells_of(md.render(table))) == 2


# ---------------------------------------------------------------------------------------------
# The sub-command


class Run:
    """The export sub-command on a real repository in tmp folders: its parser made by
    ``exports.register`` (as cli.parser.build_parser does) and its handler called with a
    real ``Env``."""

    def __init__(self, root: Path, capsys: pytest.CaptureFixture[str],
                 monkeypatch: pytest.MonkeyPatch) -> None:
        self.root = root
        self.capsys = capsys
        for name, sub in (("DATA_DIR", "data"), ("CACHE_DIR", "cache"),
                          ("CONFIG_DIR", "config"), ("CASES", "cases")):
            monkeypatch.setenv(f"SECONDVIEW_{name}", str(root / sub))
        self.paths, self.config = Paths.resolve()
        self.repo = CaseRepository(self.paths, Device.load_or_create(self.paths.data_dir),
                                   today=TODAY)

    def case(self, writes: list[Write] | None = None, **values: Any) -> str:
        opened = self.repo.create({"title": "Mum - knee", **values}, extra=writes or [])
        return opened.case_id

    def __call__(self, *argv: str, ok: bool = True) -> tuple[str, str]:
        self.capsys.readouterr()
        parser = argparse.ArgumentParser(prog="secondview", exit_on_error=False)
        sub = parser.add_subparsers(dest="command")

        def add(name: str, summary: str, *, json: bool = False, epilog: str = "") -> Any:
            return sub.add_parser(name, help=summary, epilog=epilog or None)

        exports.register(add, "the case")
        args = parser.parse_args(list(argv))
        env = Env(self.paths, self.config, self.repo, lambda: None)
        code = args.handler(args, env)
        out, err = self.capsys.readouterr()
        assert code == (0 if ok else 1), (out, err)
        if not ok:
            assert err.startswith("secondview: ") and "Traceback" not in err
        return out, err


@pytest.fixture()
def run(tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> Run:
    runner = Run(tmp_path, capsys, monkeypatch)
    yield runner
    runner.repo.close()


def test_export_prints_the_brief_by_default(run: Run) -> None:
    case_id = run.case(condition="Knee pain")
    out, err = run("export", case_id)
    assert out.startswith("# Brief for a new doctor: Mum - knee\n") and err == ""
    assert "Knee pain" in out
    out, _ = run("export", "Mum - knee", "--what", "decision", "--format", "html")
    assert out.startswith("<!DOCTYPE html>") and "<h1>The decision: Mum - knee</h1>" in out


def test_export_writes_a_private_file_and_never_replaces_one_unasked(run: Run) -> None:
    case_id = run.case()
    target = run.root / "out" / "brief.html"
    target.parent.mkdir()
    out, _ = run("export", case_id, "-o", str(target))
    assert out == f"Wrote the brief (html) to {target}\n"
    assert target.read_text().startswith("<!DOCTYPE html>")  # the format follows the ending
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    target.write_text("mine")
    _, err = run("export", case_id, "-o", str(target), ok=False)
    assert "already exists; add --force to replace" in err
    assert target.read_text() == "mine"
    run("export", case_id, "-o", str(target), "--force")
    assert target.read_text().startswith("<!DOCTYPE html>")
    assert [p.name for p in target.parent.iterdir()] == ["brief.html"]  # no temp file left
    # into an existing folder: a file named after the case
    run("export", case_id, "--what", "packet", "-o", str(target.parent))
    assert (target.parent / "mum-knee-packet.md").read_text().startswith("# Records packet")


def test_export_all_writes_each_document_into_a_folder(run: Run) -> None:
    case_id = run.case()
    folder = run.root / "visit"
    out, err = run("export", case_id, "--what", "all", "--format", "html", "-o", str(folder))
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["mum-knee-brief.html", "mum-knee-decision.html", "mum-knee-packet.html",
                     "mum-knee-questions.html"]
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert all(stat.S_IMODE((folder / n).stat().st_mode) == 0o600 for n in names)
    assert "no comparison: 'Mum - knee' has 0 opinions; a comparison needs two" in err
    assert out.count("Wrote the ") == 4
    before = (folder / names[0]).read_text()
    _, err = run("export", case_id, "--what", "all", "--format", "html", "-o", str(folder),
                 ok=False)
    assert "and 1 more already exist; add --force" in err
    assert (folder / names[0]).read_text() == before
    out, _ = run("export", case_id, "--what", "all")  # Markdown to stdout: one after another
    assert out.count("\n# ") + out.startswith("# ") == 4


def test_export_refuses_what_it_cannot_do_with_a_clear_message(run: Run) -> None:
    case_id = run.case()
    cases = [
        (("--what", "letter"), "cannot export 'letter'; choose --what brief|questions|packet|"
                               "comparison|decision|all"),
        (("--format", "pdf"), "unknown format 'pdf'; choose --format md or --format html"),
        (("--what", "all", "--format", "html"), "name a folder for them with -o FOLDER"),
        (("--what", "comparison"), "'Mum - knee' has 0 opinions; a comparison needs two"),
        (("--what", "questions", "--doctor", "Smith"), "this case has no opinions yet"),
        (("--what", "brief", "--doctor", "Smith"), "--doctor is for --what questions, packet"),
        (("--what", "brief", "--opinions", "1", "2"), "--opinions is for --what comparison"),
        (("-o", str(run.root / "nowhere" / "x.md")), "nowhere does not exist; create it first"),
    ]
    for extra, message in cases:
        _, err = run("export", case_id, *extra, ok=False)
        assert message in err, (extra, err)
    file = run.root / "plain"
    file.write_text("x")
    _, err = run("export", case_id, "--what", "all", "-o", str(file), ok=False)
    assert "is a file; with --what all, -o names a folder" in err


def test_export_chooses_the_doctor_and_the_opinions(run: Run) -> None:
    from secondview.core.ids import new_id
    first, second = new_id(), new_id()
    q = new_id()
    writes = [
        Write("opinions", first, {"doctor": "Dr. Anna Berg", "order": 1, "diagnosis": "OA"}),
        Write("opinions", second, {"doctor": "Dr. Li Chen", "order": 2, "diagnosis": "OA"}),
        Write("questions", q, {"text": "How sure are you?", "order": 1.0}),
        Write("answers", new_id(), {"question": q, "opinion": second, "text": "Very sure"}),
    ]
    case_id = run.case(writes)
    out, _ = run("export", case_id, "--what", "questions", "--doctor", "chen")
    assert "For Dr. Li Chen" in out and "**Answered before:** Very sure" in out
    out, _ = run("export", case_id, "--what", "comparison", "--opinions", "chen", "berg")
    assert "**A:** Dr. Li Chen" in out and "**B:** Dr. Anna Berg" in out
    _, err = run("export", case_id, "--what", "comparison", "--opinions", "Dr", "1", ok=False)
    assert "'Dr' fits 2 opinions" in err


def test_replica_hands_over_to_sync(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    case_id = run.case()
    target = run.root / "r.json"
    _, err = run("export", case_id, "--replica", str(target), "--what", "brief", ok=False)
    assert "--replica writes the case's replica file on its own; leave out --what" in err

    calls = []
    monkeypatch.setattr(exports, "export_replica",
                        lambda env, ref, path, force: calls.append((env.repo, ref, path, force))
                        or 0)
    run("export", case_id, "--replica", str(target))
    run("export", case_id, "--replica", str(target), "--force")
    assert calls == [(run.repo, case_id, target, False), (run.repo, case_id, target, True)]


def test_secondview_export_from_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole way through ``cli.main``: the sub-command is registered, --help describes
    the documents, a file is written, and --replica reaches the sync module."""
    for name, sub in (("DATA_DIR", "data"), ("CACHE_DIR", "cache"), ("CONFIG_DIR", "config"),
                      ("CASES", "cases")):
        monkeypatch.setenv(f"SECONDVIEW_{name}", str(tmp_path / sub))
    assert cli.main(["new", "Mum - knee", "--condition", "Knee pain"]) == 0
    case_id = capsys.readouterr().out.strip()
    assert cli.main(["export", "--help"]) == 0
    helped = capsys.readouterr().out
    assert "brief       one page for a doctor new to the case" in helped
    target = tmp_path / "brief.html"
    assert cli.main(["export", case_id[:8], "--what", "brief", "-o", str(target)]) == 0
    assert capsys.readouterr().out == f"Wrote the brief (html) to {target}\n"
    assert "<h1>Brief for a new doctor: Mum - knee</h1>" in target.read_text()
    assert cli.main(["export", "Mum - knee", "--what", "letter"]) == 1
    assert capsys.readouterr().err.startswith("secondview: cannot export 'letter'")
    replica = tmp_path / "copy.json"
    assert cli.main(["export", case_id, "--replica", str(replica)]) == 0
    assert f"to {replica}" in capsys.readouterr().out
    assert case_id in replica.read_text()


# ---------------------------------------------------------------------------------------------
# Issue 14: what the packet says must agree with itself and with the app's words


def test_the_packet_names_record_kinds_as_the_app_does() -> None:
    md = export.build("packet", fixed_case(), TODAY).markdown
    assert "| Imaging report |" in md and "| Imaging files |" in md
    assert "| Doctors' notes |" in md and "| Medication list |" in md
    for code in ("imaging_report", "imaging report |", "imaging images", "physician notes"):
        assert code not in md, code


def _with(case: Case, table: str, item_id: str, **values: Any) -> Case:
    items = tuple(
        Item(i.table, i.id, {**i.values, **values}, i.conflicts, i.changed_at)
        if i.id == item_id else i for i in case.table(table))
    return dataclasses.replace(case, **{table: items})


def test_the_release_steps_agree_with_the_release_column() -> None:
    # every release the office's records need is signed, but nobody ticked the step
    case = _with(fixed_case(), "transfers", "tr-2", authorisation_signed=True)
    case = _with(case, "checklist", "c-1", done=False)
    md = export.packet(case, TODAY, "Dr. Chen (City Knee Clinic)").markdown
    assert md.count("| ☑ |") == 2  # the release column: both provider records signed
    assert "- ☑ Sign a release form" in md and "- ☐ Sign a release form" not in md
    # the step ticked, but one of the office's records still waits for its release
    case = _with(fixed_case(), "checklist", "c-1", done=True)
    md = export.packet(case, TODAY, "Dr. Chen (City Knee Clinic)").markdown
    assert "- ☐ Sign a release form" in md and "- ☑ Sign a release form" not in md
    # with no office named, the table cannot say: the checklist's own tick stands
    md = export.packet(case, TODAY, "").markdown
    assert "- ☑ Sign a release form" in md


# ---------------------------------------------------------------------------------------------
# Issue 12: the packet lists only files that exist


SHA_SCAN, SHA_GONE, SHA_KEPT = ("a" * 64, "b" * 64, "c" * 64)


def _case_with_three_files(here: Path) -> Case:
    """One record with a file that is on this device, one that is not (attached elsewhere,
    or moved since) and a copy kept in the case."""
    base = fixed_case()
    files = (
        _item("attachments", "f-1", record="rec-mri", path=str(here / "scan.pdf"),
              kind="file", size=6, file_count=1, sha256=SHA_SCAN),
        _item("attachments", "f-2", record="rec-mri", path=str(here / "moved" / "letter.pdf"),
              kind="file", size=9, file_count=1, sha256=SHA_GONE),
        _item("attachments", "f-3", record="rec-mri", path="Visit note.txt", kind="kept",
              size=12, file_count=1, sha256=SHA_KEPT),
    )
    return dataclasses.replace(base, records=base.records[:1], transfers=(), attachments=files)


def _checksum_rows(md: str) -> list[str]:
    table = md.split("## Attached files and checksums")[1].split(export_packet.CHECKSUM_HELP)[0]
    return [line for line in table.splitlines() if line.startswith("| ")][1:]


def test_the_packet_sends_only_the_files_on_this_device(tmp_path: Path) -> None:
    from secondview.store.exports import write_export

    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1")
    case = _case_with_three_files(tmp_path)
    target = tmp_path / "packet.md"
    write_export(case, TODAY, "packet", "md", target)
    md = target.read_text(encoding="utf-8")
    rows = _checksum_rows(md)
    assert len(rows) == 2
    assert any("scan.pdf" in r and SHA_SCAN in r for r in rows)
    assert any("Visit note.txt" in r and SHA_KEPT in r for r in rows)
    assert SHA_GONE not in md and "not computed" not in md
    assert "2 attached files or folders are listed below" in md
    missing = md.split("Not on this device")[1].split("## Attached files and checksums")[0]
    assert "- Record 1: letter.pdf" in missing  # its name: the path would name the account
    assert str(tmp_path) not in md
    assert "| MRI of the right knee, report | Imaging report | 2025-11-02 | Northside " \
        "Imaging | 2 |" in md


def test_the_packet_from_the_command_line_leaves_out_a_file_not_on_this_device(
        run: Run, tmp_path: Path) -> None:
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1")
    writes = [Write("records", "r-1", {"title": "MRI report", "kind": "imaging_report"})]
    for name, sha in (("scan.pdf", SHA_SCAN), ("gone.pdf", SHA_GONE)):
        writes.append(Write("attachments", f"att-{name}", {
            "record": "r-1", "path": str(tmp_path / name), "kind": "file", "size": 6,
            "file_count": 1, "sha256": sha}))
    case_id = run.case(writes)
    for what in ("packet", "all"):
        out, _ = run("export", case_id, "--what", what)
        packet = out[out.index("# Records packet"):]
        rows = _checksum_rows(packet)
        assert len(rows) == 1 and SHA_SCAN in rows[0], what
        assert SHA_GONE not in packet and "- Record 1: gone.pdf" in packet, what


def test_the_golden_packet_is_unchanged_when_every_file_is_on_this_device() -> None:
    case = fixed_case()
    every = {f.path for r in case.records for f in attached_files(case, r)}
    for fmt in export.FORMATS:
        text = export.build("packet", case, TODAY, present=frozenset(every)).render(fmt)
        assert text == (GOLDEN / f"packet.{fmt}").read_text(encoding="utf-8"), fmt
