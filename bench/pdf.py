"""`make bench` section "Long PDFs": the PDF libraries compared on the 22 whole Ofsted reports
(`bench/pdf_libraries.py`), and those reports ingested end to end with the default embedding backend (issue 18:
under 60 s on 2 cores)."""

from __future__ import annotations

from bench.common import REPO, Context, Section, table
from bench.ingest import ingest_once
from bench.pdf_libraries import FOLDER, HEADERS, SUMMARY, measure

OFSTED = FOLDER


def run(ctx: Context) -> Section:
    sec = Section("pdf", "Long PDFs")
    rows, facts = measure(OFSTED)
    ctx.embeddings(ctx.backend)
    ofsted = ingest_once(ctx, OFSTED, ctx.backend, "ofsted")
    sec.data = {"libraries": rows, "facts": facts, "ofsted": ofsted}
    st = ofsted["stages"]
    total = ofsted["seconds"] or 1.0
    sec.lines += [
        f"**The {ofsted['documents']} whole Ofsted reports of the sample corpus** (`{OFSTED.relative_to(REPO)}`, "
        f"{ofsted['pages']} pages with running headers, judgement tables, numbered paragraphs and footnotes) "
        f"**took {ofsted['seconds']:.1f} s** to ingest end to end with the default backend: parse "
        f"{100 * st['parse'] / total:.0f}%, embed {100 * st['embed'] / total:.0f}%, write "
        f"{100 * st['write'] / total:.0f}%; {ofsted['chunks']} chunks, and the inspection record of each report "
        "(target: under 60 s on 2 cores).",
        "",
        "### PDF libraries",
        "",
        f"{facts['files']} reports, {facts['pages']} pages: every page's text extracted by each library in one "
        "process (best of 2 runs; `bench/pdf_libraries.py`, which also runs on its own). Odd words are words fewer "
        "than half of the libraries produce (split or glued words); furniture lines are lines recurring on 30%+ of a "
        "paper's pages (running titles, dates, page numbers); judgement rows and inspector names are checked "
        "against `tests/assets/ofsted/ilacs-outcomes.csv`.",
        "",
        *table(HEADERS, rows),
        "",
        SUMMARY,
    ]
    return sec
