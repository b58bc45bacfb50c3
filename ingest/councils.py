"""Council names: the place a local body is named after, so that "Bury", "Bury Council", "Bury Metropolitan
Borough Council" and "NHS Bury Clinical Commissioning Group" are one place, and a name without any of the words of
local government ("Ofsted", "Department for Education") is a national body with no place.

The words of local government are data (`ingest/data/places.yaml`): add a word there, not a rule here.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

import yaml

__all__ = ["aliases", "council_key", "place_name"]


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    raw = yaml.safe_load(resources.files("ingest").joinpath("data/places.yaml").read_text("utf-8"))
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
    if led != name:
        name, local = led, True
    if not local or not name or not name[0].isupper() or not 2 < len(name) < 40:
        return ""
    return name


def council_key(council: str) -> str:
    """A key that names the same council however it is written: its place name, lower case."""
    return place_name(council).lower()


def aliases(place: str) -> list[str]:
    """Other ways a place is written: "Stockton-on-Tees" -> "Stockton"."""
    m = re.match(r"^([A-Z][\w']+)-(?:on|upon|under|in|le)-", place)
    return [m.group(1)] if m else []
