"""A fake Modern.Gov site on 127.0.0.1 serving recorded responses (tests/data/moderngov; see its README).

It answers like the real thing where the sync depends on it: the web service's XML (GetCommittees, GetMeetings,
GetMeeting), the HTML pages (mgListCommittees, ieListMeetings, ieListDocuments) and the papers (PDFs rendered from
the recorded text, deterministically), with ETag / Last-Modified and 304 answers. Two states: "v1", and "v2" where
one paper changed, one item's paper was withdrawn, one appendix became restricted and a meeting was added.

Behaviours a test can rely on (and change): a slow listing, a paper slow on its first request, a paper failing
twice with 503, a paper that is 404, a committee whose GetMeetings always fails (500), a meeting whose GetMeeting
is malformed XML, and a meeting whose GetMeeting fails and whose page is cut off. Restricted papers answer 403
unless the request carries the officer's cookie. Every request is logged.

    python -m tests.moderngov_site --port 8123   # serve it by hand
"""

from __future__ import annotations

import argparse
import email.utils
import hashlib
import io
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

DATA = Path(__file__).resolve().parent / "data" / "moderngov"
AUTH_COOKIE = "mgsession=officer-1"
RESTRICTED = {"9013", "9014"}  # papers the site marks restricted in both states; 9011 too in v2
LAST_MODIFIED = {"v1": "Wed, 10 Sep 2025 18:00:00 GMT", "v2": "Tue, 11 Nov 2025 18:00:00 GMT"}


@dataclass
class Behaviour:
    status: int = 0  # answer this status instead (0: the normal answer)
    fail_first: int = 0  # answer `status` only for the first n requests, then normally
    delay_s: float = 0.0  # every request waits this long
    first_delay_s: float = 0.0  # only the first request waits this long
    seen: int = 0


def default_behaviours() -> dict[str, Behaviour]:
    return {
        "GetMeetings:102": Behaviour(delay_s=0.4),  # slow, within the client's timeout
        "GetMeetings:104": Behaviour(status=500),  # always fails: the pages are read instead
        "GetMeeting:2004": Behaviour(status=500),  # fails, and the meeting's page is cut off too
        "paper:9024": Behaviour(first_delay_s=2.5),  # slower than the timeout once, then fine
        "paper:9025": Behaviour(status=503, fail_first=2),  # two 503s, then fine
        "paper:9026": Behaviour(status=404),
    }


@dataclass(frozen=True)
class Hit:
    key: str
    path: str
    status: int
    conditional: bool
    cookie: str
    agent: str
    at: float  # when the request arrived (a slow answer is logged when it ends)


