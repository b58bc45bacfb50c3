"""Papers read ahead by reader threads (each with its own parse server) while the ingest embeds: the same documents
and the same reasons for bad files as reading them one at a time, in the order asked, and the ingest's summary says
where the time went."""

from __future__ import annotations

from pathlib import Path

from ingest.config import IngestConfig
from ingest.pool import ReadFailed, ReadJob, read_documents
from ingest.sources import ReadDocument, SourceReader, discover
from ingest.tokens import approx_count
from tests.fakes import fake_store
from vectorstore.indexer import Indexer


def _jobs(folder: Path) -> list[ReadJob]:
    reader = SourceReader(IngestConfig())
    files, _ = discover([folder])
    out = []
    for src in files:
        over = reader.overrides(src)
        out.append(ReadJob(src, reader.fingerprint(src, over), over))
    return out


def _summary(outcome: ReadDocument | ReadFailed) -> object:
    if isinstance(outcome, ReadFailed):
        return (outcome.kind, outcome.message)
    return (outcome.meta.doc_id, [c.text for c in outcome.chunks])


def test_workers_read_what_the_caller_would(small_corpus: Path) -> None:
    (small_corpus / "bad.pdf").write_bytes(b"%PDF-1.7 garbage")
    (small_corpus / "empty.md").write_bytes(b"")
    jobs = _jobs(small_corpus)
    inline = [
        (j.src.doc_id, _summary(o))
        for j, o in read_documents(IngestConfig(parse_workers=0), approx_count, jobs)
    ]
    pooled = [
        (j.src.doc_id, _summary(o))
        for j, o in read_documents(IngestConfig(parse_workers=2), approx_count, jobs)
    ]
    assert pooled == inline
    assert [doc_id for doc_id, _ in pooled] == [j.src.doc_id for j in jobs]  # in the order asked
    failed = {doc_id: s for doc_id, s in pooled if isinstance(s, tuple) and s[0] == "unreadable"}
    assert set(failed) == {"bad.pdf", "empty.md"}


def test_an_ingest_reading_ahead_writes_every_paper(unit_settings, small_corpus: Path) -> None:
    (small_corpus / "bad.pdf").write_bytes(b"%PDF-1.7 garbage")
    report = Indexer(fake_store(unit_settings)).sync([small_corpus])
    assert len(report.added) == 2 and [s.path for s in report.skipped] == ["bad.pdf"]
    assert "PDF" in report.skipped[0].reason or "pdf" in report.skipped[0].reason
    throughput = [line for line in report.summary_lines() if line.startswith("Throughput:")]
    assert throughput and "pages/s" in throughput[0] and "chunks/s" in throughput[0]
    assert report.timings["embed_s"] > 0 and report.timings["write_s"] > 0
    again = Indexer(fake_store(unit_settings)).sync([small_corpus])
    assert len(again.unchanged) == 2 and not again.added  # what was written is not read again
