"""Council names: the place a local body is named after, so that "Bury", "Bury Council", "Bury Metropolitan
Borough Council" and "NHS Bury Clinical Commissioning Group" are one place, and a name without any of the words of
local government ("Ofsted", "Department for Education") is a national body with no place.

The words of local government are data (`ingest/data/places.yaml`): add a word there, not a rule here.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Any

import yaml

__all__ = [
    "aliases",
    "council_key",
    "councils_named",
    "everyday_words",
    "file_prefixes",
    "place_name",
    "regions",
]


@cache
def _places() -> dict[str, Any]:
    """The data file `ingest/data/places.yaml`, read once."""
    data = yaml.safe_load(resources.files("ingest").joinpath("data/places.yaml").read_text("utf-8"))
    return data if isinstance(data, dict) else {}


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    raw = _places()
    lead = "|".join(re.escape(w) for w in sorted(raw["leading"], key=len, reverse=True))
    trail = "|".join(re.escape(w) for w in sorted(raw["trailing"], key=len, reverse=True))
    return re.compile(rf"^(?:{lead})\s+", re.I), re.compile(rf"\s+(?:{trail})$", re.I)


def place_name(council: str) -> str:
    """ "London Borough of Bexley" -> "Bexley"; "Bury Metropolitan Borough Council" -> "Bury"; "" for a national
    body ("Ofsted") or anything that is not a local body's name."""
    lead, trail = _patterns()
    name = " ".join(council.split())
    local = False
    for _ in range(6):
        shorter = trail.sub("", name)
        if shorter == name:
            break
        name, local = shorter, True
    led = lead.sub("", name)
    if name.lower() in _whole_places():
        led, local = name, True  # "City of London": the leading words are the place's own
    if led != name:
        name, local = led, True
    if not local or not 2 < len(name) < 40 or name.lower() in _NOT_PLACES:
        return ""
    return name


@cache
def _whole_places() -> frozenset[str]:
    raw = _places()
    return frozenset(str(p).lower() for p in raw.get("whole_places") or ())


_NOT_PLACES = frozenset(
    {"the", "county", "city", "borough", "district", "metropolitan", "local", "our", "this"}
)


@cache
def regions() -> dict[str, tuple[str, ...]]:
    """Named groups of councils ("Greater Manchester") and their places, from the data file."""
    raw = _places()
    return {str(k): tuple(str(p) for p in v) for k, v in (raw.get("regions") or {}).items()}


@cache
def file_prefixes() -> dict[str, str]:
    """File-name prefixes that name a paper's council ("bury" -> "Bury Council"), from the data file."""
    raw = _places()
    return {str(k).lower(): str(v) for k, v in (raw.get("file_prefixes") or {}).items()}


def council_key(council: str) -> str:
    """A key that names the same council however it is written ("Bury", "Bury Council", "Bury Metropolitan
    Borough Council"): its place name, lower case; a name with no words of local government is its own place."""
    return (place_name(council) or " ".join(council.split())).lower()


def aliases(place: str) -> list[str]:
    """Other ways a place is written: "Stockton-on-Tees" -> "Stockton"; "Brighton and Hove" -> "Brighton & Hove"
    (and back), "Brighton", "Hove"; its everyday short forms from the data file ("Herts" for "Hertfordshire")."""
    m = re.match(r"^([A-Z][\w']+)-(?:on|upon|under|in|le)-", place)
    short = [str(k) for k, v in (_places().get("short_names") or {}).items() if str(v) == place]
    joined = [place.replace(" and ", " & ")] if " and " in place else []
    joined += [place.replace(" & ", " and ")] if " & " in place else []
    # "Brighton and Hove", "Telford and Wrekin": each town of a joined name is said alone ("brighton")
    towns = re.fullmatch(r"([A-Z][\w']+) (?:and|&) ([A-Z][\w']+)", place)
    alone = [t for t in towns.groups() if t.lower() not in _NOT_ALONE] if towns else []
    return ([m.group(1)] if m else []) + joined + alone + short


# words of a joined place name that name no place alone
_NOT_ALONE = frozenset({"north", "south", "east", "west", "city", "county", "borough", "royal", "greater"})


@cache
def everyday_words() -> frozenset[str]:
    """Place names and short forms that are also everyday words ("bury", "reading"), lower case."""
    return frozenset(str(w).lower() for w in _places().get("everyday_words") or ())


_NAMED = re.compile(
    r"\b(?:London Borough of|Royal Borough of)\s+[A-Z][\w'-]+(?:\s+(?:and\s+)?[A-Z][\w'-]+)*"
    r"|\b[A-Z][\w'-]+(?:\s+(?:upon|on|and|of|[A-Z][\w'-]+))*?\s+(?:Metropolitan\s+)?(?:Borough\s+|City\s+|County\s+)?Council\b"
)


def councils_named(text: str) -> list[str]:
    """Council names written out in a text ("Oldham Metropolitan Borough Council", "London Borough of Havering")."""
    out = []
    for m in _NAMED.finditer(text):
        name = m.group(0)
        if place_name(name) and place_name(name).lower() not in {"the", "county", "city", "borough"}:
            out.append(name)
    return out
