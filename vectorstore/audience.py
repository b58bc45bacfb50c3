"""Who is asking, and which collections that audience may search. Parsed once at the edge (CLI, web, API)."""

from __future__ import annotations

from enum import StrEnum

from ingest.documents import Classification


class Audience(StrEnum):
    PUBLIC = "public"  # residents: published (open) papers only
    OFFICER = "officer"  # officers and councillors: also exempt papers

    @classmethod
    def parse(cls, value: str | Audience) -> Audience:
        """The audience named by `value`; ValueError with the choices for anything else."""
        try:
            return cls(value)
        except ValueError:
            raise ValueError(f"unknown audience {value!r}; use 'public' or 'officer'") from None

    @property
    def classifications(self) -> tuple[Classification, ...]:
        """The collections this audience searches."""
        return AUDIENCE_COLLECTIONS[self]


AUDIENCE_COLLECTIONS: dict[Audience, tuple[Classification, ...]] = {
    Audience.PUBLIC: (Classification.OPEN,),
    Audience.OFFICER: (Classification.OPEN, Classification.EXEMPT),
}
