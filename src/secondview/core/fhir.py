"""FHIR R4 import: what a patient portal exports, turned into records of a case.

Two pure steps, no I/O (the ``import-fhir`` sub-command reads the file and saves):

- ``parse(data)`` reads the bytes of an export: a Bundle (JSON), a single resource, a JSON
  list of resources, or NDJSON (one resource per line, as FHIR bulk exports write them).
  Bundles inside bundles are opened. What cannot be read as resources (bad JSON, an entry that
  is not an object, a resource without ``resourceType``) becomes a problem naming where it is.
- ``plan(parsed, state)`` maps the resources to Writes of ``records``:

  - DocumentReference, DiagnosticReport and ImagingStudy become one record each (kind, title,
    date, who holds it, the attachment reference as text in ``files``, details in ``notes``);
  - Observations that no DiagnosticReport in the file lists as a result are grouped by date
    into one lab record per date (the results, one per line, in ``notes``);
  - every other resource type is counted and reported, never imported.

  Each record keeps the keys of the resources it came from in ``fhir_id`` (``Type/id``, else
  the Bundle entry's ``fullUrl``, else a hash of the resource), and its document id is derived
  from the case id and those keys, so importing the same file again adds nothing, and two
  devices importing it offline write the same documents (merged as one, not two).

A resource of an imported type whose elements have the wrong JSON type (a ``content`` that is
not a list, a quantity's value that is text...) or that lacks what the record is made from (a
report's ``code``) is malformed. One malformed resource, or a file holding several patients'
records, and the plan holds no writes at all: nothing is ever half-imported.

Resource ids are unique per server only: two servers that both export ``Observation/1`` are
taken as one resource (real servers use long opaque ids, so this is unlikely).
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from . import model
from .field_spec import MAX_TEXT
from .replica import DELETED, CaseState, Write

IMPORTED_TYPES = ("DocumentReference", "DiagnosticReport", "ImagingStudy", "Observation")
MAX_NESTING = 8
"""Bundles inside bundles opened at most this deep."""
GROUP_SIZE = 150
"""Observations per lab record at most: their keys must fit the ``fhir_id`` field."""
NAMESPACE = uuid.UUID("5f0c8d8e-3d6b-4f43-9a55-6a8e2f1f7c21")
"""For document ids derived from a case id and resource keys (uuid5)."""
SKIPPED_STATUSES = {"entered-in-error", "cancelled"}
"""A resource with one of these statuses was withdrawn by its source: not imported."""


class _Bad(Exception):
    """A resource element of the wrong shape; the message says which and how."""


# -- reading the file ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Resource:
    """One resource found in the file, with where it was (for messages) and its fullUrl."""

    data: Mapping[str, Any]
    where: str
    full_url: str = ""

    @property
    def type(self) -> str:
        return self.data["resourceType"]


@dataclass(frozen=True)
class Parsed:
    """What ``parse`` found: the resources, the problems (malformed input) and the file's form."""

    resources: tuple[Resource, ...]
    problems: tuple[str, ...] = ()
    form: str = ""
    """"Bundle", "resource", "list" or "NDJSON"."""
    empty_entries: int = 0
    """Bundle entries with no resource (a deleted one in a history, a response): skipped."""


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "an object"


class _Reader:
    """Collects resources from decoded JSON values, opening bundles."""

    def __init__(self) -> None:
        self.resources: list[Resource] = []
        self.problems: list[str] = []
        self.empty_entries = 0

    def take(self, value: Any, where: str, full_url: str = "", depth: int = 0) -> None:
        if not isinstance(value, dict):
            self.problems.append(f"{where}: expected a FHIR resource (an object), "
                                 f"found {_json_type(value)}")
            return
        rtype = value.get("resourceType")
        if not isinstance(rtype, str) or not rtype.strip():
            self.problems.append(f"{where}: not a FHIR resource (no resourceType)")
            return
        rid = value.get("id")
        if rid is not None and not isinstance(rid, str):
            self.problems.append(f"{where} ({rtype}): id should be text, found {_json_type(rid)}")
            return
        if rtype != "Bundle":
            self.resources.append(Resource(value, where, full_url))
            return
        if depth >= MAX_NESTING:
            self.problems.append(f"{where}: bundles nested more than {MAX_NESTING} deep")
            return
        entries = value.get("entry", [])
        if not isinstance(entries, list):
            self.problems.append(f"{where} (Bundle): entry should be a list, "
                                 f"found {_json_type(entries)}")
            return
        for n, entry in enumerate(entries, start=1):
            here = f"entry {n}" if depth == 0 and where == "the file" else f"{where}, entry {n}"
            if not isinstance(entry, dict):
                self.problems.append(f"{here}: expected an object, found {_json_type(entry)}")
                continue
            url = entry.get("fullUrl", "")
            if not isinstance(url, str):
                self.problems.append(f"{here}: fullUrl should be text, found {_json_type(url)}")
                continue
            if "resource" not in entry:
                self.empty_entries += 1
                continue
            self.take(entry["resource"], here, url, depth + 1)


