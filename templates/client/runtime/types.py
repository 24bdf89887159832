"""Value types shared by models and resources: the UNSET marker, file uploads, JSON encoding."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from enum import Enum
from typing import IO, Any, Literal, Optional, Union
from uuid import UUID

__all__ = ["UNSET", "File", "FileContent", "FileTypes", "Unset", "parse_datetime", "to_json", "unknown_member"]


class Unset:
    """The type of UNSET: an argument or field that was not given. None is different: it is sent as null."""

    __slots__ = ()

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Unset = Unset()

FileContent = Union[IO[bytes], bytes, str]
FileTypes = tuple[Optional[str], FileContent, Optional[str]]


class File:
    """A file to upload: its content, and optionally its name and media type."""

    __slots__ = ("file_name", "mime_type", "payload")

    def __init__(self, payload: FileContent, file_name: str | None = None, mime_type: str | None = None) -> None:
        self.payload = payload
        self.file_name = file_name
        self.mime_type = mime_type

    def to_tuple(self) -> FileTypes:
        """The (name, content, media type) triple httpx takes for multipart uploads."""
        return self.file_name, self.payload, self.mime_type

    def __repr__(self) -> str:
        return f"File(file_name={self.file_name!r}, mime_type={self.mime_type!r})"


_PLAIN = frozenset({str, int, float, bool, type(None)})


def to_json(value: Any) -> Any:
    """A value as JSON-ready data: models through to_dict, enums by value, dates in ISO 8601, ids as text."""
    if type(value) in _PLAIN:
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime.date):  # datetime.datetime too
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, Mapping):
        return {str(key): to_json(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(item) for item in value]
    if isinstance(value, File):
        return value.to_tuple()
    to_dict = getattr(value, "to_dict", None)
    return to_dict() if callable(to_dict) else value


_DATETIME = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)[Tt ](\d\d):(\d\d)(?::(\d\d)(?:[.,](\d+))?)?\s*([Zz]|[+-]\d\d(?::?\d\d)?)?"
)


def parse_datetime(value: str) -> datetime.datetime:
    """An RFC 3339 / ISO 8601 date-time as servers send it: `Z`, offsets, any fraction of a second."""
    match = _DATETIME.fullmatch(value.strip())
    if match is None:
        return datetime.datetime.fromisoformat(value)  # e.g. a bare date; raises ValueError otherwise
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    tz: datetime.tzinfo | None = None
    if zone and zone in "Zz":
        tz = datetime.timezone.utc
    elif zone:
        digits = zone[1:].replace(":", "")
        offset = datetime.timedelta(hours=int(digits[:2]), minutes=int(digits[2:] or 0))
        tz = datetime.timezone(-offset if zone[0] == "-" else offset)
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    return datetime.datetime(
        int(year), int(month), int(day), int(hour), int(minute), int(second or 0), micro, tzinfo=tz
    )


def unknown_member(cls: type[Enum], value: object) -> Any:
    """An enum member for a value the spec did not list, so a newer server never breaks parsing.

    Enums call this from `_missing_`; the member compares equal to the raw value and keeps it in `.value`.
    """
    base: Any = str if issubclass(cls, str) else int
    if not isinstance(value, base) or isinstance(value, bool):
        return None
    member: Any = base.__new__(cls, value)
    member._name_ = "UNKNOWN"
    member._value_ = value
    return cls._value2member_map_.setdefault(value, member)
