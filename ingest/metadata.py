"""Document metadata: from a sidecar, the front matter, the file's own properties, its content and its name.

Precedence, highest first: a sidecar entry (`metadata.yaml` in the corpus root, or `<file>.meta.yaml` beside the
file), the front-matter header, the file's embedded properties (PDF/DOCX), the content, the file name.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping
from pathlib import Path

import yaml

from ingest.councils import file_prefixes
from ingest.documents import BlockKind, Classification, DocType, DocumentMeta, ParsedDocument

SIDECAR_NAME = "metadata.yaml"
FIELDS = (
    "title",
    "council",
    "body",
    "doc_type",
    "date",
    "source_url",
    "classification",
    "agenda_item",  # e.g. "7. Ofsted Inspection of Children's Services" (papers synced from a committee site)
    "links",  # label -> URL on the council's site: meeting page, minutes, decision, issue history
)

_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_DMY = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH_RE})\.?,?\s+(\d{{4}})\b", re.I)
_MDY = re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I)
_SLASH = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
_MY = re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{4}})\b", re.I)
_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")


class SidecarError(ValueError):
    """A sidecar file that cannot be read; the message names the file and the problem."""


def parse_date(text: str) -> dt.date | None:
    """The first full date in `text` (ISO, "10 September 2025", "September 10th 2025", "10/09/2025"),
    else the first month and year (1st of the month), else the first year (1 January)."""
    if not text:
        return None
    best: tuple[int, dt.date] | None = None
    for pattern, order in ((_ISO, "ymd"), (_DMY, "dmy"), (_MDY, "mdy"), (_SLASH, "dmy")):
        for m in pattern.finditer(text):
            d = _build(m.groups(), order)
            if d is not None and (best is None or m.start() < best[0]):
                best = (m.start(), d)
                break
    if best:
        return best[1]
    month_year = _MY.search(text)
    if month_year:
        return dt.date(int(month_year.group(2)), _MONTHS[month_year.group(1).lower()], 1)
    y = _YEAR.search(text)
    return dt.date(int(y.group(1)), 1, 1) if y else None


def _build(groups: tuple[str | None, ...], order: str) -> dt.date | None:
    parts = dict(zip(order, groups, strict=True))
    try:
        month_raw = str(parts["m"])
        month = int(month_raw) if month_raw.isdigit() else _MONTHS[month_raw.lower()]
        return dt.date(int(str(parts["y"])), month, int(str(parts["d"])))
    except (ValueError, KeyError):
        return None


def load_sidecar(root: Path) -> dict[str, dict[str, str]]:
    """`metadata.yaml` in `root`: `files: {relative/path: {field: value}}`. Missing file: no entries."""
    path = root / SIDECAR_NAME
    if not path.is_file():
        return {}
    return _read_sidecar(path, nested=True)


def _read_sidecar(path: Path, nested: bool) -> dict[str, dict[str, str]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise SidecarError(f"{path}: not valid YAML ({_one_line(exc)})") from None
    if not isinstance(data, dict):
        raise SidecarError(f"{path}: expected a mapping at the top level")
    entries = data.get("files", {}) if nested else {"": data}
    if not isinstance(entries, dict):
        raise SidecarError(f"{path}: `files` must be a mapping of relative paths to fields")
    out: dict[str, dict[str, str]] = {}
    for rel, fields in entries.items():
        if not isinstance(fields, dict):
            raise SidecarError(f"{path}: entry {rel!r} must be a mapping of fields")
        unknown = set(map(str, fields)) - set(FIELDS)
        if unknown:
            raise SidecarError(
                f"{path}: entry {rel!r} has unknown field(s) {sorted(unknown)}; known: {FIELDS}"
            )
        out[str(rel)] = {str(k): _field_text(path, str(k), v) for k, v in fields.items() if v is not None}
    return out


def _field_text(path: Path, key: str, value: object) -> str:
    """A sidecar value as text. `links` is a mapping of labels to http(s) addresses, kept as JSON text."""
    if key != "links":
        return str(value)
    if not isinstance(value, dict) or not all(
        isinstance(v, str) and re.match(r"https?://", v) for v in value.values()
    ):
        raise SidecarError(f"{path}: `links` must map labels to http(s) addresses")
    return json.dumps({str(k): v for k, v in value.items()}, sort_keys=True, ensure_ascii=False)


def links_of(text: str) -> tuple[tuple[str, str], ...]:
    """`links` JSON text (as a sidecar gives it) as (label, URL) pairs; () when absent."""
    if not text:
        return ()
    return tuple((str(k), str(v)) for k, v in json.loads(text).items())


def sidecar_for(path: Path, rel_path: str, root_sidecar: Mapping[str, Mapping[str, str]]) -> dict[str, str]:
    fields = dict(root_sidecar.get(rel_path, {}))
    own = path.with_name(path.name + ".meta.yaml")
    if own.is_file():
        fields.update(_read_sidecar(own, nested=False)[""])
    return fields


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:160]


# ---------------------------------------------------------------- inference rules

_TYPE_RULES: list[tuple[re.Pattern[str], DocType]] = [
    (re.compile(r"complain|ombudsman.*statistic|compliments", re.I), DocType.COMPLAINTS_REPORT),
    (
        re.compile(r"monitoring[- ]visit|focused[- ]visit|revisit.*letter|notification[- ]letter", re.I),
        DocType.MONITORING_LETTER,
    ),
    (
        re.compile(
            r"inspection[- ]report|sif[- ]inspection|re-?inspection|inspection of services for children", re.I
        ),
        DocType.INSPECTION_REPORT,
    ),
    (re.compile(r"scrutiny|minutes|committee|board|assembly|panel", re.I), DocType.SCRUTINY_MINUTES),
    (re.compile(r"cabinet|executive", re.I), DocType.CABINET_REPORT),
    (re.compile(r"guidance|framework|collection|written[- ]answer|statistics", re.I), DocType.GUIDANCE),
    (re.compile(r"summary|news|bulletin|webpage|web page", re.I), DocType.SUMMARY),
]

_BODY_RULES = [
    re.compile(r"(Children and Young People Scrutiny Committee)", re.I),
    re.compile(
        r"((?:[A-Z][\w&,'’-]*\s+){0,8}(?:Scrutiny|Overview)\s+(?:and\s+Scrutiny\s+)?(?:Committee|Board|Panel|Sub-Committee))"
    ),
    re.compile(r"((?:[A-Z][\w&,'’-]*\s+){0,6}(?:Committee|Board|Panel))"),
    re.compile(r"\b(Cabinet|Executive Board|Assembly)\b"),
]

_COUNCIL_IN_TEXT = re.compile(
    r"((?:London Borough of|Royal Borough of)\s+[A-Z][\w ]+?|[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,3}\s+"
    r"(?:Metropolitan Borough |Borough |City |County )?Council)\b"
)


def infer_doc_type(rel_path: str, title: str, publisher: str) -> DocType:
    name = Path(rel_path).stem.replace("-", " ")
    haystack = f"{name} {title}"
    if re.search(r"\bofsted\b", publisher, re.I) and re.search(r"letter", haystack, re.I):
        return DocType.MONITORING_LETTER
    for pattern, doc_type in _TYPE_RULES:
        if pattern.search(haystack):
            return doc_type
    return DocType.OTHER


def infer_body(title: str, publisher: str, doc_type: DocType) -> str:
    for pattern in _BODY_RULES:
        m = pattern.search(title)
        if m:
            return " ".join(m.group(1).split()).strip(" ,-")
    return _organisation(publisher) if doc_type != DocType.OTHER else ""


def infer_council(publisher: str, title: str, rel_path: str) -> str:
    org = _organisation(publisher)
    if re.search(r"council|borough", org, re.I):
        return org
    m = _COUNCIL_IN_TEXT.search(title)
    if m:
        return " ".join(m.group(1).split())
    stem = Path(rel_path).stem.lower()
    for key, name in file_prefixes().items():
        if stem.startswith(key) or f"-{key}-" in stem:
            return name
    return org


def _organisation(publisher: str) -> str:
    """ "Bury Council (councildecisions.bury.gov.uk, Modern.gov)" -> "Bury Council"."""
    return re.split(r"\s*[(;]", publisher, maxsplit=1)[0].strip()


def infer_title(parsed: ParsedDocument, rel_path: str) -> str:
    fm = parsed.front_matter
    if fm.get("title"):
        return fm["title"]
    for block in parsed.blocks[:40]:
        m = re.search(r"^Subject:\s*(.+)$", block.text, re.M)
        if m:
            return m.group(1).strip()
    for block in parsed.blocks[:20]:
        if block.kind == BlockKind.HEADING and len(block.text) > 3:
            return block.text
    return Path(rel_path).stem.replace("-", " ").replace("_", " ").strip().capitalize()


def infer_date(parsed: ParsedDocument, rel_path: str) -> tuple[dt.date | None, str]:
    fm_date = parsed.front_matter.get("date", "")
    m = _ISO.match(fm_date.strip())
    if m:
        return dt.date(*map(int, m.groups())), fm_date
    fname = _ISO.search(Path(rel_path).stem)
    if fname:
        try:
            return dt.date(*map(int, fname.groups())), fname.group(0)
        except ValueError:
            pass
    if fm_date:
        d = parse_date(fm_date)
        if d:
            return d, fm_date
    head = "\n".join(b.text for b in parsed.blocks[:15])
    m2 = re.search(r"Date:\s*([^\n|]+)", head)
    if m2 and parse_date(m2.group(1)):
        return parse_date(m2.group(1)), m2.group(1).strip()
    subject = parsed.front_matter.get("subject", "")
    if subject and parse_date(subject):
        return parse_date(subject), subject
    return None, fm_date


def infer_classification(parsed: ParsedDocument) -> Classification:
    raw = parsed.front_matter.get("classification", "")
    if raw:
        return _classification(raw)
    head = "\n".join(b.text for b in parsed.blocks[:6])[:600]
    if re.search(r"\b(exempt|part b|not for publication|schedule 12a)\b", head, re.I):
        return Classification.EXEMPT
    return Classification.OPEN


def _classification(raw: str) -> Classification:
    value = raw.strip().lower()
    if value in {"open", "public", "published"}:
        return Classification.OPEN
    # anything naming exemption, or a value we do not recognise, is treated as not public (fail closed)
    return Classification.EXEMPT


def _doc_type(raw: str) -> DocType:
    value = raw.strip().lower()
    for member in DocType:
        if member.value == value or member.name.lower() == value.replace(" ", "_"):
            return member
    raise SidecarError(f"unknown doc_type {raw!r}; use one of: {', '.join(m.value for m in DocType)}")


def content_hash(data: bytes, overrides: Mapping[str, str]) -> str:
    h = hashlib.sha256(data)
    for key in sorted(overrides):
        h.update(f"\0{key}={overrides[key]}".encode())
    return h.hexdigest()


def build_meta(
    parsed: ParsedDocument, rel_path: str, file_hash: str, overrides: Mapping[str, str] | None = None
) -> DocumentMeta:
    """Combine every source of metadata into one `DocumentMeta`."""
    over = dict(overrides or {})
    fm = parsed.front_matter
    title = over.get("title") or infer_title(parsed, rel_path)
    publisher = fm.get("publisher", "")
    doc_type = (
        _doc_type(over["doc_type"]) if over.get("doc_type") else infer_doc_type(rel_path, title, publisher)
    )
    if over.get("date"):
        date, date_text = parse_date(over["date"]), over["date"]
        if date is None:
            raise SidecarError(f"{rel_path}: date {over['date']!r} is not a date (use YYYY-MM-DD)")
    else:
        date, date_text = infer_date(parsed, rel_path)
    classification = (
        _classification(over["classification"])
        if over.get("classification")
        else infer_classification(parsed)
    )
    return DocumentMeta(
        doc_id=rel_path,
        title=" ".join(title.split()),
        council=over.get("council") or fm.get("council", "") or infer_council(publisher, title, rel_path),
        body=over.get("body") or infer_body(title, publisher, doc_type),
        doc_type=doc_type,
        date=date,
        date_text=date_text,
        source_url=over.get("source_url") or fm.get("source", "") or fm.get("source_url", ""),
        classification=classification,
        content_hash=file_hash,
        path=rel_path,
        publisher=_organisation(publisher),
        file_type=parsed.file_type,
        page_count=parsed.page_count,
        agenda_item=" ".join(over.get("agenda_item", "").split()),
        links=links_of(over.get("links", "")),
    )
