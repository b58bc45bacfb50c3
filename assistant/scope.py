"""Whose papers answer a question: the councils it names, else the deployment's home council — and always the
national bodies' papers (Ofsted, the DfE), which are about every council.

A paper's `council` field names who published it: a local body ("Bury Council", "Stockton-on-Tees Borough
Council", "Surrey Safeguarding Children Partnership", "NHS Bury Clinical Commissioning Group") or a national one
("Ofsted", "Department for Education"). The place of a local body is its name without the words of local
government (kept as data in `assistant/data/places.yaml`); a name that loses none of them is national.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import yaml

from assistant.question import QuestionAnalysis
from vectorstore.retriever import SearchFilters


@cache
def _words() -> dict[str, tuple[str, ...]]:
    raw = yaml.safe_load(resources.files("assistant").joinpath("data/places.yaml").read_text("utf-8"))
    return {k: tuple(str(w) for w in v) for k, v in raw.items()}


def place_of(council: str) -> str:
    """ "London Borough of Bexley" -> "Bexley"; "Bury Metropolitan Borough Council" -> "Bury"; "" for a
    national body."""
    words = _words()
    name = " ".join(council.split())
    lead = re.compile(rf"^(?:{'|'.join(re.escape(w) for w in words['leading'])})\s+", re.I)
    trail = re.compile(rf"\s+(?:{'|'.join(re.escape(w) for w in words['trailing'])})$", re.I)
    stripped_end = False
    for _ in range(6):
        new = trail.sub("", name)
        if new == name:
            break
        name, stripped_end = new, True
    led = lead.sub("", name)
    if led != name:
        name, stripped_end = led, True
    if not stripped_end or not name or not name[0].isupper():
        return ""
    return name


def aliases(place: str) -> list[str]:
    """Other ways a place is written: "Stockton-on-Tees" -> "Stockton"."""
    out = []
    m = re.match(r"^([A-Z][\w']+)-(?:on|upon|under|in|le)-", place)
    if m:
        out.append(m.group(1))
    return out


@dataclass(frozen=True)
class Places:
    """The councils whose papers are held, by place, and the national bodies."""

    by_place: dict[str, frozenset[str]] = field(default_factory=dict)  # "Bury" -> {"Bury Council", ...}
    national: frozenset[str] = frozenset()
    alias_of: dict[str, str] = field(default_factory=dict)  # "Stockton" -> "Stockton-on-Tees"

    @classmethod
    def from_councils(cls, councils: Iterable[str]) -> Places:
        by_place: dict[str, set[str]] = {}
        national: set[str] = set()
        alias_of: dict[str, str] = {}
        for council in {c for c in councils if c}:
            place = place_of(council)
            if place:
                by_place.setdefault(place, set()).add(council)
                for alias in aliases(place):
                    alias_of.setdefault(alias, place)
            else:
                national.add(council)
        return cls({p: frozenset(c) for p, c in by_place.items()}, frozenset(national), alias_of)

    def names(self) -> list[str]:
        """Place names and aliases, longest first (for matching in a question)."""
        return sorted({*self.by_place, *self.alias_of}, key=len, reverse=True)

    def canonical(self, name: str) -> str:
        return self.alias_of.get(name, name)

    def councils_of(self, places: Iterable[str]) -> frozenset[str]:
        return frozenset(c for p in places for c in self.by_place.get(self.canonical(p), ()))


def scope(
    analysis: QuestionAnalysis, places: Places, home_council: str, filters: SearchFilters | None = None
) -> tuple[SearchFilters | None, tuple[str, ...]]:
    """The search filters for `analysis` and the places the answer is about.

    Named councils' papers plus national papers; with none named, the home council's plus national papers.
    With no home council set (or none of its papers held), nothing is narrowed. A council filter the user
    chose stays as it is."""
    if filters is not None and filters.councils:
        return filters, tuple(p for c in filters.councils if (p := place_of(c)))
    if analysis.unknown_places and not analysis.councils:
        return filters, analysis.unknown_places  # no council of ours: any paper that names the place
    named = tuple(places.canonical(p) for p in analysis.councils)
    if not named:
        home = place_of(home_council) if home_council else ""
        if not home or home not in places.by_place:
            return filters, ()
        named = (home,)
    allowed = places.councils_of(named) | places.national
    base = filters or SearchFilters()
    return SearchFilters(
        date_from=base.date_from,
        date_to=base.date_to,
        bodies=base.bodies,
        doc_types=base.doc_types,
        councils=tuple(sorted(allowed)),
    ), named
