"""Spec descriptions as readable text: HTML (raw or entity-escaped) becomes Markdown, Markdown stays as written.

Every description the pipeline writes out (READMEs, api.md, the client's and the mock's docstrings, the
mock's model docstrings) passes through `description_text` first. The result is plain data: the
templates' filters still make it safe for where it lands (a docstring, a Markdown cell), so nothing
here needs to defend against code.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

# HTML elements whose presence makes a description HTML. Tag-like words outside this set (`<region>`,
# `<primary ETag>`) are placeholders written in Markdown or plain text, and are left alone.
HTML_ELEMENTS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "details", "dfn", "div",
        "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark",
        "ol", "p", "pre", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "summary", "sup",
        "table", "tbody", "td", "tfoot", "th", "thead", "tr", "tt", "u", "ul", "var",
    }
)  # fmt: skip
# Entity-escaped tags count only for the elements prose is written with: an escaped `&lt;summary&gt;`
# is far more often an XML example shown as text than escaped HTML.
ESCAPED_PROSE_ELEMENTS = frozenset({"a", "b", "br", "code", "em", "i", "li", "ol", "p", "pre", "strong", "ul"})
# A start, end or empty tag, as written or entity-escaped (`<br/>`, `&lt;a href=…&gt;`).
_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)(?:\s[^<>]*)?/?>")
_ESCAPED_TAG = re.compile(r"&lt;/?([A-Za-z][A-Za-z0-9]*)(?:\s.*?)?/?&gt;", re.DOTALL)
_BLANK_RUNS = re.compile(r"\n{3,}")
# Markup for documentation tools, not text: MDX/JSX components written self-closing (`<SecurityDefinitions />`,
# which ReDoc replaces with the auth section) and HTML comments (`<!-- ReDoc-Inject: … -->`). Placeholders
# such as `<region>` are never self-closing, so they are not matched.
_TOOL_MARKUP = re.compile(r"<!--.*?-->|<([A-Za-z][\w.-]*)(?:\s[^<>]*)?/>", re.DOTALL)


def _without_tool_markup(text: str) -> str:
    """`text` without self-closing non-HTML tags and HTML comments (an HTML void tag such as `<br/>` stays)."""

    def drop(match: re.Match[str]) -> str:
        name = match.group(1)
        return match.group(0) if name is not None and name.lower() in HTML_ELEMENTS else ""

    return _TOOL_MARKUP.sub(drop, text)


def _has_html(text: str, pattern: re.Pattern[str], elements: frozenset[str] = HTML_ELEMENTS) -> bool:
    return any(match.group(1).lower() in elements for match in pattern.finditer(text))


@lru_cache(maxsize=4096)
def description_text(value: str) -> str:
    """`value` (a description, summary or title from the spec) as Markdown text.

    - Documentation-tool markup is dropped first: self-closing MDX/JSX components (`<SecurityDefinitions />`)
      and HTML comments, which a reader would otherwise see escaped.
    - Text without an HTML element (Markdown, plain text, `a < b`, `<placeholder>`) comes back unchanged.
    - HTML becomes Markdown (markdownify over BeautifulSoup's html.parser): `<a href="u">x</a>` → `[x](u)`,
      `<code>` → backticks, `<br/>` → a line break, lists → `- ` items; tags it does not know keep
      their text. Entities inside HTML are decoded (`<code>&lt;key&gt;</code>` → `` `<key>` ``).
    - Text whose HTML is entity-escaped throughout (`&lt;p&gt;Hi&lt;/p&gt;`, no raw tag) is unescaped
      first, then converted, when an escaped tag is one prose is written with (ESCAPED_PROSE_ELEMENTS).

    The result has no trailing spaces on its lines, at most one blank line in a row, and no leading or
    trailing blank lines. It never raises: anything the parser cannot make sense of is kept as text.
    """
    if "<" not in value and "&lt;" not in value:
        return value
    if _TOOL_MARKUP.search(value):
        value = _tidy(_without_tool_markup(value))
    if _has_html(value, _TAG):
        source = value
    elif _has_html(value, _ESCAPED_TAG, ESCAPED_PROSE_ELEMENTS):
        source = html.unescape(value)
    else:
        return value
    from markdownify import markdownify

    converted = markdownify(
        source,
        heading_style="ATX",
        bullets="-",
        # Markdown already in the text (`*`, `_`) stays Markdown rather than being escaped.
        escape_asterisks=False,
        escape_underscores=False,
        escape_misc=False,
    )
    return _tidy(converted)


def _tidy(text: str) -> str:
    """No trailing spaces, at most one blank line in a row, no leading or trailing blank lines."""
    lines = [line.rstrip() for line in text.splitlines()]
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()