def parse(data: bytes) -> Parsed:
    """Read an export's bytes: a Bundle, one resource, a JSON list, or NDJSON. Never raises."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return Parsed((), (f"not UTF-8 text (byte {exc.start + 1}); FHIR JSON is UTF-8",))
    if not text.strip():
        return Parsed((), ("the file is empty",))
    reader = _Reader()
    try:
        whole = json.loads(text)
    except RecursionError:
        return Parsed((), ("the JSON is nested too deeply to be a FHIR export",))
    except ValueError as exc:
        whole = exc
    if not isinstance(whole, ValueError):
        if isinstance(whole, list):
            for n, value in enumerate(whole, start=1):
                reader.take(value, f"item {n}")
            form = "list"
        else:
            reader.take(whole, "the file")
            form = "Bundle" if isinstance(whole, dict) and whole.get("resourceType") == "Bundle" \
                else "resource"
        return Parsed(tuple(reader.resources), tuple(reader.problems), form,
                      reader.empty_entries)
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    try:
        json.loads(first)
        ndjson = sum(1 for line in lines if line.strip()) > 1
    except (ValueError, RecursionError):
        ndjson = False
    if not ndjson:
        exc = whole
        where = f" at line {exc.lineno}, column {exc.colno}" if hasattr(exc, "lineno") else ""
        reason = exc.msg if hasattr(exc, "msg") else str(exc)
        return Parsed((), (f"not valid JSON{where} ({reason}); expected a FHIR Bundle, a "
                           "resource, or NDJSON (one resource per line)",))
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except RecursionError:
            reader.problems.append(f"line {n}: nested too deeply")
            continue
        except ValueError as exc:
            reason = getattr(exc, "msg", str(exc))
            reader.problems.append(f"line {n}: not valid JSON ({reason})")
            continue
        reader.take(value, f"line {n}")
    return Parsed(tuple(reader.resources), tuple(reader.problems), "NDJSON", reader.empty_entries)


# -- reading resources ---------------------------------------------------------------------------


_WANT = {str: "text", list: "a list", dict: "an object", bool: "true/false", int: "a whole number"}


def _get(obj: Mapping[str, Any], name: str, kind: type | tuple[type, ...], path: str) -> Any:
    """``obj[name]`` if present and of ``kind``; None if absent; _Bad if of another type."""
    value = obj.get(name)
    if value is None:
        return None
    if kind is bool:
        ok = isinstance(value, bool)
    elif kind is int or kind == (int, float):
        ok = isinstance(value, kind) and not isinstance(value, bool)
    else:
        ok = isinstance(value, kind)
    if not ok:
        want = _WANT.get(kind, "a number")  # type: ignore[call-overload]
        raise _Bad(f"{path}{name} should be {want}, found {_json_type(value)}")
    return value


def _text(obj: Mapping[str, Any], name: str, path: str = "") -> str:
    return (_get(obj, name, str, path) or "").strip()


def _list(obj: Mapping[str, Any], name: str, path: str = "") -> list[Any]:
    return _get(obj, name, list, path) or []


def _objects(obj: Mapping[str, Any], name: str, path: str = "") -> list[dict[str, Any]]:
    items = _list(obj, name, path)
    for n, item in enumerate(items):
        if not isinstance(item, dict):
            raise _Bad(f"{path}{name}[{n}] should be an object, found {_json_type(item)}")
    return items


def _object(obj: Mapping[str, Any], name: str, path: str = "") -> dict[str, Any]:
    return _get(obj, name, dict, path) or {}


def _number(obj: Mapping[str, Any], name: str, path: str = "") -> float | int | None:
    return _get(obj, name, (int, float), path)


def _codings(concept: Mapping[str, Any], path: str) -> list[dict[str, Any]]:
    return _objects(concept, "coding", path)


def _concept_text(concept: Mapping[str, Any], path: str) -> str:
    """The words of a CodeableConcept: its text, else its first coding's display, else code."""
    if not concept:
        return ""
    words = _text(concept, "text", path)
    if words:
        return words
    for n, coding in enumerate(_codings(concept, path)):
        display = _text(coding, "display", f"{path}coding[{n}].")
        if display:
            return display
    for n, coding in enumerate(_codings(concept, path)):
        code = _text(coding, "code", f"{path}coding[{n}].")
        if code:
            return code
    return ""


