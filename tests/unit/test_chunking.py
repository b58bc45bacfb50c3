"""Structure-aware chunking: sections, tables kept whole, sizes, overlap, pages, ids and index identity."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from ingest.chunking import ChunkingConfig, chunk_document, chunk_id, settings_fingerprint
from ingest.documents import Block, BlockKind, Classification, DocType, DocumentMeta, ParsedDocument
from ingest.tokens import approx_count

META = DocumentMeta(
    doc_id="seeds/report.md",
    title="Ofsted Standard Inspection",
    council="Bury Council",
    body="Cabinet",
    doc_type=DocType.CABINET_REPORT,
    date=dt.date(2025, 9, 10),
    date_text="2025-09-10",
    source_url="",
    classification=Classification.OPEN,
    content_hash="a" * 64,
    path="seeds/report.md",
)


def words(n: int, word: str = "report") -> str:
    """About n tokens of prose: short words, a full stop every 12 words."""
    return " ".join(f"{word}." if i % 12 == 11 else word for i in range(n))


def test_sections_follow_headings_and_carry_paths() -> None:
    blocks = [
        Block("Summary", BlockKind.HEADING, 1),
        Block(words(90), BlockKind.PARAGRAPH),
        Block("Next Steps", BlockKind.HEADING, 2),
        Block(words(90, "plan"), BlockKind.PARAGRAPH),
    ]
    chunks = chunk_document(ParsedDocument(blocks), META, ChunkingConfig(max_tokens=200, min_tokens=10))
    assert [c.heading_path for c in chunks] == [("Summary",), ("Summary", "Next Steps")]
    assert chunks[1].embed_text.startswith(
        "Ofsted Standard Inspection (10 September 2025) — Summary > Next Steps\n"
    )
    assert "Ofsted Standard Inspection" not in chunks[1].text  # the prefix is embedded, not shown
    assert chunks[1].text.startswith("Next Steps\n\nplan")  # the section's heading is its first line


@pytest.mark.parametrize("max_tokens", [64, 120, 200, 250])
def test_every_chunk_fits(max_tokens: int) -> None:
    blocks = [
        Block(words(700), BlockKind.PARAGRAPH),
        Block("\n".join(f"Row {i} | {words(8)}" for i in range(30)), BlockKind.TABLE),
    ]
    chunks = chunk_document(
        ParsedDocument(blocks), META, ChunkingConfig(max_tokens=max_tokens, overlap_tokens=20)
    )
    assert len(chunks) > 1
    assert all(approx_count(c.text) <= max_tokens for c in chunks)


def test_small_table_kept_whole_and_large_table_repeats_header() -> None:
    small = "Term | Meaning\nDfE | Department for Education\nOfsted | Inspectorate"
    rows = "\n".join(f"Row {i} | {i * 3} complaints received in the year" for i in range(80))
    big = "Team | Complaints\n" + rows
    chunks = chunk_document(
        ParsedDocument([Block(small, BlockKind.TABLE), Block(big, BlockKind.TABLE)]),
        META,
        ChunkingConfig(max_tokens=120, min_tokens=0, overlap_tokens=0),
    )
    assert chunks[0].text == small
    big_parts = [c for c in chunks if "Row" in c.text]
    assert len(big_parts) > 1 and all(c.text.startswith("Team | Complaints\n") for c in big_parts)
    assert sum(c.text.count("Row ") for c in big_parts) == 80  # no row lost or repeated


def test_overlap_repeats_last_sentence_within_a_section() -> None:
    text = " ".join(f"Sentence number {i} is about the complaints received." for i in range(60))
    chunks = chunk_document(
        ParsedDocument([Block(text)]), META, ChunkingConfig(max_tokens=100, overlap_tokens=30)
    )
    assert len(chunks) >= 3
    for a, b in itertools.pairwise(chunks):
        last = a.text.split(". ")[-1].rstrip(".")
        assert last in b.text


def test_small_sections_merge() -> None:
    blocks = [
        Block("A", BlockKind.HEADING, 2),
        Block("Short section one."),
        Block("B", BlockKind.HEADING, 2),
        Block("Short section two."),
        Block("C", BlockKind.HEADING, 2),
        Block(words(100)),
    ]
    chunks = chunk_document(ParsedDocument(blocks), META, ChunkingConfig(max_tokens=200, min_tokens=40))
    assert (
        len(chunks) == 1 and "Short section one." in chunks[0].text and "Short section two." in chunks[0].text
    )


def test_pages_tracked() -> None:
    blocks = [Block(words(150), page=1), Block(words(150, "next"), page=2), Block(words(20, "end"), page=3)]
    chunks = chunk_document(ParsedDocument(blocks), META, ChunkingConfig(max_tokens=160, min_tokens=0))
    assert chunks[0].page_start == 1 and chunks[-1].page_end == 3


def test_numbered_paragraphs_start_units() -> None:
    blocks = [Block(words(100)), Block("2.1 Cabinet should note the outcome. " + words(100, "note"))]
    chunks = chunk_document(ParsedDocument(blocks), META, ChunkingConfig(max_tokens=150, min_tokens=0))
    assert any(c.text.startswith("2.1 Cabinet should note") for c in chunks)


def test_chunk_ids_are_stable_and_version_specific() -> None:
    assert chunk_id("a/b.md", "f" * 64, 3) == "a/b.md::ffffffffffff::0003"
    assert chunk_id("a/b.md", "e" * 64, 3) != chunk_id("a/b.md", "f" * 64, 3)
    blocks = [Block(words(300))]
    first = [c.chunk_id for c in chunk_document(ParsedDocument(blocks), META)]
    assert first == [c.chunk_id for c in chunk_document(ParsedDocument(blocks), META)]


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ((ChunkingConfig(), "m1"), (ChunkingConfig(), "m1"), True),
        ((ChunkingConfig(), "m1"), (ChunkingConfig(), "m2"), False),
        ((ChunkingConfig(max_tokens=200), "m1"), (ChunkingConfig(max_tokens=220), "m1"), False),
        ((ChunkingConfig(overlap_tokens=30), "m1"), (ChunkingConfig(overlap_tokens=0), "m1"), False),
    ],
)
def test_index_name_hashes_model_and_chunking(a: tuple, b: tuple, same: bool) -> None:
    assert (settings_fingerprint(*a) == settings_fingerprint(*b)) is same


def test_a_heading_is_the_first_line_of_its_section_and_survives_a_merge() -> None:
    """A small section ("What needs to improve?" above three items) merged into its neighbour keeps its heading
    as a line of the text, so its words are searched and read with the items; two headings in a row leave no
    chunk of their own."""
    blocks = [
        Block("Inspection of Wexbridge", BlockKind.HEADING, 1, page=1),
        Block("Overview", BlockKind.HEADING, 2, page=1),
        Block(words(60), BlockKind.PARAGRAPH, page=1),
        Block("What needs to improve?", BlockKind.HEADING, 2, page=1),
        Block("The quality of return home interviews.", BlockKind.LIST, page=1),
        Block("Life-story work for children in foster care.", BlockKind.LIST, page=1),
    ]
    chunks = chunk_document(ParsedDocument(blocks), META, ChunkingConfig(max_tokens=200, min_tokens=80))
    assert len(chunks) == 1
    text = chunks[0].text
    assert text.startswith("Overview")
    assert "What needs to improve?\n\nThe quality of return home interviews." in text
    assert "Inspection of Wexbridge" not in text  # a heading directly above another is only in the path
