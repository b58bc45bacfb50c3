"""Front-matter headers (`---` YAML blocks at the top of Markdown/text files)."""

from __future__ import annotations

import re

import yaml

_FM = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)
_LINE = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*)$")


MAX_FIELD_CHARS = 2000


class _NoAliasLoader(yaml.SafeLoader):
    """A safe loader that refuses YAML aliases, so a "billion laughs" header cannot expand in memory."""

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            raise yaml.YAMLError("aliases are not allowed in front matter")
        return super().compose_node(parent, index)


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Return (fields, body). Fields are strings; a header YAML cannot parse is read line by line."""
    m = _FM.match(text)
    if not m:
        return {}, text
    raw, body = m.group(1), text[m.end() :]
    fields: dict[str, str] = {}
    try:
        loaded = yaml.load(raw, Loader=_NoAliasLoader)  # a SafeLoader subclass
    except yaml.YAMLError:
        loaded = None
    if isinstance(loaded, dict):
        fields = {str(k).lower(): _as_text(v)[:MAX_FIELD_CHARS] for k, v in loaded.items() if v is not None}
    else:
        for line in raw.splitlines():
            lm = _LINE.match(line.strip())
            if lm:
                fields[lm.group(1).lower()] = lm.group(2).strip().strip('"').strip("'")[:MAX_FIELD_CHARS]
    return fields, body


def _as_text(value: object) -> str:
    if isinstance(value, list | tuple):
        return "; ".join(_as_text(v) for v in value)
    return str(value).strip()
