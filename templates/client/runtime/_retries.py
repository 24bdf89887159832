"""When to retry and how long to wait, and what a failed connection is called in an error message."""

from __future__ import annotations

import errno
import math
import os
import random
import socket
import ssl
from typing import TYPE_CHECKING

import httpx

if TYPE_CHECKING:
    from ._request import Operation

INITIAL_RETRY_DELAY = 0.5  # seconds before the first retry; doubles each time
MAX_RETRY_DELAY = 8.0
MAX_RETRY_AFTER = 60.0  # a server's Retry-After is waited up to this many seconds; beyond, no retry


def retry_after(headers: httpx.Headers) -> float | None:
    """Seconds the server asked us to wait (Retry-After as seconds or an HTTP date, or retry-after-ms)."""
    millis = headers.get("retry-after-ms")
    if millis:
        try:
            seconds = float(millis) / 1000
        except ValueError:
            seconds = math.nan
        if math.isfinite(seconds):
            return max(seconds, 0.0)
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        import datetime
        from email.utils import parsedate_to_datetime

        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=datetime.timezone.utc)
        seconds = (when - datetime.datetime.now(datetime.timezone.utc)).total_seconds()
    return max(seconds, 0.0) if math.isfinite(seconds) else None


def retry_delay(retry: int, response: httpx.Response | None) -> float:
    """Seconds before retry number `retry` (1, 2, …): the server's Retry-After, capped, else backoff."""
    if response is not None:
        asked = retry_after(response.headers)
        if asked is not None:
            return min(asked, MAX_RETRY_AFTER)
    backoff = min(INITIAL_RETRY_DELAY * 2.0 ** (retry - 1), MAX_RETRY_DELAY)
    return backoff * (1 - 0.25 * random.random())  # jitter spreads out clients that failed together


def never_sent(error: httpx.TransportError) -> bool:
    """The request provably did not reach the server: safe to retry even a POST."""
    return isinstance(error, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout))


def should_retry_status(op: Operation, response: httpx.Response) -> bool:
    """429 was not processed, so any method retries; 408 and 5xx only where repeating is harmless.

    Never when the server asks to wait longer than MAX_RETRY_AFTER: blocking that long is the caller's
    choice, so the error is raised at once, carrying the server's `retry_after`.
    """
    status_code = response.status_code
    if status_code != 429 and not (op.idempotent and (status_code == 408 or status_code >= 500)):
        return False
    asked = retry_after(response.headers)
    return asked is None or asked <= MAX_RETRY_AFTER


def should_retry_error(op: Operation, error: httpx.TransportError) -> bool:
    if isinstance(error, (httpx.UnsupportedProtocol, httpx.LocalProtocolError)):
        return False  # a bad URL or header: sending it again cannot help
    return never_sent(error) or op.idempotent


def _causes(error: BaseException) -> list[BaseException]:
    """The error and what caused it, outermost first, through `__cause__`/`__context__` and into the
    members of an exception group (anyio reports each failed connection attempt as one). Bounded."""
    chain: list[BaseException] = []
    pending: list[BaseException] = [error]
    while pending and len(chain) < 32:
        current = pending.pop(0)
        if any(current is seen for seen in chain):
            continue
        chain.append(current)
        members = getattr(current, "exceptions", None)
        if isinstance(members, (list, tuple)):
            pending.extend(m for m in members if isinstance(m, BaseException))
        cause = current.__cause__ or current.__context__
        if cause is not None:
            pending.append(cause)
    return chain


def _detail(chain: list[BaseException], error: BaseException) -> str:
    """The most telling text of a failure: the first operating-system error with an error number, as
    `[Errno 111] Connection refused` (the same words sync and async: asyncio's own text names the
    address, and httpx's async error only says `All connection attempts failed`); else the first
    non-empty text in the chain; else the error's type name."""
    for e in chain:
        code = getattr(e, "errno", None)
        plain = isinstance(e, OSError) and not isinstance(e, (socket.gaierror, ssl.SSLError))
        if plain and isinstance(code, int) and code in errno.errorcode:
            return f"[Errno {code}] {os.strerror(code)}"
    return next((str(e) for e in chain if str(e)), type(error).__name__)


_TIMEOUTS = {
    httpx.ConnectTimeout: ("timed out connecting", "connect"),
    httpx.ReadTimeout: ("timed out waiting for the response", "read"),
    httpx.WriteTimeout: ("timed out sending the request", "write"),
    httpx.PoolTimeout: ("timed out waiting for a free connection in the pool", "pool"),
}


def failure(error: httpx.TransportError, request: httpx.Request) -> str:
    """What went wrong, in words, then the underlying error's text in parentheses.

    e.g. `connection refused ([Errno 111] Connection refused)`, `timed out waiting for the response
    (read timeout 0.1 s)`. The caller redacts credentials from the result.
    """
    chain = _causes(error)
    detail = _detail(chain, error)
    for kind, (what, phase) in _TIMEOUTS.items():
        if isinstance(error, kind):
            limit = request.extensions.get("timeout", {}).get(phase)
            return f"{what} ({phase} timeout {limit:g} s)" if isinstance(limit, (int, float)) else what
    if isinstance(error, httpx.ConnectError):
        codes = {getattr(e, "errno", None) for e in chain if isinstance(e, OSError)}
        if errno.ECONNREFUSED in codes or "refused" in detail.lower():
            what = "connection refused"
        elif any(isinstance(e, socket.gaierror) for e in chain):
            what = "could not resolve the host name"
        elif any(isinstance(e, ssl.SSLError) for e in chain):
            what = "TLS handshake failed"
        else:
            what = "could not connect"
    elif isinstance(error, httpx.RemoteProtocolError):
        what = "the server closed the connection without a complete response"
    elif isinstance(error, httpx.ReadError):
        what = "the connection broke while reading the response"
    elif isinstance(error, httpx.WriteError):
        what = "the connection broke while sending the request"
    elif isinstance(error, httpx.UnsupportedProtocol):
        what = "unsupported URL"
    elif isinstance(error, httpx.ProxyError):
        what = "the proxy failed"
    else:
        what = "connection error"
    return f"{what} ({detail})"
