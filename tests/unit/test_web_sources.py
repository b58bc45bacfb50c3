"""One source per paper, where "Open the original" goes, and the readable page's text (web.sources, web.reader)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from assistant.answer import Answer, Citation, Status
from web.files import LinkSigner
from web.reader import Part, _overlap, paper_html
from web.sources import at_page, links, one_source_per_paper

TITLE = "Ofsted Standard Inspection of Children's Services in Bury"
QUOTE = "The next inspection window will be between December 2027 and December 2028."


def cite(n: int, doc_id: str, quote: str = QUOTE, page: int | None = None, url: str = "") -> Citation:
    return Citation(n, doc_id, f"{doc_id}#c1", TITLE, dt.date(2025, 9, 10), "Cabinet", "cabinet report", page, "",
                    quote, f"Before. {quote} After.", url)  # fmt: skip


class Doc:
    def __init__(self, doc_id: str, file_type: str, open_: bool = True, source_url: str = "") -> None:
        self.doc_id, self.file_type, self.is_open, self.source_url = doc_id, file_type, open_, source_url
        self.council = "Bury Council"

    def visible_to(self, audience: Any) -> bool:
        return self.is_open or str(audience) == "officer"


class Catalog:
    def __init__(self, *docs: Doc) -> None:
        self.docs = {d.doc_id: d for d in docs}

    def get(self, doc_id: str) -> Doc | None:
        return self.docs.get(doc_id)


CATALOG = Catalog(
    Doc("seeds/bury.md", "markdown"), Doc("formats/bury.docx", "docx"), Doc("formats/bury.pdf", "pdf")
)


def test_one_paper_in_three_formats_is_one_source() -> None:
    answer = Answer(
        "q",
        f"{QUOTE} [1][2][3] It was judged good [4].",
        Status.ANSWERED,
        [
            cite(1, "seeds/bury.md"),
            cite(2, "formats/bury.docx"),
            cite(3, "formats/bury.pdf", page=3),
            cite(4, "seeds/bury.md", quote="It was judged good."),
        ],
    )
    merged = one_source_per_paper(answer, CATALOG)  # type: ignore[arg-type]
    assert [c.n for c in merged.citations] == [1, 2]
    assert merged.citations[0].doc_id == "formats/bury.pdf"  # the copy with pages stands for the paper
    assert merged.text == f"{QUOTE} [1] It was judged good [2]."
    assert one_source_per_paper(merged, CATALOG) is merged  # type: ignore[arg-type]  # nothing repeats


def test_a_different_quote_from_the_same_paper_stays_a_source_of_its_own() -> None:
    answer = Answer(
        "q", "A [1]. B [2].", Status.ANSWERED, [cite(1, "seeds/bury.md"), cite(2, "seeds/bury.md", "B.")]
    )
    assert len(one_source_per_paper(answer, CATALOG).citations) == 2  # type: ignore[arg-type]


def test_the_original_is_the_published_paper_at_its_page_else_the_readable_page() -> None:
    signer = LinkSigner(b"k" * 32)
    catalog = Catalog(Doc("a.pdf", "pdf"), Doc("b.md", "markdown"), Doc("x.md", "markdown", open_=False))
    public, officer = links(catalog, signer, "public"), links(catalog, signer, "officer")  # type: ignore[arg-type]
    assert (
        public(cite(1, "a.pdf", page=4, url="https://example.gov.uk/a.pdf"))
        == "https://example.gov.uk/a.pdf#page=4"
    )
    local = public(cite(1, "b.md")) or ""
    assert local.startswith("/papers/b.md?passage=b.md%23c1&quote=") and local.endswith("#cqa-cited")
    assert public(cite(1, "x.md")) is None  # an exempt paper does not exist for the public
    assert "&exp=" in (officer(cite(1, "x.md")) or "")
    assert public(cite(1, "a.pdf", url="javascript:alert(1)")) == (public(cite(1, "a.pdf")) or "")


def test_at_page_only_for_pdf_addresses() -> None:
    assert at_page("https://x.gov.uk/p.pdf", 3) == "https://x.gov.uk/p.pdf#page=3"
    assert at_page("https://x.gov.uk/p.html", 3) == "https://x.gov.uk/p.html"
    assert at_page("https://x.gov.uk/p.pdf#page=2", 3) == "https://x.gov.uk/p.pdf#page=2"
    assert at_page("https://x.gov.uk/p.pdf", None) == "https://x.gov.uk/p.pdf"


def test_the_readable_page_drops_chunk_overlap_and_marks_the_quote() -> None:
    assert _overlap("one two three four", "three four five") == len("three four")
    doc: Any = dataclasses.make_dataclass("D", [])()
    parts = [
        Part("c1", "Intro text.", "Summary", 1),
        Part("c2", f"<b>Before.</b> {QUOTE}", "Summary > Next steps", 2),
    ]
    page = paper_html(doc, parts, cited="c2", quote=QUOTE)
    assert "<h2>Summary</h2>" in page and "<h2>Next steps</h2>" in page and 'id="page-2"' in page
    assert '<section id="cqa-cited"' in page and f"<mark>{QUOTE}</mark>" in page
    assert "&lt;b&gt;Before.&lt;/b&gt;" in page  # the paper's text is data
    assert "<mark>" not in paper_html(doc, parts, cited="c2", quote="<script>not in the paper</script>")
