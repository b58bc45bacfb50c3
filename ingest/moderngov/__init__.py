"""Sync a council's committee papers from its Modern.Gov site into a folder `council ingest` reads.

`sync_site(SyncOptions(...))` walks committees -> meetings -> agenda items -> papers through the site's web service
(mgWebService.asmx), falling back to its HTML pages, and writes each paper with a metadata sidecar (council,
committee, meeting date, agenda item, links to the meeting page, minutes, decision and issue history). Restricted
(exempt) papers are never fetched as open papers.
"""

from ingest.moderngov.address import Site, SiteAddressError
from ingest.moderngov.filters import Filters, FiltersError, load_filters
from ingest.moderngov.options import SyncOptions
from ingest.moderngov.report import Outcome, SyncReport
from ingest.moderngov.sync import SyncBusy, sync_site

__all__ = [
    "Filters",
    "FiltersError",
    "Outcome",
    "Site",
    "SiteAddressError",
    "SyncBusy",
    "SyncOptions",
    "SyncReport",
    "load_filters",
    "sync_site",
]
