"""The inspection record beside the index: derived at ingest, in step with the live document versions, re-derived
when a paper changes or its record is lost, gone when the paper goes, and never half-written by a crash.

A real embedded Chroma and the weightless hashing embedding; three real Ofsted reports and a Cabinet paper."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml

from ingest.config import IngestConfig
from ingest.inspection_record import PaperRecord
from tests.fakes import fake_store
from vectorstore.indexer import Indexer
from vectorstore.record_store import LiveRecords, RecordStore
from vectorstore.store import Store

REPORTS = (
    "bury-ofsted-ilacs-2021-12-17.pdf",
    "bury-ofsted-ilacs-2025-07-29.pdf",
    "oldham-ofsted-ilacs-2024-07-12.pdf",
)
CABINET = """---
title: Children's services improvement update
council: Bury Council
date: 2025-09-01
---

# Children's services improvement update

Ofsted carried out a monitoring visit on 12 and 13 March 2024. The council must submit an action plan to Ofsted
by 5 November 2025.
"""


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    from tests.ofsted import CORPUS
    from tests.ofsted import REPORTS as SRC

    dest = tmp_path / "corpus"
    (dest / "ofsted-reports").mkdir(parents=True)
    sidecar = yaml.safe_load((CORPUS / "metadata.yaml").read_text(encoding="utf-8"))["files"]
    entries = {}
    for name in REPORTS:
        shutil.copy(SRC / name, dest / "ofsted-reports" / name)
        entries[f"ofsted-reports/{name}"] = sidecar[f"ofsted-reports/{name}"]
    entries["cabinet/update.md"] = {"doc_type": "cabinet report", "body": "Cabinet"}
    (dest / "metadata.yaml").write_text(yaml.safe_dump({"files": entries}), encoding="utf-8")
    (dest / "cabinet").mkdir()
    (dest / "cabinet" / "update.md").write_text(CABINET, encoding="utf-8")
    return dest


def _sync(settings, corpus: Path, prune: bool = False, parse_workers: int | None = None):
    store = fake_store(settings)
    config = (
        None
        if parse_workers is None
        else IngestConfig(chunking=store.config.chunking, parse_workers=parse_workers)
    )
    return Indexer(store, config).sync([corpus], prune=prune)


def _live(store: Store) -> dict[str, PaperRecord]:
    return {r.doc_id: r for r in LiveRecords(store).all()}


def _files(store: Store) -> list[str]:
    folder = RecordStore.for_store(store).folder
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def _set_date(corpus: Path, doc: str, date: str) -> None:
    path = corpus / "metadata.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["files"][doc]["date"] = date
    path.write_text(yaml.safe_dump(data), encoding="utf-8")


BURY_2025 = "ofsted-reports/bury-ofsted-ilacs-2025-07-29.pdf"


@pytest.mark.parametrize("parse_workers", [0, 2], ids=["read-in-turn", "read-ahead-threads"])
def test_ingest_derives_the_record_and_reingest_keeps_it(
    unit_settings, corpus: Path, parse_workers: int
) -> None:
    report = _sync(unit_settings, corpus, parse_workers=parse_workers)
    assert len(report.added) == 4 and not report.skipped
    store = fake_store(unit_settings)
    live = _live(store)
    assert sorted(live) == ["cabinet/update.md", *[f"ofsted-reports/{n}" for n in REPORTS]]
    assert live[BURY_2025].inspections[0].judgements["impact_of_leaders"].value == "good"
    assert {(e.kind, e.date) for e in live["cabinet/update.md"].events} == {
        ("monitoring-visit", "2024-03-12"),
        ("action-plan-submitted", "2025-11-05"),
    }
    assert len(_files(store)) == 4
    again = _sync(unit_settings, corpus)
    assert (again.added, again.replaced, again.records_derived, len(again.unchanged)) == ([], [], 0, 4)


def test_a_changed_paper_gets_a_new_record_and_the_old_one_goes(unit_settings, corpus: Path) -> None:
    _sync(unit_settings, corpus)
    store = fake_store(unit_settings)
    before = _files(store)
    _set_date(corpus, BURY_2025, "2025-07-30")
    report = _sync(unit_settings, corpus)
    assert report.replaced == [BURY_2025]
    assert _live(store)[BURY_2025].inspections[0].publication_date.value == "2025-07-30"
    after = _files(store)
    assert len(after) == 4 and len(set(after) - set(before)) == 1  # the old version's file was pruned


def test_a_removed_paper_leaves_the_record(unit_settings, corpus: Path) -> None:
    _sync(unit_settings, corpus)
    (corpus / BURY_2025).unlink()
    _sync(unit_settings, corpus, prune=True)
    store = fake_store(unit_settings)
    assert BURY_2025 not in _live(store) and len(_files(store)) == 3


def test_a_lost_record_is_derived_again_without_embedding_again(unit_settings, corpus: Path) -> None:
    _sync(unit_settings, corpus)
    store = fake_store(unit_settings)
    expected = _live(store)
    shutil.rmtree(RecordStore.for_store(store).folder)
    assert _live(store) == {}  # no record: nothing is made up
    report = _sync(unit_settings, corpus)
    assert (report.chunks_added, report.records_derived, len(report.unchanged)) == (0, 4, 4)
    assert _live(store) == expected


def test_a_new_extractor_derives_every_record_again(unit_settings, corpus: Path, monkeypatch) -> None:
    _sync(unit_settings, corpus)
    import ingest.inspection_record as extraction

    monkeypatch.setattr(extraction, "EXTRACTOR_VERSION", "test-next")
    report = _sync(unit_settings, corpus)
    assert (report.chunks_added, report.records_derived) == (0, 4)
    assert {r.version for r in _live(fake_store(unit_settings)).values()} == {"test-next"}


def test_the_public_sees_records_of_open_papers_only(unit_settings, corpus: Path) -> None:
    path = corpus / "metadata.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["files"][BURY_2025]["classification"] = "exempt"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    _sync(unit_settings, corpus)
    live = LiveRecords(fake_store(unit_settings))
    assert BURY_2025 not in {r.doc_id for r in live.for_audience("public")}
    assert BURY_2025 in {r.doc_id for r in live.for_audience("officer")}


# ---------------------------------------------------------------- crashes


class Crash(Exception):
    pass


def test_crash_while_writing_a_record_leaves_the_old_one(unit_settings, corpus: Path, monkeypatch) -> None:
    _sync(unit_settings, corpus)
    store = fake_store(unit_settings)
    _set_date(corpus, BURY_2025, "2025-07-30")
    real_replace = os.replace

    def crash_on_record(src, dst, *a, **k):
        if str(dst).endswith(".json") and "record" in str(dst):
            raise Crash("power cut while renaming the record into place")
        return real_replace(src, dst, *a, **k)

    monkeypatch.setattr(os, "replace", crash_on_record)
    with pytest.raises(Crash):
        _sync(unit_settings, corpus)
    monkeypatch.setattr(os, "replace", real_replace)
    assert (
        _live(store)[BURY_2025].inspections[0].publication_date.value == "2025-07-29"
    )  # old version, old record
    assert not any(name.startswith(".tmp-") for name in _files(store))  # the half-written file was removed
    _sync(unit_settings, corpus)
    assert _live(store)[BURY_2025].inspections[0].publication_date.value == "2025-07-30"


def test_crash_before_the_new_version_goes_live(unit_settings, corpus: Path, monkeypatch) -> None:
    """The new record is on disk but its version is not live: readers keep the old record; the next ingest
    finishes the job."""
    _sync(unit_settings, corpus)
    store = fake_store(unit_settings)
    _set_date(corpus, BURY_2025, "2025-07-30")

    def crash(*args, **kwargs):
        raise Crash("killed before the version was activated")

    monkeypatch.setattr(Store, "replace_document", crash)
    with pytest.raises(Crash):
        _sync(unit_settings, corpus)
    monkeypatch.undo()
    assert len(_files(store)) == 5  # old and new record side by side
    assert _live(store)[BURY_2025].inspections[0].publication_date.value == "2025-07-29"
    _sync(unit_settings, corpus)
    assert _live(store)[BURY_2025].inspections[0].publication_date.value == "2025-07-30"
    assert len(_files(store)) == 4


def test_crash_after_the_new_version_went_live(unit_settings, corpus: Path, monkeypatch) -> None:
    """Killed before the stale record was pruned: readers already see the new record; the stale file is
    invisible and goes at the next ingest."""
    _sync(unit_settings, corpus)
    store = fake_store(unit_settings)
    _set_date(corpus, BURY_2025, "2025-07-30")

    def crash(self, active):
        raise Crash("killed before pruning")

    monkeypatch.setattr(RecordStore, "prune", crash)
    with pytest.raises(Crash):
        _sync(unit_settings, corpus)
    monkeypatch.undo()
    assert _live(store)[BURY_2025].inspections[0].publication_date.value == "2025-07-30"
    assert len(_files(store)) == 5
    _sync(unit_settings, corpus)
    assert len(_files(store)) == 4


def test_a_damaged_record_file_is_derived_again(unit_settings, corpus: Path) -> None:
    _sync(unit_settings, corpus)
    store = fake_store(unit_settings)
    records = RecordStore.for_store(store)
    live = _live(store)
    path = records.path_for(BURY_2025, live[BURY_2025].content_hash)
    path.write_text('{"doc_id": "ofsted-rep', encoding="utf-8")  # torn by a disk fault
    assert BURY_2025 not in _live(store)
    report = _sync(unit_settings, corpus)
    assert report.records_derived == 1 and _live(store)[BURY_2025] == live[BURY_2025]
