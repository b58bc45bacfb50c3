"""The catalog: documents per audience, cached per index generation, and derived lists (places, councils)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from ingest.councils import place_name
from tests.fakes import fake_store
from vectorstore.audience import Audience
from vectorstore.catalog import Catalog, DocumentInfo
from vectorstore.indexer import Indexer

EXEMPT_ELSEWHERE = """---
title: "Part B: Wexbridge placements (exempt)"
publisher: Royal Borough of Wexbridge
date: 2025-10-01
classification: exempt
---

# Placements

The Wexbridge placements budget is forecast to overspend by 2.4 million pounds.
"""


@pytest.fixture()
def indexed(unit_settings: Any, small_corpus: Path) -> Any:
    (small_corpus / "private").mkdir()
    (small_corpus / "private" / "wexbridge.md").write_text(EXEMPT_ELSEWHERE, encoding="utf-8")
    store = fake_store(unit_settings)
    report = Indexer(store).sync([small_corpus])
    assert not report.skipped, report.summary_lines()
    return store


def test_documents_and_summary_per_audience(indexed: Any) -> None:
    catalog = Catalog(indexed)
    public, officer = catalog.summary(Audience.PUBLIC), catalog.summary(Audience.OFFICER)
    assert len(public.documents) == 2 and len(officer.documents) == 3
    assert "exempt" not in public.by_classification and officer.by_classification["exempt"] == 1
    dates = [d.date for d in officer.documents if d.date]
    assert dates == sorted(dates, reverse=True)  # newest first
    assert public.coverage_sentence().startswith("2 papers from ")
    assert catalog.get("private/wexbridge.md") is not None  # any classification, for officers' links
    assert not catalog.get("private/wexbridge.md").visible_to("public")  # type: ignore[union-attr]


def test_a_place_named_only_in_an_exempt_paper_is_not_a_public_place(indexed: Any) -> None:
    catalog = Catalog(indexed)
    assert "Wexbridge" in catalog.places(Audience.OFFICER)
    assert "Wexbridge" not in catalog.places(Audience.PUBLIC)
    assert "Royal Borough of Wexbridge" not in catalog.councils(Audience.PUBLIC)
    assert "Bury" in catalog.places(Audience.PUBLIC)


def test_the_manifest_is_read_again_only_when_the_generation_moves(indexed: Any, small_corpus: Path) -> None:
    catalog = Catalog(indexed)
    reads: list[int] = []
    real = indexed.doc_records

    def counting() -> Any:
        reads.append(1)
        return real()

    indexed.doc_records = counting
    first = catalog.snapshot()
    assert catalog.snapshot() is first and len(reads) == 1
    (small_corpus / "private" / "wexbridge.md").unlink()
    Indexer(indexed).sync([small_corpus], prune=True)
    reads.clear()
    assert catalog.get("private/wexbridge.md") is None and len(reads) == 1
    assert "Wexbridge" not in catalog.places(Audience.OFFICER)


def test_an_empty_store_is_an_empty_catalog_and_stays_uncreated(unit_settings: Any) -> None:
    store = fake_store(unit_settings)
    catalog = Catalog(store)
    assert len(catalog) == 0 and catalog.summary("officer").documents == []
    assert not store.exists()  # reading the catalog created nothing


def test_document_info_round_trips_the_manifest_fields(indexed: Any) -> None:
    rec = indexed.doc_records()["private/wexbridge.md"]
    info = DocumentInfo.from_record(rec)
    assert info.date == dt.date(2025, 10, 1) and info.classification == "exempt" and info.chunks >= 1
    assert info.to_dict() == {**rec.meta, "content_hash": rec.active_hash}


@pytest.mark.parametrize(
    ("council", "place"),
    [
        ("London Borough of Bexley", "Bexley"),
        ("Bury Council", "Bury"),
        ("Bath and North East Somerset Council", "Bath and North East Somerset"),
        ("Stockton-on-Tees Borough Council", "Stockton-on-Tees"),
        ("Ofsted", ""),
        ("", ""),
        # a body named "Corporation" is local; a place whose name keeps its leading words (data) keeps them
        ("City of London Corporation", "City of London"),
        ("City of Wolverhampton Council", "Wolverhampton"),
        ("City of Bradford Metropolitan District Council", "Bradford"),
    ],
)
def test_place_name(council: str, place: str) -> None:
    assert place_name(council) == place
