"""What one sync did: papers new, changed, unchanged, removed, restricted (not fetched), skipped and failed, each
with its reason, plus what fell back to the HTML pages and how many requests it took."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Outcome:
    title: str
    url: str
    path: str = ""  # relative to the site folder
    reason: str = ""


@dataclass
class SyncReport:
    site: str
    folder: str = ""
    dry_run: bool = False
    committees: list[str] = field(default_factory=list)
    meetings_read: int = 0
    unreadable: list[Outcome] = field(default_factory=list)  # listings or meetings neither source could give
    new: list[Outcome] = field(default_factory=list)
    changed: list[Outcome] = field(default_factory=list)
    unchanged: list[Outcome] = field(default_factory=list)
    removed: list[Outcome] = field(default_factory=list)
    restricted: list[Outcome] = field(default_factory=list)
    skipped: list[Outcome] = field(default_factory=list)
    failed: list[Outcome] = field(default_factory=list)
    would_fetch: list[Outcome] = field(default_factory=list)  # dry run: what a real run would ask for
    notes: list[str] = field(default_factory=list)
    requests: int = 0
    bytes: int = 0
    seconds: float = 0.0
    stopped: bool = False

    @property
    def ok(self) -> bool:
        return not self.failed and not self.unreadable

    @property
    def changes(self) -> bool:
        return bool(self.new or self.changed or self.removed)

    def counts(self) -> dict[str, int]:
        return {
            k: len(getattr(self, k))
            for k in (
                "new",
                "changed",
                "unchanged",
                "removed",
                "restricted",
                "skipped",
                "failed",
                "would_fetch",
            )
        }

    def to_dict(self) -> dict[str, Any]:
        return asdict(self) | {"counts": self.counts()}

    def summary_lines(self) -> list[str]:
        c = self.counts()
        head = "Dry run (no paper fetched, nothing written): " if self.dry_run else ""
        lines = [
            f"{head}{self.site} — {len(self.committees)} committee(s): {', '.join(self.committees) or 'none'}.",
            f"Meetings: {self.meetings_read} read; {len(self.unreadable)} listing(s) or meeting(s) could not be read.",
        ]
        if self.dry_run:
            lines.append(
                f"Papers: {c['would_fetch']} would be fetched or checked, {c['restricted']} restricted (never "
                f"fetched as open), {c['removed']} would be removed."
            )
        else:
            lines.append(
                f"Papers: {c['new']} new, {c['changed']} changed, {c['unchanged']} unchanged, {c['removed']} removed, "
                f"{c['restricted']} restricted (not fetched), {c['skipped']} skipped, {c['failed']} failed."
            )
        size = f"{self.bytes / 1e6:.1f} MB" if self.bytes >= 1e6 else f"{self.bytes / 1e3:.0f} KB"
        lines.append(f"{self.requests} requests, {size} downloaded, {self.seconds:.1f} s.")
        for label, outcomes in (
            ("Would fetch", self.would_fetch),
            ("New", self.new),
            ("Changed", self.changed),
            ("Removed", self.removed),
            ("Restricted, not fetched", self.restricted),
            ("Skipped", self.skipped),
            ("Failed", self.failed),
            ("Could not read", self.unreadable),
        ):
            for o in outcomes:
                where = o.path or o.url
                lines.append(f"{label}: {o.title} [{where}]" + (f" — {o.reason}" if o.reason else ""))
        lines += [f"Note: {n}" for n in self.notes]
        if self.stopped:
            lines.append("Stopped before the end; the next run carries on from here.")
        return lines
