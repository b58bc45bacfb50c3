"""What one sync of a council's Modern.Gov site is asked to do: a plain config object, built by the caller
(`assistant.settings.Settings.moderngov()` and the CLI) so nothing here reads the environment."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SyncOptions:
    site_url: str  # the site's address, e.g. https://councildecisions.example.gov.uk (any page of it will do)
    dest_dir: Path  # papers go to dest_dir/<site folder>/<committee>/<meeting date>/...
    council: str = ""  # written into each paper's metadata; empty: the site's host name
    committees: tuple[
        str, ...
    ] = ()  # only these committees (words in their titles), every item; empty: filters
    keywords: tuple[str, ...] = ()  # only items whose titles contain one of these; empty: filters
    filters_file: Path | None = (
        None  # YAML of committees/keywords/restricted markers; None: children's services
    )
    since: dt.date | None = None  # meetings on or after this day; None: today - lookback_days
    lookback_days: int = 730
    dry_run: bool = False  # list what would be fetched; write nothing
    request_interval_s: float = 1.0  # least time between two requests to the site
    timeout_s: float = 60.0
    attempts: int = 3
    backoff_s: float = 2.0  # first wait after a failed attempt; doubles each time
    contact: str = ""  # added to the User-Agent
    auth_header: str = ""  # "Name: value", sent only for restricted papers; empty: they are never fetched
    max_document_bytes: int = 50_000_000
    today: dt.date | None = None  # for tests; None: the real date

    def start_date(self) -> dt.date:
        if self.since is not None:
            return self.since
        return (self.today or dt.date.today()) - dt.timedelta(days=self.lookback_days)
