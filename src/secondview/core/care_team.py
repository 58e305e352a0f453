"""The care team of a case: which doctor an opinion or a record transfer names, and how the
names typed by older versions become doctor entries.

An opinion names its doctor, a transfer its recipient, by ``doctor_id`` (a ref to the table
``doctors``). Older versions wrote only text (``opinions.doctor``, ``transfers.recipient``);
this version still writes the doctor's name there too, for them, but never reads the text of
an item whose ``doctor_id`` is set.

Text with no ``doctor_id`` names a doctor by its *name key* (``name_key``): the name without a
trailing institution in brackets, folded to lower case, titles (Dr, Prof, MD...) and
punctuation left out, so "Dr. Sarah Lin (University Cancer Center)", "Dr Sarah Lin" and
"sarah lin, MD" are one doctor. The doctor's id is derived from the case id and that key
(``derived_id``), so two devices that turn the same text into doctors apart make the same
documents with the same values: ``core.registers`` keeps both writes of an equal value
without a conflict, and the merged case has each doctor once. Until a case is upgraded, every
query here reads such text through the id it would get (``doctor_ref``), so nothing depends
on whether the upgrade was written yet.

Pure functions and data: no I/O. ``store.care_team_upgrade`` writes ``upgrade_writes`` when a
case is opened.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections import Counter
from collections.abc import Iterable
from typing import Any

from .model import Case, Item
from .registers import DELETED
from .replica import CaseState, Write

TEXT_FIELDS = {"opinions": "doctor", "transfers": "recipient"}
"""The tables that name a doctor, and the text field older versions named it in."""

TITLES = frozenset({"dr", "doctor", "prof", "professor", "mr", "mrs", "ms", "mx", "md",
                    "phd", "mbbs", "frcs", "frcp"})
"""Words left out of a name key: titles and degrees, which people write or leave out. Not
"DO" (the osteopathic degree): Do is also a family name, and taking two doctors for one (one
packet for both) is worse than listing one doctor twice."""

DOCTOR_REMOVED = "doctor removed"
"""How an item names a doctor deleted (on this device or another) since it was picked."""

_NAMESPACE = uuid.UUID("6f1c2d64-5d0e-4b8e-9a43-2c7a1d0b9e51")
"""Fixed for ever: a derived id must be the same on every device and in every version."""

_BRACKETED = re.compile(r"^(?P<name>.*?)\s*\((?P<place>[^()]*)\)\s*$", re.DOTALL)

_ROLE_BY_ORDER = {1: "first", 2: "second", 3: "third"}


def _clean(text: Any) -> str:
    return " ".join(str(text).split()) if isinstance(text, str) else ""


def split_name(text: Any) -> tuple[str, str]:
    """(name, institution) of typed text: "Dr. Sarah Lin (University Cancer Center)" is
    ("Dr. Sarah Lin", "University Cancer Center"); text without a trailing bracket is all
    name. Whitespace runs become one space."""
    clean = _clean(text)
    match = _BRACKETED.match(clean)
    if match and match.group("name").strip():
        return match.group("name").strip(), match.group("place").strip()
    return clean, ""


def name_key(text: Any) -> str:
    """The key two names of one doctor share (see the module docstring); "" for no name."""
    name, _ = split_name(text)
    folded = unicodedata.normalize("NFKC", name).casefold()
    return " ".join(w for w in re.findall(r"\w+", folded) if w not in TITLES)


def derived_id(case_id: str, key: str) -> str:
    """The id of the doctor made from names with ``key`` in case ``case_id``: the same on
    every device (a UUID of version 5, lower case like ``core.ids.new_id``)."""
    return str(uuid.uuid5(_NAMESPACE, f"{case_id}\n{key}"))


def _linked(item: Item) -> str:
    value = item.values.get("doctor_id")
    return value if isinstance(value, str) and value else ""


def _ids_by_key(case: Case) -> dict[str, str]:
    """Name key -> the id of the doctor of ``case`` that text with that key names: the
    derived doctor if it is there, else the doctor with that key and the lowest id."""
    out: dict[str, str] = {}
    for doctor in sorted(case.doctors, key=lambda d: d.id):
        key = name_key(doctor.values.get("name"))
        if key and (key not in out or doctor.id == derived_id(case.id, key)):
            out[key] = doctor.id
    return out


def doctor_ref(case: Case, item: Item, by_key: dict[str, str] | None = None) -> str:
    """The id of the doctor an opinion or a transfer names: its ``doctor_id`` when set, else
    the doctor its text names (made or still to be made by the upgrade); "" for no name."""
    linked = _linked(item)
    if linked:
        return linked
    key = name_key(item.values.get(TEXT_FIELDS.get(item.table, "doctor")))
    if not key:
        return ""
    ids = _ids_by_key(case) if by_key is None else by_key
    return ids.get(key) or derived_id(case.id, key)


def ref_for_text(case: Case, text: str) -> str:
    """The id of the doctor typed ``text`` names: a doctor's id as it is, else the doctor
    with the same name key (made or still to be made by the upgrade); "" for no name."""
    clean = _clean(text)
    if any(d.id == clean for d in case.doctors):
        return clean
    key = name_key(clean)
    return (_ids_by_key(case).get(key) or derived_id(case.id, key)) if key else ""


def doctor_of(case: Case, item: Item) -> Item | None:
    """The doctor (shown, not deleted) an opinion or transfer names, or None."""
    ref = doctor_ref(case, item)
    return next((d for d in case.doctors if d.id == ref), None) if ref else None


def doctor_name(case: Case, item: Item) -> str:
    """The name an opinion or transfer shows for its doctor: the doctor's own name when it is
    linked (so a rename shows everywhere), "doctor removed" when that doctor was deleted, and
    the typed text of an item older versions wrote."""
    if _linked(item):
        doctor = doctor_of(case, item)
        return _clean(doctor.values.get("name")) if doctor is not None else DOCTOR_REMOVED
    return _clean(item.values.get(TEXT_FIELDS.get(item.table, "doctor")))


def doctor_label(doctor: Item) -> str:
    """"Name (institution)" of a doctor entry, in plain text (user text: escape it)."""
    name = _clean(doctor.values.get("name")) or "A doctor"
    place = _clean(doctor.values.get("institution"))
    return f"{name} ({place})" if place else name


CONTACT_FIELDS = ("phone", "fax", "email", "portal", "address")


def contact_lines(doctor: Item) -> list[tuple[str, str]]:
    """(field, value) of each contact a doctor entry has, in CONTACT_FIELDS order."""
    out = []
    for name in CONTACT_FIELDS:
        value = _clean(doctor.values.get(name))
        if value:
            out.append((name, value))
    return out


def transfers_of(case: Case, doctor_id: str) -> tuple[Item, ...]:
    """Every transfer of ``case`` to the doctor ``doctor_id`` (by id: however its name was
    typed on each)."""
    if not doctor_id:
        return ()
    by_key = _ids_by_key(case)
    return tuple(t for t in case.transfers if doctor_ref(case, t, by_key) == doctor_id)


def _fuzzy_score(needle: str, hay: str) -> int | None:
    """How well ``needle`` (folded) fits ``hay`` (folded), lower is better; None: no fit.
    0: the start of the text, 1: the start of a word, 2: inside a word, 3: its letters in
    order with others between ("slin" fits "sarah lin")."""
    if not needle:
        return 0
    if hay.startswith(needle):
        return 0
    at = hay.find(needle)
    if at > 0:
        return 1 if not hay[at - 1].isalnum() else 2
    letters = iter(hay)
    return 3 if all(c in letters for c in needle if not c.isspace()) else None


def matching_doctors(doctors: Iterable[Item], typed: str) -> list[Item]:
    """The doctors whose name or institution fits ``typed`` (a few letters, in order), best
    fit first, then by name: what the care team's picker offers."""
    needle = " ".join(unicodedata.normalize("NFKC", typed).casefold().split())
    ranked = []
    for doctor in doctors:
        words = [unicodedata.normalize("NFKC", _clean(doctor.values.get(n))).casefold()
                 for n in ("name", "institution")]
        scores = [sc for sc in (_fuzzy_score(needle, w) for w in words if w) if sc is not None]
        if scores or not needle:
            ranked.append((min(scores, default=0), words[0], doctor.id, doctor))
    return [doctor for *_, doctor in sorted(ranked, key=lambda r: r[:3])]


