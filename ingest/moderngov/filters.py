"""Which committees, items and papers a sync takes: word lists kept as data (children_services.yaml by default).

A committee is taken whole (every item) or by keyword (only items whose titles name one of the keywords). Titles
that say an item or paper is exempt are treated as restricted even when the site does not flag them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

DEFAULT_FILE = "children_services.yaml"
_LISTS = ("committees", "keyword_committees", "keywords", "restricted_markers")


class FiltersError(ValueError):
    """A filters file that cannot be used; the message names the file and the problem."""


class Take(Enum):
    ALL = "all items"
    KEYWORDS = "items matching keywords"


@lru_cache(maxsize=64)
def _pattern(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    """Terms as one regex: whole words at their start, case ignored unless the term is in capitals."""
    parts = []
    for term in terms:
        words = r"\s+".join(re.escape(w) for w in term.split())
        body = rf"\b{words}"
        parts.append(body if term.isupper() else rf"(?i:{body})")
    return re.compile("|".join(parts)) if parts else None


@dataclass(frozen=True)
class Filters:
    committees: tuple[str, ...] = ()
    keyword_committees: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    restricted_markers: tuple[str, ...] = ()

    def take(self, committee_title: str) -> Take | None:
        """How much of this committee is synced, or None for none of it."""
        if _matches(self.committees, committee_title):
            return Take.ALL
        if _matches(self.keyword_committees, committee_title):
            return Take.KEYWORDS
        return None

    def wanted(self, take: Take, item_title: str) -> bool:
        return take == Take.ALL or _matches(self.keywords, item_title)

    def says_restricted(self, title: str) -> bool:
        return _matches(self.restricted_markers, title)

    def narrowed(self, committees: tuple[str, ...], keywords: tuple[str, ...]) -> Filters:
        """The command line's --committee and --keyword replace the file's lists.

        Named committees are taken whole unless keywords are also given; the restricted markers always stay."""
        if not committees and not keywords:
            return self
        if committees:
            whole, by_keyword = (committees, ()) if not keywords else ((), committees)
        else:
            whole, by_keyword = (), (*self.committees, *self.keyword_committees)
        return Filters(whole, by_keyword, keywords or self.keywords, self.restricted_markers)


def _matches(terms: tuple[str, ...], title: str) -> bool:
    pattern = _pattern(terms)
    return bool(pattern and pattern.search(title))


def load_filters(path: Path | None = None) -> Filters:
    """The filters in `path`, or the packaged children's services defaults."""
    if path is None:
        text = resources.files("ingest.moderngov").joinpath(DEFAULT_FILE).read_text(encoding="utf-8")
        where = DEFAULT_FILE
    else:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise FiltersError(f"{path}: cannot be read ({exc.strerror or exc})") from None
        where = str(path)
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise FiltersError(f"{where}: not valid YAML ({' '.join(str(exc).split())[:160]})") from None
    if not isinstance(data, dict):
        raise FiltersError(f"{where}: expected a mapping with {', '.join(_LISTS)}")
    unknown = sorted(set(map(str, data)) - set(_LISTS))
    if unknown:
        raise FiltersError(f"{where}: unknown key(s) {unknown}; known: {', '.join(_LISTS)}")
    lists: dict[str, tuple[str, ...]] = {}
    for key in _LISTS:
        value = data.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
            raise FiltersError(f"{where}: `{key}` must be a list of words or phrases")
        lists[key] = tuple(" ".join(str(v).split()) for v in value if str(v).strip())
    if not lists["committees"] and not lists["keyword_committees"]:
        raise FiltersError(f"{where}: name at least one committee in `committees` or `keyword_committees`")
    return Filters(**lists)
