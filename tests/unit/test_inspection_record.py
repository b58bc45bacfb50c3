"""The inspection record read from the 22 reports, field by field against the independent ILACS outcomes table
(`tests/assets/ofsted/ilacs-outcomes.csv`, made by someone else's parser), and the extraction rules on their own.

Where the table is wrong or unreadable, the value read from the PDF is pinned here with the reason; everything
else must match the table exactly.
"""

from __future__ import annotations

import datetime as dt

import pytest

from ingest.documents import ParsedDocument
from ingest.inspection_record import (
    JUDGEMENTS,
    Inspection,
    PaperRecord,
    date_range,
    extract,
    grade_of,
)
from ingest.loaders import text_to_blocks
from ingest.metadata import build_meta
from tests.ofsted import meta, on_page, outcomes, parsed, report_names

ROWS = outcomes()
CSV_GRADES = {"outstanding", "good", "requires improvement", "inadequate"}
CSV_FRAMEWORKS = {"standard": "ilacs-standard", "short": "ilacs-short"}

# Where the table is wrong or cannot be read, what the PDF says, and why.
PINNED: dict[tuple[str, str], tuple[object, str]] = {
    **{
        ("bury-ofsted-sif-2016-05-16.pdf", name): (
            value,
            "the table reads data_unreadable: its parser cannot read SIF reports",
        )
        for name, value in {
            "framework": "sif",
            "lead_inspector": "Sheena Doyle",  # "Lead inspector: Sheena Doyle", page 44
            "start_date": "2016-02-22",  # "Inspection dates: 22 February 2016 – 17 March 2016"
            "end_date": "2016-03-17",
            # "Children's services in Bury require improvement to be good"
            "overall_effectiveness": "requires improvement to be good",
            "impact_of_leaders": "good",  # "3. Leadership, management and governance | Good"
            "help_and_protection": "good",
            # "Children looked after and achieving permanence | Requires improvement"
            "in_care": "requires improvement to be good",
            # "2.2 Experiences and progress of care leavers | Requires improvement"
            "care_leavers": "requires improvement to be good",
        }.items()
    },
    ("trafford-ofsted-ilacs-2026-08-03.pdf", "overall_effectiveness"): (
        None,
        "the table says not_reported_post_reform: the report's judgement table has no overall effectiveness row",
    ),
    ("rochdale-ofsted-ilacs-2018-03-12.pdf", "in_care"): (
        "good",
        "the table says requires improvement; the report's judgement table ('The experiences and progress of "
        "children in care and care leavers | Good') and its heading on page 5 ('... is good') say good",
    ),
    ("tameside-ofsted-ilacs-2024-02-13.pdf", "lead_inspector"): (
        "Andy Waugh",
        "the table has no name; page 1 says 'Lead inspector: Andy Waugh, His Majesty's Inspector'",
    ),
}


def _record(name: str) -> Inspection:
    record = extract(parsed(name), meta(name))
    assert len(record.inspections) == 1, name
    return record.inspections[0]


def _expected(row: dict[str, str], name: str) -> object:
    """The table's value in the record's terms: ISO dates, framework keys, full grade wording, None for a
    judgement the inspection pre-dates."""
    if name == "publication_date":
        return dt.datetime.strptime(row["publication_date"], "%d/%m/%y").date().isoformat()
    if name in ("start_date", "end_date"):
        raw = row[f"inspection_{name}"]
        return dt.datetime.strptime(raw, "%d/%m/%Y").date().isoformat() if raw else None
    if name == "framework":
        return CSV_FRAMEWORKS.get(row["inspection_framework"])
    if name == "lead_inspector":
        # the table's parser put a space before hyphens ("Paula Thomson -Jones"); the PDF has none
        return row["inspector_name"].replace(" -", "-") or None
    if name == "council":
        return row["local_authority"]
    column = "overall_effectiveness_grade" if name == "overall_effectiveness" else f"{name}_grade"
    grade = row[column]
    if grade == "requires improvement":
        return "requires improvement to be good"
    return grade if grade in CSV_GRADES else None


def _actual(inspection: Inspection, name: str) -> object:
    if name in JUDGEMENTS:
        return inspection.judgements[name].value
    value = getattr(inspection, name).value
    if name == "council":
        from ingest.councils import council_key

        return council_key(value)
    return value


FIELDS = ["council", "publication_date", "start_date", "end_date", "framework", "lead_inspector", *JUDGEMENTS]
CASES = [(file, name) for file in sorted(ROWS) for name in FIELDS]


@pytest.mark.parametrize(("file", "name"), CASES)
def test_record_matches_the_outcomes_table(file: str, name: str) -> None:
    inspection = _record(file)
    if (file, name) in PINNED:
        value, why = PINNED[(file, name)]
        assert _actual(inspection, name) == value, why
        return
    assert _actual(inspection, name) == _expected(ROWS[file], name)


