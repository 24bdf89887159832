"""The one answer to "what kind of media type is this", for the client, the mock, the diff and the transforms.

Media types are compared by their essence (RFC 9110 §8.3.1: type/subtype, case-insensitive, without
parameters such as `charset`). JSON is `application/json` and every structured-syntax `+json` type
(RFC 6839 §3.1), e.g. `application/vnd.api+json` or `application/problem+json`; `text/json` and
`*/*` are not JSON (a generator cannot know what they carry).
"""

from __future__ import annotations

from collections.abc import Iterable

FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"
OCTET_STREAM = "application/octet-stream"


def essence(media_type: str) -> str:
    """`Application/JSON; charset=utf-8` → `application/json`."""
    return media_type.split(";", 1)[0].strip().lower()


def is_json(media_type: str) -> bool:
    """Whether a body of this media type is JSON: application/json or any `+json` type, parameters ignored."""
    base = essence(media_type)
    kind, _, subtype = base.partition("/")
    return kind == "application" and (subtype == "json" or subtype.endswith("+json"))


def media_kind(media_type: str) -> str | None:
    """How a body of this media type is carried: json, form, multipart, binary, text, or None (opaque)."""
    base = essence(media_type)
    if is_json(base):
        return "json"
    known = {FORM: "form", MULTIPART: "multipart", OCTET_STREAM: "binary"}
    if base in known:
        return known[base]
    return "text" if base.startswith("text/") else None


def preferred_response(media_types: Iterable[str]) -> str | None:
    """The media type a client asks for and a mock answers with: application/json, else another
    JSON type, else the first one listed (spec order)."""
    names = list(media_types)
    for test in (lambda m: essence(m) == "application/json", is_json):
        found = next((m for m in names if test(m)), None)
        if found is not None:
            return found
    return names[0] if names else None
