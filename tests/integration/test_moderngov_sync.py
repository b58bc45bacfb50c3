"""Syncing a council's papers from a fake Modern.Gov site on 127.0.0.1 (tests/moderngov_site.py) that serves
recorded responses in the real formats: the web service's XML and the HTML pages.

The site has a restricted item and a restricted appendix, a paper that changes, one that is withdrawn, one that
becomes restricted, a slow listing, a paper slower than the timeout once, a paper failing twice with 503, a 404,
a committee whose web service listing always fails, a meeting whose XML is malformed and a meeting whose XML
fails and whose page is cut off."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from ingest.moderngov import SyncOptions, SyncReport, sync_site
from tests.moderngov_site import AUTH_COOKIE, FakeSite

pytestmark = pytest.mark.integration

COUNCIL = "Northfield Borough Council"
FIRST_RUN = {"9010", "9011", "9020", "9021", "9022", "9024", "9025", "9040", "9041"}


@pytest.fixture()
def site() -> Iterator[FakeSite]:
    fake = FakeSite()
    fake.start()
    yield fake
    fake.stop()


def options(site: FakeSite, dest: Path, **kw: Any) -> SyncOptions:
    base: dict[str, Any] = {
        "site_url": site.base,
        "dest_dir": dest,
        "council": COUNCIL,
        "since": dt.date(2025, 1, 1),
        "request_interval_s": 0.0,
        "timeout_s": 1.5,
        "attempts": 3,
        "backoff_s": 0.05,
    }
    return SyncOptions(**{**base, **kw})


def papers(folder: Path) -> dict[str, tuple[Path, dict[str, Any]]]:
    """Synced papers by the site's attachment id: (file, its sidecar)."""
    out = {}
    for path in folder.rglob("*"):
        found = re.match(r"\d+[a-z]*-(\d+)-", path.name)
        if found and path.is_file() and not path.name.endswith(".meta.yaml"):
            meta = yaml.safe_load(path.with_name(path.name + ".meta.yaml").read_text(encoding="utf-8"))
            out[found.group(1)] = (path, meta)
    return out


def ids(outcomes: list[Any]) -> set[str]:
    return {re.search(r"(?:ID=|/s)(\d+)", o.url).group(1) for o in outcomes}  # type: ignore[union-attr]


def site_folder(dest: Path, site: FakeSite) -> Path:
    return next(p for p in dest.iterdir() if p.is_dir())


