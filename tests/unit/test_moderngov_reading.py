"""Reading a Modern.Gov site's answers: the web service's XML and the HTML pages, from the recorded responses in
tests/data/moderngov (see its README for where each format comes from), plus addresses and filters."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ingest.moderngov import pages, service
from ingest.moderngov.address import Site, SiteAddressError
from ingest.moderngov.filters import Filters, FiltersError, Take, load_filters
from ingest.moderngov.model import Committee, MeetingRef

DATA = Path(__file__).resolve().parents[1] / "data" / "moderngov"
SITE = Site.parse("https://democracy.example.gov.uk")
CABINET = Committee("101", "Cabinet")
CYP = Committee("102", "Children and Young People Scrutiny Committee")
CPB = Committee("104", "Corporate Parenting Board")


def recorded(folder: str, name: str) -> bytes:
    return (DATA / folder / name).read_bytes().replace(b"{base}", SITE.base.encode())


# ---------------------------------------------------------------------------------------------- addresses


@pytest.mark.parametrize(
    ("given", "base"),
    [
        ("https://democracy.example.gov.uk", "https://democracy.example.gov.uk/"),
        ("democracy.example.gov.uk", "https://democracy.example.gov.uk/"),
        ("https://Democracy.Example.gov.uk/mgListCommittees.aspx?bcr=1", "https://democracy.example.gov.uk/"),
        (
            "https://www.example.gov.uk/moderngov/ieListMeetings.aspx?CId=1",
            "https://www.example.gov.uk/moderngov/",
        ),
        ("http://127.0.0.1:8123/mgWebService.asmx/GetCommittees", "http://127.0.0.1:8123/"),
    ],
)
def test_site_from_any_of_its_addresses(given: str, base: str) -> None:
    assert Site.parse(given).base == base


@pytest.mark.parametrize("bad", ["", "ftp://example.gov.uk", "https://", "not a url at all/"])
def test_an_address_that_is_not_a_site_says_what_to_give(bad: str) -> None:
    with pytest.raises(SiteAddressError, match=r"Modern\.Gov site"):
        Site.parse(bad)


def test_service_documents_given_as_http_take_the_sites_scheme() -> None:
    assert SITE.resolve("http://democracy.example.gov.uk/mgConvert2PDF.aspx?ID=1") == (
        "https://democracy.example.gov.uk/mgConvert2PDF.aspx?ID=1"
    )
    assert SITE.resolve("documents/s1/a%20b.pdf") == "https://democracy.example.gov.uk/documents/s1/a%20b.pdf"
    assert not SITE.owns("https://www.gov.uk/guidance")
    assert Site.parse("https://www.example.gov.uk/moderngov/").folder == "www.example.gov.uk_moderngov"
    assert Site.parse("http://127.0.0.1:8123").folder == "127.0.0.1_8123"


# ---------------------------------------------------------------------------------------------- web service


def test_committees_with_expired_ones_marked_and_entities_decoded_twice() -> None:
    committees = service.parse_committees(recorded("service", "GetCommittees.xml"))
    assert [c.id for c in committees] == ["101", "102", "103", "104", "105"]
    assert committees[4] == Committee("105", "Children's Services Improvement Panel", expired=True)
    assert not committees[0].expired


def test_meetings_with_their_dates() -> None:
    refs = service.parse_meetings(recorded("service", "GetMeetings-101.xml"), CABINET)
    assert [(r.id, r.date) for r in refs] == [("1990", dt.date(2024, 2, 12)), ("2001", dt.date(2025, 9, 10))]


def test_a_meetings_items_papers_restrictions_and_links() -> None:
    ref = MeetingRef("2001", "101", None)
    meeting = service.parse_meeting(recorded("service", "GetMeeting-2001.xml"), SITE, CABINET, ref)
    assert meeting.ref.date == dt.date(2025, 9, 10) and meeting.key == "101/2001"
    by_number = {i.number: i for i in meeting.items}
    ofsted = by_number["7."]
    assert ofsted.title == "Ofsted Inspection of Children's Services" and ofsted.label.startswith("7. Ofsted")
    assert [(p.attachment_id, p.restricted) for p in ofsted.papers] == [
        ("9010", False),
        ("9011", False),
        ("9014", True),
    ]
    assert ofsted.papers[0].title == "Ofsted inspection of children's services - report to Cabinet"
    assert ofsted.links == {
        "meeting page": "https://democracy.example.gov.uk/ieListDocuments.aspx?CId=101&MId=2001&Ver=4#AI5007",
        "decision": "https://democracy.example.gov.uk/ieDecisionDetails.aspx?AIId=5007",
        "minutes": "https://democracy.example.gov.uk/ieListDocuments.aspx?CId=101&MId=2001&Ver=4#AI5007",
    }
    assert by_number["12."].restricted and by_number["12."].papers[0].restricted
    assert not by_number["8."].restricted


def test_no_decision_link_until_the_decision_is_published() -> None:
    meeting = service.parse_meeting(
        recorded("service", "GetMeeting-2002.xml"), SITE, CYP, MeetingRef("2002", "102", None)
    )
    assert all("decision" not in i.links and "minutes" not in i.links for i in meeting.items)


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b"<?xml version='1.0'?><meeting><agendaitems><agendaitem>", "not well-formed"),
        (b"<html><body>Runtime Error</body></html>", "found <html>"),
        (b"", "not well-formed"),
    ],
)
def test_an_answer_that_is_not_the_xml_expected_is_refused(body: bytes, problem: str) -> None:
    with pytest.raises(service.ServiceFormatError, match=problem):
        service.parse_meeting(body, SITE, CABINET, MeetingRef("1", "101", None))


def test_xml_entities_are_never_expanded() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE c [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b"<committees><committee><committeeid>1</committeeid><committeetitle>&b;</committeetitle></committee>"
        b"</committees>"
    )
    titles = [c.title for c in service.parse_committees(bomb)]
    assert titles in ([], [""]) or "aaaaaaaaaa" not in titles[0]


# ---------------------------------------------------------------------------------------------- pages


def test_committee_list_page() -> None:
    committees = pages.parse_committee_list(recorded("pages", "mgListCommittees.html"), SITE)
    assert [(c.id, c.title) for c in committees] == [
        ("101", "Cabinet"),
        ("102", "Children and Young People Scrutiny Committee"),
        ("103", "Planning Control Committee"),
        ("104", "Corporate Parenting Board"),
    ]


def test_meeting_list_page_dates_from_link_text() -> None:
    refs = pages.parse_meeting_list(recorded("pages", "ieListMeetings-104.html"), SITE, CPB)
    assert [(r.id, r.date) for r in refs] == [("2004", dt.date(2025, 11, 5)), ("2003", dt.date(2025, 10, 1))]


def test_meeting_page_items_papers_and_links() -> None:
    meeting = pages.parse_meeting_page(
        recorded("pages", "ieListDocuments-2001.html"), SITE, CABINET, MeetingRef("2001", "101", None)
    )
    assert meeting.source == "pages" and meeting.ref.date == dt.date(2025, 9, 10)
    by_id = {i.id: i for i in meeting.items}
    ofsted = by_id["5007"]
    assert ofsted.number == "7." and ofsted.title == "Ofsted Inspection of Children's Services"
    # the restricted enclosure has no link to fetch; the item's own report and appendix 1 do
    assert [(p.attachment_id, p.title, p.restricted) for p in ofsted.papers] == [
        ("9010", "Ofsted Inspection of Children's Services", False),
        ("9011", "Appendix 1 - Ofsted inspection letter", False),
    ]
    assert (
        ofsted.links["issue history"] == "https://democracy.example.gov.uk/mgIssueHistoryHome.aspx?IId=7101"
    )
    assert ofsted.links["decision"] == "https://democracy.example.gov.uk/ieDecisionDetails.aspx?AIId=5007"
    assert ofsted.links["minutes"] == "https://democracy.example.gov.uk/mgConvert2PDF.aspx?ID=20012&T=10"
    assert by_id["5012"].restricted and not by_id["5007"].restricted
    assert "minutes" in by_id["5001"].links and by_id["5001"].papers == ()


def test_a_restricted_enclosure_shown_with_a_link_is_marked_restricted() -> None:
    body = (
        b'<html><body><div id="modgov"><h2 class="mgSubTitleTxt">Cabinet - Monday, 1st December, 2025</h2>'
        b'<table class="mgItemTable"><tr><td><p class="mgAiTitleTxt"><a name="AI9"></a>9.</p></td><td>'
        b'<p class="mgAiTitleTxt">Budget</p><ul class="mgBulletList">'
        b'<li><a href="mgConvert2PDF.aspx?ID=77">Appendix C</a> Restricted enclosure</li>'
        b'<li><a href="mgConvert2PDF.aspx?ID=78">Appendix D <span class="mgFileSize">PDF 12 KB</span></a></li>'
        b"</ul></td></tr></table></div></body></html>"
    )
    item = pages.parse_meeting_page(body, SITE, CABINET, MeetingRef("1", "101", None)).items[0]
    assert [(p.attachment_id, p.title, p.restricted) for p in item.papers] == [
        ("77", "Appendix C", True),
        ("78", "Appendix D", False),
    ]


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ((DATA / "pages" / "ieListDocuments-2004.html").read_bytes(), "incomplete"),
        (b"<html><body><h1>Server Error in '/' Application.</h1></body></html>", "not a Modern.Gov page"),
        (
            b'<html><body><div id="modgov"><p class="mgAiTitleTxt">Item</p></div></body></html>',
            "layout not recognised",
        ),
    ],
)
def test_a_malformed_meeting_page_is_refused(body: bytes, problem: str) -> None:
    with pytest.raises(pages.PageError, match=problem):
        pages.parse_meeting_page(body, SITE, CPB, MeetingRef("2004", "104", None))


def test_a_meeting_without_a_published_agenda_has_no_items() -> None:
    body = b'<html><body><div id="modgov"><h2 class="mgSubTitleTxt">Cabinet - 1 May 2026</h2></div></body></html>'
    assert pages.parse_meeting_page(body, SITE, CABINET, MeetingRef("9", "101", None)).items == ()


# ---------------------------------------------------------------------------------------------- filters


@pytest.fixture(scope="module")
def defaults() -> Filters:
    return load_filters()


@pytest.mark.parametrize(
    ("committee", "take"),
    [
        ("Children and Young People Scrutiny Committee", Take.ALL),
        ("Corporate Parenting Board", Take.ALL),
        ("Schools Forum", Take.ALL),
        ("Cabinet", Take.KEYWORDS),
        ("Overview and Scrutiny Management Board", Take.KEYWORDS),
        ("Council", Take.KEYWORDS),
        ("Planning Control Committee", None),
        ("Licensing Sub-Committee", None),
    ],
)
def test_default_committees(defaults: Filters, committee: str, take: Take | None) -> None:
    assert defaults.take(committee) == take


@pytest.mark.parametrize(
    ("title", "wanted"),
    [
        ("Ofsted Inspection of Children's Services", True),
        ("SEND Improvement Plan Update", True),
        ("Please send comments by Friday", False),  # an acronym in capitals matches only in capitals
        ("Care Leavers' Local Offer", True),
        ("Highways Maintenance Programme 2025/26", False),
        ("Minutes of the previous meeting", False),
    ],
)
def test_default_keywords_for_cabinet_items(defaults: Filters, title: str, wanted: bool) -> None:
    assert defaults.wanted(Take.KEYWORDS, title) is wanted
    assert defaults.wanted(Take.ALL, title)


@pytest.mark.parametrize(
    ("title", "restricted"),
    [
        ("Acquisition of a children's home (exempt)", True),
        ("Part B: property matters", True),
        ("Appendix 2 - NOT FOR PUBLICATION", True),
        ("Schools budget 2025/26", False),
    ],
)
def test_titles_that_say_restricted(defaults: Filters, title: str, restricted: bool) -> None:
    assert defaults.says_restricted(title) is restricted


def test_command_line_names_replace_the_lists_but_keep_the_restricted_markers(defaults: Filters) -> None:
    named = defaults.narrowed(("Cabinet",), ())
    assert named.take("Cabinet") == Take.ALL and named.take("Corporate Parenting Board") is None
    both = defaults.narrowed(("Cabinet",), ("budget",))
    assert both.take("Cabinet") == Take.KEYWORDS and both.wanted(Take.KEYWORDS, "Schools budget")
    only_keywords = defaults.narrowed((), ("budget",))
    assert only_keywords.take("Corporate Parenting Board") == Take.KEYWORDS
    assert both.says_restricted("Exempt appendix")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("committees: [a\n", "not valid YAML"),
        ("- a list\n", "expected a mapping"),
        ("committees: [a]\ncommitees: [b]\n", "unknown key"),
        ("committees: a string\n", "must be a list"),
        ("keywords: [x]\n", "at least one committee"),
    ],
)
def test_a_bad_filters_file_says_what_is_wrong(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "filters.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FiltersError, match=problem):
        load_filters(path)
