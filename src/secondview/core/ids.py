"""The ids the app makes and accepts: case and item ids, device ids.

An id ends up in a folder or file name, so what may be taken for one is decided here, once.
"""

from __future__ import annotations

import re
import uuid


def new_id() -> str:
    """A new id for a case or an item: a random UUID, lower-case (``is_case_id``'s form)."""
    return str(uuid.uuid4())


_CASE_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.ASCII)


def is_case_id(text: object) -> bool:
    """Whether ``text`` has exactly the form of the ids the app makes (``new_id``).

    A case id names a folder, so nothing else read from a folder name or a file may be taken
    for one: a path ("/tmp/x-a-b-c-d"), "..", upper case or any other character is refused
    before a path is built from it.
    """
    return isinstance(text, str) and _CASE_ID.fullmatch(text) is not None


DEVICE_ID_LIMIT = 64


def is_device_id(text: object) -> bool:
    """Whether ``text`` can be a device id: letters and digits only, at most 64 of them."""
    return (isinstance(text, str) and 0 < len(text) <= DEVICE_ID_LIMIT and text.isascii()
            and text.isalnum())
