"""Answering: the assistant (search, answer chain, verifier), its settings and errors, and the web surfaces
(`services`, `api`, which move to `web/` next).

Names are imported on first use (importing `assistant.settings` alone stays cheap).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.answer import Answer, Citation, Status
    from assistant.errors import BadFilterError, BadQuestionError, CouncilQAError, NoIndexError
    from assistant.factory import store_for
    from assistant.guardrails import clean_question
    from assistant.service import Assistant
    from assistant.settings import Settings, load_settings

_EXPORTS = {
    "Answer": "answer",
    "Citation": "answer",
    "Status": "answer",
    "BadFilterError": "errors",
    "BadQuestionError": "errors",
    "CouncilQAError": "errors",
    "NoIndexError": "errors",
    "store_for": "factory",
    "clean_question": "guardrails",
    "Assistant": "service",
    "Settings": "settings",
    "load_settings": "settings",
}
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


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
