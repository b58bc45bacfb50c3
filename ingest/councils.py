"""Council names: the place a council is named after, for matching "Bury", "Bury Council" and
"Bury Metropolitan Borough Council" as one council."""

from __future__ import annotations

import re

_AFFIX = re.compile(
    r"^(?:London Borough of|Royal Borough of|City of|The)\s+"
    r"|\s+(?:Metropolitan\s+)?(?:Borough\s+|City\s+|County\s+|District\s+)?Council$"
    r"|\s+(?:Metropolitan\s+)?Borough$",
    re.I,
)


def place_name(council: str) -> str:
    """ "London Borough of Bexley" -> "Bexley"; "Bury Metropolitan Borough Council" -> "Bury"."""
    name = " ".join(council.split())
    for _ in range(3):
        shorter = _AFFIX.sub("", name).strip()
        if shorter == name:
            break
        name = shorter
    return name


def council_key(council: str) -> str:
    """A key that names the same council however it is written: its place name, lower case."""
    return place_name(council).lower()


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
