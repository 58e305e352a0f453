"""Following references inside the file: the resources by fullUrl and ``Type/id``, who is
named where a resource refers to a person or an organisation, and whom a resource is about.

References are followed only to resources in the same file (never fetched); a contained one
(``#id``) is not followed. Pure; nothing happens when this module is imported.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .keys import resource_key, type_id
from .observations import line as observation_line
from .reading import Resource
from .values import Malformed, array, element, objects, one_line, text


class ResourceIndex:
    """The file's resources by fullUrl and by ``Type/id``, for following references, and
    each Observation's result line once made."""

    def __init__(self, resources: Iterable[Resource]) -> None:
        self.lines: dict[str, str] = {}
        self.by_url: dict[str, Resource] = {}
        self.by_type_id: dict[str, Resource] = {}
        for r in resources:
            if r.full_url:
                self.by_url.setdefault(r.full_url, r)
                tid = type_id(r.full_url)
                if tid:
                    self.by_type_id.setdefault(tid, r)
            rid = r.data.get("id")
            if isinstance(rid, str) and rid:
                self.by_type_id.setdefault(f"{r.type}/{rid}", r)

    def resolve(self, reference: str) -> Resource | None:
        """The resource in the file a reference points at, or None."""
        if not reference:
            return None
        if reference.startswith("#"):
            return None  # a contained resource: not followed
        hit = self.by_url.get(reference)
        if hit is not None:
            return hit
        tid = type_id(reference)
        return self.by_type_id.get(tid) if tid else None

    def line(self, r: Resource) -> str:
        """An Observation's result line, made once (it is checked, sorted and written) and
        kept here. Raises Malformed."""
        key = resource_key(r)
        if key not in self.lines:
            self.lines[key] = observation_line(r.data)
        return self.lines[key]

    def key_of(self, reference: str) -> str:
        """A stable key for what a reference points at (the resource's key when in the file)."""
        hit = self.resolve(reference)
        if hit is not None:
            return resource_key(hit)
        return type_id(reference) or reference


def name_of_resource(r: Resource) -> str:
    """The name of an organisation, place, device or person resource ("" if none). Raises
    Malformed."""
    data = r.data
    if r.type in ("Organization", "Location", "HealthcareService", "Device"):
        return one_line(text(data, "name"))
    if r.type in ("Practitioner", "Patient", "RelatedPerson"):
        for n, name in enumerate(objects(data, "name")):
            words = text(name, "text", f"name[{n}].")
            if words:
                return one_line(words)
            parts = [p for p in array(name, "prefix") + array(name, "given")
                     if isinstance(p, str)]
            family = text(name, "family", f"name[{n}].")
            whole = " ".join([*parts, family]).strip()
            if whole:
                return one_line(whole)
    return ""


def who(index: ResourceIndex, ref: Mapping[str, Any], path: str) -> str:
    """The name of a referenced person or organisation: its display, else its resource's name.

    Raises Malformed if the reference itself is malformed; a malformed name in the resource
    it points at (not imported) leaves it unnamed.
    """
    if not ref:
        return ""
    display = text(ref, "display", path)
    if display:
        return one_line(display)
    target = index.resolve(text(ref, "reference", path))
    if target is None:
        return ""
    try:
        return name_of_resource(target)
    except Malformed:
        return ""  # a malformed name in a resource we do not import: not named


def first_who(index: ResourceIndex, refs: list[dict[str, Any]], path: str) -> str:
    """The first name ``who`` finds among the references of a list element (``path[n].``)."""
    for n, ref in enumerate(refs):
        name = who(index, ref, f"{path}[{n}].")
        if name:
            return name
    return ""


def subject(index: ResourceIndex, data: Mapping[str, Any]) -> str:
    """The key of whom a resource is about (its ``subject``, else ``patient``); "" if it
    names no one. Raises Malformed."""
    ref = element(data, "subject", "")
    if not ref:
        ref = element(data, "patient", "")
    reference = text(ref, "reference", "subject.") if ref else ""
    return index.key_of(reference) if reference else ""
