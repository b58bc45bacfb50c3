"""Loaders: turn a file into a `ParsedDocument` of blocks (headings, paragraphs, tables, lists) with pages.

Each loader raises `LoadError` with a one-line reason a person can act on; the batch carries on.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ingest.documents import Block, BlockKind, ParsedDocument
from ingest.frontmatter import split_front_matter
from ingest.text_blocks import text_to_blocks

SUPPORTED_SUFFIXES = {".pdf", ".docx", ".html", ".htm", ".md", ".markdown", ".txt", ".text"}
MAX_PDF_PAGES = 5000
MAX_TEXT_CHARS = 30_000_000  # extracted text per file (about 10,000 dense pages)
MAX_DOCX_UNCOMPRESSED_BYTES = 250_000_000  # all parts of a DOCX, as declared in its zip directory
MAX_DOCX_PARTS = 5000
MAX_ZIP_RATIO = 100  # a part this much bigger than its compressed size (and over 10 MB) is a zip bomb


class LoadError(Exception):
    """A file that cannot be ingested. The message is one line, for people."""


def load_file(path: Path, max_bytes: int | None = None) -> ParsedDocument:
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise LoadError(
            f"unsupported file type '{suffix or '(none)'}'; supported: {', '.join(sorted(SUPPORTED_SUFFIXES))}"
        )
    size = path.stat().st_size
    if size == 0:
        raise LoadError("empty file (0 bytes)")
    if max_bytes is not None and size > max_bytes:
        raise LoadError(
            f"file is {size / 1e6:.0f} MB, over the {max_bytes / 1e6:.0f} MB limit (max_file_size_mb)"
        )
    loader = _LOADERS[suffix]
    doc = loader(path)
    _check_text_size(sum(len(b.text) for b in doc.blocks))
    if not any(b.text.strip() for b in doc.blocks):
        raise LoadError(
            "no text found (a scanned PDF needs OCR first)" if suffix == ".pdf" else "no text found"
        )
    return doc


# ---------------------------------------------------------------- plain text and Markdown


def _read_utf8(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LoadError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); re-save the file as UTF-8"
        ) from None


def load_markdown(path: Path) -> ParsedDocument:
    fields, body = split_front_matter(_read_utf8(path))
    return ParsedDocument(blocks=list(text_to_blocks(body)), front_matter=fields, file_type="markdown")


def load_text(path: Path) -> ParsedDocument:
    fields, body = split_front_matter(_read_utf8(path))
    return ParsedDocument(blocks=list(text_to_blocks(body)), front_matter=fields, file_type="text")


# ---------------------------------------------------------------- HTML

_NOISE_TAGS = [
    "script",
    "style",
    "noscript",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "iframe",
    "svg",
    "button",
]
_NOISE_ATTR = re.compile(r"nav|menu|breadcrumb|cookie|footer|header|skip|sidebar|banner|share|social", re.I)
_CONTENT_SELECTORS = [
    "#modgov",
    ".mgContent",
    "main",
    "article",
    "[role=main]",
    "#content",
    ".content",
    "body",
]


def load_html(path: Path) -> ParsedDocument:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # bs4's "looks like XML / a URL" hints are not for people
            return _load_html(path)
    except RecursionError:
        raise LoadError("refused: the HTML is nested too deeply to read") from None


def _load_html(path: Path) -> ParsedDocument:
    from bs4 import BeautifulSoup, Tag

    raw = path.read_bytes()
    soup = BeautifulSoup(raw, "lxml")
    fields: dict[str, str] = {}
    if soup.title and soup.title.get_text(strip=True):
        fields["title"] = soup.title.get_text(" ", strip=True)
    for meta in soup.find_all("meta"):
        name = str(meta.get("name") or meta.get("property") or "").lower()
        content = str(meta.get("content") or "").strip()
        if content and name in {"dc.date", "date", "article:published_time", "dcterms.created"}:
            fields.setdefault("date", content)
        if content and name in {"dc.publisher", "og:site_name"}:
            fields.setdefault("publisher", content)
        if content and name in {"classification", "dc.accessrights"}:
            fields.setdefault("classification", content)
    for tag in soup.find_all(_NOISE_TAGS):
        tag.decompose()
    for tag in soup.find_all(True):
        if not isinstance(tag, Tag) or tag.attrs is None:
            continue
        ident = " ".join([str(tag.get("id") or ""), *[str(c) for c in (tag.get("class") or [])]])
        if (
            ident.strip()
            and _NOISE_ATTR.search(ident)
            and tag.name not in {"body", "main", "article", "html"}
        ):
            tag.decompose()
    root = None
    for sel in _CONTENT_SELECTORS:
        root = soup.select_one(sel)
        if root is not None:
            break
    blocks: list[Block] = []
    if root is not None:
        for el in root.find_all(["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "table", "pre", "dd", "dt"]):
            if el.find_parent("table") is not None and el.name != "table":
                continue
            if el.name == "li" and el.find(["p", "li"]):
                continue
            if el.name == "p" and el.find_parent("li") is not None:
                continue
            if el.name == "table":
                rows = []
                for tr in el.find_all("tr"):
                    cells = [c.get_text(" ", strip=True) for c in tr.find_all(["td", "th"])]
                    if any(cells):
                        rows.append(" | ".join(c for c in cells if c))
                if rows:
                    blocks.append(Block("\n".join(rows), BlockKind.TABLE))
                continue
            text = re.sub(r"\s+", " ", el.get_text(" ", strip=True)).strip()
            if not text:
                continue
            if el.name and el.name[0] == "h":
                blocks.append(Block(text, BlockKind.HEADING, int(el.name[1])))
            elif el.name == "li":
                blocks.append(Block(text, BlockKind.LIST))
            else:
                blocks.append(Block(text, BlockKind.PARAGRAPH))
        if not blocks:
            blocks = list(text_to_blocks(root.get_text("\n")))
    return ParsedDocument(blocks=blocks, front_matter=fields, file_type="html")


# ---------------------------------------------------------------- PDF


def load_pdf(path: Path) -> ParsedDocument:
    """Blocks of a PDF with their pages: headings, paragraphs, tables, lists and footnotes, page furniture left
    out (`ingest.pdf_layout`).

    Two libraries, each for what it does best (measured in `bench/pdf_libraries.py`): pypdf checks the file
    first (encryption, the page tree, and its limits on every decoded content stream refuse decompression bombs)
    and reads the document properties; PDFium reads the characters with their boxes and fonts, 15 times faster
    than pypdf's text extraction. Any error either raises becomes a one-line `LoadError`.
    """
    fields, n_pages = _check_pdf(path)
    import pypdfium2 as pdfium

    from ingest.pdf_layout import read_page, to_blocks

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise LoadError(f"corrupt or unreadable PDF (PDFium: {_first_line(exc)})") from None
    try:
        pages = []
        chars = 0
        for index in range(min(n_pages, len(pdf))):
            try:
                page = read_page(pdf, index)
            except MemoryError:
                raise
            except Exception as exc:
                raise LoadError(
                    f"corrupt PDF: page {index + 1} cannot be read ({type(exc).__name__})"
                ) from None
            chars += sum(len(line.text) for line in page.lines)
            _check_text_size(chars)
            pages.append(page)
    finally:
        pdf.close()
    return ParsedDocument(blocks=to_blocks(pages), front_matter=fields, page_count=n_pages, file_type="pdf")


def _check_pdf(path: Path) -> tuple[dict[str, str], int]:
    """pypdf's safety gate: not encrypted, a sane page count, and every page's content stream decodes within
    pypdf's limits (75 MB per stream). Returns the document properties and the page count."""
    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError

    try:
        reader = PdfReader(str(path), strict=False)
        if reader.is_encrypted:
            try:
                ok = bool(reader.decrypt(""))
            except Exception:
                ok = False
            if not ok:
                raise LoadError("encrypted PDF (password protected); save an unprotected copy")
        n_pages = len(reader.pages)
    except (LoadError, MemoryError):
        raise
    except LimitReachedError as exc:
        raise LoadError(_pdf_limit_message(exc)) from None
    except Exception as exc:  # pypdf raises many types on malformed files; none may stop the batch
        raise LoadError(f"corrupt or unreadable PDF ({type(exc).__name__}: {_first_line(exc)})") from None
    if n_pages > MAX_PDF_PAGES:
        raise LoadError(f"PDF has {n_pages} pages, over the {MAX_PDF_PAGES}-page limit")
    fields: dict[str, str] = {}
    try:
        info = reader.metadata
        if info is not None:
            if info.title:
                fields["title"] = str(info.title)
            if info.author:
                fields["publisher"] = str(info.author)
            if info.subject:
                fields["subject"] = str(info.subject)
    except MemoryError:
        raise
    except Exception:  # metadata is optional; a broken info dict must not lose the text
        pass
    for number in range(1, n_pages + 1):
        try:
            contents = reader.pages[number - 1].get_contents()
            if contents is not None:
                contents.get_data()
        except MemoryError:
            raise
        except LimitReachedError as exc:
            raise LoadError(f"{_pdf_limit_message(exc)} (page {number})") from None
        except Exception as exc:
            raise LoadError(f"corrupt PDF: page {number} cannot be read ({type(exc).__name__})") from None
    return fields, n_pages


