"""Answering: the assistant (search, answer chain, verifier), its settings and errors."""

from assistant.answer import Answer, Citation, Status
from assistant.errors import BadFilterError, BadQuestionError, CouncilQAError, NoIndexError
from assistant.factory import store_for
from assistant.guardrails import clean_question
from assistant.service import Assistant
from assistant.settings import Settings, load_settings

__all__ = [
    "Answer",
    "Assistant",
    "BadFilterError",
    "BadQuestionError",
    "Citation",
    "CouncilQAError",
    "NoIndexError",
    "Settings",
    "Status",
    "clean_question",
    "load_settings",
    "store_for",
]
