"""Each imported resource type made into a draft record: DocumentReference, DiagnosticReport,
ImagingStudy, and the Observations of one date gathered into one lab record.

A draft holds the record's values (kind, title, date, who holds it, the attachment references
as text in ``files``, details in ``notes``) and the keys of the resources it came from. A
resource that lacks what its record is made from, or has an element of the wrong shape,
raises Malformed. Pure; nothing happens when this module is imported.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .inline import Inline, inline
from .keys import resource_key
from .kinds import LOINC_KINDS, LOINC_NAMES, REPORT_KINDS, kind_of
from .narrative import narrative
from .observations import effective
from .reading import Resource
from .references import ResourceIndex, first_who, who
from .values import (
    Malformed,
    array,
    byte_size,
    categories,
    codes,
    concept_text,
    element,
    field,
    number,
    objects,
    one_line,
    record_date,
    status,
    text,
)


@dataclass
class Draft:
    """A record about to be written, and the keys of the resources it came from."""

    keys: list[str]
    values: dict[str, Any]
    source_type: str
    """The resource type it came from ("DocumentReference", ..., "Observation")."""
    contents: tuple[Inline, ...] = ()
    """What its resources carried inside the export, to keep with the case."""


def attachment(att: Mapping[str, Any], path: str) -> str:
    """An attachment that points elsewhere, as text: its title, its link (never followed)
    and what it is; "" for one whose content the export carries (kept with the case as an
    attachment of its own, ``core.fhir.inline``)."""
    title = one_line(text(att, "title", path))
    url = text(att, "url", path)
    ctype = text(att, "contentType", path)
    size = number(att, "size", path)
    if text(att, "data", path) and not url:
        return ""
    about = [w for w in (ctype, byte_size(size) if size is not None else "") if w]
    head = " ".join(w for w in (title, url) if w) or "attachment"
    return f"{head} ({', '.join(about)})" if about else head


def _in_order(own: set[str], category: set[str]) -> list[str]:
    """The codes that decide a record's kind, in the order they are tried: the resource's own
    (its type or code) before its categories', each sorted, so the kind never depends on the
    order of a set (which differs from one process to the next, and so between devices)."""
    return [*sorted(own), *sorted(category)]


def document(index: ResourceIndex, r: Resource) -> Draft:
    """A DocumentReference's record: its attachments in ``files``. Raises Malformed."""
    data = r.data
    type_cc = element(data, "type")
    type_text = concept_text(type_cc, "type.")
    cat_codes, cat_words = categories(data)
    contents = objects(data, "content")
    if not contents:
        raise Malformed("content is missing: a DocumentReference names its document there")
    attachments = []
    created = ""
    for n, content in enumerate(contents):
        att = element(content, "attachment", f"content[{n}].")
        if not att:
            raise Malformed(f"content[{n}].attachment is missing")
        attachments.append(attachment(att, f"content[{n}].attachment."))
        created = created or text(att, "creation", f"content[{n}].attachment.")
    first_title = one_line(text(element(contents[0], "attachment"), "title"))
    description = one_line(text(data, "description"))
    title = description or type_text or first_title or "Document"
    carried = [inline(element(c, "attachment"), f"content[{n}].attachment.", title)
               for n, c in enumerate(contents)]
    context = element(data, "context")
    period = element(context, "period", "context.")
    when = text(period, "start", "context.period.") or created or text(data, "date")
    date, partial = record_date(when)
    source = who(index, element(data, "custodian", ""), "custodian.") or first_who(
        index, objects(data, "author"), "author")
    notes = []
    if type_text and type_text != title:
        notes.append(f"Type: {one_line(type_text)}")
    if any(cat_words):
        notes.append(f"Category: {', '.join(one_line(w) for w in cat_words if w)}")
    author = first_who(index, objects(data, "author"), "author")
    if author and author != source:
        notes.append(f"Author: {author}")
    if partial:
        notes.append(f"Date as given: {partial}")
    state = status(data)
    if state and state != "current":
        notes.append(f"Status: {state}")
    kind = kind_of(_in_order(codes(type_cc, "type."), cat_codes),
                   [type_text, title, *cat_words], LOINC_KINDS)
    return Draft([resource_key(r)], {
        "title": title, "kind": kind, "date": date, "source": source,
        "files": "; ".join(a for a in attachments if a), "notes": "\n".join(notes),
    }, r.type, tuple(c for c in carried if c is not None))