def test_first_sync_fetches_open_papers_with_their_metadata(site: FakeSite, tmp_path: Path) -> None:
    report = sync_site(options(site, tmp_path))
    assert ids(report.new) == FIRST_RUN and not report.changed and not report.removed
    assert report.committees == [
        "Cabinet",
        "Children and Young People Scrutiny Committee",
        "Corporate Parenting Board",
    ]
    got = papers(site_folder(tmp_path, site))
    assert set(got) == FIRST_RUN
    path, meta = got["9010"]
    assert path.read_bytes().startswith(b"%PDF-")
    assert meta == {
        "title": "Ofsted inspection of children's services - report to Cabinet",
        "council": COUNCIL,
        "body": "Cabinet",
        "doc_type": "cabinet report",
        "date": "2025-09-10",
        "source_url": f"{site.base}documents/s9010/Ofsted%20inspection%20report%20to%20Cabinet.pdf",
        "agenda_item": "7. Ofsted Inspection of Children's Services",
        "links": {
            "meeting page": f"{site.base}ieListDocuments.aspx?CId=101&MId=2001&Ver=4#AI5007",
            "decision": f"{site.base}ieDecisionDetails.aspx?AIId=5007",
            "minutes": f"{site.base}mgConvert2PDF.aspx?ID=20012&T=10",  # the printed minutes, from the page
            "issue history": f"{site.base}mgIssueHistoryHome.aspx?IId=7101",  # only the page gives it
        },
    }
    assert "classification" not in meta  # open papers keep ingest's own check of their first page
    assert (
        got["9011"][1]["title"]
        == "Ofsted Inspection of Children's Services — Appendix 1 - Ofsted inspection letter"
    )
    assert got["9041"][1]["body"] == "Corporate Parenting Board"  # read from the pages: the XML was malformed
    assert got["9022"][1]["doc_type"] == "complaints report"
    # restricted: listed, never requested
    assert ids(report.restricted) == {"9013", "9014"}
    assert not site.hits("paper:9013") and not site.hits("paper:9014")
    # filtered out (Cabinet items without a children's keyword; committees not wanted): never requested
    assert not site.hits("paper:9012") and not site.hits("paper:9009") and not site.hits("GetMeetings:103")
    # not ingestible by name, or on another site: skipped without a request
    assert {o.reason for o in report.skipped} == {
        "file type '.xlsx' cannot be ingested (not fetched)",
        "links to another site; only the council's own site is read",
    }
    assert not site.hits("paper:9023")
    # slow once, then fine; two 503s, then fine; 404 reported with its reason
    assert site.behaviours["paper:9024"].seen == 2 and site.behaviours["paper:9025"].seen == 3
    assert [(o.url.rsplit("=", 1)[-1], o.reason) for o in report.failed if "9026" in o.url] == [
        ("9026", "HTTP 404 Not Found")
    ]
    # the meeting whose XML fails and whose page is cut off is reported, the rest synced
    (meeting_failure,) = report.unreadable
    assert "MId=2004" in meeting_failure.url
    assert "HTTP 500" in meeting_failure.reason and "incomplete" in meeting_failure.reason
    assert report.meetings_read == 3 and not report.ok
    assert any("meetings of Corporate Parenting Board: web service failed" in n for n in report.notes)
    assert any("meeting 2003" in n and "not well-formed XML" in n for n in report.notes)
    # polite: every request names the product; nothing half-written is left
    assert all(h.agent.startswith("CouncilQA/") for h in site.hits())
    assert not list((site_folder(tmp_path, site) / ".moderngov" / "tmp").glob("*"))
    assert (
        "Papers: 9 new, 0 changed, 0 unchanged, 0 removed, 2 restricted (not fetched), 2 skipped, 1 failed."
        in (report.summary_lines())
    )


def test_second_sync_fetches_nothing_new(site: FakeSite, tmp_path: Path) -> None:
    sync_site(options(site, tmp_path))
    before = {
        p: p.read_bytes()
        for p in site_folder(tmp_path, site).rglob("*")
        if p.is_file() and ".moderngov" not in str(p)
    }
    site.clear_log()
    report = sync_site(options(site, tmp_path))
    assert (report.new, report.changed, report.removed) == ([], [], [])
    assert ids(report.unchanged) == FIRST_RUN
    papers_asked = [h for h in site.hits("paper:") if h.key != "paper:9026"]
    assert papers_asked and all(h.conditional and h.status == 304 for h in papers_asked)
    listings = site.hits("GetMeeting") + site.hits("GetCommittees") + site.hits("page:")
    assert listings and all(
        h.status in (304, 500) for h in listings
    )  # 500: the failing endpoints, asked again
    after = {
        p: p.read_bytes()
        for p in site_folder(tmp_path, site).rglob("*")
        if p.is_file() and ".moderngov" not in str(p)
    }
    assert after == before


def test_changes_on_the_site_are_followed(site: FakeSite, tmp_path: Path) -> None:
    sync_site(options(site, tmp_path))
    site.state = "v2"  # 9021 revised; 9022's item withdrawn; appendix 9011 now restricted; meeting 2005 added
    report = sync_site(options(site, tmp_path))
    assert ids(report.changed) == {"9021"} and report.changed[0].reason == "content changed"
    assert {(o.url.split("/")[-2] if "/s" in o.url else o.url[-4:], o.reason) for o in report.removed} == {
        ("s9022", "no longer on the site"),
        ("9011", "now restricted on the site"),
    }
    assert ids(report.new) == {"9030"} and ids(report.restricted) == {"9011", "9013", "9014"}
    got = papers(site_folder(tmp_path, site))
    assert set(got) == (FIRST_RUN - {"9022", "9011"}) | {"9030"}
    assert b"64 per cent" in _pdf_text(got["9021"][0])
    assert got["9030"][1]["date"] == "2025-11-11"
    assert not site.hits("paper:9011", status=200)[1:]  # fetched once, when it was open, never again


