"""A council's Modern.Gov site: its base address and the addresses of the web service and pages read from it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit, urlunsplit

_PAGE = re.compile(r"/[^/]*\.(?:aspx|asmx)(?:/.*)?$", re.I)


class SiteAddressError(ValueError):
    """An address that cannot be a Modern.Gov site; the message says what to give instead."""


@dataclass(frozen=True)
class Site:
    base: str  # scheme://host[:port][/prefix]/ (always ends with "/")

    @classmethod
    def parse(cls, url: str) -> Site:
        """The site from its address or the address of any of its pages (mgListCommittees.aspx, ...)."""
        raw = url.strip()
        if raw and "://" not in raw:
            raw = "https://" + raw
        parts = urlsplit(raw)
        try:
            parts.port  # noqa: B018 - raises on a port that is not a number
        except ValueError:
            parts = urlsplit("")
        if parts.scheme not in ("http", "https") or not re.fullmatch(r"[a-z0-9.:-]+", parts.hostname or ""):
            raise SiteAddressError(
                f"{url!r} is not a web address; give the council's Modern.Gov site, "
                "e.g. https://democracy.example.gov.uk"
            )
        path = _PAGE.sub("/", parts.path) or "/"
        if not path.endswith("/"):
            path += "/"
        return cls(urlunsplit((parts.scheme, parts.netloc.lower(), path, "", "")))

    @property
    def host(self) -> str:
        return urlsplit(self.base).hostname or ""

    @property
    def folder(self) -> str:
        """A folder name for this site's papers: host, port and path prefix."""
        parts = urlsplit(self.base)
        name = (parts.hostname or "site") + (f"_{parts.port}" if parts.port else "")
        prefix = parts.path.strip("/").replace("/", "_")
        return re.sub(r"[^A-Za-z0-9._-]+", "-", f"{name}_{prefix}" if prefix else name)

    def service(self, operation: str, **params: object) -> str:
        query = urlencode({k: str(v) for k, v in params.items()})
        return urljoin(self.base, f"mgWebService.asmx/{operation}") + (f"?{query}" if query else "")

    def page(self, name: str, **params: object) -> str:
        query = urlencode({k: str(v) for k, v in params.items()})
        return urljoin(self.base, name) + (f"?{query}" if query else "")

    def meeting_page(self, committee_id: str, meeting_id: str) -> str:
        return self.page("ieListDocuments.aspx", CId=committee_id, MId=meeting_id, Ver=4)

    def resolve(self, href: str) -> str:
        """An absolute address for a link found on the site. The web service gives document links as http://
        even on https sites, so a link to this site's own host takes the site's scheme."""
        url = urljoin(self.base, href.strip())
        parts = urlsplit(url)
        site = urlsplit(self.base)
        if (
            parts.hostname == site.hostname
            and parts.scheme != site.scheme
            and parts.scheme in ("http", "https")
        ):
            netloc = site.netloc if parts.port in (None, 80, 443) else parts.netloc
            url = urlunsplit((site.scheme, netloc, parts.path, parts.query, parts.fragment))
        return url.split("#", 1)[0] if not href.startswith("#") else url

    def owns(self, url: str) -> bool:
        """Papers are fetched from the council's own site only, never from an address a page points elsewhere."""
        return urlsplit(url).hostname == self.host


def query_param(url: str, name: str) -> str:
    """A query parameter's value, whatever its case (Modern.Gov writes MId, MID and mid)."""
    for key, values in parse_qs(urlsplit(url).query).items():
        if key.lower() == name.lower() and values:
            return values[0]
    return ""
