"""One sync of a council's Modern.Gov site: committees -> meetings -> agenda items -> papers, written where
`council ingest` reads them, each with a metadata sidecar from the site.

Order of work, so that a kill at any moment converges on the next run: listings are read first (nothing is
written but their kept copies); then each paper is fetched conditionally and, if new or changed, its sidecar and
file are written atomically before its row in the state; papers gone from the site are removed last (file, then
sidecar, then row). Restricted (exempt) papers are never fetched as open papers: without credentials they are
only listed; with them (`auth_header`) they are fetched and marked `exempt`.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from ingest.loaders import SUPPORTED_SUFFIXES
from ingest.metadata import infer_doc_type
from ingest.moderngov import files
from ingest.moderngov.address import Site
from ingest.moderngov.fetch import Fetched, FetchError, PoliteClient
from ingest.moderngov.filters import Filters, Take, load_filters
from ingest.moderngov.model import Committee, Item, Meeting, Paper
from ingest.moderngov.options import SyncOptions
from ingest.moderngov.reader import ReadError, SiteReader
from ingest.moderngov.report import Outcome, SyncReport
from ingest.moderngov.state import PaperRow, SyncState

EXEMPT, OPEN = "exempt", "open"


class SyncBusy(RuntimeError):
    """Another sync of the same site is running (the message says where its lock is)."""


@dataclass(frozen=True)
class Planned:
    paper: Paper
    item: Item
    meeting: Meeting
    classification: str


def sync_site(
    opts: SyncOptions, client: PoliteClient | None = None, stop: threading.Event | None = None
) -> SyncReport:
    """Sync one site into `opts.dest_dir/<site folder>/`; returns what happened (also kept in the state)."""
    site = Site.parse(opts.site_url)
    root = opts.dest_dir / site.folder
    work = root / files.WORK_FOLDER
    filters = load_filters(opts.filters_file).narrowed(opts.committees, opts.keywords)
    own_client = client is None
    client = client or PoliteClient(
        interval_s=opts.request_interval_s,
        timeout_s=opts.timeout_s,
        attempts=opts.attempts,
        backoff_s=opts.backoff_s,
        contact=opts.contact,
    )
    started = time.monotonic()
    report = SyncReport(site=site.base, folder=str(root), dry_run=opts.dry_run)
    try:
        with _lock(work, opts.dry_run):
            state = SyncState(work / "state.sqlite3", read_only=opts.dry_run)
            try:
                _Run(opts, site, root, filters, client, state, report, stop).run()
            finally:
                state.close()
    finally:
        report.requests, report.bytes = client.requests, client.bytes
        report.seconds = time.monotonic() - started
        if own_client:
            client.close()
    return report


@contextmanager
def _lock(work: Path, dry_run: bool) -> Iterator[None]:
    if dry_run:
        yield
        return
    work.mkdir(parents=True, exist_ok=True)
    with open(work / "sync.lock", "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SyncBusy(f"another sync of this site is running (lock: {work / 'sync.lock'})") from None
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


class _Run:
    def __init__(
        self,
        opts: SyncOptions,
        site: Site,
        root: Path,
        filters: Filters,
        client: PoliteClient,
        state: SyncState,
        report: SyncReport,
        stop: threading.Event | None,
    ) -> None:
        self.opts, self.site, self.root, self.filters = opts, site, root, filters
        self.client, self.state, self.report, self.stop = client, state, report, stop
        self.tmp = root / files.WORK_FOLDER / "tmp"
        self.council = opts.council or site.host
        self.reader = SiteReader(site, client, state)
        self.since = opts.start_date()
        self.auth = _header(opts.auth_header)
        self._restricted_urls: set[str] = set()  # marked restricted by any item or listing that links them

    # ------------------------------------------------------------------ the run

    def run(self) -> None:
        report = self.report
        if not self.opts.dry_run:
            interrupted = self.state.interrupted_run()
            if interrupted:
                report.notes.append(f"the sync started at {interrupted} did not finish; carrying on from it")
            leftovers = files.clear_leftovers(self.tmp)
            if leftovers:
                report.notes.append(f"removed {leftovers} half-written file(s) left by an interrupted run")
        run_id = self.state.start_run(self.site.base)
        try:
            committees = self.reader.committees()
        except ReadError as exc:
            report.unreadable.append(Outcome("the list of committees", self.site.base, reason=str(exc)))
            self.state.finish_run(run_id, report.to_dict())
            return
        plan, listed, read_ok, listed_meetings = self._survey(committees)
        for planned in plan:
            if self.stop is not None and self.stop.is_set():
                report.stopped = True
                break
            self._paper(planned)
        if not report.stopped:
            self._removals({p.paper.url for p in plan}, listed, read_ok, listed_meetings)
        report.notes[:0] = self.reader.notes
        self.state.finish_run(run_id, report.to_dict())

    def _survey(
        self, committees: list[Committee]
    ) -> tuple[list[Planned], dict[str, str], set[str], dict[str, set[str]]]:
        """Read every wanted meeting: the papers to fetch, and what each listed paper is (for removals)."""
        report = self.report
        plan: dict[str, Planned] = {}
        listed: dict[str, str] = {}  # url -> "restricted" | "filtered" | "planned"
        read_ok: set[str] = set()  # meeting keys read this run
        # committee id -> the meeting ids its list gives (only for lists read this run)
        listed_meetings: dict[str, set[str]] = {}
        today = self.opts.today or dt.date.today()
        for committee in committees:
            take = None if committee.expired else self.filters.take(committee.title)
            if take is None:
                continue
            report.committees.append(committee.title)
            try:
                refs = self.reader.meetings(committee, self.since, today + dt.timedelta(days=366))
            except ReadError as exc:
                report.unreadable.append(
                    Outcome(f"meetings of {committee.title}", self.site.base, reason=str(exc))
                )
                continue
            listed_meetings[committee.id] = {r.id for r in refs}
            for ref in refs:
                if ref.date is None:
                    report.notes.append(f"{committee.title} meeting {ref.id} has no date; left out")
                    continue
                if ref.date < self.since:
                    continue
                try:
                    meeting = self.reader.meeting(committee, ref)
                except ReadError as exc:
                    page = self.site.meeting_page(committee.id, ref.id)
                    report.unreadable.append(Outcome(f"{committee.title} meeting", page, reason=str(exc)))
                    continue
                report.meetings_read += 1
                read_ok.add(meeting.key)
                for item in meeting.items:
                    self._plan_item(item, meeting, take, plan, listed)
        self._restrict_everywhere(plan, listed)
        return list(plan.values()), listed, read_ok, listed_meetings

    def _restrict_everywhere(self, plan: dict[str, Planned], listed: dict[str, str]) -> None:
        """A paper linked from an open item and, elsewhere, from a restricted one is restricted: fail closed."""
        for url in self._restricted_urls & set(plan):
            planned = plan.pop(url)
            if self.auth:
                plan[url] = replace(planned, classification=EXEMPT)
                continue
            listed[url] = "restricted"
            self.report.restricted.append(
                Outcome(
                    _title(planned.item, planned.paper), url, reason="restricted where another item links it"
                )
            )

    def _plan_item(
        self, item: Item, meeting: Meeting, take: Take, plan: dict[str, Planned], listed: dict[str, str]
    ) -> None:
        wanted = self.filters.wanted(take, item.title)
        item_restricted = item.restricted or self.filters.says_restricted(item.title)
        for paper in item.papers:
            if paper.url in plan or listed.get(paper.url) == "restricted":
                if item_restricted or paper.restricted:
                    self._restricted_urls.add(paper.url)
                continue
            restricted = item_restricted or paper.restricted or self.filters.says_restricted(paper.title)
            if restricted:
                self._restricted_urls.add(paper.url)
            if not wanted:
                listed.setdefault(paper.url, "filtered")
                continue
            if not self.site.owns(paper.url):
                listed.setdefault(paper.url, "filtered")
                self.report.skipped.append(
                    Outcome(
                        _title(item, paper),
                        paper.url,
                        reason="links to another site; only the council's own site is read",
                    )
                )
                continue
            if restricted and not self.auth:
                listed[paper.url] = "restricted"
                self.report.restricted.append(
                    Outcome(
                        _title(item, paper), paper.url, reason=f"{meeting.committee.title}, item {item.label}"
                    )
                )
                continue
            listed[paper.url] = "planned"
            plan[paper.url] = Planned(paper, item, meeting, EXEMPT if restricted else OPEN)

    # ------------------------------------------------------------------ one paper

    def _paper(self, p: Planned) -> None:
        report = self.report
        title = _title(p.item, p.paper)
        row = self.state.paper(p.paper.url)
        on_disk = row is not None and (self.root / row.path).is_file()
        unsupported = _unsupported_by_name(p.paper.url)
        if unsupported:
            report.skipped.append(Outcome(title, p.paper.url, reason=unsupported))
            return
        if self.opts.dry_run:
            reason = "check for changes" if on_disk else "new"
            report.would_fetch.append(Outcome(title, p.paper.url, row.path if row else "", reason))
            return
        headers = self.auth if p.classification == EXEMPT else None
        try:
            got = self.client.get(
                p.paper.url,
                row.validators if on_disk and row else None,
                headers,
                self.opts.max_document_bytes,
            )
        except FetchError as exc:
            report.failed.append(Outcome(title, p.paper.url, row.path if row else "", str(exc)))
            return
        if got.not_modified and row is not None:
            self._unchanged_content(p, row, title)
            return
        suffix, problem = _suffix(p.paper.url, got)
        if problem:
            report.skipped.append(Outcome(title, p.paper.url, reason=problem))
            return
        path = row.path if row and row.path.endswith(suffix) else self._new_path(p, suffix)
        meta = files.sidecar_text(self._fields(p)).encode("utf-8")
        digest, meta_digest = files.sha256(got.body), files.sha256(meta)
        if row and on_disk and row.sha256 == digest and row.meta_sha256 == meta_digest and row.path == path:
            self.state.keep_paper(_row(p, path, got, digest, meta_digest))  # the site sent it again unchanged
            report.unchanged.append(Outcome(title, p.paper.url, path))
            return
        target = self.root / path
        files.atomic_write(files.meta_path(target), meta, self.tmp)
        files.atomic_write(target, got.body, self.tmp)
        if row and row.path != path:
            files.remove_paper(self.root / row.path)
        self.state.keep_paper(_row(p, path, got, digest, meta_digest))
        if row is None:
            report.new.append(Outcome(title, p.paper.url, path))
        else:
            if not on_disk:
                reason = "its file had gone; fetched again"
            else:
                reason = "content changed" if row.sha256 != digest else "details on the site changed"
            report.changed.append(Outcome(title, p.paper.url, path, reason))

    def _unchanged_content(self, p: Planned, row: PaperRow, title: str) -> None:
        """304: the file stands; its sidecar is rewritten only if the site's details of it changed."""
        meta = files.sidecar_text(self._fields(p)).encode("utf-8")
        digest = files.sha256(meta)
        if digest == row.meta_sha256 and files.meta_path(self.root / row.path).is_file():
            self.report.unchanged.append(Outcome(title, p.paper.url, row.path))
            return
        files.atomic_write(files.meta_path(self.root / row.path), meta, self.tmp)
        self.state.keep_paper(_replace_meta(row, digest, p))
        self.report.changed.append(Outcome(title, p.paper.url, row.path, "details on the site changed"))

    def _fields(self, p: Planned) -> dict[str, Any]:
        title = _title(p.item, p.paper)
        committee = p.meeting.committee.title
        doc_type = infer_doc_type("", f"{title} {committee}", "")
        return {
            "title": title,
            "council": self.council,
            "body": committee,
            "doc_type": doc_type.value,
            "date": p.meeting.ref.date.isoformat() if p.meeting.ref.date else "",
            "source_url": p.paper.url,
            # open papers keep ingest's own check of their first page ("not for publication" -> exempt)
            "classification": EXEMPT if p.classification == EXEMPT else "",
            "agenda_item": p.item.label,
            "links": dict(p.item.links),
        }

    def _new_path(self, p: Planned, suffix: str) -> str:
        date = p.meeting.ref.date.isoformat() if p.meeting.ref.date else "undated"
        number = re.sub(r"[^0-9a-z]+", "", p.item.number.lower())
        number = re.sub(r"^(\d)(?!\d)", r"0\1", number) or "00"
        ident = p.paper.attachment_id or files.sha256(p.paper.url.encode())[:10]
        name = f"{number}-{ident}-{files.slug(p.paper.title or p.item.title, 50)}{suffix}"
        return str(PurePosixPath(files.slug(p.meeting.committee.title, 50), date, name))

    # ------------------------------------------------------------------ removals

    def _removals(
        self,
        planned: set[str],
        listed: dict[str, str],
        read_ok: set[str],
        listed_meetings: dict[str, set[str]],
    ) -> None:
        for row in self.state.papers():
            if row.url in planned:
                continue
            committee_id, _, meeting_id = row.meeting.partition("/")
            in_window = row.meeting_date >= self.since.isoformat()
            gone_meeting = (
                committee_id in listed_meetings
                and meeting_id not in listed_meetings[committee_id]
                and in_window
            )
            if row.meeting not in read_ok and not gone_meeting:
                continue  # its meeting was not read this run (failed, or outside the dates): leave it
            status = listed.get(row.url)
            reason = {
                "restricted": "now restricted on the site",
                "filtered": "no longer selected by the filters",
            }.get(
                status or "", "the meeting is no longer listed" if gone_meeting else "no longer on the site"
            )
            outcome = Outcome(PurePosixPath(row.path).name, row.url, row.path, reason)
            self.report.removed.append(outcome)
            if not self.opts.dry_run:
                files.remove_paper(self.root / row.path)
                self.state.forget_paper(row.url)