def find_doctor(case: Case, text: str) -> Item | None:
    """The doctor of ``case`` that typed ``text`` names (its id, or a name with the same name
    key), or None."""
    ref = ref_for_text(case, text)
    return next((d for d in case.doctors if d.id == ref), None) if ref else None


def doctor_for_text(case: Case, text: str, new_id: str) -> tuple[str, dict[str, Any] | None]:
    """(id, values) of the doctor typed ``text`` names: an existing doctor's id and None,
    else ``new_id`` and the values of a doctor to make (``new_doctor_values``). ("", None)
    for text with no name in it."""
    found = find_doctor(case, text)
    if found is not None:
        return found.id, None
    return (new_id, new_doctor_values(text)) if name_key(text) else ("", None)


def with_doctor_name(case: Case, table: str, values: dict[str, Any]) -> dict[str, Any]:
    """An opinion's or transfer's ``values`` with the name of the doctor its ``doctor_id``
    names written into the text field older versions read, when that field is empty."""
    text_field = TEXT_FIELDS.get(table)
    ref = values.get("doctor_id")
    if text_field is None or not (isinstance(ref, str) and ref) or _clean(values.get(text_field)):
        return values
    doctor = next((d for d in case.doctors if d.id == ref), None)
    return values if doctor is None else {**values, text_field: _clean(doctor.values.get("name"))}


