"""Every setting is documented (datasette does this) and only assistant/settings.py reads the environment."""

from __future__ import annotations

import re
from pathlib import Path

from assistant.settings import Settings, load_settings

REPO = Path(__file__).resolve().parents[2]


def test_configuration_doc_names_every_field() -> None:
    doc = (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")
    missing = [n for n in Settings.model_fields if f"COUNCIL_{n.upper()}" not in doc]
    assert not missing, f"docs/configuration.md does not mention: {missing}"


def test_every_field_has_a_description() -> None:
    assert all(f.description for f in Settings.model_fields.values())


def test_only_settings_reads_the_environment() -> None:
    offenders = []
    for path in [
        *REPO.glob("assistant/*.py"),
        *REPO.glob("ingest/*.py"),
        *REPO.glob("vectorstore/*.py"),
        *REPO.glob("evals/*.py"),
    ]:
        if path.name == "settings.py":
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"os\.environ(?:\.get)?\s*[\[(]|os\.getenv\(", text):
            offenders.append(path.name)
    assert offenders == [], offenders


def test_environment_overrides(monkeypatch) -> None:
    monkeypatch.setenv("COUNCIL_TOP_K", "7")
    monkeypatch.setenv("COUNCIL_CHROMA_URL", "http://127.0.0.1:8123")
    s = load_settings()
    assert s.top_k == 7 and s.chroma_url == "http://127.0.0.1:8123"
    assert s.host == "127.0.0.1"


def test_configuration_doc_defaults_match_the_code() -> None:
    """The table's Default column is what a fresh install runs with, so it must not drift from Settings."""
    doc = (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")
    documented = dict(re.findall(r"^\| `COUNCIL_([A-Z_]+)` \| `([^`]*)` \|", doc, flags=re.M))
    wrong = {}
    for name, field in Settings.model_fields.items():
        shown = documented.get(name.upper())
        expected = "(empty)" if field.default in ("", None) else str(field.default)
        if shown != expected:
            wrong[name] = (shown, expected)
    assert not wrong, f"docs/configuration.md defaults differ from assistant/settings.py: {wrong}"
