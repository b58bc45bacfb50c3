"""End to end, as a council would run it: `council sync moderngov --ingest` from the fake site, then
`council ask --json` (real MiniLM, real Chroma) cites a synced paper with its committee, meeting date, agenda item
and links to its pages on the council's site; the text answer shows them too."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.moderngov_site import FakeSite

pytestmark = pytest.mark.integration

COUNCIL_BIN = Path(sys.executable).parent / "council"
COUNCIL = ("--council", "Northfield Borough Council")
QUESTION = "What did Ofsted judge the overall effectiveness of children's services in Northfield to be?"


@pytest.fixture(scope="module")
def synced(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    site = FakeSite()
    base = site.start()
    root = tmp_path_factory.mktemp("e2e")
    env = {
        **os.environ,
        "COUNCIL_CORPUS_DIR": str(root / "corpus"),
        "COUNCIL_SYNC_DIR": str(root / "corpus" / "moderngov"),
        "COUNCIL_INDEX_DIR": str(root / "index"),
        "COUNCIL_SYNC_REQUEST_INTERVAL_S": "0",
        "COUNCIL_SYNC_TIMEOUT_S": "1.5",
        "COUNCIL_SYNC_BACKOFF_S": "0.05",
    }
    try:
        run = subprocess.run(
            [str(COUNCIL_BIN), "sync", "moderngov", base, "--since", "2025-01-01", "--ingest", *COUNCIL],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert run.returncode == 3, run.stdout + run.stderr  # 3: a 404 paper and an unreadable meeting
        assert "Papers: 9 new" in run.stdout and "Documents: 9 seen, 9 added" in run.stdout, run.stdout
        yield base, env
    finally:
        site.stop()


def ask(env: dict[str, str], *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(COUNCIL_BIN), "ask", QUESTION, *extra], env=env, capture_output=True, text=True, timeout=300
    )


def test_answer_cites_the_synced_paper_with_its_committee_date_and_links(synced) -> None:
    base, env = synced
    run = ask(env, "--json")
    assert run.returncode == 0, run.stderr
    answer = json.loads(run.stdout)
    assert answer["status"] == "answered", answer
    from_site = [c for c in answer["citations"] if c["source_url"].startswith(base)]
    assert from_site, answer["citations"]
    cabinet = next(c for c in from_site if c["body"] == "Cabinet")
    assert cabinet["date"] == "2025-09-10"
    assert cabinet["agenda_item"] == "7. Ofsted Inspection of Children's Services"
    assert cabinet["links"]["meeting page"] == f"{base}ieListDocuments.aspx?CId=101&MId=2001&Ver=4#AI5007"
    assert cabinet["links"]["decision"] == f"{base}ieDecisionDetails.aspx?AIId=5007"
    assert cabinet["links"]["issue history"] == f"{base}mgIssueHistoryHome.aspx?IId=7101"
    assert "good" in cabinet["quote"].lower()


def test_text_answer_shows_where_the_paper_is_on_the_councils_site(synced) -> None:
    base, env = synced
    run = ask(env)
    assert run.returncode == 0, run.stderr
    assert "10 September 2025, Cabinet, agenda item 7" in run.stdout
    assert f"On the council's site: paper {base}" in run.stdout
    assert f"meeting page {base}ieListDocuments.aspx?CId=101&MId=2001&Ver=4#AI5007" in run.stdout
