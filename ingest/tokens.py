"""Token counting for chunk sizing. MiniLM truncates at 256 word-pieces, so chunks are sized in word-pieces."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

TokenCounter = Callable[[str], int]

_PIECE = re.compile(r"\w+|[^\w\s]", re.UNICODE)


def approx_count(text: str) -> int:
    """A dependency-free over-estimate of word-pieces: words and punctuation, long words counted extra."""
    total = 0
    for tok in _PIECE.findall(text):
        total += 1 + (max(0, len(tok) - 6) // 4 if tok.isalpha() else max(0, math.ceil(len(tok) / 3) - 1))
    return total


@lru_cache(maxsize=4)
def wordpiece_counter(tokenizer_json: str) -> TokenCounter:
    """Exact counts from a `tokenizer.json` (Hugging Face `tokenizers`), without special tokens."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(Path(tokenizer_json)))
    tok.no_truncation()
    tok.no_padding()

    def count(text: str) -> int:
        return len(tok.encode(text, add_special_tokens=False).ids)

    return count
