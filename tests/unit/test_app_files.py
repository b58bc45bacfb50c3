"""Pure parts behind uploads and original files: upload names and checks, signed officer links, locating files."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tests.fakes import make_document
from web.files import LinkSigner, NotServable, file_url, locate, open_original
from web.uploads import check_file, clean_fields, safe_name


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("Cabinet Report 2025.pdf", "Cabinet-Report-2025.pdf"),
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\win.ini", "win.ini"),
        (".hidden.md", "hidden.md"),
        ("Café – minutes.DOCX", "Cafe-minutes.docx"),
        ("<script>.html", "script.html"),
        ("noextension", "noextension"),
        ("...", "upload"),
        ("a" * 300 + ".txt", "a" * 100 + ".txt"),
    ],
)
def test_safe_name(name: str, safe: str) -> None:
    assert safe_name(name) == safe


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_check_file(tmp_path: Path) -> None:
    limit = 1000
    assert check_file(write(tmp_path / "a.pdf", b"%PDF-1.7 ..."), "a.pdf", limit) == ""
    assert check_file(write(tmp_path / "b.docx", b"PK\x03\x04..."), "b.docx", limit) == ""
    assert check_file(write(tmp_path / "c.md", b"# Title\n"), "c.md", limit) == ""
    assert "not a PDF" in check_file(write(tmp_path / "d.pdf", b"MZ\x90\x00"), "d.pdf", limit)
    assert "not a DOCX" in check_file(write(tmp_path / "e.docx", b"%PDF-"), "e.docx", limit)
    assert "not text" in check_file(write(tmp_path / "f.txt", b"ab\x00cd"), "f.txt", limit)
    assert "empty" in check_file(write(tmp_path / "g.md", b""), "g.md", limit)
    assert "over the" in check_file(write(tmp_path / "h.md", b"x" * 2000), "h.md", limit)
    assert "not accepted" in check_file(write(tmp_path / "i.exe", b"MZ"), "i.exe", limit)
    assert "could not be read" in check_file(tmp_path / "missing.md", "missing.md", limit)


def test_clean_fields_keeps_known_non_empty_fields() -> None:
    fields = {
        "classification": "open",
        "title": "  A   title ",
        "body": "",
        "colour": "red",
        "doc_type": None,
    }
    assert clean_fields(fields) == {"classification": "open", "title": "A title"}


def test_signed_links_expire_and_bind_the_document() -> None:
    signer = LinkSigner.from_secrets("token")
    query = signer.sign("private/a.md", now=1000.0)
    params = dict(p.split("=") for p in query.split("&"))
    assert signer.verify("private/a.md", params["exp"], params["sig"], now=1000.0)
    assert not signer.verify("private/b.md", params["exp"], params["sig"], now=1000.0)
    assert not signer.verify("private/a.md", params["exp"], params["sig"], now=1000.0 + signer.lifetime_s + 1)
    assert not signer.verify("private/a.md", params["exp"], "0" * 32, now=1000.0)
    assert not signer.verify("private/a.md", "soon", params["sig"], now=1000.0)
    assert not LinkSigner.from_secrets("other").verify(
        "private/a.md", params["exp"], params["sig"], now=1000.0
    )
    assert LinkSigner.from_secrets("token").verify("private/a.md", params["exp"], params["sig"], now=1000.0)


def test_locate_and_open_respect_the_allowed_folders(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "seeds").mkdir(parents=True)
    (corpus / "seeds" / "a.md").write_text("# A\n")
    (tmp_path / "outside.md").write_text("# Outside\n")
    doc = make_document("seeds/a.md", root=str(corpus))
    exempt = replace(doc, classification="exempt")
    assert locate(doc, [corpus]) == (corpus / "seeds" / "a.md").resolve()
    assert locate(replace(doc, path="../outside.md"), [corpus]) is None
    assert locate(replace(doc, root=str(tmp_path), path="outside.md"), [corpus]) is None
    assert locate(replace(doc, path="seeds/gone.md"), [corpus]) is None
    signer = LinkSigner()
    assert open_original(doc, [corpus], signer).media_type.startswith("text/plain")
    with pytest.raises(NotServable) as exc:
        open_original(exempt, [corpus], signer)
    assert (exc.value.status, str(exc.value)) == (404, "No such document.")  # same as an unknown id
    params = dict(p.split("=") for p in signer.sign("seeds/a.md").split("&"))
    assert open_original(exempt, [corpus], signer, params["exp"], params["sig"])
    with pytest.raises(NotServable):
        open_original(None, [corpus], signer)


def test_file_url_quotes_the_id() -> None:
    assert file_url("seeds/a b#c.md") == "/files/seeds/a%20b%23c.md"