def test_match_figures() -> None:
    """Every field of every row: the table's value, or a pinned value where the table is wrong."""
    matched = pinned = 0
    for file, name in CASES:
        if (file, name) in PINNED:
            pinned += 1
        else:
            matched += _actual(_record(file), name) == _expected(ROWS[file], name)
    assert (len(ROWS), len(CASES)) == (21, 231)
    assert (matched, pinned) == (231 - len(PINNED), len(PINNED))


def test_judgements_the_inspection_pre_dates_say_why() -> None:
    cleavers = _record("bury-ofsted-ilacs-2021-12-17.pdf").judgements["care_leavers"]
    assert cleavers.value is None
    assert "children in care and care leavers" in cleavers.citations[0].note
    overall = _record("trafford-ofsted-ilacs-2026-08-03.pdf").judgements["overall_effectiveness"]
    assert overall.value is None and "no overall effectiveness" in overall.citations[0].note


@pytest.mark.parametrize("file", report_names())
def test_every_citation_is_on_its_page(file: str) -> None:
    """Each quoted span occurs verbatim in its block (so in the page text the index holds) and, spacing aside,
    in PDFium's plain text of that page."""
    record = extract(parsed(file), meta(file))
    blocks = parsed(file).blocks
    for inspection in record.inspections:
        facts = [
            inspection.council,
            inspection.publication_date,
            inspection.start_date,
            inspection.end_date,
            inspection.framework,
            inspection.lead_inspector,
            inspection.outcome,
            *inspection.judgements.values(),
        ]
        for fact in facts:
            if fact.value is None and not fact.citations:
                continue
            assert fact.citations, (file, fact)
            for cite in fact.citations:
                assert cite.file == f"ofsted-reports/{file}"
                if not cite.quote:
                    assert cite.page is None and cite.note  # from metadata, and it says so
                    continue
                assert any(b.page == cite.page and cite.quote in b.text for b in blocks), cite
                assert on_page(cite.quote, file, cite.page), cite


def test_area_send_inspection() -> None:
    send = _record("bury-ofsted-cqc-area-send-2024-05-07.pdf")
    assert send.framework.value == "area-send"
    assert (send.start_date.value, send.end_date.value) == ("2024-02-12", "2024-02-16")
    assert send.lead_inspector.value == "Adam Sproston"  # "Adam Sproston HMI, Ofsted lead inspector"
    assert send.outcome.value == "widespread and/or systemic failings"
    assert all(v.value is None for v in send.judgements.values())


def test_sif_other_judgements() -> None:
    sif = _record("bury-ofsted-sif-2016-05-16.pdf")
    assert sif.judgements["adoption_performance"].value == "good"
    assert sif.judgements["local_safeguarding_children_board"].value == "good"
    assert sif.publication_date.value == "2016-05-16" and sif.publication_date.citations[0].quote.startswith(
        "Report published:"
    )


def test_record_round_trips_through_json() -> None:
    record = extract(parsed("bury-ofsted-ilacs-2025-07-29.pdf"), meta("bury-ofsted-ilacs-2025-07-29.pdf"))
    assert PaperRecord.from_dict(record.to_dict()) == record


# ---------------------------------------------------------------- the rules on their own


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Inspection dates: 9 to 20 June 2025", "2025-06-09", "2025-06-20"),
        ("Inspection dates: 29 January to 9 February 2018", "2018-01-29", "2018-02-09"),
        ("Inspection dates: 22 February 2016 – 17 March 2016", "2016-02-22", "2016-03-17"),
        ("Inspection dates: 23 April 2018 to 04 May 2018", "2018-04-23", "2018-05-04"),
        ("the monitoring visit on 12 and 13 March 2024", "2024-03-12", "2024-03-13"),
        ("fieldwork from 29 December to 9 January 2020", "2019-12-29", "2020-01-09"),
        ("a focused visit on 3rd October 2023", "2023-10-03", "2023-10-03"),
    ],
)
def test_date_ranges(text: str, start: str, end: str) -> None:
    got = date_range(text)
    assert got is not None and (got[0].isoformat(), got[1].isoformat()) == (start, end)
    assert got[2] in text


@pytest.mark.parametrize(
    ("text", "grade"),
    [
        ("Requires improvement to be good", "requires improvement to be good"),
        ("Requires improvement", "requires improvement to be good"),
        ("Good", "good"),
        ("is good-quality", None),
        ("Outstanding", "outstanding"),
        ("Inadequate ", "inadequate"),
    ],
)
def test_grades(text: str, grade: str | None) -> None:
    assert grade_of(text) == grade


def _markdown(text: str, rel: str, **overrides: str) -> PaperRecord:
    doc = ParsedDocument(list(text_to_blocks(text)), file_type="markdown")
    record = extract(doc, build_meta(doc, rel, "h" * 64, overrides))
    for event in record.events:  # every event quotes its paper verbatim
        assert any(event.citation.quote in b.text for b in doc.blocks), event
    return record


