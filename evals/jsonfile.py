"""Reading the JSON data files of the evals (floors, the paper split) with errors that name the file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["read_json"]


def read_json(path: Path, what: str, error: type[ValueError] = ValueError) -> Any:
    """The decoded contents of `path`; `error` says which file (`what`, e.g. "floors file") and what is wrong."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise error(f"cannot read the {what} {path} ({exc.strerror or exc})") from None
    except json.JSONDecodeError as exc:
        raise error(f"{path}: bad JSON ({exc.msg}, line {exc.lineno})") from None
