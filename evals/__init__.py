"""Evaluation: question sets, metrics, the runner, reports with floors, and `council eval`.

Names are imported on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from evals.cli import eval_command
    from evals.questions import Question, QuestionFileError, load_questions

_EXPORTS = {
    "eval_command": "cli",
    "Question": "questions",
    "QuestionFileError": "questions",
    "load_questions": "questions",
}
__all__ = [
    "Question",
    "QuestionFileError",
    "eval_command",
    "load_questions",
]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
