"""The 22 whole Ofsted reports of the sample corpus, parsed once per test session, and an independent reading of
their pages (PDFium's plain text, no layout analysis) to check quotes and pages against."""

from __future__ import annotations

import csv
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from ingest.documents import DocumentMeta, ParsedDocument
from ingest.loaders import load_pdf
from ingest.metadata import build_meta, content_hash, load_sidecar

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "data" / "corpus"
REPORTS = CORPUS / "ofsted-reports"
OUTCOMES = REPO / "tests" / "assets" / "ofsted" / "ilacs-outcomes.csv"


def report_names() -> list[str]:
    return sorted(p.name for p in REPORTS.glob("*.pdf"))


@lru_cache(maxsize=32)
def parsed(name: str) -> ParsedDocument:
    return load_pdf(REPORTS / name)


@lru_cache(maxsize=32)
def meta(name: str) -> DocumentMeta:
    rel = f"ofsted-reports/{name}"
    overrides = load_sidecar(CORPUS).get(rel, {})
    return build_meta(parsed(name), rel, content_hash((REPORTS / name).read_bytes(), overrides), overrides)


@lru_cache(maxsize=32)
def raw_pages(name: str) -> list[str]:
    """Each page's text as PDFium gives it, with no layout analysis at all."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(REPORTS / name))
    try:
        out = []
        for page in pdf:
            textpage = page.get_textpage()
            out.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return out
    finally:
        pdf.close()


def squash(text: str) -> str:
    """Text reduced to its letters and digits, for comparing readings that differ only in spacing, line breaks,
    hyphenation marks, table-cell separators and superscript digits."""
    text = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"[^a-z0-9]+", "", text)


def on_page(quote: str, name: str, page: int) -> bool:
    return squash(quote) in squash(raw_pages(name)[page - 1])


def outcomes() -> dict[str, dict[str, str]]:
    with OUTCOMES.open(encoding="utf-8") as fh:
        return {row["file"]: row for row in csv.DictReader(fh)}
