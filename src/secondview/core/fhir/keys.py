"""Who a resource is, and which record it makes: resource keys, fingerprints, record ids.

A record keeps the keys of the resources it came from (``fhir_id``), and its document id is
derived from the case id and those keys, so importing the same file again adds nothing, and
two devices importing it offline write the same documents (merged as one, not two).

Resource ids are unique per server only: two servers that both export ``Observation/1`` are
taken as one resource (real servers use long opaque ids, so this is unlikely).
Pure functions; nothing happens when this module is imported.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable

from .reading import Resource

NAMESPACE = uuid.UUID("5f0c8d8e-3d6b-4f43-9a55-6a8e2f1f7c21")
"""For document ids derived from a case id and resource keys (uuid5)."""


def resource_key(resource: Resource) -> str:
    """The exact key of a resource: ``Type/id``, else its fullUrl, else a hash of its content."""
    rid = resource.data.get("id")
    if isinstance(rid, str) and rid.strip():
        return f"{resource.type}/{rid.strip()}"
    if resource.full_url:
        return resource.full_url
    canonical = json.dumps(resource.data, sort_keys=True, ensure_ascii=False)
    return f"{resource.type}#{hashlib.sha256(canonical.encode()).hexdigest()[:32]}"


def fingerprint(resource: Resource) -> str:
    """The resource's content without its identity (id, meta, narrative): a feed that replays
    a resource under a new id gives the same fingerprint."""
    body = {k: v for k, v in resource.data.items() if k not in ("id", "meta", "text")}
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, default=str)
    return "#content:" + hashlib.sha256(text.encode()).hexdigest()


def type_id(reference: str) -> str:
    """``Type/id`` at the end of a relative or absolute reference ("" if it has none)."""
    parts = [p for p in reference.split("?")[0].split("/") if p]
    if len(parts) >= 4 and parts[-2] == "_history":
        parts = parts[:-2]
    if len(parts) >= 2 and parts[-2][:1].isupper():
        return f"{parts[-2]}/{parts[-1]}"
    return ""


def record_id(case_id: str, keys: Iterable[str]) -> str:
    """The document id of the record made from resources with these keys, in this case."""
    return str(uuid.uuid5(NAMESPACE, "\n".join([case_id, *sorted(keys)])))


def kept_file_id(record_doc_id: str, digest: str) -> str:
    """The document id of the attachment that keeps content of SHA-256 ``digest`` for a
    record: the same on every device, so two imports keep it once."""
    return str(uuid.uuid5(NAMESPACE, f"{record_doc_id}\0kept\0{digest}"))
