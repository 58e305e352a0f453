"""Content carried inside an export (an attachment's base64 ``data``), kept with the case.

A clinical note's text or a pathology PDF often travels inside the exported file itself. The
import keeps it (``store.case_files``: named by its SHA-256 in the case folder) and the
record points at it through an attachment of kind "kept" (``model.ATTACHMENT_KINDS``). This
module decodes it and names it: the attachment's title, else the record's, with the
extension its content type calls for. Pure; nothing happens at import.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..attached_files import MAX_KEPT_BYTES
from .values import Malformed, one_line, text

EXTENSIONS = {
    "text/plain": ".txt", "text/html": ".html", "text/markdown": ".md", "text/rtf": ".rtf",
    "application/rtf": ".rtf", "application/pdf": ".pdf", "application/xml": ".xml",
    "text/xml": ".xml", "application/json": ".json", "image/jpeg": ".jpg", "image/png": ".png",
    "image/gif": ".gif", "image/tiff": ".tif", "application/dicom": ".dcm",
    "audio/mpeg": ".mp3",
}
"""Content type (without its parameters) -> the extension of a kept file's name."""

MAX_NAME = 100
"""A kept file's name is cut to this many characters (before its extension)."""


@dataclass(frozen=True)
class Inline:
    """Content an export carried inside itself: its name, type and bytes."""

    name: str
    content_type: str
    data: bytes

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def inline(att: Mapping[str, Any], path: str, fallback: str) -> Inline | None:
    """The content an attachment carries inside the export (None when it only points
    elsewhere), named by its title or else ``fallback``. Raises Malformed: data that is not
    base64, or more than a case keeps."""
    encoded = text(att, "data", path)
    if not encoded:
        return None
    if len(encoded) > MAX_KEPT_BYTES * 4 // 3 + 4:
        raise Malformed(f"{path}data is larger than the {MAX_KEPT_BYTES:,} bytes a case keeps")
    try:
        data = base64.b64decode(re.sub(r"\s+", "", encoded), validate=True)
    except (binascii.Error, ValueError):
        raise Malformed(f"{path}data is not base64 text") from None
    ctype = text(att, "contentType", path)
    stem = one_line(text(att, "title", path)) or one_line(fallback) or "document"
    stem = re.sub(r"[/\\\x00-\x1f]+", "-", stem)[:MAX_NAME].strip(" .") or "document"
    ext = EXTENSIONS.get(ctype.split(";")[0].strip().lower(), "")
    name = stem if not ext or stem.lower().endswith(ext) else stem + ext
    return Inline(name, ctype, data)
