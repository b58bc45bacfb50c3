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


DEPLOYMENT_MD = REPO / "docs" / "deployment.md"


def _nginx_locations(text: str) -> dict[str, dict[str, str]]:
    """Each `location` of the documented nginx blocks: its directives, `proxy_set_header` ones by header name."""
    found: dict[str, dict[str, str]] = {}
    for block in re.findall(r"```nginx\n(.*?)```", text, re.S):
        for match in re.finditer(r"location\s+(\S+)\s*\{", block):
            depth, end = 1, match.end()
            while depth:
                depth += {"{": 1, "}": -1}.get(block[end], 0)
                end += 1
            body = re.sub(r"#[^\n]*", "", block[match.end() : end - 1])
            directives: dict[str, str] = {}
            for statement in (s.strip() for s in body.split(";")):
                name, _, value = statement.partition(" ")
                if name == "proxy_set_header":
                    header, _, value = value.strip().partition(" ")
                    directives[header.lower()] = value.strip()
                elif name:
                    directives[name] = value.strip()
            found[match.group(1)] = directives
    return found


def _proxied(directives: dict[str, str], remote_addr: str, client_headers: dict[str, str]) -> dict[str, str]:
    """The headers the app receives when nginx, configured by `directives`, forwards a client's request."""
    headers = {k.lower(): v for k, v in client_headers.items()}
    for name, value in directives.items():
        if name.startswith("x-") or name == "host":
            value = value.strip('"').replace("$remote_addr", remote_addr).replace("$officer", "")
            headers.pop(name, None)
            if value:  # nginx passes no header set to ""
                headers[name] = value
    return headers


def test_the_documented_proxy_config_is_safe(canary_settings: Any, canary_bot: Any) -> None:
    """The nginx blocks in docs/deployment.md replace every header the app trusts (so a client chooses neither its
    address, its host nor its officer name), and the app configured as documented believes only them."""
    import httpx

    from assistant.settings import load_settings
    from tests.security.webserver import serve
    from web.services import Services

    text = DEPLOYMENT_MD.read_text(encoding="utf-8")
    locations = _nginx_locations(text)
    assert {"/", "/officer/"} <= set(locations), locations
    proxy_settings = ("COUNCIL_PUBLIC_URL", "COUNCIL_TRUSTED_PROXIES", "COUNCIL_CORS_ORIGINS")
    exports = {
        k: v for k, v in re.findall(r"^export (COUNCIL_[A-Z_]+)=(\S+)", text, re.M) if k in proxy_settings
    }
    public_url = exports["COUNCIL_PUBLIC_URL"]
    for path, d in locations.items():
        assert "proxy_pass" in d, path
        assert d["host"] == public_url.removeprefix("https://"), (
            path,
            d["host"],
        )  # a fixed name, never $host
        assert d["x-forwarded-for"] == "$remote_addr", path  # replaced, not appended to the client's
        assert d["x-forwarded-proto"] == "https", path
        assert "x-forwarded-user" in d, path  # always set by the proxy: a client's own value never arrives
        assert d["proxy_buffering"] == "off", path  # answers stream as server-sent events
        assert not re.search(r"\$(host|http_|proxy_add_x_forwarded_for)", " ".join(d.values())), (path, d)
    assert locations["/"]["x-forwarded-user"] == '""'
    trusted = exports["COUNCIL_TRUSTED_PROXIES"]
    settings = load_settings(
        **{k.removeprefix("COUNCIL_").lower(): v for k, v in exports.items()},
        index_dir=canary_settings.index_dir,
        corpus_dir=canary_settings.corpus_dir,
        feedback_db=canary_settings.feedback_db,
        officer_auth_header="X-Forwarded-User",
        widget_rate_limit_per_min=3,
    )
    assert settings.trusted_proxies == trusted == "127.0.0.1"  # the proxy on this machine
    with serve(settings, Services(settings, bot=canary_bot)) as app:
        attacker = {"X-Forwarded-For": "10.0.0.1", "X-Forwarded-User": "admin", "Host": "evil.example"}
        officer = _proxied(locations["/"], "203.0.113.9", attacker)
        assert httpx.get(app.url + "/officer/config", headers=officer).status_code == 401
        codes = []
        for i in range(5):  # rotating its own X-Forwarded-For changes nothing: the proxy replaced it
            headers = _proxied(locations["/"], "203.0.113.9", {**attacker, "X-Forwarded-For": f"10.0.0.{i}"})
            codes.append(
                httpx.post(
                    app.url + "/api/ask", json={"question": "What?"}, headers=headers, timeout=60
                ).status_code
            )
        assert codes == [200, 200, 200, 429, 429], codes
        signed_in = _proxied(locations["/officer/"], "203.0.113.9", {})
        signed_in["x-forwarded-user"] = "jo@example.gov.uk"  # what auth_request_set put in $officer
        assert httpx.get(app.url + "/officer/config", headers=signed_in).status_code == 200
