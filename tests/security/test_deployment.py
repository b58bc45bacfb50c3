"""Deployment safety by default, and `docs/security.md` naming only tests that exist."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tests.security.conftest import canary_settings_for

REPO = Path(__file__).resolve().parents[2]
SECURITY_MD = REPO / "docs" / "security.md"


def test_safe_defaults() -> None:
    from assistant.settings import load_settings

    s = load_settings()
    assert s.host == "127.0.0.1"  # not reachable from the network unless told
    assert s.chroma_url == ""  # embedded Chroma: no unauthenticated server listening anywhere
    assert s.officer_token == "" and s.officer_password == ""  # officer API and area off until configured
    assert 1 <= s.widget_rate_limit_per_min <= 60  # the public limit is on
    assert s.max_question_chars <= 2000


def test_officer_surfaces_are_off_until_configured(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from tests.fakes import fake_store
    from web import create_app
    from web.services import Services

    settings = canary_settings_for(tmp_path, officer_token="")
    with TestClient(create_app(settings, Services(settings, store=fake_store(settings)))) as client:
        r = client.post("/api/ask", json={"question": "What?", "audience": "officer"})
        assert r.status_code == 403 and "switched off" in r.json()["detail"]
        for path in ("/officer", "/officer/", "/officer/gradio_api/info"):
            r = client.get(path)
            assert r.status_code == 404 and "switched off" in r.text, path


def test_gradio_file_route_serves_nothing_in_process(canary_client: Any, canary_settings: Any) -> None:
    corpus = canary_settings.corpus_dir
    for mount in ("", "/widget"):
        for target in (*sorted(corpus.rglob("*.md"))[:3], corpus / "metadata.yaml", REPO / "app.py"):
            r = canary_client.get(f"{mount}/gradio_api/file={target}")
            assert r.status_code == 403, (mount, target, r.status_code)


def test_security_doc_names_real_tests() -> None:
    """Every test `docs/security.md` cites exists, and every test module here is cited."""
    text = SECURITY_MD.read_text(encoding="utf-8")
    cited = set(re.findall(r"`(tests/security/[\w/]+\.py)::(\w+)`", text))
    assert len(cited) >= 20
    for path, name in cited:
        source = (REPO / path).read_text(encoding="utf-8")
        assert re.search(rf"^(async )?def {name}\(", source, re.M), f"{path}::{name} is cited but missing"
    modules = {p.relative_to(REPO).as_posix() for p in (REPO / "tests" / "security").glob("test_*.py")}
    assert modules <= {path for path, _ in cited}, modules - {path for path, _ in cited}
    for heading in ("Exempt leakage", "prompt injection", "Bad input", "Crash", "Load", "Deployment"):
        assert heading.lower() in text.lower(), heading
