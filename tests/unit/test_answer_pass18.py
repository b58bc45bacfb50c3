"""General causes found on the tuning sets on 2026-12-07 (eighteenth pass), each on wording no eval set uses: a
number that is the size of another noun, one of several things asked for ("which of the ..."), and a run of
nouns the parser splits at an acronym."""

from __future__ import annotations

from tests.unit.test_answer_pass17 import _shorts


def test_a_bare_number_after_of_is_the_size_of_its_noun_not_a_count_of_the_thing_asked() -> None:
    """ "the top band on a scale of five" counts no children; "a total of 42" is what the total counts."""
    banded = "Wexbridge's fostering service was placed in the top band on a scale of five by the regulator."
    assert _shorts("How many Wexbridge children were in foster care in 2023?", banded) == [None]
    total = "Wexbridge's fostering service looked after a total of 42 children in foster care in 2023."
    assert _shorts("How many Wexbridge children were in foster care in 2023?", total) == ["42"]
