"""Fixtures shared by the unit tests of the evals."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer


@pytest.fixture()
def eval_cli(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fake_cli_embeddings: None) -> typer.Typer:
    """`council eval` alone, on the weightless hashing embedding (injected), never touching the user's index."""
    from evals.cli import eval_command

    monkeypatch.setenv("COUNCIL_INDEX_DIR", str(tmp_path / "user-index"))
    app = typer.Typer()
    app.command()(eval_command)
    return app
