"""Opening the original of a cited paper: which file, whether it may be served, and to whom.

A document is found by its id in the index manifest, never by joining a requested path: the file must resolve
inside one of the allowed folders (the corpus, which holds the uploads folder), so `../` or a symlink out of it
serves nothing. Open papers are served to anyone; an exempt paper only with a link signed for an officer
(HMAC, time-limited), which the officer views are given; to anyone else it does not exist.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from vectorstore.catalog import DocumentInfo

MEDIA_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".md": "text/plain; charset=utf-8",
    ".markdown": "text/plain; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".text": "text/plain; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
}
LINK_LIFETIME_S = 8 * 3600


class NotServable(Exception):
    """The document cannot be opened here (unknown, outside the allowed folders, gone, or not permitted)."""

    def __init__(self, message: str, status: int = 404) -> None:
        super().__init__(message)
        self.status = status


class LinkSigner:
    """Time-limited signatures for links to exempt papers."""

    def __init__(self, secret: bytes | None = None, lifetime_s: int = LINK_LIFETIME_S) -> None:
        self.secret = secret or secrets.token_bytes(32)
        self.lifetime_s = lifetime_s

    @classmethod
    def from_secrets(cls, *parts: str) -> LinkSigner:
        """Derived from configured secrets, so every replica signs alike; random when none is set."""
        material = "\0".join(p for p in parts if p)
        if not material:
            return cls()
        return cls(hashlib.sha256(b"council-qa-links\0" + material.encode()).digest())

    def _mac(self, doc_id: str, expires: int) -> str:
        msg = f"{doc_id}\0{expires}".encode()
        return hmac.new(self.secret, msg, hashlib.sha256).hexdigest()[:32]

    def sign(self, doc_id: str, now: float | None = None) -> str:
        expires = int((now or time.time()) + self.lifetime_s)
        return f"exp={expires}&sig={self._mac(doc_id, expires)}"

    def verify(self, doc_id: str, expires: str | None, sig: str | None, now: float | None = None) -> bool:
        if not expires or not sig or not expires.isdigit():
            return False
        if int(expires) < (now or time.time()):
            return False
        return hmac.compare_digest(self._mac(doc_id, int(expires)), sig)


@dataclass(frozen=True)
class Original:
    path: Path
    media_type: str
    filename: str
    classification: str


def file_url(doc_id: str) -> str:
    return "/files/" + quote(doc_id, safe="/")


def paper_url(doc_id: str) -> str:
    """The paper as a readable page on this server (`web.reader`)."""
    return "/papers/" + quote(doc_id, safe="/")


def locate(doc: DocumentInfo, allowed_roots: list[Path]) -> Path | None:
    """The document's file, if it exists inside one of `allowed_roots`."""
    root, rel = doc.root, doc.path
    if not root or not rel:
        return None
    try:
        path = (Path(root) / rel).resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not path.is_file() or path.suffix.lower() not in MEDIA_TYPES:
        return None
    for allowed in allowed_roots:
        if path.is_relative_to(allowed.resolve()):
            return path
    return None


def open_original(
    doc: DocumentInfo | None,
    allowed_roots: list[Path],
    signer: LinkSigner,
    expires: str | None = None,
    sig: str | None = None,
) -> Original:
    """The file to send for a request of `/files/<doc id>`, or NotServable with the status to answer.

    An exempt paper without a valid officer signature gets exactly the answer an unknown id gets, so probing
    `/files/` cannot tell which exempt papers exist.
    """
    missing = NotServable("No such document.")
    if doc is None:
        raise missing
    classification = doc.classification or "exempt"
    if classification != "open" and not signer.verify(doc.doc_id, expires, sig):
        raise missing
    path = locate(doc, allowed_roots)
    if path is None:
        raise NotServable("The original of this document is not held by this server.")
    return Original(path, MEDIA_TYPES[path.suffix.lower()], path.name, classification)
