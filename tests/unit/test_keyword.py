"""The BM25 keyword index: tokenizer, stemmer, weighted scoring, filter masks and atomic persistence."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
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


def test_mask_leaves_chunks_out(index: KeywordIndex) -> None:
    mask = np.array([0, 1, 1, 0], dtype=np.float32)
    assert {h.chunk_id for h in index.search("complaints action plan", 4, mask)} == {"b", "c"}


def test_codes_and_values(index: KeywordIndex) -> None:
    codes, known = index.codes("council")
    assert len(codes) == len(index)
    assert index.values("council") == ["Bury Council", "Devon Council", "Stockton Council"]
    assert codes[0] == codes[1] == known["Bury Council"]
    assert list(index.date_ords) == [20250916, 20250910, 20230615, 0]


def test_empty_index() -> None:
    empty = KeywordIndex.build([])
    assert len(empty) == 0
    assert empty.search("anything", 5) == []


def test_save_and_load_round_trip(index: KeywordIndex, tmp_path: Path) -> None:
    folder = tmp_path / "kw" / "open"
    index.save(folder, "stamp-1")
    loaded = KeywordIndex.load(folder, "stamp-1")
    assert loaded is not None
    assert loaded.ids == index.ids and loaded.texts == index.texts and loaded.metas == index.metas
    query = "action plan submitted 2022/23"
    assert [(h.chunk_id, round(h.score, 5)) for h in loaded.search(query, 4)] == [
        (h.chunk_id, round(h.score, 5)) for h in index.search(query, 4)
    ]


def test_load_refuses_a_stale_or_broken_index(index: KeywordIndex, tmp_path: Path) -> None:
    folder = tmp_path / "open"
    assert KeywordIndex.load(folder, "x") is None  # nothing there
    index.save(folder, "stamp-1")
    assert KeywordIndex.load(folder, "stamp-2") is None  # another version of the collection
    (folder / "rows.jsonl").write_text("{not json\n")
    assert KeywordIndex.load(folder, "stamp-1") is None  # damaged


def test_save_replaces_atomically(index: KeywordIndex, tmp_path: Path) -> None:
    folder = tmp_path / "open"
    index.save(folder, "one")
    KeywordIndex.build(_rows()[:1]).save(folder, "two")
    loaded = KeywordIndex.load(folder, "two")
    assert loaded is not None and loaded.ids == ["a"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["open"]  # no temporary folders left behind


def test_empty_index_round_trip(tmp_path: Path) -> None:
    KeywordIndex.build([]).save(tmp_path / "e", "s")
    loaded = KeywordIndex.load(tmp_path / "e", "s")
    assert loaded is not None and len(loaded) == 0 and loaded.search("x", 3) == []
