"""The site's web service, mgWebService.asmx: GetCommittees, GetMeetings and GetMeeting as plain XML over GET.

Element names as public readers of it use them (DemocracyClub's lgsf, the `moderngov` package, council-data ETLs):
`committee/committeeid/committeetitle/committeeexpired`, `meeting/meetingid/meetingdate` (dd/mm/yyyy),
`agendaitem/agendaitemid/agendaitemtitle/fulldisplaynumberformat/isrestricted/isdecision`, and per item
`linkeddocuments/linkeddoc/title/url/attachmentid/isrestricted`. Names are matched without namespace or case, and
text is unescaped once more because the service double-encodes entities (`&amp;#39;`).
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterator

from lxml import etree

from ingest.moderngov.address import Site
from ingest.moderngov.model import Committee, Item, Meeting, MeetingRef, Paper


class ServiceFormatError(ValueError):
    """A web service answer that is not the XML expected (malformed, or an error page instead)."""


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)


def _root(body: bytes, expected: str) -> etree._Element:
    try:
        root = etree.fromstring(body, parser=_PARSER)
    except etree.XMLSyntaxError as exc:
        raise ServiceFormatError(f"not well-formed XML ({' '.join(str(exc).split())[:120]})") from None
    if root is None or _name(root) != expected:
        found = _name(root) if root is not None else "nothing"
        raise ServiceFormatError(f"expected <{expected}>, found <{found}>")
    return root


def _name(el: etree._Element) -> str:
    return etree.QName(el).localname.lower() if isinstance(el.tag, str) else ""


def _all(el: etree._Element, name: str) -> Iterator[etree._Element]:
    return (e for e in el.iter() if _name(e) == name)


def _child(el: etree._Element, name: str) -> etree._Element | None:
    return next((c for c in el if _name(c) == name), None)


def _text(el: etree._Element, name: str) -> str:
    child = _child(el, name)
    raw = "".join(child.itertext()) if child is not None else ""
    return " ".join(html.unescape(raw).split())


def _flag(el: etree._Element, name: str, default: bool = False) -> bool:
    value = _text(el, name).lower()
    return default if not value else value == "true"


def uk_date(text: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(text.strip()[:10], "%d/%m/%Y").date()
    except ValueError:
        return None


def parse_committees(body: bytes) -> list[Committee]:
    root = _root(body, "committees")
    out = []
    for c in _all(root, "committee"):
        cid, title = _text(c, "committeeid"), _text(c, "committeetitle")
        if cid and title:
            expired = _flag(c, "committeeexpired") or _flag(c, "committeedeleted")
            out.append(Committee(cid, title, expired))
    return out


def parse_meetings(body: bytes, committee: Committee) -> list[MeetingRef]:
    root = _root(body, "getmeetings")
    out = []
    for m in _all(root, "meeting"):
        mid = _text(m, "meetingid")
        if mid:
            out.append(
                MeetingRef(mid, committee.id, uk_date(_text(m, "meetingdate")), _text(m, "meetingstatus"))
            )
    return out


def parse_meeting(body: bytes, site: Site, committee: Committee, ref: MeetingRef) -> Meeting:
    root = _root(body, "meeting")
    page = site.meeting_page(committee.id, ref.id)
    minutes = _flag(root, "minutepublished") or _flag(root, "isminutepublished")
    decisions = _flag(root, "decisionpublished")
    date = uk_date(_text(root, "meetingdate")) or ref.date
    items = []
    for a in _all(root, "agendaitem"):
        aid = _text(a, "agendaitemid")
        title = _text(a, "agendaitemtitle")
        if not title:
            continue
        links = {"meeting page": f"{page}#AI{aid}" if aid else page}
        if aid and _flag(a, "isdecision") and (_flag(a, "isdecisionpublished") or decisions):
            links["decision"] = site.page("ieDecisionDetails.aspx", AIId=aid)
        if minutes or _flag(a, "isminutepublished") or _text(a, "minutesnonemptyhtmlbody"):
            links["minutes"] = links["meeting page"]
        papers = []
        for d in _all(a, "linkeddoc"):
            url = _text(d, "url")
            if url:
                papers.append(
                    Paper(
                        site.resolve(url),
                        _text(d, "title"),
                        _text(d, "attachmentid"),
                        _flag(d, "isrestricted"),
                    )
                )
        items.append(
            Item(
                id=aid,
                number=_text(a, "fulldisplaynumberformat") or _text(a, "agendaitemnumber"),
                title=title,
                restricted=_flag(a, "isrestricted") or not _flag(a, "isdisplayallowed", default=True),
                papers=tuple(papers),
                links=links,
            )
        )
    return Meeting(MeetingRef(ref.id, committee.id, date, ref.status), committee, page, tuple(items))