def _codes(concept: Mapping[str, Any], path: str) -> set[str]:
    return {
        _text(c, "code", f"{path}coding[{n}].") for n, c in enumerate(_codings(concept, path))
    } - {""}


_DATE = re.compile(r"^(\d{4})(-(\d{2})(-(\d{2}))?)?")


def _date(value: str) -> tuple[str, str]:
    """(ISO date or "", the text as given when it is not a whole date)."""
    if not value:
        return "", ""
    m = _DATE.match(value)
    if m and m.group(5):
        iso = value[:10]
        try:
            return model.spec("records", "date").parse(iso), ""
        except model.InvalidValue:
            return "", value
    return "", value


def _clip(text: str, limit: int = MAX_TEXT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _bytes(n: int | float) -> str:
    n = int(n)
    for unit in ("bytes", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:,} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n = n / 1000  # type: ignore[assignment]
    return f"{n} bytes"


# -- kinds ---------------------------------------------------------------------------------------

LOINC_KINDS = {
    "11506-3": "physician_notes",  # progress note
    "34117-2": "physician_notes",  # history and physical
    "11488-4": "physician_notes",  # consult note
    "34111-5": "physician_notes",  # emergency department note
    "18842-5": "discharge_summary",
    "11526-1": "pathology_report",  # pathology study
    "60567-5": "pathology_report",  # comprehensive pathology report
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

REPORT_CATEGORY_KINDS = {
    **dict.fromkeys(("LAB", "BG", "BLB", "CH", "HM", "IMM", "MB", "MCB", "MYC", "OSL", "SE",
                     "SR", "TX", "URN", "VR"), "labs"),
    **dict.fromkeys(("RAD", "CT", "NMR", "NMS", "OUS", "RUS", "RX", "VUS", "XRC", "CUS"),
                    "imaging_report"),
    **dict.fromkeys(("SP", "CP"), "pathology_report"),
    **dict.fromkeys(("GE", "CG"), "genetic_tests"),
    "PHY": "physician_notes",
}
"""HL7 v2-0074 diagnostic service sections (DiagnosticReport.category) -> record kind."""

KEYWORD_KINDS = (
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


def _kind_of(codes: Iterable[str], words: Iterable[str], by_code: Mapping[str, str]) -> str:
    for code in codes:
        if code in by_code:
            return by_code[code]
    text = " ".join(words).lower()
    for pattern, kind in KEYWORD_KINDS:
        if pattern.search(text):
            return kind
    return "other"


# -- the import ----------------------------------------------------------------------------------


@dataclass
class _Draft:
    """A record about to be written, and the keys of the resources it came from."""

    keys: list[str]
    values: dict[str, Any]
    source_type: str


@dataclass(frozen=True)
class Plan:
    """What an import would do: the writes, and the counts to report."""

    writes: tuple[Write, ...] = ()
    problems: tuple[str, ...] = ()
    """Malformed input: when any, ``writes`` is empty (nothing is half-imported)."""
    added: Mapping[str, int] = field(default_factory=dict)
    """New records by what they came from ("DocumentReference", ..., "Observation")."""
    grouped: int = 0
    """Observations gathered into the new lab records."""
    in_reports: int = 0
    """Observations left to the DiagnosticReport that lists them."""
    already: int = 0
    """Resources a record of the case already came from (an earlier import)."""
    deleted_before: int = 0
    """Resources whose record was deleted from the case: left deleted."""
    duplicates: int = 0
    """Resources found twice in the file (the same key, or the same content under another
    id, as a feed that replays a message writes it)."""
    withdrawn: int = 0
    """Resources marked entered-in-error or cancelled by their source."""
    not_imported: Mapping[str, int] = field(default_factory=dict)
    """Resources of other types, by type."""
    empty_entries: int = 0
    other_patients: int = 0
    """Resources about another patient than the one chosen."""
    patients: tuple[str, ...] = ()
    """The patients the file's records are about (their keys)."""

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def records(self) -> int:
        return sum(self.added.values())


def resource_key(resource: Resource) -> str:
    """The exact key of a resource: ``Type/id``, else its fullUrl, else a hash of its content."""
    rid = resource.data.get("id")
    if isinstance(rid, str) and rid.strip():
        return f"{resource.type}/{rid.strip()}"
    if resource.full_url:
        return resource.full_url
    canonical = json.dumps(resource.data, sort_keys=True, ensure_ascii=False)
    return f"{resource.type}#{hashlib.sha256(canonical.encode()).hexdigest()[:32]}"


def _type_id(reference: str) -> str:
    """``Type/id`` at the end of a relative or absolute reference ("" if it has none)."""
    parts = [p for p in reference.split("?")[0].split("/") if p]
    if len(parts) >= 4 and parts[-2] == "_history":
        parts = parts[:-2]
    if len(parts) >= 2 and parts[-2][:1].isupper():
        return f"{parts[-2]}/{parts[-1]}"
    return ""


def _fingerprint(resource: Resource) -> str:
    """The resource's content without its identity (id, meta, narrative): a feed that replays
    a resource under a new id gives the same fingerprint."""
    body = {k: v for k, v in resource.data.items() if k not in ("id", "meta", "text")}
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, default=str)
    return "#content:" + hashlib.sha256(text.encode()).hexdigest()


def record_id(case_id: str, keys: Iterable[str]) -> str:
    """The document id of the record made from resources with these keys, in this case."""
    return str(uuid.uuid5(NAMESPACE, "\n".join([case_id, *sorted(keys)])))


class _Index:
    """The file's resources by fullUrl and by ``Type/id``, for following references."""

    def __init__(self, resources: Iterable[Resource]) -> None:
        self.lines: dict[str, str] = {}
        self.by_url: dict[str, Resource] = {}
        self.by_type_id: dict[str, Resource] = {}
        for r in resources:
            if r.full_url:
                self.by_url.setdefault(r.full_url, r)
                tid = _type_id(r.full_url)
                if tid:
                    self.by_type_id.setdefault(tid, r)
            rid = r.data.get("id")
            if isinstance(rid, str) and rid:
                self.by_type_id.setdefault(f"{r.type}/{rid}", r)

    def resolve(self, reference: str) -> Resource | None:
        if not reference:
            return None
        if reference.startswith("#"):
            return None  # a contained resource: not followed
        hit = self.by_url.get(reference)
        if hit is not None:
            return hit
        tid = _type_id(reference)
        return self.by_type_id.get(tid) if tid else None

    def line(self, r: Resource) -> str:
        """An Observation's result line (made once: it is checked, sorted and written)."""
        key = resource_key(r)
        if key not in self.lines:
            self.lines[key] = _observation_line(r.data)
        return self.lines[key]

    def key_of(self, reference: str) -> str:
        """A stable key for what a reference points at (the resource's key when in the file)."""
        hit = self.resolve(reference)
        if hit is not None:
            return resource_key(hit)
        return _type_id(reference) or reference


def _reference(obj: Mapping[str, Any], name: str, path: str) -> dict[str, Any]:
    return _object(obj, name, path)


def _name_of_resource(r: Resource) -> str:
    data = r.data
    if r.type in ("Organization", "Location", "HealthcareService", "Device"):
        return _one_line(_text(data, "name"))
    if r.type in ("Practitioner", "Patient", "RelatedPerson"):
        for n, name in enumerate(_objects(data, "name")):
            words = _text(name, "text", f"name[{n}].")
            if words:
                return _one_line(words)
            parts = [p for p in _list(name, "prefix") + _list(name, "given") if isinstance(p, str)]
            family = _text(name, "family", f"name[{n}].")
            whole = " ".join([*parts, family]).strip()
            if whole:
                return _one_line(whole)
    return ""


def _who(index: _Index, ref: Mapping[str, Any], path: str) -> str:
    """The name of a referenced person or organisation: its display, else its resource's name."""
    if not ref:
        return ""
    display = _text(ref, "display", path)
    if display:
        return _one_line(display)
    target = index.resolve(_text(ref, "reference", path))
    if target is None:
        return ""
    try:
        return _name_of_resource(target)
    except _Bad:
        return ""  # a malformed name in a resource we do not import: not named


def _first_who(index: _Index, refs: list[dict[str, Any]], path: str) -> str:
    for n, ref in enumerate(refs):
        name = _who(index, ref, f"{path}[{n}].")
        if name:
            return name
    return ""


def _attachment(att: Mapping[str, Any], path: str) -> str:
    """An attachment as text: its title, its link (never followed) and what it is."""
    title = _one_line(_text(att, "title", path))
    url = _text(att, "url", path)
    ctype = _text(att, "contentType", path)
    size = _number(att, "size", path)
    data = _text(att, "data", path)
    about = [w for w in (ctype, _bytes(size) if size is not None else "") if w]
    if url:
        where = url
    elif data:
        about.append("inline in the imported file, not saved")
        where = ""
    else:
        where = ""
    head = " ".join(w for w in (title, where) if w) or "attachment"
    return f"{head} ({', '.join(about)})" if about else head


def _quantity(q: Mapping[str, Any], path: str) -> str:
    value = _number(q, "value", path)
    unit = _text(q, "unit", path) or _text(q, "code", path)
    comparator = _text(q, "comparator", path)
    if value is None:
        return ""
    number = f"{value:g}" if isinstance(value, float) else str(value)
    return f"{comparator}{number}{' ' + unit if unit else ''}"


def _value(obs: Mapping[str, Any], path: str) -> str:
    """An Observation's (or component's) value as text."""
    q = _object(obs, "valueQuantity", path)
    if q:
        return _quantity(q, f"{path}valueQuantity.")
    cc = _object(obs, "valueCodeableConcept", path)
    if cc:
        return _concept_text(cc, f"{path}valueCodeableConcept.")
    for name in ("valueString", "valueDateTime", "valueTime"):
        text = _text(obs, name, path)
        if text:
            return _one_line(text)
    flag = _get(obs, "valueBoolean", bool, path)
    if flag is not None:
        return "yes" if flag else "no"
    whole = _get(obs, "valueInteger", int, path)
    if whole is not None:
        return str(whole)
    rng = _object(obs, "valueRange", path)
    if rng:
        low = _quantity(_object(rng, "low", f"{path}valueRange."), f"{path}valueRange.low.")
        high = _quantity(_object(rng, "high", f"{path}valueRange."), f"{path}valueRange.high.")
        return f"{low}\u2013{high}"
    ratio = _object(obs, "valueRatio", path)
    if ratio:
        num = _quantity(_object(ratio, "numerator", f"{path}valueRatio."), path)
        den = _quantity(_object(ratio, "denominator", f"{path}valueRatio."), path)
        return f"{num}/{den}"
    period = _object(obs, "valuePeriod", path)
    if period:
        return f"{_text(period, 'start', path)}\u2013{_text(period, 'end', path)}"
    if _object(obs, "valueSampledData", path):
        return "(sampled data)"
    absent = _object(obs, "dataAbsentReason", path)
    if absent:
        return f"(no value: {_concept_text(absent, f'{path}dataAbsentReason.')})"
    return ""


def _observation_line(obs: Mapping[str, Any]) -> str:
    name = _concept_text(_object(obs, "code"), "code.") or "Result"
    value = _value(obs, "")
    parts: list[str] = []
    for n, comp in enumerate(_objects(obs, "component")):
        path = f"component[{n}]."
        cname = _concept_text(_object(comp, "code", path), f"{path}code.")
        cvalue = _value(comp, path)
        if cname or cvalue:
            parts.append(f"{cname} {cvalue}".strip())
    if parts:
        value = "; ".join([value, *parts]) if value else "; ".join(parts)
    line = f"{_one_line(name)}: {value}" if value else _one_line(name)
    ranges = _objects(obs, "referenceRange")
    if ranges:
        r = ranges[0]
        low_q = _object(r, "low", "referenceRange[0].")
        high_q = _object(r, "high", "referenceRange[0].")
        low = _quantity(low_q, "referenceRange[0].low.")
        high = _quantity(high_q, "referenceRange[0].high.")
        unit = low.partition(" ")[2]
        if low and high and unit and high.partition(" ")[2] == unit:
            low = low.partition(" ")[0]  # 12–16 g/dL rather than 12 g/dL–16 g/dL
        words = _text(r, "text", "referenceRange[0].")
        span = f"{low}\u2013{high}" if low and high else (f"\u2265 {low}" if low else (
            f"\u2264 {high}" if high else ""))
        if span or words:
            line += f" (ref {_one_line(span or words)})"
    for n, concept in enumerate(_objects(obs, "interpretation")[:1]):
        codes = _codes(concept, f"interpretation[{n}].")
        if codes and codes <= {"N"}:
            break
        words = _concept_text(concept, f"interpretation[{n}].")
        if words:
            line += f" [{_one_line(words)}]"
    return line


def _effective(obs: Mapping[str, Any]) -> str:
    for name in ("effectiveDateTime", "effectiveInstant"):
        text = _text(obs, name)
        if text:
            return text
    period = _object(obs, "effectivePeriod")
    if period:
        return _text(period, "start", "effectivePeriod.")
    return _text(obs, "issued")


def _status(data: Mapping[str, Any]) -> str:
    return _text(data, "status")


def _categories(data: Mapping[str, Any]) -> tuple[set[str], list[str]]:
    codes: set[str] = set()
    words: list[str] = []
    for n, concept in enumerate(_objects(data, "category")):
        codes |= _codes(concept, f"category[{n}].")
        words.append(_concept_text(concept, f"category[{n}]."))
    return codes, words


def _subject(index: _Index, data: Mapping[str, Any]) -> str:
    ref = _reference(data, "subject", "")
    if not ref:
        ref = _reference(data, "patient", "")
    reference = _text(ref, "reference", "subject.") if ref else ""
    return index.key_of(reference) if reference else ""


def _document(index: _Index, r: Resource) -> _Draft:
    data = r.data
    type_cc = _object(data, "type")
    type_text = _concept_text(type_cc, "type.")
    cat_codes, cat_words = _categories(data)
    contents = _objects(data, "content")
    if not contents:
        raise _Bad("content is missing: a DocumentReference names its document there")
    attachments = []
    created = ""
    for n, content in enumerate(contents):
        att = _object(content, "attachment", f"content[{n}].")
        if not att:
            raise _Bad(f"content[{n}].attachment is missing")
        attachments.append(_attachment(att, f"content[{n}].attachment."))
        created = created or _text(att, "creation", f"content[{n}].attachment.")
    first_title = _one_line(_text(_object(contents[0], "attachment"), "title"))
    description = _one_line(_text(data, "description"))
    title = description or type_text or first_title or "Document"
    context = _object(data, "context")
    period = _object(context, "period", "context.")
    when = _text(period, "start", "context.period.") or created or _text(data, "date")
    date, partial = _date(when)
    source = _who(index, _reference(data, "custodian", ""), "custodian.") or _first_who(
        index, _objects(data, "author"), "author")
    notes = []
    if type_text and type_text != title:
        notes.append(f"Type: {_one_line(type_text)}")
    if any(cat_words):
        notes.append(f"Category: {', '.join(_one_line(w) for w in cat_words if w)}")
    author = _first_who(index, _objects(data, "author"), "author")
    if author and author != source:
        notes.append(f"Author: {author}")
    if partial:
        notes.append(f"Date as given: {partial}")
    status = _status(data)
    if status and status != "current":
        notes.append(f"Status: {status}")
    kind = _kind_of(_codes(type_cc, "type.") | cat_codes, [type_text, title, *cat_words],
                    LOINC_KINDS)
    return _Draft([resource_key(r)], {
        "title": title, "kind": kind, "date": date, "source": source,
        "files": "; ".join(attachments), "notes": "\n".join(notes),
    }, r.type)


def _report(index: _Index, r: Resource, results: list[Resource]) -> _Draft:
    data = r.data
    code = _object(data, "code")
    name = _concept_text(code, "code.")
    if not name:
        raise _Bad("code is missing: a DiagnosticReport says what it reports there")
    cat_codes, cat_words = _categories(data)
    when = _effective(data)
    date, partial = _date(when)
    source = _first_who(index, _objects(data, "performer"), "performer") or _first_who(
        index, _objects(data, "resultsInterpreter"), "resultsInterpreter")
    notes = []
    conclusion = _text(data, "conclusion")
    if conclusion:
        notes.append(f"Conclusion: {conclusion}")
    for n, concept in enumerate(_objects(data, "conclusionCode")):
        words = _concept_text(concept, f"conclusionCode[{n}].")
        if words:
            notes.append(f"Finding: {_one_line(words)}")
    refs = _objects(data, "result")
    if refs:
        notes.append("Results:")
        for res in results:
            notes.append(f"  {index.line(res)}")
        missing = len(refs) - len(results)
        if missing:
            notes.append(f"  ({missing} more listed, not in the imported file)")
    if partial:
        notes.append(f"Date as given: {partial}")
    status = _status(data)
    if status and status not in ("final", "amended", "corrected", "appended"):
        notes.append(f"Status: {status}")
    files = "; ".join(
        _attachment(att, f"presentedForm[{n}].")
        for n, att in enumerate(_objects(data, "presentedForm"))
    )
    kind = _kind_of(
        _codes(code, "code.") | cat_codes, [name, *cat_words],
        {**LOINC_KINDS, **REPORT_CATEGORY_KINDS},
    )
    return _Draft([resource_key(r)], {
        "title": _one_line(name), "kind": kind, "date": date, "source": source,
        "files": files, "notes": "\n".join(notes),
    }, r.type)


def _imaging(index: _Index, r: Resource) -> _Draft:
    data = r.data
    modalities: list[str] = []
    for n, coding in enumerate(_objects(data, "modality")):
        word = _text(coding, "code", f"modality[{n}].") or _text(coding, "display",
                                                                  f"modality[{n}].")
        if word and word not in modalities:
            modalities.append(word)
    sites: list[str] = []
    images = 0
    series_list = _objects(data, "series")
    for n, series in enumerate(series_list):
        path = f"series[{n}]."
        mod = _object(series, "modality", path)
        word = _text(mod, "code", f"{path}modality.") if mod else ""
        if word and word not in modalities:
            modalities.append(word)
        site = _object(series, "bodySite", path)
        if site:
            label = _text(site, "display", f"{path}bodySite.") or _text(site, "code",
                                                                      f"{path}bodySite.")
            if label and label not in sites:
                sites.append(_one_line(label))
        count = _get(series, "numberOfInstances", int, path)
        images += count if count is not None else len(_list(series, "instance", path))
    procedures = [
        _concept_text(c, f"procedureCode[{n}].")
        for n, c in enumerate(_objects(data, "procedureCode"))
    ]
    description = _one_line(_text(data, "description"))
    what = description or next((p for p in procedures if p), "")
    if not what:
        what = "Imaging study" + (f" ({', '.join(modalities)}"
                                  + (f", {', '.join(sites)}" if sites else "") + ")"
                                  if modalities else "")
    date, partial = _date(_text(data, "started"))
    source = _who(index, _reference(data, "location", ""), "location.") or _first_who(
        index, _objects(data, "interpreter"), "interpreter") or _who(
        index, _reference(data, "referrer", ""), "referrer.")
    notes = []
    if modalities:
        notes.append(f"Modality: {', '.join(modalities)}")
    if sites:
        notes.append(f"Body site: {', '.join(sites)}")
    n_series = _get(data, "numberOfSeries", int, "") or len(series_list)
    n_images = _get(data, "numberOfInstances", int, "") or images
    if n_series or n_images:
        notes.append(f"Series: {n_series}, images: {n_images}")
    for n, ident in enumerate(_objects(data, "identifier")):
        value = _text(ident, "value", f"identifier[{n}].")
        if value and _text(ident, "system", f"identifier[{n}].") == "urn:dicom:uid":
            notes.append(f"Study UID: {value.removeprefix('urn:oid:')}")
    for n, concept in enumerate(_objects(data, "reasonCode")):
        words = _concept_text(concept, f"reasonCode[{n}].")
        if words:
            notes.append(f"Reason: {_one_line(words)}")
    for n, note in enumerate(_objects(data, "note")):
        words = _text(note, "text", f"note[{n}].")
        if words:
            notes.append(words)
    if partial:
        notes.append(f"Date as given: {partial}")
    endpoints = [
        _text(ref, "display", f"endpoint[{n}].") or _text(ref, "reference", f"endpoint[{n}].")
        for n, ref in enumerate(_objects(data, "endpoint"))
    ]
    return _Draft([resource_key(r)], {
        "title": what, "kind": "imaging_images", "date": date, "source": source,
        "files": "; ".join(e for e in endpoints if e), "notes": "\n".join(notes),
    }, r.type)


def _check_observation(index: _Index, r: Resource) -> None:
    """Raise _Bad if an Observation cannot be shown as a result line."""
    if not _concept_text(_object(r.data, "code"), "code."):
        raise _Bad("code is missing: an Observation says what was measured there")
    index.line(r)
    _effective(r.data)
    _objects(r.data, "performer")
    _categories(r.data)


def _group(index: _Index, date: str, members: list[Resource]) -> _Draft:
    members = sorted(members, key=lambda m: (_effective(m.data), index.line(m)))
    categories: set[str] = set()
    for m in members:
        categories |= _categories(m.data)[0]
    label = ("Lab results" if categories == {"laboratory"}
             else "Vital signs" if categories == {"vital-signs"} else "Observations")
    title = f"{label} ({len(members)})" if date else f"{label} ({len(members)}), undated"
    source = ""
    for m in members:
        source = _first_who(index, _objects(m.data, "performer"), "performer")
        if source:
            break
    lines = []
    for m in members:
        line = index.line(m)
        when = _effective(m.data)
        time = when[11:16] if len(when) >= 16 and when[10] == "T" else ""
        lines.append(f"{time}  {line}" if time else line)
    return _Draft([resource_key(m) for m in members], {
        "title": title, "kind": "labs", "date": date, "source": source,
        "files": "", "notes": "\n".join(lines),
    }, "Observation")


def known_keys(state: CaseState) -> dict[str, bool]:
    """Every resource key a record of the case came from -> whether that record is deleted.

    Read from the raw state, so deleted records count too (a re-import leaves them deleted),
    and every value of a conflicting ``fhir_id`` counts.
    """
    keys: dict[str, bool] = {}
    for doc in state.tables.get("records", {}).values():
        register = doc.get("fhir_id")
        if not register:
            continue
        tomb = doc.get(DELETED) or ()
        deleted = bool(tomb) and all(e["v"] is True for e in tomb)
        for entry in register:
            value = entry["v"]
            if isinstance(value, str):
                for key in value.split():
                    keys[key] = keys.get(key, True) and deleted
    return keys


def _finish(values: dict[str, Any]) -> dict[str, Any]:
    """Clip every text to what its field takes and validate the values as a form would."""
    out = {}
    for name, value in values.items():
        spec = model.spec("records", name)
        if isinstance(value, str):
            value = value if spec.multiline else _one_line(value)
            value = _clip(value)
        out[name] = value
    if not out.get("title", "").strip():
        out["title"] = "Imported record"
    return model.parse_fields("records", out)


def plan(parsed: Parsed, state: CaseState, patient: str = "") -> Plan:
    """The writes that import ``parsed`` into the case of ``state``, and what to report.

    ``patient`` chooses one patient when the file holds several (a key such as
    ``Patient/123``, an id, or a fullUrl). Pure: ``state`` is read, never changed.
    """
    problems = list(parsed.problems)
    index = _Index(parsed.resources)
    case_id = state.case_id
    seen: set[str] = set()
    duplicates = withdrawn = 0
    not_imported: Counter[str] = Counter()
    chosen: list[tuple[Resource, str]] = []
    for r in parsed.resources:
        if r.type not in IMPORTED_TYPES:
            not_imported[r.type] += 1
            continue
        key = resource_key(r)
        content = _fingerprint(r)
        if key in seen or content in seen:
            duplicates += 1  # the same resource twice, or replayed under a new id
            continue
        seen.update((key, content))
        try:
            if _status(r.data) in SKIPPED_STATUSES:
                withdrawn += 1
                continue
            subject = _subject(index, r.data)
        except _Bad as exc:
            problems.append(f"{r.where} ({key}): {exc}")
            continue
        chosen.append((r, subject))

    patients = sorted({s for _, s in chosen if s})
    other_patients = 0
    if patient:
        wanted = {patient, f"Patient/{patient}", index.key_of(patient)}
        match = [p for p in patients if p in wanted or p.endswith("/" + patient)]
        if not match:
            listed = ", ".join(patients[:8]) or "none named"
            problems.append(f"no records about patient '{patient}' in the file "
                            f"(the patients it names: {listed})")
        kept = [(r, s) for r, s in chosen if not s or s in match]
        other_patients = len(chosen) - len(kept)
        chosen = kept
    elif len(patients) > 1:
        listed = ", ".join(patients[:8]) + (f" and {len(patients) - 8} more"
                                            if len(patients) > 8 else "")
        problems.append(
            f"the file holds records of {len(patients)} patients ({listed}); a case is about "
            "one person: choose one with --patient"
        )

    # Observations a report in the file lists as results stay with that report.
    reported: dict[str, list[Resource]] = {}
    in_reports: set[str] = set()
    for r, _ in chosen:
        if r.type != "DiagnosticReport":
            continue
        results: list[Resource] = []
        try:
            for n, ref in enumerate(_objects(r.data, "result")):
                target = index.resolve(_text(ref, "reference", f"result[{n}]."))
                if target is not None and target.type == "Observation":
                    results.append(target)
                    in_reports.add(resource_key(target))
        except _Bad as exc:
            problems.append(f"{r.where} ({resource_key(r)}): {exc}")
        reported[resource_key(r)] = results

    known = known_keys(state)
    drafts: list[_Draft] = []
    groups: dict[str, list[Resource]] = defaultdict(list)
    already = deleted_before = 0
    for r, _ in chosen:
        key = resource_key(r)
        if r.type == "Observation" and key in in_reports:
            try:
                _check_observation(index, r)
            except _Bad as exc:
                problems.append(f"{r.where} ({key}): {exc}")
            continue
        if key in known:
            if known[key]:
                deleted_before += 1
            else:
                already += 1
            continue
        try:
            if r.type == "DocumentReference":
                drafts.append(_document(index, r))
            elif r.type == "DiagnosticReport":
                drafts.append(_report(index, r, reported.get(key, [])))
            elif r.type == "ImagingStudy":
                drafts.append(_imaging(index, r))
            else:
                _check_observation(index, r)
                date, _ = _date(_effective(r.data))
                groups[date].append(r)
        except _Bad as exc:
            problems.append(f"{r.where} ({key}): {exc}")

    grouped = 0
    for date in sorted(groups):
        members = groups[date]
        grouped += len(members)
        for start in range(0, len(members), GROUP_SIZE):
            drafts.append(_group(index, date, members[start:start + GROUP_SIZE]))

    counts: dict[str, Any] = dict(
        duplicates=duplicates, withdrawn=withdrawn,
        not_imported=dict(sorted(not_imported.items())), empty_entries=parsed.empty_entries,
        other_patients=other_patients, patients=tuple(patients), already=already,
        deleted_before=deleted_before, in_reports=len(in_reports),
    )
    if problems:
        return Plan(problems=tuple(problems), **counts)

    writes: list[Write] = []
    added: Counter[str] = Counter()
    for draft in drafts:
        values = _finish({**draft.values, "fhir_id": " ".join(sorted(draft.keys))})
        doc_id = record_id(case_id, draft.keys)
        writes.append(state.prepare("records", doc_id, values))
        added[draft.source_type] += 1
    return Plan(tuple(writes), (), dict(added), grouped, **counts)
