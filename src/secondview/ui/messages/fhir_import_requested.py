"""FhirImportRequested: the person asked to import records from a FHIR export."""

from __future__ import annotations

from textual.message import Message


class FhirImportRequested(Message):
    """Open the FHIR import dialog for the open case; the records it plans are saved by the
    case screen in one save (one file write, one log line, one ctrl+z)."""
