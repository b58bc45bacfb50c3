"""`council` with the weightless hashing embedding injected at the composition root (`assistant.factory`).

System tests that start the real CLI or server in another process run `python tests/system/fake_council.py ARGS`
instead of `council ARGS`: everything is real except the embedding, which needs no weights.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from assistant import factory
from vectorstore.fake_embeddings import HashingEmbeddings


def main() -> None:
    factory.embeddings_for = lambda settings: HashingEmbeddings()  # the one seam: the composition root
    from cli import app

    app(sys.argv[1:], prog_name="council")


if __name__ == "__main__":
    main()