def report(index: ResourceIndex, r: Resource, results: list[Resource]) -> Draft:
    """A DiagnosticReport's record, with the result lines of ``results`` (the Observations
    it lists that are in the file) in ``notes``. Raises Malformed."""
    data = r.data
    code = element(data, "code")
    name = concept_text(code, "code.")
    if not name:
        raise Malformed("code is missing: a DiagnosticReport says what it reports there")
    cat_codes, cat_words = categories(data)
    when = effective(data)
    date, partial = record_date(when)
    source = first_who(index, objects(data, "performer"), "performer") or first_who(
        index, objects(data, "resultsInterpreter"), "resultsInterpreter")
    title = LOINC_NAMES.get(name, name) if name in codes(code, "code.") else name
    notes = []
    conclusion = text(data, "conclusion")
    if conclusion:
        notes.append(f"Conclusion: {conclusion}")
    for n, concept in enumerate(objects(data, "conclusionCode")):
        words = concept_text(concept, f"conclusionCode[{n}].")
        if words:
            notes.append(f"Finding: {one_line(words)}")
    refs = objects(data, "result")
    if refs:
        notes.append("Results:")
        for res in results:
            notes.append(f"  {index.line(res)}")
        missing = len(refs) - len(results)
        if missing:
            notes.append(f"  ({missing} more listed, not in the imported file)")
    if partial:
        notes.append(f"Date as given: {partial}")
    state = status(data)
    if state and state not in ("final", "amended", "corrected", "appended"):
        notes.append(f"Status: {state}")
    forms = objects(data, "presentedForm")
    files = "; ".join(a for a in (attachment(att, f"presentedForm[{n}].")
                                  for n, att in enumerate(forms)) if a)
    carried = [inline(att, f"presentedForm[{n}].", title) for n, att in enumerate(forms)]
    told = narrative(data, nothing_else=not (notes or files))
    if told:
        notes += ["Report text:", told]
    kind = kind_of(_in_order(codes(code, "code."), cat_codes), [title, *cat_words],
                   REPORT_KINDS)
    return Draft([resource_key(r)], {
        "title": one_line(title), "kind": kind, "date": date, "source": source,
        "files": files, "notes": "\n".join(notes),
    }, r.type, tuple(c for c in carried if c is not None))


def imaging(index: ResourceIndex, r: Resource) -> Draft:
    """An ImagingStudy's record: what was imaged, the series and images, the endpoints to
    the images in ``files``. Raises Malformed."""
    data = r.data
    study = _series_of(data)
    what = _imaging_title(data, study)
    date, partial = record_date(text(data, "started"))
    source = who(index, element(data, "location", ""), "location.") or first_who(
        index, objects(data, "interpreter"), "interpreter") or who(
        index, element(data, "referrer", ""), "referrer.")
    notes = _imaging_notes(data, study)
    if partial:
        notes.append(f"Date as given: {partial}")
    endpoints = [
        text(ref, "display", f"endpoint[{n}].") or text(ref, "reference", f"endpoint[{n}].")
        for n, ref in enumerate(objects(data, "endpoint"))
    ]
    return Draft([resource_key(r)], {
        "title": what, "kind": "imaging_images", "date": date, "source": source,
        "files": "; ".join(e for e in endpoints if e), "notes": "\n".join(notes),
    }, r.type)


def media(index: ResourceIndex, r: Resource) -> Draft:
    """A Media's record (an image, a scan, a recording): what it shows, its content in
    ``files``, its size and view in ``notes``. Raises Malformed."""
    data = r.data
    modality = element(data, "modality")
    kind_word = concept_text(element(data, "type"), "type.") or "Image"
    words = text(modality, "text", "modality.") or next(
        (text(c, "display", f"modality.coding[{n}].")
         for n, c in enumerate(objects(modality, "coding", "modality."))
         if text(c, "display", f"modality.coding[{n}].")), "")
    view = concept_text(element(data, "view"), "view.")
    if words:
        title = words
    else:
        about = [*sorted(codes(modality, "modality.")), *([view] if view else [])]
        title = f"{kind_word} ({', '.join(about)})" if about else kind_word
    when = text(data, "createdDateTime") or text(
        element(data, "createdPeriod"), "start", "createdPeriod.") or text(data, "issued")
    date, partial = record_date(when)
    source = who(index, element(data, "operator", ""), "operator.") or who(
        index, element(data, "device", ""), "device.")
    content = element(data, "content")
    notes = []
    site = concept_text(element(data, "bodySite"), "bodySite.")
    if site:
        notes.append(f"Body site: {one_line(site)}")
    if view and words:
        notes.append(f"View: {one_line(view)}")
    height, width = number(data, "height", ""), number(data, "width", "")
    if height and width:
        notes.append(f"Size: {width} \u00d7 {height}")
    for name, label in (("frames", "Frames"), ("duration", "Seconds")):
        value = number(data, name, "")
        if value:
            notes.append(f"{label}: {value}")
    if partial:
        notes.append(f"Date as given: {partial}")
    ctype = text(content, "contentType", "content.")
    kind = "other" if ctype.startswith("audio/") else "imaging_images"
    carried = inline(content, "content.", title) if content else None
    return Draft([resource_key(r)], {
        "title": one_line(title), "kind": kind, "date": date, "source": source,
        "files": attachment(content, "content.") if content else "", "notes": "\n".join(notes),
    }, r.type, (carried,) if carried else ())