def linked_values(case: Case, table: str, values: dict[str, Any], new_id: str
                  ) -> tuple[dict[str, Any], tuple[str, dict[str, Any]] | None]:
    """An opinion's or transfer's ``values`` naming its doctor both ways: ``doctor_id`` (from
    the typed name when it has none: ``doctor_for_text``) and the doctor's name in the text
    field older versions read (``with_doctor_name``). Also (id, values) of the doctor to
    make first, or None. Other tables' values, and values that do not name a doctor (an
    edit of other fields), are returned as they are."""
    text_field = TEXT_FIELDS.get(table)
    if text_field is None:
        return values, None
    ref = values.get("doctor_id")
    if isinstance(ref, str) and ref:
        return with_doctor_name(case, table, values), None
    if text_field not in values:
        return values, None
    ref, made = doctor_for_text(case, str(values.get(text_field) or ""), new_id)
    out = {**values, "doctor_id": ref} if ref else dict(values)
    return out, ((ref, made) if made else None)


def new_doctor_values(text: str, **extra: Any) -> dict[str, Any]:
    """The values of a doctor entry made from typed ``text`` (name and bracketed institution),
    plus ``extra`` values that are not empty."""
    name, place = split_name(text)
    values: dict[str, Any] = {"name": name, "role": "other", "in_network": "unknown"}
    if place:
        values["institution"] = place
    values.update({k: v for k, v in extra.items() if v not in (None, "")})
    return values


def _derived_values(case: Case, key: str, items: Iterable[Item]) -> dict[str, Any]:
    """The doctor made for the unlinked items with one name key: the name written most often
    (ties: the first in text order), the first institution in brackets (opinions first, then
    by id) or an opinion's; so every device makes the same values from the same items."""
    ordered = sorted(items, key=lambda i: (i.table != "opinions", i.id))
    opinions = [i for i in ordered if i.table == "opinions"]
    names = Counter(split_name(i.values.get(TEXT_FIELDS[i.table]))[0] for i in ordered)
    name = min(names, key=lambda n: (-names[n], n))
    places = [split_name(i.values.get(TEXT_FIELDS[i.table]))[1] for i in ordered]
    places += [_clean(o.values.get("institution")) for o in opinions]
    orders = sorted(n for n in (o.values.get("order") for o in opinions)
                    if type(n) is int and n > 0)
    specialty = next((_clean(o.values.get("specialty")) for o in opinions
                      if _clean(o.values.get("specialty"))), "")
    role = _ROLE_BY_ORDER.get(orders[0], "other") if orders else "other"
    return new_doctor_values(name, institution=next((p for p in places if p), ""),
                             specialty=specialty, role=role)


def upgrade_writes(state: CaseState) -> list[Write]:
    """The writes that give every opinion and transfer written as text only its doctor: a
    ``doctor_id`` on each, and a doctor entry (id from ``derived_id``) for each name key no
    doctor of the case has yet; a derived doctor deleted since is restored. [] when nothing
    is left to upgrade. Each value written is the same on every device that upgrades the
    same items, so two such upgrades merge without a conflict."""
    case = state.case()
    by_key = _ids_by_key(case)
    groups: dict[str, list[Item]] = {}
    for table in TEXT_FIELDS:
        for item in case.table(table):
            if _linked(item):
                continue
            key = name_key(item.values.get(TEXT_FIELDS[table]))
            if key:
                groups.setdefault(key, []).append(item)
    writes: list[Write] = []
    doctors = state.tables.get("doctors", {})
    for key in sorted(groups):
        ref = by_key.get(key) or derived_id(case.id, key)
        if ref not in by_key.values():
            if ref in doctors and DELETED in doctors[ref]:
                writes.append(state.prepare("doctors", ref, delete=False))
            else:
                writes.append(state.prepare("doctors", ref,
                                            _derived_values(case, key, groups[key])))
        writes += [state.prepare(i.table, i.id, {"doctor_id": ref}) for i in groups[key]]
    return writes
