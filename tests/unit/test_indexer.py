"""Incremental ingestion with a real embedded Chroma and the weightless hashing embedding."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from cli import EXIT_SKIPPED, app
from ingest.documents import Classification
from tests.fakes import fake_store
from vectorstore.indexer import Indexer


def _sync(settings, paths, prune=False):
    return Indexer(fake_store(settings)).sync(paths, prune=prune)


def test_reingest_adds_nothing(unit_settings, small_corpus: Path) -> None:
    first = _sync(unit_settings, [small_corpus])
    assert len(first.added) == 2 and first.chunks_added > 5 and not first.skipped
    second = _sync(unit_settings, [small_corpus])
    assert (second.added, second.replaced, second.chunks_added, len(second.unchanged)) == ([], [], 0, 2)


def test_changed_file_replaces_its_chunks(unit_settings, small_corpus: Path) -> None:
    _sync(unit_settings, [small_corpus])
    store = fake_store(unit_settings)
    before = store.count(Classification.OPEN)
    f = small_corpus / "seeds" / "bury-cyp-scrutiny-2025-09-16-opencouncil-summary.md"
    f.write_text(f.read_text(encoding="utf-8").replace("118 complaints", "119 complaints"), encoding="utf-8")
    report = _sync(unit_settings, [small_corpus])
    assert report.replaced == ["seeds/bury-cyp-scrutiny-2025-09-16-opencouncil-summary.md"]
    texts = [t for _, t, _ in store.iter_chunks(Classification.OPEN)]
    assert any("119 complaints" in t for t in texts) and not any("118 complaints" in t for t in texts)
    assert store.count(Classification.OPEN) == before  # same size: old chunks gone


def test_sidecar_change_reindexes_and_moves_collection(unit_settings, small_corpus: Path) -> None:
    _sync(unit_settings, [small_corpus])
    store = fake_store(unit_settings)
    (small_corpus / "metadata.yaml").write_text(
        "files:\n  seeds/bury-cyp-scrutiny-2025-09-16-opencouncil-summary.md:\n    classification: exempt\n",
        encoding="utf-8",
    )
    report = _sync(unit_settings, [small_corpus])
    assert "seeds/bury-cyp-scrutiny-2025-09-16-opencouncil-summary.md" in report.replaced
    open_docs = {m["doc_id"] for _, _, m in store.iter_chunks(Classification.OPEN)}
    exempt_docs = {m["doc_id"] for _, _, m in store.iter_chunks(Classification.EXEMPT)}
    assert "seeds/bury-cyp-scrutiny-2025-09-16-opencouncil-summary.md" in exempt_docs - open_docs


def test_deleted_file_removed_only_with_prune(unit_settings, small_corpus: Path) -> None:
    _sync(unit_settings, [small_corpus])
    (small_corpus / "seeds" / "bury-cyp-scrutiny-2025-09-16-opencouncil-summary.md").unlink()
    kept = _sync(unit_settings, [small_corpus])
    assert kept.removed == []
    pruned = _sync(unit_settings, [small_corpus], prune=True)
    assert pruned.removed == ["seeds/bury-cyp-scrutiny-2025-09-16-opencouncil-summary.md"]
    store = fake_store(unit_settings)
    assert {m["doc_id"] for _, _, m in store.iter_chunks(Classification.OPEN)} == {
        "seeds/bury-cabinet-2025-09-10-ofsted-standard-inspection-report.md"
    }


def test_bad_files_are_skipped_and_the_rest_ingested(unit_settings, small_corpus: Path) -> None:
    (small_corpus / "empty.md").write_bytes(b"")
    (small_corpus / "notes.xyz").write_text("x", encoding="utf-8")
    (small_corpus / "bad.pdf").write_bytes(b"%PDF-1.7 garbage")
    (small_corpus / "latin.txt").write_bytes("caf\xe9".encode("latin-1"))
    report = _sync(unit_settings, [small_corpus])
    reasons = {s.path: s.reason for s in report.skipped}
    assert set(reasons) == {"empty.md", "notes.xyz", "bad.pdf", "latin.txt"}
    assert len(report.added) == 2
    assert all(line.count("\n") == 0 for line in report.summary_lines())


def test_cli_ingest_exit_code_and_summary(
    unit_settings, small_corpus: Path, monkeypatch, fake_cli_embeddings: None
) -> None:
    monkeypatch.setenv("COUNCIL_INDEX_DIR", str(unit_settings.index_dir))
    runner = CliRunner()
    ok = runner.invoke(app, ["ingest", str(small_corpus), "--quiet"])
    assert ok.exit_code == 0, ok.output
    assert "2 added" in ok.output
    (small_corpus / "empty.md").write_bytes(b"")
    skipped = runner.invoke(app, ["ingest", str(small_corpus), "--quiet"])
    assert skipped.exit_code == EXIT_SKIPPED
    assert "Skipped empty.md: empty file" in skipped.output
    sources = runner.invoke(app, ["sources"])
    assert sources.exit_code == 0 and "2 documents" in sources.output and "cabinet report" in sources.output
    passages = runner.invoke(app, ["ask", "When is the next inspection window?", "--passages"])
    assert passages.exit_code == 0 and "December 2027" in passages.output


def test_missing_index_gives_a_clear_message(tmp_path: Path, monkeypatch, fake_cli_embeddings: None) -> None:
    monkeypatch.setenv("COUNCIL_INDEX_DIR", str(tmp_path / "none"))
    result = CliRunner().invoke(app, ["ask", "anything"])
    assert result.exit_code == 1
    assert "No index yet" in result.output and "council ingest" in result.output


def test_settings_command_lists_every_field(monkeypatch) -> None:
    from assistant.settings import Settings

    result = CliRunner().invoke(app, ["settings"])
    assert result.exit_code == 0
    for name in Settings.model_fields:
        assert f"COUNCIL_{name.upper()}" in result.output


def test_documents_of_a_run_that_died_are_written_again(
    unit_settings, small_corpus: Path, monkeypatch
) -> None:
    """Chroma can lose the newest vectors of a killed process; the journal makes the next run check the documents
    that run was writing and re-write those dense search cannot find (the others are resumed past)."""
    from vectorstore.store import Store

    _sync(unit_settings, [small_corpus])
    journal = unit_settings.index_dir / ".ingest-journal"
    assert not journal.exists()  # a clean run leaves no journal
    lost = "seeds/bury-cyp-scrutiny-2025-09-16-opencouncil-summary.md"
    whole = "seeds/bury-cabinet-2025-09-10-ofsted-standard-inspection-report.md"
    journal.write_text(f"{whole}\n{lost}\n", encoding="utf-8")
    real = Store.vectors_searchable
    monkeypatch.setattr(
        Store, "vectors_searchable", lambda self, c, doc_id, h: doc_id != lost and real(self, c, doc_id, h)
    )
    report = _sync(unit_settings, [small_corpus])
    assert report.replaced == ["seeds/bury-cyp-scrutiny-2025-09-16-opencouncil-summary.md"]
    assert len(report.unchanged) == 1 and not journal.exists()
    store = fake_store(unit_settings)
    before = store.count(Classification.OPEN)
    assert (
        _sync(unit_settings, [small_corpus]).chunks_added == 0 and store.count(Classification.OPEN) == before
    )


def test_vectors_searchable_finds_a_documents_last_chunk(unit_settings, small_corpus: Path) -> None:
    _sync(unit_settings, [small_corpus])
    store = fake_store(unit_settings)
    doc = "seeds/bury-cabinet-2025-09-10-ofsted-standard-inspection-report.md"
    rec = store.doc_records()[doc]
    assert store.vectors_searchable("open", doc, rec.active_hash)
    assert not store.vectors_searchable("open", doc, "0" * 64)  # no such version
    assert not store.vectors_searchable("exempt", doc, rec.active_hash)  # not in that collection
    # (vectors really lost by a killed process: tests/system/test_keyword_crash.py and test_crash.py)


def test_cli_ingest_lowers_its_own_priority(
    unit_settings, small_corpus: Path, monkeypatch, fake_cli_embeddings: None
) -> None:
    import os

    monkeypatch.setenv("COUNCIL_INDEX_DIR", str(unit_settings.index_dir))
    monkeypatch.delenv("COUNCIL_INGEST_NICE")  # the default
    steps: list[int] = []
    monkeypatch.setattr(os, "nice", lambda step: steps.append(step) or step)
    result = CliRunner().invoke(app, ["ingest", str(small_corpus), "--quiet"])
    assert result.exit_code == 0, result.output
    assert steps == [10]