def binary(r: Resource) -> Draft:
    """The record of a Binary no document of the file points at: a file, named by what it
    is. Raises Malformed."""
    ctype = text(r.data, "contentType")
    image = ctype.startswith("image/") or ctype == "application/dicom"
    title = f"{'Image' if image else 'File'} ({ctype})" if ctype else "File"
    carried = inline(r.data, "", title)
    return Draft([resource_key(r)], {
        "title": title, "kind": "imaging_images" if image else "other", "date": "",
        "source": "", "files": attachment(r.data, ""), "notes": "",
    }, r.type, (carried,) if carried else ())


@dataclass
class _Study:
    """What an ImagingStudy's series say: modalities and body sites (each once, in order),
    how many series and images."""

    modalities: list[str]
    sites: list[str]
    series: int
    images: int


def _series_of(data: Mapping[str, Any]) -> _Study:
    modalities: list[str] = []
    for n, coding in enumerate(objects(data, "modality")):
        word = text(coding, "code", f"modality[{n}].") or text(coding, "display",
                                                                 f"modality[{n}].")
        if word and word not in modalities:
            modalities.append(word)
    sites: list[str] = []
    images = 0
    series_list = objects(data, "series")
    for n, series in enumerate(series_list):
        path = f"series[{n}]."
        mod = element(series, "modality", path)
        word = text(mod, "code", f"{path}modality.") if mod else ""
        if word and word not in modalities:
            modalities.append(word)
        site = element(series, "bodySite", path)
        if site:
            label = text(site, "display", f"{path}bodySite.") or text(site, "code",
                                                                     f"{path}bodySite.")
            if label and label not in sites:
                sites.append(one_line(label))
        count = field(series, "numberOfInstances", int, path)
        images += count if count is not None else len(array(series, "instance", path))
    return _Study(modalities, sites, len(series_list), images)


def _imaging_title(data: Mapping[str, Any], study: _Study) -> str:
    """The description, else the first procedure, else "Imaging study (CT, Knee)"."""
    procedures = [
        concept_text(c, f"procedureCode[{n}].")
        for n, c in enumerate(objects(data, "procedureCode"))
    ]
    description = one_line(text(data, "description"))
    what = description or next((p for p in procedures if p), "")
    if what:
        return what
    if not study.modalities:
        return "Imaging study"
    sites = f", {', '.join(study.sites)}" if study.sites else ""
    return f"Imaging study ({', '.join(study.modalities)}{sites})"


def _imaging_notes(data: Mapping[str, Any], study: _Study) -> list[str]:
    notes = []
    if study.modalities:
        notes.append(f"Modality: {', '.join(study.modalities)}")
    if study.sites:
        notes.append(f"Body site: {', '.join(study.sites)}")
    n_series = field(data, "numberOfSeries", int, "") or study.series
    n_images = field(data, "numberOfInstances", int, "") or study.images
    if n_series or n_images:
        notes.append(f"Series: {n_series}, images: {n_images}")
    for n, ident in enumerate(objects(data, "identifier")):
        value = text(ident, "value", f"identifier[{n}].")
        if value and text(ident, "system", f"identifier[{n}].") == "urn:dicom:uid":
            notes.append(f"Study UID: {value.removeprefix('urn:oid:')}")
    for n, concept in enumerate(objects(data, "reasonCode")):
        words = concept_text(concept, f"reasonCode[{n}].")
        if words:
            notes.append(f"Reason: {one_line(words)}")
    for n, note in enumerate(objects(data, "note")):
        words = text(note, "text", f"note[{n}].")
        if words:
            notes.append(words)
    return notes


def check_observation(index: ResourceIndex, r: Resource) -> None:
    """Raise Malformed if an Observation cannot be shown as a result line, or gathered into a
    lab record (which reads its performers and categories)."""
    if not concept_text(element(r.data, "code"), "code."):
        raise Malformed("code is missing: an Observation says what was measured there")
    index.line(r)
    effective(r.data)
    for n, ref in enumerate(objects(r.data, "performer")):
        who(index, ref, f"performer[{n}].")
    categories(r.data)


def observation_group(index: ResourceIndex, date: str, members: list[Resource], title: str,
                      kind: str = "labs", dated_lines: bool = False) -> Draft:
    """One record for ``members`` (Observations of one ``date``, "" when undated, unless
    ``dated_lines``), a result line each, in time order, titled ``title`` (", undated"
    added when it has no date). The members were checked (``check_observation``)."""
    members = sorted(members, key=lambda m: (effective(m.data), index.line(m)))
    if not date:
        title = f"{title}, undated"
    source = ""
    for m in members:
        source = first_who(index, objects(m.data, "performer"), "performer")
        if source:
            break
    lines = []
    for m in members:
        line = index.line(m)
        when = effective(m.data)
        time = when[:10] if dated_lines else (
            when[11:16] if len(when) >= 16 and when[10] == "T" else "")
        lines.append(f"{time}  {line}" if time else line)
    return Draft([resource_key(m) for m in members], {
        "title": title, "kind": kind, "date": date, "source": source,
        "files": "", "notes": "\n".join(lines),
    }, "Observation")