# ---------------------------------------------------------------------- helpers


def _title(item: Item, paper: Paper) -> str:
    """A paper's title as a person would cite it: its own title, with the item's when the paper's alone would
    not say what it is ("Appendix 1")."""
    own, of_item = " ".join(paper.title.split()), " ".join(item.title.split())
    if not own or own.lower() == of_item.lower():
        return of_item
    if of_item.lower() in own.lower():
        return own
    return f"{of_item} — {own}"


_TYPES = {
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "text/plain": ".txt",
    "text/html": ".html",
}


def _suffix(url: str, got: Fetched) -> tuple[str, str]:
    """The file type of a fetched paper, or why it cannot be taken. The content decides: a site may send a login
    or error page with status 200 where a PDF was expected."""
    name = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
    found = re.search(r'filename\*?=(?:UTF-8\'\')?"?([^";]+)', got.disposition, re.I)
    if found:
        name = unquote(found.group(1))
    ext = PurePosixPath(name).suffix.lower()
    ctype = got.content_type.split(";")[0].strip().lower()
    body = got.body
    if not body:
        return "", "the site sent an empty file"
    if body.startswith(b"%PDF-"):
        return ".pdf", ""
    if body.startswith(b"PK\x03\x04") and (ext == ".docx" or _TYPES.get(ctype) == ".docx"):
        return ".docx", ""
    if ext == ".pdf" or _TYPES.get(ctype) == ".pdf":
        return (
            "",
            f"the site sent {ctype or 'something else'} where a PDF was expected (a login or error page?)",
        )
    if ctype == "text/html" and ext not in (".html", ".htm"):
        return (
            "",
            f"the site sent a web page where a {ext or 'document'} was expected (a login or error page?)",
        )
    suffix = ext if ext in SUPPORTED_SUFFIXES else _TYPES.get(ctype, ext)
    if suffix not in SUPPORTED_SUFFIXES:
        return "", f"file type '{suffix or ctype or 'unknown'}' cannot be ingested"
    return suffix, ""


