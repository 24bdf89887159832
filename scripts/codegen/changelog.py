"""Rendering a spec diff (text, Markdown, JSON) and keeping the changelog that ships with the client.

The changelog's source of truth is an input beside the pin (spec/CHANGELOG.md by default,
`changelog` in [tool.codegen]); update-spec puts each new entry on top of it, and the pipeline
copies it into the generated client as CHANGELOG.md, so check-drift covers it like any output.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from codegen.diff import Change, bump_level, is_breaking
from codegen.diff_walk import code_span, message_parts, plain_message
from codegen.render import md_text

TITLE = "# Changelog\n"
_MD_SPECIALS = re.compile(r"([\\`*_\[\]|~!])")


def md_escape(value: Any) -> str:
    """Untrusted spec text as one line of inert Markdown: no HTML, no emphasis, links or code spans."""
    return _MD_SPECIALS.sub(r"\\\1", md_text(value))


def md_code(value: Any) -> str:
    """Untrusted text as one inline code span, its fence longer than any backtick run inside it."""
    return code_span(md_text(value).replace("&lt;", "<").replace("&gt;", ">"))  # nothing is markup in a code span


def md_message(message: str) -> str:
    """A diff message as Markdown: its names (diff_walk.named) as code spans, unescaped; the rest escaped."""
    pieces = []
    for text, is_name in message_parts(message):
        if is_name:
            pieces.append(md_code(text))
            continue
        lead = " " if text[:1].isspace() else ""
        trail = " " if text[-1:].isspace() and text.strip() else ""
        pieces.append(lead + md_escape(text) + trail)
    return "".join(pieces)


@dataclass(frozen=True)
class Entry:
    """One release: the version it makes, the spec it comes from, and what changed for callers."""

    version: str
    previous_version: str
    spec_name: str
    old_sha: str
    new_sha: str
    changes: list[Change]

    @property
    def breaking(self) -> bool:
        return is_breaking(self.changes)

    def summary(self) -> str:
        verdict = "Breaking changes" if self.breaking else "No breaking changes"
        if not self.changes:
            verdict = "No change to operations, parameters, schemas, responses or security"
        return f"{verdict}: version {self.previous_version} → {self.version}."


def render_markdown(entry: Entry) -> str:
    """The changelog entry (a `## version` section), Markdown, every spec string escaped.

    No date and no source: the entry is a pure function of the two specs (the lock beside the pin
    records where and when the new one was fetched), so regenerating from the same inputs gives the same bytes.
    """
    spec = f"{md_code(entry.spec_name)} {entry.old_sha[:12]} → {entry.new_sha[:12]}"
    lines = [f"## {entry.version}", "", f"Spec {spec}.", ""]
    lines.append(entry.summary())
    breaking = [c for c in entry.changes if c.breaking]
    other = [c for c in entry.changes if not c.breaking]
    for heading, group in (("Breaking changes", breaking), ("Other changes", other)):
        if group:
            lines += ["", f"### {heading}", ""]
            lines += [f"- {md_code(c.where)}: {md_message(c.message)} ({md_code(c.pointer)})" for c in group]
    return "\n".join(lines) + "\n"


def render_text(changes: list[Change]) -> str:
    """Plain text for a terminal: one line per change, breaking ones first, then a verdict line."""
    lines = []
    for change in sorted(changes, key=lambda c: not c.breaking):
        tag = "BREAKING" if change.breaking else "ok      "
        message = md_text(plain_message(change.message))
        lines.append(f"{tag} {md_text(change.where)}: {message} ({md_text(change.pointer)})")
    count = sum(c.breaking for c in changes)
    lines.append(f"{len(changes)} changes, {count} breaking; semver level: {bump_level(changes)}")
    return "\n".join(lines) + "\n"


def render_json(changes: list[Change]) -> str:
    data = {
        "breaking": is_breaking(changes),
        "level": bump_level(changes),
        "changes": [c.as_json() for c in changes],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def prepend_entry(existing: str | None, entry_markdown: str) -> str:
    """The changelog with the entry on top (below the title), existing entries kept as they were."""
    body = (existing or TITLE).removeprefix(TITLE).lstrip("\n")
    return f"{TITLE}\n{entry_markdown}" + (f"\n{body}" if body else "")
