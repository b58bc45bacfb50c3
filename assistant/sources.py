"""Who said it: a question that names its source ("what did Ofsted say about leadership?", "what did the
scrutiny committee say about complaints?") is answered first from that body's own papers, not from another
paper's account of them. A source matches a paper's body when the source's words, with the aliases in
`assistant/data/sources.yaml` swapped in, are all among the body's words."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from importlib import resources

import yaml

from assistant.verify import content_words

SOURCE_FIT = 0.85  # a sentence from a paper by someone else than the source asked about


@cache
def _data() -> dict[str, object]:
    raw = yaml.safe_load(resources.files("assistant").joinpath("data/sources.yaml").read_text("utf-8"))
    return dict(raw or {})


@cache
def _aliases() -> dict[str, str]:
    aliases = _data().get("aliases") or {}
    assert isinstance(aliases, dict)
    return {str(k).lower(): str(v).lower() for k, v in aliases.items()}


@cache
def _generic() -> frozenset[str]:
    generic = _data().get("generic") or []
    assert isinstance(generic, list)
    return frozenset(content_words(" ".join(str(w) for w in generic)))


@cache
def _source_words(phrase: str) -> frozenset[str]:
    aliases = _aliases()
    swapped = " ".join(aliases.get(w.lower(), w) for w in phrase.split())
    return frozenset(content_words(swapped)) - _generic()  # "the Cabinet report": Cabinet's papers


def named(sources: Sequence[str]) -> tuple[str, ...]:
    """The sources that name a particular body ("Ofsted", "the scrutiny committee"; not "the council")."""
    return tuple(s for s in sources if _source_words(s))


@cache
def _body_words(body: str) -> frozenset[str]:
    return frozenset(content_words(body))


def said_by(body: str, sources: Sequence[str]) -> bool:
    """Whether a paper of `body` is one of the `sources` a question names."""
    words = _body_words(body)
    return any((need := _source_words(s)) and need <= words for s in sources)


def bodies_of(sources: Sequence[str], bodies: Iterable[str]) -> tuple[str, ...]:
    """The bodies among `bodies` that are the named sources, each once, in the order given."""
    return tuple(dict.fromkeys(b for b in bodies if b and said_by(b, sources)))