def _pdf_limit_message(exc: BaseException) -> str:
    return (
        "refused: the PDF goes past a safety limit while being decoded "
        f"({_first_line(exc) or 'limit reached'}); it may be a decompression bomb"
    )


def _check_text_size(chars: int) -> None:
    if chars > MAX_TEXT_CHARS:
        raise LoadError(
            f"refused: more than {MAX_TEXT_CHARS // 1_000_000} million characters of text; split the document"
        )


def _first_line(exc: BaseException) -> str:
    return (str(exc).splitlines() or [""])[0][:120]


# ---------------------------------------------------------------- DOCX


def load_docx(path: Path) -> ParsedDocument:
    import zipfile

    import docx

    _check_zip(path)
    try:
        document = docx.Document(str(path))
    except MemoryError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise LoadError(f"corrupt or unreadable DOCX ({type(exc).__name__}: {_first_line(exc)})") from None
    except Exception as exc:  # python-docx raises a variety of package errors
        raise LoadError(f"corrupt or unreadable DOCX ({type(exc).__name__})") from None
    try:
        return _docx_document(document)
    except (LoadError, MemoryError):
        raise
    except Exception as exc:  # malformed parts surface while reading, not only while opening
        raise LoadError(f"corrupt DOCX ({type(exc).__name__}: {_first_line(exc)})") from None