@dataclass
class FakeSite:
    state: str = "v1"
    service: bool = True  # False: a site without the web service (mgWebService.asmx answers 404)
    paper_delay_s: float = 0.0  # every paper takes this long (the kill test uses it to catch a run mid-way)
    behaviours: dict[str, Behaviour] = field(default_factory=default_behaviours)
    overrides: dict[str, bytes] = field(default_factory=dict)  # key -> body served instead ({base} filled in)
    log: list[Hit] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _pdfs: dict[tuple[str, str], bytes] = field(default_factory=dict)
    _cleared_at: float = 0.0

    # ------------------------------------------------------------------ serving

    def start(self, port: int = 0) -> str:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site._answer(self)

            def log_message(self, *args: object) -> None:
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: object, client_address: object) -> None:
                pass  # a client that gave up on a slow answer is expected

        self._server = Server(("127.0.0.1", port), Handler)
        threading.Thread(target=self._server.serve_forever, name="fake-moderngov", daemon=True).start()
        return self.base

    @property
    def base(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/"

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def hits(self, prefix: str = "", status: int | None = None) -> list[Hit]:
        """Requests that arrived since the log was last cleared, by key prefix and status."""
        with self._lock:
            return [
                h
                for h in self.log
                if h.at >= self._cleared_at and h.key.startswith(prefix) and status in (None, h.status)
            ]

    def clear_log(self) -> None:
        with self._lock:
            self.log.clear()
            self._cleared_at = time.monotonic()

    # ------------------------------------------------------------------ answers

    def _answer(self, req: BaseHTTPRequestHandler) -> None:
        arrived = time.monotonic()
        parts = urlsplit(req.path)
        query = {k.lower(): v[0] for k, v in parse_qs(parts.query).items()}
        key, body, ctype = self._resolve(unquote(parts.path), query)
        if key in self.overrides:
            body = self.overrides[key].replace(b"{base}", self.base.encode())
        cookie = req.headers.get("Cookie", "")
        status = 200 if body is not None else 404
        behaviour = self.behaviours.get(key)
        if behaviour is not None:
            with self._lock:
                behaviour.seen += 1
                nth = behaviour.seen
            time.sleep(behaviour.delay_s + (behaviour.first_delay_s if nth == 1 else 0.0))
            if behaviour.status and (not behaviour.fail_first or nth <= behaviour.fail_first):
                status, body = behaviour.status, b"<html><body><h1>Server Error</h1></body></html>"
                ctype = "text/html; charset=utf-8"
        if key.startswith("paper:") and status == 200:
            time.sleep(self.paper_delay_s)
            if key[6:] in self._restricted() and AUTH_COOKIE not in cookie:
                status, body, ctype = 403, b"<html><body>Restricted document</body></html>", "text/html"
        etag = f'"{hashlib.sha1(body or b"").hexdigest()[:16]}"'
        modified = LAST_MODIFIED[self.state]
        conditional = bool(req.headers.get("If-None-Match") or req.headers.get("If-Modified-Since"))
        if status == 200 and _not_modified(req, etag, modified):
            status, body = 304, b""
        with self._lock:
            self.log.append(
                Hit(key, req.path, status, conditional, cookie, req.headers.get("User-Agent", ""), arrived)
            )
        try:
            req.send_response(status)
            req.send_header("Content-Type", ctype)
            if status in (200, 304):
                req.send_header("ETag", etag)
                req.send_header("Last-Modified", modified)
            if status == 503:
                req.send_header("Retry-After", "0")
            req.send_header("Content-Length", str(len(body or b"")))
            req.end_headers()
            if status != 304:
                req.wfile.write(body or b"")
        except OSError:
            pass  # the client timed out and went away

    def _restricted(self) -> set[str]:
        return RESTRICTED | ({"9011"} if self.state == "v2" else set())

    def _resolve(self, path: str, query: dict[str, str]) -> tuple[str, bytes | None, str]:
        low = path.lower()
        xml, html = "text/xml; charset=utf-8", "text/html; charset=utf-8"
        if low.startswith("/mgwebservice.asmx/"):
            if not self.service:
                return "service:absent", None, html
            op = low.rsplit("/", 1)[-1]
            if op == "getcommittees":
                return "GetCommittees", self._file("service", "GetCommittees", ".xml"), xml
            if op == "getmeetings":
                cid = query.get("lcommitteeid", "")
                body = self._file("service", f"GetMeetings-{cid}", ".xml") or b"<getmeetings></getmeetings>"
                return f"GetMeetings:{cid}", body, xml
            if op == "getmeeting":
                mid = query.get("lmeetingid", "")
                return f"GetMeeting:{mid}", self._file("service", f"GetMeeting-{mid}", ".xml"), xml
            return f"service:{op}", None, xml
        if low == "/mglistcommittees.aspx":
            return "page:committees", self._file("pages", "mgListCommittees", ".html"), html
        if low == "/ielistmeetings.aspx":
            cid = query.get("cid") or query.get("committeeid", "")
            return f"page:meetings:{cid}", self._file("pages", f"ieListMeetings-{cid}", ".html"), html
        if low == "/ielistdocuments.aspx":
            mid = query.get("mid", "")
            return f"page:meeting:{mid}", self._file("pages", f"ieListDocuments-{mid}", ".html"), html
        number = query.get("id", "") if low == "/mgconvert2pdf.aspx" else ""
        found = re.match(r"/documents/s(\d+)/(.+)$", path)
        if found:
            number = found.group(1)
            if found.group(2).lower().endswith(".xlsx"):
                return f"paper:{number}", b"PK\x03\x04 a spreadsheet", "application/vnd.ms-excel"
        if number:
            return f"paper:{number}", self._pdf(number), "application/pdf"
        return f"other:{path}", None, html

    def _file(self, folder: str, stem: str, suffix: str) -> bytes | None:
        for name in ([f"{stem}.{self.state}{suffix}"] if self.state != "v1" else []) + [f"{stem}{suffix}"]:
            path = DATA / folder / name
            if path.is_file():
                return path.read_bytes().replace(b"{base}", self.base.encode())
        return None

    def _pdf(self, number: str) -> bytes | None:
        text = self._file("papers", f"s{number}", ".txt")
        if text is None:
            return None
        key = (number, hashlib.sha1(text).hexdigest())
        with self._lock:
            if key not in self._pdfs:
                self._pdfs[key] = render_pdf(text.decode("utf-8"))
            return self._pdfs[key]


def _not_modified(req: BaseHTTPRequestHandler, etag: str, modified: str) -> bool:
    match = req.headers.get("If-None-Match")
    if match:
        return etag in [m.strip() for m in match.split(",")]
    since = req.headers.get("If-Modified-Since")
    if since:
        try:
            return email.utils.parsedate_to_datetime(modified) <= email.utils.parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False


def render_pdf(text: str) -> bytes:
    """The recorded text as a real PDF (reportlab, invariant: the same text gives the same bytes)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    styles = getSampleStyleSheet()
    out = io.BytesIO()
    story = []
    for i, para in enumerate(p.strip() for p in text.split("\n") if p.strip()):
        story.append(Paragraph(para, styles["Heading2" if i == 0 else "BodyText"]))
        story.append(Spacer(1, 4))
    SimpleDocTemplate(out, pagesize=A4, invariant=1, title=text.split("\n", 1)[0]).build(story)
    return out.getvalue()


def main() -> None:  # pragma: no cover - for trying the sync by hand
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8123)
    parser.add_argument("--state", default="v1", choices=["v1", "v2"])
    parser.add_argument("--paper-delay-s", type=float, default=0.0)
    args = parser.parse_args()
    site = FakeSite(state=args.state, paper_delay_s=args.paper_delay_s)
    print(site.start(args.port), flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        site.stop()


if __name__ == "__main__":
    main()