def _pdf_text(path: Path) -> bytes:
    from pypdf import PdfReader

    return "".join(page.extract_text() for page in PdfReader(path).pages).encode()


def test_restricted_papers_with_credentials_are_exempt(site: FakeSite, tmp_path: Path) -> None:
    report = sync_site(options(site, tmp_path, auth_header=f"Cookie: {AUTH_COOKIE}"))
    assert ids(report.new) == FIRST_RUN | {"9013", "9014"} and not report.restricted
    got = papers(site_folder(tmp_path, site))
    assert got["9013"][1]["classification"] == "exempt" and got["9014"][1]["classification"] == "exempt"
    assert all(h.cookie == AUTH_COOKIE for h in site.hits("paper:9013") + site.hits("paper:9014"))
    assert all(h.cookie == "" for h in site.hits("paper:90") if h.key not in ("paper:9013", "paper:9014"))


def test_a_site_without_the_web_service_is_read_from_its_pages(site: FakeSite, tmp_path: Path) -> None:
    site.service = False
    report = sync_site(options(site, tmp_path))
    assert ids(report.new) == FIRST_RUN
    assert len(site.hits("service:absent")) == 1  # asked once, then left alone for the rest of the run
    got = papers(site_folder(tmp_path, site))
    assert got["9010"][1]["links"]["issue history"].endswith("mgIssueHistoryHome.aspx?IId=7101")
    assert got["9010"][1]["agenda_item"] == "7. Ofsted Inspection of Children's Services"
    assert not site.hits("paper:9013") and not site.hits("paper:9014")


def test_dry_run_lists_what_would_be_fetched_and_writes_nothing(site: FakeSite, tmp_path: Path) -> None:
    report = sync_site(options(site, tmp_path, dry_run=True))
    # 9026 is listed too: only asking would show the site answers 404 for it
    assert ids(report.would_fetch) == FIRST_RUN | {"9026"} and {o.reason for o in report.would_fetch} == {
        "new"
    }
    assert ids(report.restricted) == {"9013", "9014"}
    assert not site.hits("paper:") and not any(tmp_path.rglob("*"))
    assert report.summary_lines()[0].startswith("Dry run (no paper fetched, nothing written)")
    sync_site(options(site, tmp_path))
    again = sync_site(options(site, tmp_path, dry_run=True))
    assert {(o.reason == "new") == ("9026" in o.url) for o in again.would_fetch} == {True}


@pytest.mark.parametrize(
    ("committees", "keywords", "expected"),
    [
        (("Corporate Parenting",), (), {"9040", "9041"}),
        ((), ("SEND",), {"9021"}),
        (("Cabinet",), ("Ofsted",), {"9010", "9011"}),
    ],
)
def test_filters_from_the_command_line(
    site: FakeSite, tmp_path: Path, committees: tuple[str, ...], keywords: tuple[str, ...], expected: set[str]
) -> None:
    report: SyncReport = sync_site(options(site, tmp_path, committees=committees, keywords=keywords))
    assert ids(report.new) == expected


def test_a_paper_restricted_anywhere_is_restricted_everywhere(site: FakeSite, tmp_path: Path) -> None:
    """The SEND report is linked open from item 5, then restricted from item 7: it is never fetched as open."""
    from tests.moderngov_site import DATA

    xml = (DATA / "service" / "GetMeeting-2002.xml").read_text(encoding="utf-8")
    last_item_end = xml.rindex("</linkeddocuments>")
    restricted_copy = (
        "<linkeddoc><attachmentid>9021</attachmentid><title>SEND update (full version)</title>"
        "<url>{base}documents/s9021/SEND%20Improvement%20Plan%20update.pdf</url>"
        "<isrestricted>True</isrestricted></linkeddoc>"
    )
    site.overrides["GetMeeting:2002"] = (xml[:last_item_end] + restricted_copy + xml[last_item_end:]).encode()
    report = sync_site(options(site, tmp_path))
    assert "9021" in ids(report.restricted) and "9021" not in ids(report.new)
    assert not site.hits("paper:9021")