def _docx_document(document: Any) -> ParsedDocument:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    fields: dict[str, str] = {}
    props = document.core_properties
    if props.title:
        fields["title"] = props.title
    if props.author:
        fields["publisher"] = props.author
    if props.subject:
        fields["subject"] = props.subject
    blocks: list[Block] = []
    page = 1
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            text = item.text.strip()
            style = (item.style.name if item.style is not None else "") or ""
            if item.paragraph_format.page_break_before and blocks:
                page += 1
            breaks = len(item._p.xpath('.//w:br[@w:type="page"]'))
            leading_break = breaks and not item._p.xpath("./w:r[1]//w:t")
            if leading_break:  # the break comes before this paragraph's text
                page += breaks
            if text:
                m = re.match(r"Heading (\d)", style)
                if m or style == "Title":
                    blocks.append(Block(text, BlockKind.HEADING, int(m.group(1)) if m else 1, page))
                elif style.startswith("List"):
                    blocks.append(Block(text, BlockKind.LIST, 0, page))
                else:
                    blocks.append(Block(text, BlockKind.PARAGRAPH, 0, page))
            if breaks and not leading_break:
                page += breaks
        elif isinstance(item, Table):
            rows = []
            for row in item.rows:
                cells = [c.text.strip() for c in row.cells]
                if any(cells):
                    rows.append(" | ".join(c for c in cells if c))
            if rows:
                blocks.append(Block("\n".join(rows), BlockKind.TABLE, 0, page))
    return ParsedDocument(blocks=blocks, front_matter=fields, page_count=page, file_type="docx")


def _check_zip(path: Path) -> None:
    """Refuse a DOCX whose zip directory declares more than we will inflate (zipfile holds parts to the sizes
    declared there, so the directory can be trusted)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise LoadError(f"corrupt or unreadable DOCX ({type(exc).__name__}: {_first_line(exc)})") from None
    if len(infos) > MAX_DOCX_PARTS:
        raise LoadError(f"refused: the DOCX has {len(infos)} parts, over the {MAX_DOCX_PARTS} limit")
    total = sum(i.file_size for i in infos)
    if total > MAX_DOCX_UNCOMPRESSED_BYTES:
        raise LoadError(
            f"refused: the DOCX inflates to {total / 1e6:.0f} MB, over the "
            f"{MAX_DOCX_UNCOMPRESSED_BYTES / 1e6:.0f} MB limit; it may be a zip bomb"
        )
    for i in infos:
        if i.file_size > 10_000_000 and i.file_size > MAX_ZIP_RATIO * max(i.compress_size, 1):
            raise LoadError(
                f"refused: part {i.filename[:60]} inflates {i.file_size // max(i.compress_size, 1)}-fold to "
                f"{i.file_size / 1e6:.0f} MB; it may be a zip bomb"
            )


_LOADERS: dict[str, Callable[[Path], ParsedDocument]] = {
    ".pdf": load_pdf,
    ".docx": load_docx,
    ".html": load_html,
    ".htm": load_html,
    ".md": load_markdown,
    ".markdown": load_markdown,
    ".txt": load_text,
    ".text": load_text,
}
