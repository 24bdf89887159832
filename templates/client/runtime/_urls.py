"""URLs in messages and settings: which query values are secret, URLs fit to print, the base URL check.

One rule decides what a message may show of a URL (`secret_query_name`); `safe_url` and `scrub`
apply it to every URL the client prints (connection errors, timeouts, reprs, the base URL refusal).
Nothing here does I/O.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from urllib.parse import unquote_plus, urlsplit, urlunsplit

__all__ = ["REDACTED", "checked_base_url", "origin", "safe_url", "scrub", "secret_query_name"]

REDACTED = "***"

# Words that mark a query parameter as a credential. A name is split into words at `_`, `-`, `.`,
# other punctuation, digits and camelCase humps (`apiKey` → api, key; `X-Amz-Signature` → x, amz,
# signature); one matching word (also in the plural) makes its value secret.
SECRET_WORDS = frozenset(
    {
        "accesstoken",
        "apikey",
        "auth",
        "authorization",
        "bearer",
        "clientsecret",
        "code",
        "cookie",
        "credential",
        "jwt",
        "key",
        "passwd",
        "password",
        "pwd",
        "secret",
        "session",
        "sessionid",
        "sig",
        "signature",
        "token",
    }
)
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


def secret_query_name(name: str, declared: Collection[str] = ()) -> bool:
    """Whether a query parameter's value must never appear in a message the client makes.

    True for a name in `declared` (the spec's apiKey `in: query` parameters, compared exactly) and for
    any name that looks like a credential: one of its words, compared case-insensitively, is in
    SECRET_WORDS (`api_key`, `apiKey`, `access_token`, `X-Amz-Signature`, `client_secret`, `code`;
    not `monkey` or `page`). The whole name also counts as one word (`apikey`, `accesstoken`).
    A wrongly hidden value costs a less useful message; a wrongly shown one leaks, so the list is broad.
    """
    if name in declared:
        return True
    words = [word.lower() for word in _WORD.findall(name)]
    words.append(re.sub(r"[^a-z0-9]", "", name.lower()))
    return any(word in SECRET_WORDS or (word.endswith("s") and word[:-1] in SECRET_WORDS) for word in words)


def _query(query: str, declared: Collection[str], every_value: bool) -> str:
    """A raw query string with secret values (or, with `every_value`, all values) replaced by `***`;
    the other pairs kept as they were encoded."""
    pairs = []
    for pair in query.split("&"):
        name, equals, _value = pair.partition("=")
        hide = equals and (every_value or secret_query_name(unquote_plus(name), declared))
        pairs.append(f"{name}={REDACTED}" if hide else pair)
    return "&".join(pairs)


def safe_url(url: object, declared: Collection[str] = (), *, every_value: bool = False) -> str:
    """`url` (a str or an httpx.URL) fit for a message: no `user:password@`, no fragment, and the value of
    every query parameter `secret_query_name` picks out (with `every_value`, of every parameter) shown
    as `***` (`?page=2&token=***`)."""
    parts = urlsplit(str(url))
    netloc = parts.netloc.rpartition("@")[2]
    query = _query(parts.query, declared, every_value) if parts.query else ""
    return urlunsplit((parts.scheme, netloc, parts.path, query, ""))


def scrub(text: str, url: object, declared: Collection[str] = ()) -> str:
    """`text` (e.g. an underlying error's wording) with what `safe_url` hides of `url` taken out: the URL
    itself, its password, and secret query values of 4 characters or more, raw or decoded, as `***`."""
    raw = str(url)
    text = text.replace(raw, safe_url(raw, declared))
    parts = urlsplit(raw)
    hidden = [parts.password or ""]
    for pair in parts.query.split("&") if parts.query else ():
        name, _, value = pair.partition("=")
        if secret_query_name(unquote_plus(name), declared):
            hidden += [value, unquote_plus(value)]
    for value in sorted({v for v in hidden if len(v) >= 4}, key=len, reverse=True):
        text = text.replace(value, REDACTED)
    return text


_DEFAULT_PORTS = {"http": 80, "https": 443}


def origin(url: object) -> str:
    """The origin of `url` (a str or an httpx.URL) as `scheme://host:port` (RFC 6454 §4: scheme and host in
    lower case, the scheme's default port written out), so two URLs share an origin when these are equal."""
    parts = urlsplit(str(url))
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port or _DEFAULT_PORTS.get(scheme)
    host = f"[{host}]" if ":" in host else host
    return f"{scheme}://{host}" + (f":{port}" if port else "")


def checked_base_url(value: str, source: str) -> str:
    """`value` without a trailing `/`, once it is an absolute http(s) URL with no query and no fragment.

    `source` says where the value came from (`base_url=` or the environment variable), for the message.
    Raises ValueError saying what is wrong and what to do; the message shows the URL through
    `safe_url(every_value=True)`, so it never repeats a password or any query value.
    """
    shown = safe_url(value, every_value=True)
    example = "e.g. https://api.example.com/v1"
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number in range
    except ValueError:
        raise ValueError(f"{source} {shown!r} is not a valid URL: give an absolute http(s) URL, {example}") from None
    if any(char.isspace() or ord(char) < 0x20 or ord(char) == 0x7F for char in value):
        raise ValueError(f"{source} {shown!r} contains whitespace or control characters: remove them")
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{source} {shown!r} is not an absolute http(s) URL: give scheme and host, {example}")
    if "?" in value:
        raise ValueError(
            f"{source} {shown!r} has a query string: the base URL is joined with each operation's path, so"
            " a query there would corrupt every request; give the URL without '?…' and pass query"
            " parameters per call with extra_query={...} (credentials through the client's own arguments)"
        )
    if "#" in value:
        raise ValueError(f"{source} {shown!r} has a fragment ('#…'), which is never sent: remove it")
    return value.rstrip("/")
