"""Value types shared by models and resources: the UNSET marker, file uploads, JSON encoding."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from enum import Enum
from typing import IO, Any, Literal, Optional, Union
from uuid import UUID

from ._names import ErrorRoot

__all__ = [
    "UNSET",
    "File",
    "FileContent",
    "FileTypes",
    "NaiveDatetimeError",
    "Unset",
    "parse_datetime",
    "to_json",
    "unknown_member",
]


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


class NaiveDatetimeError(ErrorRoot, ValueError):
    """A datetime without a UTC offset where the API needs an RFC 3339 date-time. Raised before sending.

    OpenAPI's `format: date-time` is RFC 3339 §5.6 `date-time`, whose offset is required: a naive
    datetime (tzinfo None) could mean any time zone, so the client refuses it rather than guess.
    `where` names the argument, field or parameter (`from_date`, `lines[0].start`, `query parameter
    since`); `value` is the datetime given.
    """

    def __init__(self, value: datetime.datetime, where: str = "") -> None:
        self.value = value
        self.where = where
        super().__init__(
            f"{where or 'a datetime'} is a naive datetime ({value.isoformat()}, no time zone): an OpenAPI"
            " date-time is RFC 3339, which needs a UTC offset. Give it one, e.g."
            " datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc), value.replace(tzinfo=datetime.timezone.utc)"
            " for a UTC time, or value.astimezone() for a local one"
        )

    def within(self, name: str) -> NaiveDatetimeError:
        """The same error, its place prefixed by the enclosing field, item (`[0]`) or parameter."""
        if not self.where:
            where = name
        elif self.where.startswith("["):
            where = name + self.where
        else:
            where = f"{name}.{self.where}"
        return NaiveDatetimeError(self.value, where)


_PLAIN = frozenset({str, int, float, bool, type(None)})


def to_json(value: Any, name: str = "") -> Any:
    """A value as JSON-ready data: models through to_dict, enums by value, dates in ISO 8601, ids as text.

    An aware datetime becomes RFC 3339 with its offset (`2024-01-01T00:00:00+00:00`). A naive one
    raises NaiveDatetimeError, its place named by `name` (this value's field or parameter) and the
    names of the members, items and fields it sits in.
    """
    if type(value) in _PLAIN:
        return value
    try:
        return _encode(value)
    except NaiveDatetimeError as error:
        if name:
            raise error.within(name) from None
        raise


def _encode(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime.datetime):
        if value.utcoffset() is None:
            raise NaiveDatetimeError(value)
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, Mapping):
        return {str(key): to_json(item, f"[{str(key)!r}]") for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(item, f"[{index}]") for index, item in enumerate(value)]
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
