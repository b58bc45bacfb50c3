"""Evaluation: question sets, metrics, the runner, reports with floors, and `council eval`."""

from evals.cli import eval_command
from evals.questions import Question, QuestionFileError, load_questions

__all__ = [
    "Question",
    "QuestionFileError",
    "eval_command",
    "load_questions",
]
