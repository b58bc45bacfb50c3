"""The inspection record's query API, `council record` and `GET /api/record`, on the 22 real reports."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from assistant.inspection_window import next_standard_inspection_window
from assistant.record import GRADE_ORDER, InspectionRecord, UnknownCouncilError
from cli import app
from ingest.inspection_record import extract
from tests.ofsted import CORPUS, REPORTS, meta, parsed, report_names

KEYS = {
    "council",
    "publication_date",
    "start_date",
    "end_date",
    "framework",
    "lead_inspector",
    "judgements",
    "source_file",
    "citations",
}


@pytest.fixture(scope="module")
def record() -> InspectionRecord:
    return InspectionRecord(extract(parsed(n), meta(n)) for n in report_names())


def test_history_is_newest_first_and_any_spelling_finds_the_council(record: InspectionRecord) -> None:
    dates = [e.publication_date for e in record.history("Bury")]
    assert dates == [dt.date(2025, 7, 29), dt.date(2024, 5, 7), dt.date(2021, 12, 17), dt.date(2016, 5, 16)]
    for spelling in ("bury", "Bury Council", "Bury Metropolitan Borough Council"):
        assert record.history(spelling) == record.history("Bury")
    assert [e.framework for e in record.history("Bury")] == [
        "ilacs-standard",
        "area-send",
        "ilacs-standard",
        "sif",
    ]


def test_latest_by_framework(record: InspectionRecord) -> None:
    latest = record.latest("Bury", framework="ilacs")
    assert latest is not None and latest.publication_date == dt.date(2025, 7, 29)
    send = record.latest("Bury", framework="area-send")
    assert send is not None and send.outcome == "widespread and/or systemic failings"
    assert record.latest("Bolton", framework="area-send") is None


def test_compare_gives_each_council_its_latest_with_citations(record: InspectionRecord) -> None:
    rows = record.compare(["Bury", "Rochdale", "Oldham"])
    assert [(e.council, e.overall) for e in rows] == [
        ("Bury Council", "requires improvement to be good"),
        ("Rochdale Borough Council", "requires improvement to be good"),
        ("Oldham Council", "good"),
    ]
    for entry in rows:
        (cite,) = entry.cite("judgements.overall_effectiveness")
        assert cite.page == 1 and cite.quote.startswith("Overall effectiveness |")


def test_councils_with_grade(record: InspectionRecord) -> None:
    good_or_better = {e.council for e in record.councils_with_grade("good")}
    assert good_or_better == {
        "Bolton Council",
        "Manchester City Council",
        "Oldham Council",
        "Salford City Council",
        "Wigan Council",
    }
    assert {e.council for e in record.councils_with_grade("Outstanding")} == {"Manchester City Council"}
    assert {e.council for e in record.councils_with_grade("good", at_least=False)} == good_or_better - {
        "Manchester City Council"
    }
    # Trafford's latest report gives no overall grade: it is in no list, rather than in a guessed one
    assert all(
        e.council != "Trafford Council" for g in GRADE_ORDER for e in record.councils_with_grade(g, False)
    )
    with pytest.raises(ValueError, match="unknown grade"):
        record.councils_with_grade("excellent")


def test_how_long_was_bury_inadequate(record: InspectionRecord) -> None:
    (period,) = record.periods_at_grade("Bury", "inadequate")
    assert (period.start, period.end) == (dt.date(2021, 12, 17), dt.date(2025, 7, 29))
    assert period.days() == 1320
    quotes = [c.quote for c in period.citations if c.quote]
    assert quotes == [
        "Overall effectiveness | Inadequate",
        "Overall effectiveness | Requires improvement to be good",
    ]
    (ongoing,) = record.periods_at_grade("Tameside", "inadequate")
    assert ongoing.end is None and ongoing.days(today=dt.date(2024, 2, 14)) == 1


def test_next_standard_window_reuses_the_rule(record: InspectionRecord) -> None:
    nxt = record.next_standard_window("Bury")
    assert nxt is not None
    assert nxt.window == next_standard_inspection_window(dt.date(2025, 6, 9))
    assert (
        nxt.window.text == "December 2027 to December 2028"
    )  # as Bury's Cabinet report of September 2025 says
    assert nxt.citations[0].quote == "Inspection dates: 9 to 20 June 2025"
    tameside = record.next_standard_window("Tameside")
    assert tameside is not None and "inadequate" in tameside.note


def test_an_unknown_council_is_a_clear_error(record: InspectionRecord) -> None:
    with pytest.raises(UnknownCouncilError, match="Councils with a record: Bolton Council"):
        record.history("Atlantis")


def test_json_shape(record: InspectionRecord) -> None:
    rows = record.to_json("Bury")
    assert all(set(r) >= KEYS for r in rows)
    allowed = {None, "outstanding", "good", "requires improvement to be good", "inadequate"}
    for row in rows:
        assert set(row["judgements"]) == {
            "overall_effectiveness",
            "impact_of_leaders",
            "help_and_protection",
            "in_care",
            "care_leavers",
        }
        assert set(row["judgements"].values()) <= allowed
        assert {c["field"] for c in row["citations"]} >= {"publication_date", "start_date", "framework"}
    assert rows[0]["start_date"] == "2025-06-09" and rows[0]["source_file"].endswith(
        "bury-ofsted-ilacs-2025-07-29.pdf"
    )


# ---------------------------------------------------------------- the CLI and the API, over a real index


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Three Bury reports (one made exempt) and Rochdale's latest, indexed with the hashing embedding."""
    from tests.fakes import fake_store
    from tests.unit.appcorpus import app_settings
    from vectorstore.indexer import Indexer

    root = tmp_path_factory.mktemp("record")
    corpus = root / "corpus"
    (corpus / "ofsted-reports").mkdir(parents=True)
    names = [
        "bury-ofsted-ilacs-2021-12-17.pdf",
        "bury-ofsted-ilacs-2025-07-29.pdf",
        "bury-ofsted-sif-2016-05-16.pdf",
        "rochdale-ofsted-ilacs-2023-03-17.pdf",
    ]
    files = yaml.safe_load((CORPUS / "metadata.yaml").read_text(encoding="utf-8"))["files"]
    entries = {}
    for name in names:
        shutil.copy(REPORTS / name, corpus / "ofsted-reports" / name)
        entries[f"ofsted-reports/{name}"] = dict(files[f"ofsted-reports/{name}"])
    entries["ofsted-reports/bury-ofsted-sif-2016-05-16.pdf"]["classification"] = "exempt"
    (corpus / "metadata.yaml").write_text(yaml.safe_dump({"files": entries}), encoding="utf-8")
    settings = app_settings(root, corpus)
    report = Indexer(fake_store(settings)).sync([corpus])
    assert not report.skipped
    return settings


