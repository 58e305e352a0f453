"""SVG snapshots of the records pane: records (two with attached files, marked), the highlighted
record's attached file and its transfers in every state, one of them overdue, on fixed data
(ids, clock, day 2026-09-14, device, TZ=UTC).

The record kinds' hints come from a small content set made here (not content/, whose wording
changes), so the images change only when the pane does. Update the baselines with
`pytest tests/snapshots/test_records_snapshots.py --snapshot-update` after looking at them.
"""

from __future__ import annotations

from secondview.core.content import Content
from secondview.core.content_items import RecordKind

from ui_kit import case_uuid, seed_case, settle

CASE = case_uuid(1)
MRI, BLOODS, XRAY, SLIDES = (case_uuid(n) for n in (201, 202, 203, 204))

KINDS = [
    RecordKind("labs", "Lab results", "Every blood test from the last year, with ranges.",
               "The lab, or the doctor who ordered the tests.", 30),
    RecordKind("imaging_report", "Imaging report", "The written report on each scan.",
               "The imaging centre that did the scan.", 30),
    RecordKind("imaging_images", "Imaging files", "The scans themselves, on a disc or a link.",
               "The imaging centre that did the scan.", 30),
    RecordKind("pathology_slides", "Pathology slides", "The glass slides of the biopsy.",
               "The pathology lab that read them.", 30),
]


def seed(world) -> None:
    seed_case(world, CASE, {"title": "Mum - knee surgery", "condition": "osteoarthritis"}, [
        ("records", MRI, {"title": "MRI report", "kind": "imaging_report",
                          "date": "2026-06-02", "source": "City Imaging",
                          "files": "/home/sam/scans/mri-report.pdf",
                          "notes": "Left knee, with contrast.\nAsk for the 2025 scan too."}),
        ("records", BLOODS, {"title": "Blood tests", "kind": "labs", "date": "2026-07-20",
                             "source": "Acme Lab"}),
        ("records", XRAY, {"title": "Knee X-ray images", "kind": "imaging_images",
                           "source": "City Imaging"}),
        ("records", SLIDES, {"title": "Biopsy slides", "kind": "pathology_slides",
                             "date": "2026-05-11", "source": "County Pathology"}),
        ("transfers", case_uuid(301), {"record": MRI, "recipient": "Dr Lind",
                                       "state": "confirmed", "requested_on": "2026-07-01",
                                       "sent_on": "2026-07-03", "received_on": "2026-07-08",
                                       "confirmed_on": "2026-07-09",
                                       "authorisation_signed": True, "from_provider": True}),
        ("transfers", case_uuid(302), {"record": MRI, "recipient": "Dr Park",
                                       "state": "requested", "requested_on": "2026-08-01",
                                       "from_provider": True}),
        ("transfers", case_uuid(303), {"record": MRI, "recipient": "Prof Ng",
                                       "state": "sent", "requested_on": "2026-09-01",
                                       "sent_on": "2026-09-05", "from_provider": True,
                                       "authorisation_signed": True}),
        ("transfers", case_uuid(304), {"record": MRI, "recipient": "Dr Ames",
                                       "state": "received", "requested_on": "2026-08-20",
                                       "sent_on": "2026-08-25", "received_on": "2026-09-02",
                                       "from_provider": False, "authorisation_signed": True}),
        ("transfers", case_uuid(305), {"record": BLOODS, "recipient": "Dr Park",
                                       "state": "requested", "requested_on": "2026-09-04",
                                       "from_provider": True}),
        ("transfers", case_uuid(306), {"record": SLIDES, "recipient": "Prof Ng",
                                       "state": "confirmed", "confirmed_on": "2026-06-01",
                                       "authorisation_signed": True}),
        ("attachments", case_uuid(601), {"record": MRI, "path": "~/scans/mri-report.pdf",
                                         "kind": "file", "size": 482_113, "file_count": 1,
                                         "sha256": "9f2c1e7a" * 8,
                                         "hashed_at": "2026-09-10T08:30:00Z"}),
        ("attachments", case_uuid(602), {"record": XRAY, "path": "/media/cd/DICOM",
                                         "kind": "folder", "size": 312_004_551,
                                         "file_count": 312, "sha256": "04ab77d1" * 8,
                                         "hashed_at": "2026-09-11T17:05:09Z"}),
    ])


def _records(*keys: str, theme: str | None = None):
    """Open the case, show the records, highlight the MRI report, press ``keys``."""

    async def run(pilot):
        await settle(pilot)
        if theme is not None:
            pilot.app.theme = theme
        for key in ("enter", "3", "down", "down", *keys):
            await pilot.press(key)
            await settle(pilot)
        await pilot.pause()

    return run


def test_records_pane(snap_compare, make_app, world):
    seed(world)
    app = make_app(content=Content(record_kinds=KINDS))
    assert snap_compare(app, terminal_size=(120, 40), run_before=_records())


def test_records_pane_light_theme_in_the_transfers(snap_compare, make_app, world):
    seed(world)
    app = make_app(content=Content(record_kinds=KINDS))
    run = _records("tab", "down", "down", theme="secondview-light")  # Dr Park: overdue
    assert snap_compare(app, terminal_size=(120, 40), run_before=run)


def test_records_pane_80x24(snap_compare, make_app, world):
    seed(world)
    app = make_app(content=Content(record_kinds=KINDS))
    assert snap_compare(app, terminal_size=(80, 24), run_before=_records("tab"))
