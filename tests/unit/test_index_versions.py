"""An index built with other chunking (an earlier version of the code, or other settings) is not mistaken for no
index at all: the message says the papers must be ingested again, and nothing is deleted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assistant.errors import NoIndexError
from tests.fakes import fake_assistant, fake_store
from vectorstore.indexer import Indexer


def test_an_index_of_other_settings_asks_for_a_fresh_ingest(unit_settings: Any, small_corpus: Path) -> None:
    with pytest.raises(NoIndexError, match="nothing indexed under"):
        fake_assistant(unit_settings)  # an empty folder: plainly no index
    Indexer(fake_store(unit_settings)).sync([small_corpus])
    assert fake_assistant(unit_settings).store.other_indexes() == []
    other = unit_settings.model_copy(update={"chunk_size_tokens": unit_settings.chunk_size_tokens // 2})
    with pytest.raises(NoIndexError, match="another version or other settings") as err:
        fake_assistant(other)
    assert "ingested again" in str(err.value) and "council ingest" in str(err.value)
    assert fake_assistant(unit_settings).store.exists()  # the first index is still there
