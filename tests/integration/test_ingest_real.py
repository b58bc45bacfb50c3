"""Issue 2 acceptance: the real MiniLM and a real Chroma, embedded and as a `chroma run` server."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.factory import store_for
from assistant.service import Assistant
from assistant.settings import load_settings
from ingest.documents import Classification
from tests.conftest import CORPUS, TODAY
from vectorstore.indexer import Indexer

pytestmark = pytest.mark.integration
WINDOW_Q = "When is Bury's next Ofsted standard inspection window?"
CABINET_STEM = "bury-cabinet-2025-09-10-ofsted-standard-inspection-report"


def _window_in_top3(bot: Assistant) -> None:
    top = bot.search(WINDOW_Q, k=3).passages
    assert any(CABINET_STEM in p.doc_id and "December 2027" in p.text for p in top), [p.doc_id for p in top]


def test_window_question_finds_the_cabinet_report(real_assistant: Assistant) -> None:
    _window_in_top3(real_assistant)


def test_reingest_of_bundled_corpus_adds_nothing(minilm_settings) -> None:
    report = Indexer(store_for(minilm_settings)).sync([CORPUS])
    assert report.chunks_added == 0 and not report.added and not report.replaced and not report.skipped


def test_pdf_citation_carries_the_right_page(real_assistant: Assistant) -> None:
    from pypdf import PdfReader

    from assistant.compose import to_citation
    from vectorstore.passage import Passage

    pdf = CORPUS / "formats" / f"{CABINET_STEM}.pdf"
    pages = [
        i for i, page in enumerate(PdfReader(pdf).pages, 1) if "December 2027" in (page.extract_text() or "")
    ]
    assert pages and pages[0] > 1
    store = real_assistant.store
    pdf_chunks = [
        (cid, text, meta)
        for cid, text, meta in store.iter_chunks(Classification.OPEN)
        if meta["doc_id"].endswith(".pdf") and "December 2027" in text
    ]
    assert pdf_chunks, "the PDF copy's window passage is not in the index"
    for cid, text, meta in pdf_chunks:
        citation = to_citation(1, Passage.from_metadata(cid, text, meta), "December 2027")
        assert citation.page == pages[0]


@pytest.fixture(params=["embedded", "server"])
def real_settings(request, tmp_path: Path, minilm_settings):  # type: ignore[no-untyped-def]
    if request.param == "server":
        url = request.getfixturevalue("chroma_server")
        return load_settings(index_dir=tmp_path / "index", chroma_url=url)
    return load_settings(index_dir=tmp_path / "index")


def _private_corpus(tmp_path: Path) -> Path:
    dest = tmp_path / f"corpus-{time.monotonic_ns()}"
    (dest / "seeds").mkdir(parents=True)
    (dest / "formats").mkdir()
    for name in os.listdir(CORPUS / "seeds"):
        shutil.copy(CORPUS / "seeds" / name, dest / "seeds" / name)
    shutil.copy(CORPUS / "formats" / f"{CABINET_STEM}.pdf", dest / "formats")
    shutil.copy(CORPUS / "metadata.yaml", dest / "metadata.yaml")
    return dest


def test_ingest_change_delete_and_answer(real_settings, tmp_path: Path) -> None:
    corpus = _private_corpus(tmp_path)
    store = store_for(real_settings)
    first = Indexer(store).sync([corpus])
    assert len(first.added) == 3 and not first.skipped
    assert Indexer(store).sync([corpus]).chunks_added == 0
    bot = Assistant.from_settings(real_settings, store=store, today=TODAY)
    _window_in_top3(bot)
    summary = corpus / "seeds" / "bury-cyp-scrutiny-2025-09-16-opencouncil-summary.md"
    summary.write_text(
        summary.read_text(encoding="utf-8").replace("118 complaints", "119 complaints"), "utf-8"
    )
    changed = Indexer(store).sync([corpus])
    assert changed.replaced == ["seeds/bury-cyp-scrutiny-2025-09-16-opencouncil-summary.md"]
    texts = [t for _, t, _ in store.iter_chunks(Classification.OPEN)]
    assert any("119 complaints" in t for t in texts) and not any("118 complaints" in t for t in texts)
    summary.unlink()
    pruned = Indexer(store).sync([corpus], prune=True)
    assert pruned.removed == ["seeds/bury-cyp-scrutiny-2025-09-16-opencouncil-summary.md"]
    assert all("scrutiny" not in m["doc_id"] for _, _, m in store.iter_chunks(Classification.OPEN))


def test_sigkill_mid_ingest_leaves_a_usable_index(tmp_path: Path) -> None:
    """Kill `council ingest` after it has written some documents; the index opens and answers, and the next run
    completes it to the same chunk count as an uninterrupted run."""
    corpus = _private_corpus(tmp_path)
    for name in sorted(os.listdir(CORPUS / "public"))[:12]:
        shutil.copy(CORPUS / "public" / name, corpus / "seeds" / name)
    index = tmp_path / "index"
    env = {k: v for k, v in os.environ.items() if not k.startswith("COUNCIL_")}
    env["COUNCIL_INDEX_DIR"] = str(index)
    council = str(Path(sys.executable).parent / "council")
    proc = subprocess.Popen(
        [council, "ingest", str(corpus)], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, env=env
    )
    assert proc.stderr is not None
    seen = b""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        chunk = proc.stderr.read1(256)  # type: ignore[attr-defined]
        if not chunk:
            break
        seen += chunk
        done = [int(x) for x in re.findall(rb"Ingesting:[^|\r\n]*\|[^|\r\n]*\| (\d+)/\d+ \[", seen)]
        if done and max(done) >= 4:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "ingest finished before it could be killed"
    settings = load_settings(index_dir=index)
    bot = Assistant.from_settings(settings, today=TODAY)
    store = store_for(settings)
    records = store.doc_records()
    assert records, "no document was completed before the kill"
    found = bot.search("Ofsted inspection children's services", k=3, mode="keyword").passages
    assert found, (len(records), store.count(Classification.OPEN))
    assert all(
        records[p.doc_id].active_hash[:12] in p.chunk_id for p in found
    )  # only complete versions are visible
    rerun = Indexer(store_for(settings)).sync([corpus])
    assert not rerun.skipped
    fresh = load_settings(index_dir=tmp_path / "fresh")
    Indexer(store_for(fresh)).sync([corpus])
    assert store_for(settings).count(Classification.OPEN) == store_for(fresh).count(Classification.OPEN)
