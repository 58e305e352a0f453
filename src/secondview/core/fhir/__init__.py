"""FHIR R4 import: what a patient portal exports, turned into records of a case.

Two pure steps, no I/O (the ``import-fhir`` sub-command and the import dialog read the file
through ``store.imports`` and save):

- ``parse(data)`` reads the bytes of an export: a Bundle (JSON), a single resource, a JSON
  list of resources, or NDJSON (one resource per line, as FHIR bulk exports write them).
  Bundles inside bundles are opened. What cannot be read as resources (bad JSON, an entry that
  is not an object, a resource without ``resourceType``) becomes a problem naming where it is.
- ``plan(parsed, state)`` maps the resources to Writes of ``records``:

  - DocumentReference, DiagnosticReport and ImagingStudy become one record each (kind, title,
    date, who holds it, the attachment reference as text in ``files``, details in ``notes``),
    except that resources holding one document (a note sent as a report and as a document)
    become one record between them;
  - Observations that no DiagnosticReport in the file lists as a result: a panel is one
    record, the other results are grouped by date (titled by what they hold), and those that
    are not results (vital signs, survey answers...) are counted, kept only when asked
    (``observation_groups``);
  - every other resource type is counted and reported, never imported.

  Each record keeps the keys of the resources it came from in ``fhir_id`` (``Type/id``, else
  the Bundle entry's ``fullUrl``, else a hash of the resource), and its document id is derived
  from the case id and those keys, so importing the same file again adds nothing, and two
  devices importing it offline write the same documents (merged as one, not two).

A resource of an imported type whose elements have the wrong JSON type (a ``content`` that is
not a list, a quantity's value that is text...) or that lacks what the record is made from (a
report's ``code``) is malformed. One malformed resource, or a file holding several patients'
records, and the plan holds no writes at all: nothing is ever half-imported.

Where each part lives (each module imports only those listed before it):

- ``values``: typed readers of a resource's elements (``Malformed``), dates, clipping;
- ``reading``: bytes -> resources (``parse``, ``Parsed``, ``Resource``);
- ``keys``: resource keys, content fingerprints, record ids;
- ``kinds``: the LOINC, report category and keyword tables deciding a record's kind;
- ``observations``: an Observation as a result line, and when it was made;
- ``observation_groups``: which Observations are results, their panels and group titles;
- ``references``: following references in the file, names of people and organisations;
- ``narrative``: a resource's XHTML narrative as plain text, when it says more;
- ``documents``: which resources hold the same document;
- ``drafts``: each imported resource type -> a draft record;
- ``planning``: the import plan against a case (``Plan``, ``plan``, ``known_keys``).

This package re-exports the names callers use. Nothing happens when it is imported.
"""

from __future__ import annotations

from .keys import NAMESPACE, record_id, resource_key
from .kinds import KEYWORD_KINDS, LOINC_KINDS, REPORT_CATEGORY_KINDS
from .planning import GROUP_SIZE, IMPORTED_TYPES, SKIPPED_STATUSES, Plan, known_keys, plan
from .reading import MAX_NESTING, Parsed, Resource, parse

__all__ = [
    "GROUP_SIZE", "IMPORTED_TYPES", "KEYWORD_KINDS", "LOINC_KINDS", "MAX_NESTING", "NAMESPACE",
    "REPORT_CATEGORY_KINDS", "SKIPPED_STATUSES", "Parsed", "Plan", "Resource", "known_keys",
    "parse", "plan", "record_id", "resource_key",
]
