"""Inline citation markers: `[1]`, `[1, 2]`, `[1][2]`, `[1-3]`, `[1–3]`, `[1, 3-4]`.

A marker belongs to the sentence it sits in, or to the sentence just before it when it follows the full stop
("... upheld. [2] The ..." cites 2 for "... upheld."). Markers are removed from the sentence text returned, so
the digits inside them are never mistaken for facts the sentence states.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from assistant.sentences import sentence_spans

_RANGE_MAX = 50  # "[1-999]" is not a citation anyone meant: keep only its ends
_ITEM = r"\d{1,4}(?:\s*(?:-|–|—|to)\s*\d{1,4})?"
MARKER_RE = re.compile(rf"\[\s*{_ITEM}(?:\s*(?:,|;|&|and)\s*{_ITEM})*\s*\]")
CLUSTER_RE = re.compile(rf"[ \t]*{MARKER_RE.pattern}(?:[ \t]*{MARKER_RE.pattern})*[ \t]*")


def marker_numbers(marker: str) -> list[int]:
    """The source numbers one marker cites, in order, without repeats: "[1, 3-4]" -> [1, 3, 4]."""
    numbers: list[int] = []
    for item in re.split(r"\s*(?:,|;|&|and)\s*", marker.strip().strip("[]").strip()):
        ends = [int(n) for n in re.findall(r"\d+", item)]
        if not ends:
            continue
        if len(ends) == 2:
            low, high = min(ends), max(ends)
            span = range(low, high + 1) if high - low <= _RANGE_MAX else (low, high)
        else:
            span = range(ends[0], ends[0] + 1)
        numbers.extend(n for n in span if n not in numbers)
    return numbers


def format_markers(numbers: Iterable[int]) -> str:
    """`[1][2]` for the given numbers, in the order given, without repeats; "" for none."""
    seen: list[int] = []
    for n in numbers:
        if n not in seen:
            seen.append(n)
    return "".join(f"[{n}]" for n in seen)


def cited_numbers(text: str) -> list[int]:
    """Every source number cited anywhere in `text`, sorted, without repeats."""
    return sorted({n for m in MARKER_RE.finditer(text) for n in marker_numbers(m.group())})


def _gap(text: str, match: re.Match[str]) -> str:
    """What replaces a cluster of markers and the blanks around it: one space between words, nothing before
    punctuation or at a line's start or end."""
    before = text[match.start() - 1] if match.start() > 0 else "\n"
    after = text[match.end()] if match.end() < len(text) else "\n"
    if before == "\n" or after == "\n" or after in ".,;:!?)]}…'’\"”" or before in "([{‘“":
        return ""
    had_space = match.group() != match.group().strip(" \t")
    return " " if had_space else ""


def _cluster_numbers(cluster: str) -> list[int]:
    numbers: list[int] = []
    for marker in MARKER_RE.finditer(cluster):
        numbers.extend(n for n in marker_numbers(marker.group()) if n not in numbers)
    return numbers


def _strip_with_positions(text: str) -> tuple[str, list[tuple[int, list[int]]]]:
    """`text` without markers, and where each cluster of markers was (offset in the new text, numbers)."""
    out: list[str] = []
    positions: list[tuple[int, list[int]]] = []
    length = 0
    last = 0
    for match in CLUSTER_RE.finditer(text):
        out.append(text[last : match.start()])
        length += match.start() - last
        positions.append((length, _cluster_numbers(match.group())))
        gap = _gap(text, match)
        out.append(gap)
        length += len(gap)
        last = match.end()
    out.append(text[last:])
    return "".join(out), positions


def strip_markers(text: str) -> str:
    """`text` without citation markers, spacing tidied: "Upheld [1]." -> "Upheld."; "A [1] b" -> "A b"."""
    return _strip_with_positions(text)[0]


def parse_markers(text: str) -> list[tuple[str, list[int]]]:
    """The sentences of an answer, each without markers, with the source numbers it cites (in order)."""
    clean, positions = _strip_with_positions(text)
    spans = sentence_spans(clean)
    if not spans:
        return []
    cited: list[list[int]] = [[] for _ in spans]
    for pos, numbers in positions:
        # the last sentence starting before the marker; a marker before any sentence goes to the first
        index = 0
        for i, (start, _end) in enumerate(spans):
            if start < pos:
                index = i
        for n in numbers:
            if n not in cited[index]:
                cited[index].append(n)
    return [(clean[start:end], cited[i]) for i, (start, end) in enumerate(spans)]


def renumber(text: str, mapping: Mapping[int, int]) -> str:
    """Rewrite every marker through `mapping` (old -> new number). Numbers missing from `mapping` are dropped,
    and a marker left with none is removed. A group keeps its shape, numbers sorted: "[1, 3]" -> "[2, 5]"."""

    def replace(cluster: re.Match[str]) -> str:
        kept: list[str] = []
        for marker in MARKER_RE.finditer(cluster.group()):
            new: list[int] = []
            for n in marker_numbers(marker.group()):
                if n in mapping and mapping[n] not in new:
                    new.append(mapping[n])
            if new:
                kept.append("[" + ", ".join(str(n) for n in sorted(new)) + "]")
        if not kept:
            return _gap(text, cluster)
        body = cluster.group().strip(" \t")
        separator = " " if re.search(r"\][ \t]+\[", body) else ""
        lead = cluster.group()[: len(cluster.group()) - len(cluster.group().lstrip(" \t"))]
        trail = cluster.group()[len(cluster.group().rstrip(" \t")) :]
        return lead + separator.join(kept) + trail

    return CLUSTER_RE.sub(replace, text)
