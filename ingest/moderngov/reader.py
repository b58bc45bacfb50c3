"""Reads a site's structure: the web service first, the HTML pages when it is missing or fails.

Each listing is asked for conditionally and its last answer kept (SyncState.responses), so an unchanged site
answers 304 and costs nothing to re-read. A web service that is absent (404/403, or an HTML page where XML should
be) is not asked again in the same run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

from ingest.moderngov import pages, service
from ingest.moderngov.address import Site
from ingest.moderngov.fetch import FetchError, PoliteClient
from ingest.moderngov.model import Committee, Meeting, MeetingRef
from ingest.moderngov.state import SyncState

T = TypeVar("T")
_ABSENT = {401, 403, 404, 405, 410}


class ReadError(Exception):
    """Neither the web service nor the page could be read; the message gives both reasons."""


class SiteReader:
    def __init__(self, site: Site, client: PoliteClient, state: SyncState) -> None:
        self.site = site
        self.client = client
        self.state = state
        self.service_ok = True
        self.notes: list[str] = []  # what fell back and why, for the run summary

    def fetch(self, url: str) -> bytes:
        """A listing's body: fresh, or the kept copy when the site says it has not changed."""
        kept = self.state.response(url)
        got = self.client.get(url, kept[0] if kept else None)
        if got.not_modified and kept:
            return kept[1]
        if got.not_modified:  # the site answered 304 to a plain request: ask once more without validators
            got = self.client.get(url)
        self.state.keep_response(got, url)
        return got.body

    def _either(self, what: str, from_service: Callable[[], T], from_page: Callable[[], T]) -> T:
        service_reason = "not asked (the web service is unavailable on this site)"
        if self.service_ok:
            try:
                return from_service()
            except FetchError as exc:
                service_reason = str(exc)
                if exc.status in _ABSENT:
                    self.service_ok = False
            except service.ServiceFormatError as exc:
                service_reason = f"unreadable answer: {exc}"
                if "found <html>" in str(exc):
                    self.service_ok = False
            self.notes.append(f"{what}: web service failed ({service_reason}); read the HTML page instead")
        try:
            return from_page()
        except (FetchError, pages.PageError) as exc:
            raise ReadError(f"{what}: web service: {service_reason}; page: {exc}") from None

    def committees(self) -> list[Committee]:
        return self._either(
            "committees",
            lambda: service.parse_committees(self.fetch(self.site.service("GetCommittees", lDays=0))),
            lambda: pages.parse_committee_list(
                self.fetch(self.site.page("mgListCommittees.aspx")), self.site
            ),
        )

    def meetings(self, committee: Committee, since: dt.date, until: dt.date) -> list[MeetingRef]:
        """The committee's meetings. The dates asked for are whole years so the address (and its kept answer)
        stays the same from day to day; many sites ignore them anyway, so callers filter by date themselves."""
        url = self.site.service(
            "GetMeetings",
            lCommitteeId=committee.id,
            sFromDate=f"01/01/{since.year}",
            sToDate=f"31/12/{until.year}",
        )
        page = self.site.page("ieListMeetings.aspx", CId=committee.id, Year=0)
        return self._either(
            f"meetings of {committee.title}",
            lambda: service.parse_meetings(self.fetch(url), committee),
            lambda: pages.parse_meeting_list(self.fetch(page), self.site, committee),
        )

    def meeting(self, committee: Committee, ref: MeetingRef) -> Meeting:
        what = f"{committee.title} meeting {ref.id}" + (f" ({ref.date.isoformat()})" if ref.date else "")
        page_url = self.site.meeting_page(committee.id, ref.id)
        meeting = self._either(
            what,
            lambda: service.parse_meeting(
                self.fetch(self.site.service("GetMeeting", lMeetingId=ref.id)), self.site, committee, ref
            ),
            lambda: pages.parse_meeting_page(self.fetch(page_url), self.site, committee, ref),
        )
        if meeting.source == "web service":
            meeting = self._with_page_links(meeting, page_url, what)
        return meeting

    def _with_page_links(self, meeting: Meeting, page_url: str, what: str) -> Meeting:
        """The web service does not give an item's issue history; the meeting page links it. Best effort: a page
        that cannot be read only costs those links."""
        try:
            page = pages.parse_meeting_page(self.fetch(page_url), self.site, meeting.committee, meeting.ref)
        except (FetchError, pages.PageError) as exc:
            self.notes.append(f"{what}: issue history links not read from its page ({exc})")
            return meeting
        by_id = {i.id: i for i in page.items if i.id}
        restricted_urls = {p.url for i in page.items for p in i.papers if p.restricted}
        items = []
        for item in meeting.items:
            seen = by_id.get(item.id)
            papers = tuple(
                replace(p, restricted=p.restricted or p.url in restricted_urls) for p in item.papers
            )
            items.append(
                replace(
                    item,
                    # either source saying "restricted" is enough: fail closed
                    restricted=item.restricted or bool(seen and seen.restricted),
                    papers=papers,
                    links={**item.links, **(seen.links if seen else {})},
                )
            )
        return replace(meeting, items=tuple(items))
