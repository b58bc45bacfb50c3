"""Whose papers answer a question: the councils it names, else the deployment's home council — and always the
national bodies' papers (Ofsted, the DfE), which are about every council.

A paper's `council` field names who published it: a local body ("Bury Council", "Stockton-on-Tees Borough
Council", "Surrey Safeguarding Children Partnership", "NHS Bury Clinical Commissioning Group") or a national one
("Ofsted", "Department for Education"). The place of a local body is its name without the words of local
government (kept as data in `ingest/data/places.yaml`); a name that loses none of them is national.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from assistant.question import QuestionAnalysis
from ingest.councils import aliases, place_name, regions
from vectorstore.filters import SearchFilters


def place_of(council: str) -> str:
    """The place of a local body's name; "" for a national body (see `ingest.councils.place_name`)."""
    return place_name(council)


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
        shared: set[str] = set()
        for council in {c for c in councils if c}:
            place = place_of(council)
            if place:
                by_place.setdefault(place, set()).add(council)
                for alias in aliases(place):
                    if alias_of.setdefault(alias, place) != place:
                        shared.add(alias)
            else:
                national.add(council)
        # an alias of two places ("Hove" of two joined names) or a place's own name names neither
        alias_of = {a: p for a, p in alias_of.items() if a not in shared and a not in by_place}
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
    if not named and analysis.region:  # "Greater Manchester councils": every council of the region held
        named = tuple(p for p in regions().get(analysis.region, ()) if p in places.by_place)
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
