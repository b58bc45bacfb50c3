"""The BM25 keyword index: tokenizer, stemmer, weighted scoring, filters, term statistics and the index on disk."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from vectorstore.keyword import KeywordIndex, indexed_text, stem, tokenize


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Inspections of Bury's services", ["inspect", "bury", "servic"]),
        ("children's services", ["child", "servic"]),
        ("in 2022/23", ["2022/23", "2022", "2023"]),
        ("in 2022-23", ["2022/23", "2022", "2023"]),
        ("the 2022/2023 year", ["2022/23", "2022", "2023", "year"]),
        ("1999/00", ["1999/00", "1999", "2000"]),
        ("2021-2023", ["2021-2023", "2021", "2023"]),  # not a year pair: kept whole, and its parts
        ("stage-1 complaints", ["stage-1", "stag", "1", "complaint"]),
        ("by 5/11/2025", ["5/11/2025", "5", "11", "2025"]),
        ("July 29<sup>th</sup>", ["july", "29", "th"]),
        ("How many did they get?", ["get"]),
        ("", []),
    ],
)
def test_tokenize(text: str, expected: list[str]) -> None:
    assert tokenize(text) == expected


def test_year_pairs_meet_whatever_their_spelling() -> None:
    forms = ["2022/23", "2022-23", "2022/2023", "2022-2023", "2022–23"]
    assert {tokenize(f)[0] for f in forms[:4]} == {"2022/23"}
    assert "2022/23" not in tokenize("2023/24")


def test_indexed_text_carries_the_papers_context() -> None:
    meta = {
        "title": "Annual report",
        "council": "Bury Council",
        "body": "Cabinet",
        "heading_path": "Complaints",
        "date": "2025-09-10",
    }
    text = indexed_text("118 complaints", meta)
    for part in (
        "Annual report",
        "Bury Council",
        "Cabinet",
        "Complaints",
        "10 September 2025",
        "118 complaints",
    ):
        assert part in text
    assert indexed_text("x", {"date": "not a date"}).endswith("x")


def _rows() -> list[tuple[str, str, dict[str, Any]]]:
    def meta(council: str, day: int) -> dict[str, Any]:
        return {
            "title": "",
            "council": council,
            "body": "Cabinet",
            "doc_type": "cabinet report",
            "date_ord": day,
            "doc_id": council,
        }

    return [
        ("a", "Social care teams received 118 complaints in 2022/23.", meta("Bury Council", 20250916)),
        ("b", "The action plan must be submitted by 5 November 2025.", meta("Bury Council", 20250910)),
        ("c", "Stockton's action plan was due on 16 August 2023.", meta("Stockton Council", 20230615)),
        ("d", "Complaints rose in 2023-24 across the region.", meta("Devon Council", 0)),
    ]


@pytest.fixture(scope="module")
def index() -> KeywordIndex:
    return KeywordIndex.build(_rows())


def test_search_ranks_by_bm25(index: KeywordIndex) -> None:
    hits = index.search("action plan submitted", 4)
    assert [h.chunk_id for h in hits][:2] == ["b", "c"]
    assert all(h.score > 0 for h in hits)
    assert hits == sorted(hits, key=lambda h: -h.score)


def test_search_with_weighted_terms(index: KeywordIndex) -> None:
    # "due" alone favours c; at a low weight beside "submitted", b leads.
    assert index.search([("due", 1.0)], 1)[0].chunk_id == "c"
    assert index.search([(stem("submitted"), 1.0), ("due", 0.3)], 1)[0].chunk_id == "b"
    assert index.search([("due", 0.0)], 4) == []


def test_search_year_pair_spellings_meet(index: KeywordIndex) -> None:
    assert index.search("complaints in 2022-2023", 1)[0].chunk_id == "a"
    assert index.search("complaints in 2023/24", 1)[0].chunk_id == "d"


def test_search_nothing_known(index: KeywordIndex) -> None:
    assert index.search("xyzzy", 3) == []
    assert index.search("", 3) == []
    assert index.search("complaints", 0) == []


def test_filters_leave_chunks_out(index: KeywordIndex) -> None:
    from vectorstore.filters import SearchFilters

    bury = SearchFilters(councils=("Bury Council",))
    assert {h.chunk_id for h in index.search("complaints action plan", 4, bury)} == {"a", "b"}
    dated = SearchFilters(date_to=dt.date(2024, 1, 1))  # undated chunk d is not "before" anything
    assert {h.chunk_id for h in index.search("complaints action plan", 4, dated)} == {"c"}


def test_hits_carry_text_and_metadata(index: KeywordIndex) -> None:
    hit = index.search("118 complaints", 1)[0]
    assert hit.chunk_id == "a"
    assert hit.text == "Social care teams received 118 complaints in 2022/23."
    assert hit.meta["council"] == "Bury Council" and hit.meta["date_ord"] == 20250916


def test_document_frequency_counts_chunks(index: KeywordIndex) -> None:
    assert index.document_frequency("complaint") == 2  # a and d ("complaints", "Complaints")
    assert index.document_frequency(stem("action")) == 2
    assert index.document_frequency("2022/23") == 1
    assert index.document_frequency("xyzzy") == 0
    assert index.document_frequency("") == 0
    assert len(index) == 4


def test_empty_index() -> None:
    empty = KeywordIndex.build([])
    assert len(empty) == 0
    assert empty.search("anything", 5) == []
    assert empty.document_frequency("anything") == 0


def test_an_index_on_disk_is_read_back_the_same(index: KeywordIndex, tmp_path: Path) -> None:
    KeywordIndex.build(_rows(), tmp_path / "open")
    again = KeywordIndex.create(tmp_path / "open")  # another process opening the folder
    again.total_tokens = index.total_tokens  # `KeywordIndexes` keeps it in the state
    query = "action plan submitted 2022/23"
    assert [(h.chunk_id, round(h.score, 4)) for h in again.search(query, 4)] == [
        (h.chunk_id, round(h.score, 4)) for h in index.search(query, 4)
    ]


def test_replace_swaps_a_documents_chunks_in_one_commit(tmp_path: Path) -> None:
    index = KeywordIndex.build(_rows(), tmp_path / "open")
    new = (
        "b2",
        "The action plan was approved in December 2025.",
        {**_rows()[1][2], "doc_id": "Bury Council"},
    )
    with index.writer() as writer:
        index.replace(writer, "Bury Council", [new])  # chunks a and b were Bury Council's
    assert {h.chunk_id for h in index.search("action plan complaints", 5)} == {"b2", "c", "d"}
    assert len(index) == 3


def test_scores_are_bm25_with_k1_1_5(index: KeywordIndex) -> None:
    """Lucene's BM25 with k1 1.5 and b 0.75 (what the index scored with before tantivy, measured better than
    tantivy's own k1 1.2 on the dev and validation sets), weights multiplying each term's part."""
    import math

    from vectorstore.keyword import indexed_text

    docs = {cid: tokenize(indexed_text(text, meta)) for cid, text, meta in _rows()}
    n, avg = len(docs), sum(len(t) for t in docs.values()) / len(docs)
    terms = [("complaint", 1.0), ("2022/23", 0.5)]

    def bm25(tokens: list[str]) -> float:
        total = 0.0
        for term, weight in terms:
            df = sum(term in t for t in docs.values())
            tf = tokens.count(term)
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            total += weight * idf * tf * 2.5 / (tf + 1.5 * (0.25 + 0.75 * len(tokens) / avg))
        return total

    hits = index.search(terms, 4)
    assert [h.chunk_id for h in hits] == ["a", "d"]
    assert [h.score for h in hits] == pytest.approx([bm25(docs["a"]), bm25(docs["d"])])
