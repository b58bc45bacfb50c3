"""`SearchFilters.parse`: the one check of what a person typed as filters (CLI, chat and API share it)."""

from __future__ import annotations

import datetime as dt

import pytest

from vectorstore.filters import MAX_FILTER_VALUES, FilterError, SearchFilters, parse_day


def test_parse_reads_dates_and_names_and_drops_repeats() -> None:
    f = SearchFilters.parse(" 2025-01-01 ", dt.date(2025, 12, 31), ["Cabinet", "Cabinet"], ["summary"], None)
    assert f == SearchFilters(dt.date(2025, 1, 1), dt.date(2025, 12, 31), ("Cabinet",), ("summary",), ())
    assert SearchFilters.parse("", " ", [], None).empty


@pytest.mark.parametrize(
    ("kwargs", "says", "fields"),
    [
        ({"date_from": "16/09/2025"}, "The 'from' date must be a date like 2025-09-16", ("date_from",)),
        ({"date_to": "2025-13-01"}, "The 'to' date must be a date like 2025-09-16", ("date_to",)),
        ({"date_from": 0}, "YYYY-MM-DD", ("date_from",)),
        (
            {"date_from": "2025-10-01", "date_to": "2025-09-01"},
            "after the 'to' date",
            ("date_from", "date_to"),
        ),
        ({"bodies": [" "]}, "1 to 200 characters", ("bodies",)),
        ({"councils": ["x" * 201]}, "1 to 200 characters", ("councils",)),
        ({"doc_types": ["memo"]}, "Unknown document type 'memo'", ("doc_types",)),
        ({"bodies": [str(i) for i in range(MAX_FILTER_VALUES + 1)]}, "At most 20", ("bodies",)),
    ],
)
def test_bad_values_say_what_is_wrong(kwargs: dict, says: str, fields: tuple[str, ...]) -> None:
    with pytest.raises(FilterError) as err:
        SearchFilters.parse(**kwargs)
    assert says in str(err.value) and err.value.fields == fields


def test_parse_day_names_what_it_read() -> None:
    assert parse_day("", "The date") is None
    with pytest.raises(FilterError, match=r"^The date must be a date like"):
        parse_day("next week", "The date")