_HANDLERS = {".aspx", ".ashx", ".asp", ""}  # pages that serve a file: its type is known once fetched


def _unsupported_by_name(url: str) -> str:
    """Why a paper need not be fetched at all: its address names a file type ingest cannot read."""
    ext = PurePosixPath(unquote(urlsplit(url).path)).suffix.lower()
    if ext in _HANDLERS or ext in SUPPORTED_SUFFIXES:
        return ""
    return f"file type '{ext}' cannot be ingested (not fetched)"


def _header(line: str) -> dict[str, str] | None:
    name, sep, value = line.partition(":")
    return {name.strip(): value.strip()} if sep and name.strip() and value.strip() else None


def _row(p: Planned, path: str, got: Fetched, digest: str, meta_digest: str) -> PaperRow:
    return PaperRow(
        url=p.paper.url,
        path=path,
        meeting=p.meeting.key,
        committee_id=p.meeting.committee.id,
        meeting_date=p.meeting.ref.date.isoformat() if p.meeting.ref.date else "",
        etag=got.etag,
        last_modified=got.last_modified,
        sha256=digest,
        meta_sha256=meta_digest,
        classification=p.classification,
    )


def _replace_meta(row: PaperRow, meta_digest: str, p: Planned) -> PaperRow:
    return replace(row, meta_sha256=meta_digest, meeting=p.meeting.key, classification=p.classification)
