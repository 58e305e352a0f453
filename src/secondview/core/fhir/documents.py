"""Which resources of an export hold the same document, so that it becomes one record.

Portals send one clinical note in more than one resource: Synthea writes each note as a
DiagnosticReport (``presentedForm``) and again as a DocumentReference (``content.attachment``)
holding the same base64 text. Two resources hold the same document when they carry the same
inline content (compared by the SHA-256 of its decoded bytes), or when a DocumentReference
names the other in ``relatesTo`` or ``context.related``. Pure; nothing happens at import.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from .keys import resource_key
from .reading import Resource
from .references import ResourceIndex
from .values import Malformed, element, objects, text

DOCUMENT_TYPES = ("DiagnosticReport", "DocumentReference")
"""The resource types that may carry a document's content."""

POINTING_TYPES = ("DiagnosticReport", "DocumentReference", "Media")
"""The resource types whose attachments may point at a Binary of the file."""


def same_documents(index: ResourceIndex, resources: Iterable[Resource]) -> dict[str, str]:
    """Each key of a DiagnosticReport or DocumentReference among ``resources`` -> the key of
    the first of them (in the file's order) holding the same document; a resource alone with
    its document maps to its own key. Deterministic: it follows the file's order only."""
    first_of: dict[str, str] = {}  # a content hash, or a resource key -> its group
    group: dict[str, str] = {}
    for r in resources:
        if r.type not in DOCUMENT_TYPES:
            continue
        key = resource_key(r)
        marks = [*_contents(r.data), *_linked(index, r.data)]
        found = next((first_of[m] for m in marks if m in first_of), None)
        group[key] = found if found is not None else first_of.get(key, key)
        for mark in (*marks, key):
            first_of.setdefault(mark, group[key])
    return group


def pointed_at(index: ResourceIndex, resources: Iterable[Resource]) -> set[str]:
    """The keys of the Binaries of the file that a document, report or image among
    ``resources`` points at (an attachment's ``url``): their content, not records."""
    out: set[str] = set()
    for r in resources:
        if r.type not in POINTING_TYPES:
            continue
        try:
            urls = [text(att, "url") for att in _attachments(r.data)]
        except Malformed:
            continue
        for url in urls:
            target = index.resolve(url) if url else None
            if target is not None and target.type == "Binary":
                out.add(resource_key(target))
    return out


def _attachments(data: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    yield from objects(data, "presentedForm")
    if isinstance(data.get("content"), dict):  # Media: one attachment
        yield element(data, "content")
        return
    for n, content in enumerate(objects(data, "content")):
        yield element(content, "attachment", f"content[{n}].")


def _contents(data: Mapping[str, Any]) -> list[str]:
    """The SHA-256 of each inline attachment's bytes (of its base64 text when that does not
    decode); none for a resource that is malformed there (the import names it elsewhere)."""
    try:
        found = [text(att, "data") for att in _attachments(data)]
    except Malformed:
        return []
    out = []
    for encoded in found:
        if not encoded:
            continue
        try:
            raw = base64.b64decode(encoded, validate=False)
        except (binascii.Error, ValueError):
            raw = encoded.encode("utf-8", "surrogatepass")
        out.append("sha256:" + hashlib.sha256(raw).hexdigest())
    return out


def _linked(index: ResourceIndex, data: Mapping[str, Any]) -> list[str]:
    """The keys of the resources a DocumentReference says it is a version or a rendering of
    (``relatesTo[].target``, ``context.related[]``), when they are in the file."""
    refs: list[str] = []
    try:
        for relation in objects(data, "relatesTo"):
            refs.append(text(element(relation, "target", "relatesTo[]."), "reference"))
        for related in objects(element(data, "context"), "related", "context."):
            refs.append(text(related, "reference", "context.related[]."))
    except Malformed:
        return []
    keys = []
    for ref in refs:
        target = index.resolve(ref) if ref else None
        if target is not None:
            keys.append(resource_key(target))
    return keys