def test_a_council_nobody_has_seen_in_another_format() -> None:
    """The same report structure, as a Markdown paper of an invented council: nothing is keyed to the 22."""
    record = _markdown(
        "# Inspection of Eastshire local authority children’s services\n\n"
        "Inspection dates: 2 to 6 March 2026\n\n"
        "Lead inspector: Sam Okafor-Reid, His Majesty’s Inspector\n\n"
        "| Judgement | Grade |\n|---|---|\n"
        "| The impact of leaders on social work practice with children and families | Outstanding |\n"
        "| The experiences and progress of children who need help and protection | Good |\n"
        "| The experiences and progress of children in care | Good |\n"
        "| The experiences and progress of care leavers | Requires improvement to be good |\n"
        "| Overall effectiveness | Good |\n\n"
        "Services for children in Eastshire have improved since the last inspection.\n",
        "eastshire-ilacs-2026.md",
        council="Eastshire County Council",
        doc_type="inspection report",
        date="2026-04-20",
    )
    (i,) = record.inspections
    assert i.framework.value == "ilacs-short" and "fieldwork of 5 days" in i.framework.citations[0].note
    assert (i.start_date.value, i.end_date.value, i.lead_inspector.value) == (
        "2026-03-02",
        "2026-03-06",
        "Sam Okafor-Reid",
    )
    assert {k: v.value for k, v in i.judgements.items()} == {
        "overall_effectiveness": "good",
        "impact_of_leaders": "outstanding",
        "help_and_protection": "good",
        "in_care": "good",
        "care_leavers": "requires improvement to be good",
    }
    assert i.council.value == "Eastshire County Council" and i.council.citations[0].quote.startswith(
        "Inspection of Eastshire"
    )


def test_a_monitoring_visit_letter_has_dates_and_signatory_but_no_grades() -> None:
    record = _markdown(
        "# Monitoring visit to Westvale children’s services\n\n"
        "Dear Ms Patel\n\n"
        "This letter summarises the findings of the monitoring visit to Westvale children’s services on 11 and 12 "
        "September 2024. This was the second monitoring visit since the local authority was judged inadequate.\n\n"
        "Yours sincerely\n\nRuth Ashdown\nHis Majesty’s Inspector\n",
        "westvale-monitoring-2024.md",
        council="Westvale Council",
        doc_type="monitoring/focused-visit letter",
        date="2024-10-08",
    )
    (i,) = record.inspections
    assert i.framework.value == "monitoring-visit"
    assert (i.start_date.value, i.end_date.value) == ("2024-09-11", "2024-09-12")
    assert i.lead_inspector.value == "Ruth Ashdown"
    assert all(v.value is None for v in i.judgements.values())


def test_other_papers_add_dated_events() -> None:
    record = _markdown(
        "# Children's services improvement update\n\n"
        "Ofsted carried out a monitoring visit on 12 and 13 March 2024. The improvement notice was lifted in "
        "June 2025. The council must submit an action plan to Ofsted by 5 November 2025. An improvement notice "
        "was issued to Northby Metropolitan Borough Council in May 2023.\n",
        "eastshire-cabinet-2025.md",
        council="Eastshire County Council",
        doc_type="cabinet report",
        date="2025-09-01",
    )
    assert not record.inspections
    got = {(e.kind, e.date, e.precision, e.planned, e.council) for e in record.events}
    assert got == {
        ("monitoring-visit", "2024-03-12", "day", False, "Eastshire County Council"),
        ("improvement-notice-lifted", "2025-06-01", "month", False, "Eastshire County Council"),
        ("action-plan-submitted", "2025-11-05", "day", True, "Eastshire County Council"),
        ("improvement-notice-issued", "2023-05-01", "month", False, "Northby Metropolitan Borough Council"),
    }


def test_a_cabinet_report_quoting_a_report_title_is_not_an_inspection() -> None:
    record = _markdown(
        "# Inspection of Eastshire local authority children’s services\n\nInspection dates: 2 to 6 March 2026\n\n"
        "Cabinet is asked to note the report.\n",
        "eastshire-cabinet-2026.md",
        council="Eastshire County Council",
        doc_type="cabinet report",
        date="2026-05-01",
    )
    assert not record.inspections


@pytest.mark.parametrize("file", report_names())
def test_the_corpus_metadata_agrees_with_the_record(file: str) -> None:
    """metadata.yaml names each report's framework in its title and gives its date and Ofsted address: they must
    agree with what the report itself says, and with the outcomes table."""
    inspection = _record(file)
    words = {
        "ilacs-standard": "ILACS standard inspection",
        "ilacs-short": "ILACS short inspection",
        "sif": "single inspection framework",
        "area-send": "Area SEND inspection",
    }
    assert words[str(inspection.framework.value)] in meta(file).title
    if file in ROWS:
        assert meta(file).source_url == ROWS[file]["inspection_link"]
        assert meta(file).date is not None and meta(file).date.isoformat() == _expected(
            ROWS[file], "publication_date"
        )
