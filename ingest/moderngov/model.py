"""What a Modern.Gov site holds, as read from its web service or its pages: committees, meetings, agenda items
and the papers linked from each item."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Committee:
    id: str
    title: str
    expired: bool = False


@dataclass(frozen=True)
class MeetingRef:
    """A meeting as a committee's list of meetings shows it."""

    id: str
    committee_id: str
    date: dt.date | None
    status: str = ""


@dataclass(frozen=True)
class Paper:
    """One document linked from an agenda item."""

    url: str
    title: str
    attachment_id: str = ""
    restricted: bool = False  # the site marks it exempt (Part B): never fetched as an open paper


@dataclass(frozen=True)
class Item:
    """One agenda item. `links` lead from the item to what happened to it: its place on the meeting page (where
    the minutes appear once published), the decision notice, the issue's history across meetings."""

    id: str  # the site's agenda item id (AIId); "" when the page does not give one
    number: str  # as the agenda prints it: "7.", "7.a"
    title: str
    restricted: bool = False
    papers: tuple[Paper, ...] = ()
    links: dict[str, str] = field(default_factory=dict)  # label -> URL

    @property
    def label(self) -> str:
        number = self.number.strip().rstrip(".")
        return f"{number}. {self.title}" if number else self.title


@dataclass(frozen=True)
class Meeting:
    ref: MeetingRef
    committee: Committee
    page_url: str  # ieListDocuments.aspx: the meeting's page on the council's site
    items: tuple[Item, ...] = ()
    source: str = "web service"  # or "pages"

    @property
    def key(self) -> str:
        return f"{self.committee.id}/{self.ref.id}"
