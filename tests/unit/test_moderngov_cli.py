"""`council sync moderngov`: its help documents it; a missing or bad address, or a bad filters file, is one clear
message (the site itself is exercised in tests/integration/test_moderngov_*.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app

runner = CliRunner()


def test_help_names_the_options() -> None:
    result = runner.invoke(app, ["sync", "moderngov", "--help"])
    assert result.exit_code == 0
    for option in ("--committee", "--keyword", "--since", "--dry-run", "--ingest", "--council", "--json"):
        assert option in result.output


@pytest.mark.parametrize(
    ("args", "env", "says"),
    [
        ([], {}, "give the site's address (or set COUNCIL_SYNC_URL)"),
        (["not a site"], {}, "is not a web address; give the council's Modern.Gov site"),
        (["https://democracy.example.gov.uk", "--since", "last week"], {}, "--since must be a date"),
        (
            ["https://democracy.example.gov.uk"],
            {"COUNCIL_SYNC_FILTERS_FILE": "missing.yaml"},
            "cannot be read",
        ),
    ],
)
def test_bad_input_is_one_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], env: dict[str, str], says: str
) -> None:
    monkeypatch.setenv("COUNCIL_SYNC_DIR", str(tmp_path / "synced"))
    for key, value in env.items():
        monkeypatch.setenv(key, str(tmp_path / value) if key.endswith("_FILE") else value)
    result = runner.invoke(app, ["sync", "moderngov", *args])
    assert result.exit_code != 0
    assert says in result.output
    assert not (tmp_path / "synced").exists()
