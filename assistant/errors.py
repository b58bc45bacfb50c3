"""A small exception tree whose messages are written for people: what went wrong and how to fix it."""

from __future__ import annotations


class CouncilQAError(Exception):
    """Base class. `str(err)` is safe to show to a user; `fix` says what to do next."""

    def __init__(self, message: str, fix: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix

    def __str__(self) -> str:
        return f"{self.message} {self.fix}".strip()


class NoIndexError(CouncilQAError):
    def __init__(self, detail: str = "") -> None:
        super().__init__(
            f"No index yet{': ' + detail if detail else ''}.",
            "Run `council ingest data/corpus` (or `make run`) first.",
        )


class BadQuestionError(CouncilQAError):
    """The question cannot be asked as given (empty, too long, control characters)."""


class BadFilterError(CouncilQAError):
    """A filter value is unknown or malformed."""


class BackendUnavailableError(CouncilQAError):
    """A server we depend on (Chroma server, LLM endpoint) did not answer."""


class IngestError(CouncilQAError):
    """A single file could not be ingested; the batch carries on."""