@pytest.fixture()
def cli_env(indexed: Any, monkeypatch: pytest.MonkeyPatch, fake_cli_embeddings: None) -> None:
    monkeypatch.setenv("COUNCIL_INDEX_DIR", str(indexed.index_dir))


def test_cli_json(cli_env: None) -> None:
    result = CliRunner().invoke(app, ["record", "--council", "Bury", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [r["publication_date"] for r in rows] == ["2025-07-29", "2021-12-17", "2016-05-16"]
    assert all(set(r) >= KEYS for r in rows)
    public = json.loads(CliRunner().invoke(app, ["record", "--json", "--audience", "public"]).output)
    assert {r["publication_date"] for r in public} == {
        "2025-07-29",
        "2021-12-17",
        "2023-03-17",
    }  # exempt SIF gone


def test_cli_text(cli_env: None) -> None:
    result = CliRunner().invoke(app, ["record", "--council", "bury council"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.index("29 July 2025") < out.index("17 December 2021") < out.index("16 May 2016")
    assert "Overall effectiveness: inadequate" in out and "lead inspector Lorna Schlechte" in out
    assert "page 1 — “Overall effectiveness | Inadequate”" in out
    assert "Next standard inspection window: December 2027 to December 2028" in out


def test_cli_unknown_council_and_no_index(
    cli_env: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = CliRunner().invoke(app, ["record", "--council", "Atlantis"])
    assert bad.exit_code == 1 and "No inspection record for 'Atlantis'" in bad.output
    monkeypatch.setenv("COUNCIL_INDEX_DIR", str(tmp_path / "none"))
    empty = CliRunner().invoke(app, ["record"])
    assert empty.exit_code == 1 and "council ingest" in empty.output


def _client(settings: Any) -> TestClient:
    from tests.fakes import fake_store
    from web import create_app
    from web.services import Services

    return TestClient(create_app(settings, Services(settings, store=fake_store(settings))))


def test_api_record_is_audience_scoped(indexed: Any) -> None:
    client = _client(indexed)
    public = client.get("/api/record", params={"council": "Bury"})
    assert public.status_code == 200
    assert [r["publication_date"] for r in public.json()] == ["2025-07-29", "2021-12-17"]
    officer = client.get(
        "/api/record",
        params={"council": "Bury", "audience": "officer"},
        headers={"Authorization": "Bearer officer-secret-token-0123456"},
    )
    assert [r["publication_date"] for r in officer.json()] == ["2025-07-29", "2021-12-17", "2016-05-16"]
    assert client.get("/api/record", params={"audience": "officer"}).status_code == 401
    assert client.get("/api/record").json() == _client(indexed).get("/api/record").json()
    unknown = client.get("/api/record", params={"council": "Atlantis"})
    assert unknown.status_code == 400 and "Councils with a record" in unknown.json()["detail"]
    every = client.get("/api/record").json()
    assert {r["council"] for r in every} == {"Bury Council", "Rochdale Borough Council"}
    assert "/api/record" in client.get("/openapi.json").json()["paths"]


def test_api_without_an_index(tmp_path: Path) -> None:
    from tests.unit.appcorpus import app_settings

    settings = app_settings(tmp_path, tmp_path / "corpus")
    response = _client(settings).get("/api/record")
    assert response.status_code == 503 and "council ingest" in response.json()["detail"]
