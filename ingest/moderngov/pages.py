"""The site's HTML pages, read when the web service is missing or fails: mgListCommittees.aspx (committees),
ieListMeetings.aspx (a committee's meetings), ieListDocuments.aspx (a meeting: its agenda items and papers).

Page structure as public scrapers of Modern.Gov read it: the content sits in `#modgov`; the meeting's title in
`h2.mgSubTitleTxt` ("Cabinet - Wednesday, 10th September, 2025 7.00 pm"); items are rows of `table.mgItemTable`
(or `#mgItemTable`) whose first cell holds the number and an `<a name="AI…">` anchor (the item id) and whose second
cell holds the title (`p.mgAiTitleTxt`, a link `a.mgAiTitleLnk` when the item has a report), further papers in
`ul.mgBulletList`, the file size in `span.mgFileSize`, and links to the issue's history (mgIssueHistoryHome.aspx)
and decision (ieDecisionDetails.aspx). A restricted (exempt) item or enclosure is shown without its file, with
"View the reasons why … is restricted".
"""

from __future__ import annotations

import re
import warnings
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, Tag

from ingest.metadata import parse_date
from ingest.moderngov.address import Site, query_param
from ingest.moderngov.model import Committee, Item, Meeting, MeetingRef, Paper

# links to papers: the converter, the documents folder, or a file name with a document's extension
_DOCUMENT = re.compile(
    r"mgConvert2PDF\.aspx|/documents/[sgb]\d+/|ViewDocument|\.(?:pdf|docx?|xlsx?|pptx?|rtf|txt)(?:\?|$)", re.I
)
_FILE_SIZE = re.compile(r"\s*\b(?:PDF|DOCX?|XLSX?|PPTX?|Word|HTML|RTF)\s+\d[\d,.]*\s*[KMG]B\b\s*$", re.I)
_RESTRICTED = re.compile(r"\bis restricted\b|\brestricted enclosure\b", re.I)
_ITEM_RESTRICTED = re.compile(r"\bwhy item\b.{0,20}?\bis restricted\b", re.I)
_ATTACHMENT_ID = re.compile(r"(?:[?&]ID=|/documents/[sgb])(\d+)", re.I)


class PageError(ValueError):
    """A page that cannot be read as the Modern.Gov page expected; the message says what was wrong."""


def _soup(body: bytes, what: str) -> BeautifulSoup:
    if not re.search(rb"</html\s*>", body[-4096:], re.I):
        raise PageError(f"the {what} page is incomplete (it ends before </html>)")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(body, "lxml")
    return soup


def _content(soup: BeautifulSoup, what: str) -> Tag:
    content = soup.select_one("#modgov")
    if content is None:
        raise PageError(f"the {what} page is not a Modern.Gov page (no #modgov content)")
    return content


def _words(node: Tag) -> str:
    return " ".join(node.get_text(" ", strip=True).split())


def parse_committee_list(body: bytes, site: Site) -> list[Committee]:
    content = _content(_soup(body, "committee list"), "committee list")
    seen: dict[str, Committee] = {}
    for a in content.select("a[href]"):
        href = str(a["href"])
        if re.search(r"mgCommitteeDetails\.aspx|ieListMeetings\.aspx", href, re.I):
            cid = query_param(site.resolve(href), "ID") or query_param(site.resolve(href), "CId")
            title = _words(a)
            if cid and title and cid not in seen:
                seen[cid] = Committee(cid, title)
    if not seen:
        raise PageError("the committee list page lists no committees")
    return list(seen.values())


def parse_meeting_list(body: bytes, site: Site, committee: Committee) -> list[MeetingRef]:
    content = _content(_soup(body, "meeting list"), "meeting list")
    out: dict[str, MeetingRef] = {}
    for a in content.select("a[href]"):
        href = site.resolve(str(a["href"]))
        if "ielistdocuments.aspx" not in urlsplit(href).path.lower():
            continue
        mid = query_param(href, "MId") or query_param(href, "MeetingId")
        if not mid or query_param(href, "CId") not in ("", committee.id):
            continue
        text = _words(a)
        status = "cancelled" if re.search(r"\bcancelled\b", text, re.I) else ""
        out.setdefault(mid, MeetingRef(mid, committee.id, parse_date(text), status))
    return list(out.values())


def parse_meeting_page(body: bytes, site: Site, committee: Committee, ref: MeetingRef) -> Meeting:
    soup = _soup(body, "meeting")
    content = _content(soup, "meeting")
    page = site.meeting_page(committee.id, ref.id)
    heading = content.select_one("h2.mgSubTitleTxt")
    date = parse_date(_words(heading)) if heading else None
    printed = next(
        (
            site.resolve(str(a["href"]))
            for a in content.select("a[href]")
            if _words(a).lower().startswith("printed minutes")
        ),
        "",
    )
    table = content.select_one("table.mgItemTable, table#mgItemTable")
    items: list[Item] = []
    for row in table.find_all("tr") if table else []:
        cells = row.find_all("td", recursive=False)
        if len(cells) < 2:
            continue
        item = _item(cells[0], cells[1], site, page, printed)
        if item is not None:
            items.append(item)
    if table is None and content.select_one("p.mgAiTitleTxt") is not None:
        raise PageError("the meeting page lists agenda items outside an item table (layout not recognised)")
    return Meeting(
        MeetingRef(ref.id, committee.id, date or ref.date, ref.status), committee, page, tuple(items), "pages"
    )


def _item(number_cell: Tag, cell: Tag, site: Site, page: str, printed_minutes: str) -> Item | None:
    named = re.compile(r"^AI\d+$")
    anchor = number_cell.find("a", attrs={"name": named}) or cell.find("a", attrs={"name": named})
    aid = str(anchor["name"])[2:] if anchor else ""
    title_node = cell.select_one("p.mgAiTitleTxt")
    if title_node is None:
        return None
    papers: dict[str, Paper] = {}
    for a in cell.select("a[href]"):
        url = site.resolve(str(a["href"]))
        parts = urlsplit(url)
        if not _DOCUMENT.search(f"{parts.path}?{parts.query}"):
            continue
        block = a.find_parent(["li", "p"]) or a
        found = _ATTACHMENT_ID.search(url)
        restricted = bool(_RESTRICTED.search(_words(block)))
        papers.setdefault(url, Paper(url, _link_title(a), found.group(1) if found else "", restricted))
    links = {"meeting page": f"{page}#AI{aid}" if aid else page}
    for a in cell.select("a[href]"):
        href = site.resolve(str(a["href"]))
        low = href.lower()
        if "mgissuehistoryhome.aspx" in low and not _RESTRICTED.search(_words(a)):
            links.setdefault("issue history", href)
        elif "iedecisiondetails.aspx" in low:
            links.setdefault("decision", href)
    if any(_words(n).rstrip(":").lower() == "minutes" for n in cell.find_all(["p", "div", "h3", "span"])):
        links["minutes"] = printed_minutes or links["meeting page"]
    return Item(
        id=aid,
        number=_words(number_cell),
        title=_link_title(title_node.select_one("a.mgAiTitleLnk") or title_node),
        restricted=bool(_ITEM_RESTRICTED.search(_words(cell))),
        papers=tuple(papers.values()),
        links=links,
    )


def _link_title(node: Tag) -> str:
    copy = BeautifulSoup(str(node), "lxml")
    for size in copy.select("span.mgFileSize"):
        size.decompose()
    return _FILE_SIZE.sub("", _words(copy)).strip(" -")
