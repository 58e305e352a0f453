"""A small book of clients for the search tests: Garcia's MRI went to Dr. Adams and Dr.
Patel; Lee's case is archived and holds a question about Dr. Okafor."""

from __future__ import annotations

from ui_kit import World, case_uuid, seed_case

GARCIA = case_uuid(21)
LEE = case_uuid(22)
NG = case_uuid(23)
MRI = "00000000-0000-4000-8000-0000000000a1"
PATEL = "00000000-0000-4000-8000-0000000000a2"
XRAY = "00000000-0000-4000-8000-0000000000a3"
QUESTION = "00000000-0000-4000-8000-0000000000a4"
ADAMS = "00000000-0000-4000-8000-0000000000a5"


def seed_search(world: World) -> None:
    seed_case(world, GARCIA, {"title": "Garcia, Maria", "condition": "Lumbar stenosis"}, [
        ("records", XRAY, {"title": "X-ray hip", "kind": "imaging"}),
        ("records", MRI, {"title": "MRI lumbar spine", "kind": "imaging",
                          "source": "Valley Imaging"}),
        ("transfers", ADAMS, {"record": MRI, "recipient": "Dr. Adams",
                              "requested_on": "2026-09-01"}),
        ("transfers", PATEL, {"record": MRI, "recipient": "Dr. Patel",
                              "requested_on": "2026-09-01"}),
    ], index=False)
    seed_case(world, NG, {"title": "Ng, Sam", "condition": "Asthma"}, index=False)
    seed_case(world, LEE, {"title": "Lee, Ann", "condition": "Knee pain", "archived": True}, [
        ("questions", QUESTION, {"text": "Would Dr. Okafor operate?"}),
    ])
