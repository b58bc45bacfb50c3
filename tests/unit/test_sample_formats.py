"""scripts/make_sample_formats.py: real multi-page PDF and DOCX copies of the seed Cabinet report."""

from __future__ import annotations

import hashlib
import importlib.util
import io
import re
import shutil
import sys
import zipfile
from pathlib import Path
from types import ModuleType

import docx
import pytest
from pypdf import PdfReader

REPO_ROOT = Path(__file__).resolve().parents[2]
SCRIPT = REPO_ROOT / "scripts" / "make_sample_formats.py"
SEEDS = REPO_ROOT / "data" / "corpus" / "seeds"
STEM = "bury-cabinet-2025-09-10-ofsted-standard-inspection-report"
WINDOW = "so the next inspection window for Bury will be between December 2027 and December 2028"
TITLE = "Ofsted Standard Inspection of Children's Services in Bury"


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_sample_formats", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses need the module registered
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def script() -> ModuleType:
    return _load_script()


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    shutil.copytree(SEEDS, root / "seeds")
    return root


def _outputs(root: Path) -> tuple[Path, Path]:
    return root / "formats" / f"{STEM}.pdf", root / "formats" / f"{STEM}.docx"


def _norm(text: str) -> str:
    return " ".join(text.split())


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_pdf_is_multi_page_with_window_sentence_after_page_one(script: ModuleType, corpus: Path) -> None:
    assert script.main(["--corpus", str(corpus)]) == 0
    pdf_path, _ = _outputs(corpus)
    reader = PdfReader(pdf_path)

    assert len(reader.pages) >= 3
    pages_with_window = [
        number for number, page in enumerate(reader.pages, start=1) if WINDOW in _norm(page.extract_text())
    ]
    assert len(pages_with_window) == 1
    assert pages_with_window[0] >= 2

    # Page breaks land where asked: "Next Steps" and "Legal Implications" each open a page.
    first_lines = [page.extract_text().strip().splitlines()[0] for page in reader.pages]
    assert "Next Steps" in first_lines
    assert "Legal Implications:" in first_lines

    meta = reader.metadata
    assert meta is not None
    assert meta.title == TITLE
    assert meta.author == "Bury Council"
    assert meta.subject == "Cabinet 10 September 2025"


def test_pdf_renders_inline_markup_not_tags(script: ModuleType, corpus: Path) -> None:
    script.main(["--corpus", str(corpus)])
    pdf_path, _ = _outputs(corpus)
    text = _norm(" ".join(page.extract_text() for page in PdfReader(pdf_path).pages))
    assert "<sup>" not in text and "<b>" not in text and "<u>" not in text and "**" not in text
    assert "published on July 29th" in text
    assert "Ofsted Office for Standards in Education" in text  # glossary row


def test_docx_has_heading_styles_and_glossary_table(script: ModuleType, corpus: Path) -> None:
    script.main(["--corpus", str(corpus)])
    _, docx_path = _outputs(corpus)
    document = docx.Document(str(docx_path))

    headings = {p.text: p.style.name for p in document.paragraphs if p.style is not None}
    assert headings["Summary"] == "Heading 1"
    assert headings["Recommendation(s)"] == "Heading 2"
    assert re.fullmatch(r"Heading \d", headings["Next Steps"])
    assert any(WINDOW in p.text for p in document.paragraphs)

    tables = [[[cell.text for cell in row.cells] for row in t.rows] for t in document.tables]
    assert ["Term", "Meaning"] in [rows[0] for rows in tables]
    glossary = next(rows for rows in tables if rows[0] == ["Term", "Meaning"])
    assert ["DfE", "Department for Education"] in glossary

    props = document.core_properties
    assert props.title == TITLE
    assert props.author == "Bury Council"
    assert props.subject == "Cabinet 10 September 2025"
    assert props.created is not None and props.created.year == 2025


def test_outputs_are_byte_identical_across_runs(script: ModuleType, corpus: Path) -> None:
    pdf_path, docx_path = _outputs(corpus)
    script.main(["--corpus", str(corpus)])
    first = (_sha(pdf_path), _sha(docx_path))
    # Zip members carry timestamps; make sure a later run cannot differ by clock alone.
    with zipfile.ZipFile(io.BytesIO(docx_path.read_bytes())) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    script.main(["--corpus", str(corpus)])
    assert (_sha(pdf_path), _sha(docx_path)) == first


def test_writes_atomically_without_leftover_temp_files(script: ModuleType, corpus: Path) -> None:
    script.main(["--corpus", str(corpus)])
    names = sorted(p.name for p in (corpus / "formats").iterdir())
    assert names == [f"{STEM}.docx", f"{STEM}.pdf"]
