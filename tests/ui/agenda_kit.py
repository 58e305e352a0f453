"""Cases with something due, for the agenda's Pilot and snapshot tests (today is 2026-09-14,
ui_kit's): an overdue record request, a step overdue and one due soon, and an archived case
whose step is left out."""

from __future__ import annotations

from ui_kit import World, case_uuid, seed_case

DAD, MUM, OLD = case_uuid(1), case_uuid(2), case_uuid(3)
SLIDES, SLIDES_ASKED = case_uuid(201), case_uuid(301)
RELEASE, CALL, BOOK = case_uuid(501), case_uuid(502), case_uuid(503)
LIN, ROY = case_uuid(601), case_uuid(602)
SEEN, NEXT = case_uuid(701), case_uuid(702)


def seed_agenda(world: World) -> None:
    """Today is 2026-09-14 (ui_kit): the slides were asked for 56 days ago; Dad saw Dr. Roy
    on 8 September (no opinion recorded); Mum sees Dr. Lin on the 18th."""
    seed_case(world, DAD, {"title": "Dad - prostate"}, [
        ("records", SLIDES, {"title": "Pathology slides", "kind": "pathology"}),
        ("transfers", SLIDES_ASKED, {"record": SLIDES, "recipient": "Dr. Sarah Lin",
                                     "from_provider": True, "requested_on": "2026-07-20"}),
        ("doctors", ROY, {"name": "Dr. Roy", "institution": "City Hospital"}),
        ("appointments", SEEN, {"doctor_id": ROY, "date": "2026-09-08", "status": "done"}),
    ])
    seed_case(world, MUM, {"title": "Mum - knee"}, [
        ("checklist", CALL, {"text": "Call the clinic", "phase": "preparing",
                             "order": 1.0}),
        ("checklist", RELEASE, {"text": "Sign the release form", "phase": "preparing",
                                "due": "2026-09-10", "order": 2.0}),
        ("checklist", BOOK, {"text": "Book the second visit", "phase": "preparing",
                             "due": "2026-09-20", "order": 3.0}),
        ("doctors", LIN, {"name": "Dr. Sarah Lin"}),
        ("appointments", NEXT, {"doctor_id": LIN, "date": "2026-09-18", "time": "14:30",
                                "zone": "Europe/London", "status": "planned",
                                "place": "University Cancer Center"}),
    ])
    seed_case(world, OLD, {"title": "Old shoulder", "archived": True}, [
        ("checklist", case_uuid(504), {"text": "Archived step", "due": "2026-09-15"}),
    ])


