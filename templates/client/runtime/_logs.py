"""Keeping credentials out of the log lines the client causes.

httpx logs every request at INFO, query string included (`HTTP Request: GET https://…?api_key=…
"HTTP/1.1 200 OK"`), so an API key sent in the query would reach every log handler. Each client puts
one filter on the `httpx` logger (the same one for every client of this package) that shows each URL in
a record as `safe_url` does: no `user:password@`, secret query values as `***`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from ._urls import safe_url

__all__ = ["redact_http_logs"]

HTTP_LOGGER = "httpx"
_URL = re.compile(r"https?://[^\s\"'<>]+")


class _RedactURLs(logging.Filter):
    """Rewrites a record whose message holds a URL with a query or a password (other records pass as they are)."""

    def __init__(self) -> None:
        super().__init__()
        self.declared: set[str] = set()  # the spec's query credential names, of every client made

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a record that cannot be formatted is the logging module's to report
            return True
        if "?" in message or "@" in message:
            redacted = _URL.sub(lambda found: safe_url(found.group(0), self.declared), message)
            if redacted != message:
                record.msg, record.args = redacted, ()
        return True


_FILTER = _RedactURLs()


def redact_http_logs(declared: Iterable[str]) -> None:
    """Put the filter on httpx's logger (once) and add `declared` to the query names it always hides."""
    _FILTER.declared.update(declared)
    logger = logging.getLogger(HTTP_LOGGER)
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)
