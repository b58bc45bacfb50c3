"""A paper synced from a committee site keeps where it sits there: its agenda item and the links from the item to
its meeting page, minutes, decision and issue history. They travel sidecar -> document record -> citation ->
the text and HTML a person reads (never into chunks, so retrieval is unchanged)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from assistant.answer import Answer, Citation, Status
from ingest.documents import Classification
from tests.fakes import fake_assistant, fake_store
from vectorstore.indexer import Indexer
from web.render import answer_as_text, citation_html, citation_label, site_links

SITE = "https://democracy.example.gov.uk/"
LINKS = {
    "meeting page": f"{SITE}ieListDocuments.aspx?CId=101&MId=2001&Ver=4#AI5007",
    "decision": f"{SITE}ieDecisionDetails.aspx?AIId=5007",
    "issue history": f"{SITE}mgIssueHistoryHome.aspx?IId=7101",
}
SIDECAR = f"""title: Ofsted Inspection of Children's Services
council: Northfield Borough Council
body: Cabinet
date: '2025-09-10'
source_url: {SITE}documents/s9010/report.pdf
agenda_item: 7. Ofsted Inspection of Children's Services
links:
  meeting page: {LINKS["meeting page"]}
  decision: {LINKS["decision"]}
  issue history: {LINKS["issue history"]}
"""


def paper(folder: Path, sidecar: str = SIDECAR) -> Path:
    path = folder / "cabinet" / "07-9010-report.md"
    path.parent.mkdir(parents=True)
    path.write_text(
        "# Ofsted inspection\n\nOfsted judged the overall effectiveness of services to be good.\n"
    )
    path.with_name(path.name + ".meta.yaml").write_text(sidecar, encoding="utf-8")
    return path


def test_site_details_reach_the_document_record_not_the_chunks(unit_settings, tmp_path: Path) -> None:
    paper(tmp_path / "corpus")
    report = Indexer(fake_store(unit_settings)).sync([tmp_path / "corpus"])
    assert report.added == ["cabinet/07-9010-report.md"] and not report.skipped
    store = fake_store(unit_settings)
    record = store.document_details(["cabinet/07-9010-report.md", "no/such/doc"])
    assert list(record) == ["cabinet/07-9010-report.md"]
    assert record["cabinet/07-9010-report.md"]["agenda_item"] == "7. Ofsted Inspection of Children's Services"
    chunks = [m for _, _, m in store.iter_chunks(Classification.OPEN)]
    assert chunks and all("links" not in m and "agenda_item" not in m for m in chunks)

    bot = fake_assistant(unit_settings)
    cited = Citation(1, "cabinet/07-9010-report.md", "c", "Ofsted", None, "Cabinet", "", None, "", "", "", "")
    other = Citation(2, "elsewhere.md", "c2", "Other", None, "", "", None, "", "", "", "")
    answer = Answer("q", "t [1][2]", Status.ANSWERED, citations=[cited, other])
    bot.add_site_details(answer)
    assert cited.links == LINKS and cited.agenda_item.startswith("7. ")
    assert other.links == {} and other.agenda_item == ""
    assert answer.to_dict()["citations"][0]["links"] == LINKS


@pytest.mark.parametrize(
    "links",
    ["links: just text\n", "links:\n  decision: javascript:alert(1)\n", "links: [a, b]\n"],
)
def test_links_must_map_labels_to_web_addresses(unit_settings, tmp_path: Path, links: str) -> None:
    paper(tmp_path / "corpus", "title: T\n" + links)
    report = Indexer(fake_store(unit_settings)).sync([tmp_path / "corpus"])
    assert report.added == [] and "`links` must map labels to http(s) addresses" in report.skipped[0].reason


def cite(**kw) -> Citation:
    base = {
        "n": 1,
        "doc_id": "d",
        "chunk_id": "c",
        "title": "Ofsted Inspection of Children's Services",
        "date": dt.date(2025, 9, 10),
        "body": "Cabinet",
        "doc_type": "cabinet report",
        "page": 2,
        "section": "",
        "quote": "Ofsted judged the overall effectiveness of services to be good.",
        "passage_text": "Ofsted judged the overall effectiveness of services to be good.",
        "source_url": f"{SITE}documents/s9010/report.pdf",
        "agenda_item": "7. Ofsted Inspection of Children's Services",
        "links": dict(LINKS),
    }
    return Citation(**{**base, **kw})


def test_the_citation_names_the_item_and_links_the_site() -> None:
    assert citation_label(cite()) == (
        "Ofsted Inspection of Children's Services (10 September 2025, Cabinet, agenda item 7, page 2)"
    )
    other_title = cite(title="Appendix 1 - Ofsted letter")
    assert "agenda item 7. Ofsted Inspection of Children's Services" in citation_label(other_title)
    text = answer_as_text(Answer("q", "Good [1].", Status.ANSWERED, citations=[cite()]))
    assert (
        f"    On the council's site: paper {SITE}documents/s9010/report.pdf · meeting page {LINKS['meeting page']}"
        f" · decision {LINKS['decision']} · issue history {LINKS['issue history']}"
    ) in text


def test_html_links_are_escaped_and_only_web_addresses() -> None:
    bad = cite(links={"decision": "javascript:alert(1)", 'x"><script>': f"{SITE}a?b=1&c=2"})
    html = citation_html(bad)
    assert "javascript:" not in html and "<script>" not in html
    assert f'href="{SITE}a?b=1&amp;c=2"' in html and 'class="cqa-related"' in html


def test_papers_not_from_a_site_render_as_before() -> None:
    plain = cite(agenda_item="", links={})
    assert "agenda item" not in citation_label(plain)
    text = answer_as_text(Answer("q", "Good [1].", Status.ANSWERED, citations=[plain]))
    assert "On the council's site" not in text


def test_links_follow_the_item_in_order_meeting_minutes_decision_history() -> None:
    shuffled = cite(links={"issue history": LINKS["issue history"], "minutes": f"{SITE}m", **LINKS})
    labels = [label for label, _ in site_links(shuffled)]
    assert labels == ["paper", "meeting page", "minutes", "decision", "issue history"]
