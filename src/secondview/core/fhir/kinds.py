"""Which kind of record a document or report is: LOINC codes, report categories, keywords.

A record's kind comes from the first code, in the order given, found in a table (a LOINC
document or report code, an HL7 v2-0074 diagnostic service section), else from the first
keyword pattern its words match, else "other". The tables are data; nothing happens when this
module is imported beyond building them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

LOINC_KINDS: dict[str, str] = {
    "11506-3": "physician_notes",  # progress note
    "34117-2": "physician_notes",  # history and physical
    "11488-4": "physician_notes",  # consult note
    "34111-5": "physician_notes",  # emergency department note
    "18842-5": "discharge_summary",
    "11526-1": "pathology_report",  # pathology study
    "60567-5": "pathology_report",  # comprehensive pathology report
    "47527-7": "pathology_report",  # cytology report of a cervical or vaginal smear
    "11504-8": "operative_report",  # surgical operation note
    "28570-0": "operative_report",  # procedure note
    "18748-4": "imaging_report",  # diagnostic imaging study
    "18726-0": "imaging_report",  # radiology studies
    "11502-2": "labs",  # laboratory report
    "51969-4": "genetic_tests",  # genetic analysis report
    "18776-5": "treatment_plan",  # plan of care note
    "10160-0": "medication_list",  # history of medication use
    "56445-0": "medication_list",  # medication summary
    "LP29684-5": "imaging_report",  # radiology (US Core note category)
    "LP7839-6": "pathology_report",  # pathology (US Core note category)
}
"""LOINC document and report codes -> record kind."""

REPORT_CATEGORY_KINDS: dict[str, str] = {
    **dict.fromkeys(("LAB", "BG", "BLB", "CH", "HM", "IMM", "MB", "MCB", "MYC", "OSL", "SE",
                     "SR", "TX", "URN", "VR"), "labs"),
    **dict.fromkeys(("RAD", "CT", "NMR", "NMS", "OUS", "RUS", "RX", "VUS", "XRC", "CUS"),
                    "imaging_report"),
    **dict.fromkeys(("SP", "CP"), "pathology_report"),
    **dict.fromkeys(("GE", "CG"), "genetic_tests"),
    "PHY": "physician_notes",
}
"""HL7 v2-0074 diagnostic service sections (DiagnosticReport.category) -> record kind."""

KEYWORD_KINDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"patholog|biops|cytolog|histolog"), "pathology_report"),
    (re.compile(r"discharge"), "discharge_summary"),
    (re.compile(r"operative|operation|surg|procedure note"), "operative_report"),
    (re.compile(r"radiolog|imaging|x-ray|xray|ultrasound|mammogra|tomograph|\b(ct|mri|pet)\b"),
     "imaging_report"),
    (re.compile(r"genetic|genomic|molecular"), "genetic_tests"),
    (re.compile(r"\blab|panel|blood|urin|serum|plasma|culture"), "labs"),
    (re.compile(r"medication|prescription"), "medication_list"),
    (re.compile(r"care plan|treatment plan|plan of care"), "treatment_plan"),
    (re.compile(r"note|letter|consult|summary|history and physical|visit"), "physician_notes"),
)
"""Patterns in a record's words (lower case) -> record kind, the first match winning."""

LOINC_NAMES: dict[str, str] = {
    "11506-3": "Progress note",
    "34117-2": "History and physical note",
    "11488-4": "Consult note",
    "34111-5": "Emergency department note",
    "18842-5": "Discharge summary",
    "11526-1": "Pathology report",
    "60567-5": "Pathology report",
    "47527-7": "Cytology report (Pap smear)",
    "11504-8": "Surgical operation note",
    "28570-0": "Procedure note",
    "18748-4": "Diagnostic imaging report",
    "18726-0": "Radiology report",
    "11502-2": "Laboratory report",
    "51969-4": "Genetic analysis report",
    "18776-5": "Plan of care note",
    "10160-0": "Medication history",
    "56445-0": "Medication summary",
}
"""A title for a record whose code is a bare LOINC code, with no display or text."""

REPORT_KINDS: dict[str, str] = {**LOINC_KINDS, **REPORT_CATEGORY_KINDS}
"""The codes a DiagnosticReport's code and category may carry -> record kind."""


def kind_of(codes: Iterable[str], words: Iterable[str], by_code: Mapping[str, str]) -> str:
    """The record kind of the first of ``codes`` (in their order) in ``by_code``, else of
    the first keyword pattern ``words`` match, else "other"."""
    for code in codes:
        if code in by_code:
            return by_code[code]
    text = " ".join(words).lower()
    for pattern, kind in KEYWORD_KINDS:
        if pattern.search(text):
            return kind
    return "other"
