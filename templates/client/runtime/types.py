"""Value types shared by models and resources: the UNSET marker, file uploads, JSON encoding and decoding."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Mapping
from enum import Enum
from typing import IO, Any, Literal, Optional, TypeVar, Union
from uuid import UUID

from ._names import ErrorRoot

__all__ = [
    "UNSET",
    "DecodeError",
    "File",
    "FileContent",
    "FileTypes",
    "InvalidValueError",
    "NaiveDatetimeError",
    "Unset",
    "as_object",
    "at",
    "decoded",
    "each",
    "field",
    "parse_datetime",
    "shown",
    "to_json",
    "unfit",
    "unknown_member",
]

T = TypeVar("T")


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


class InvalidValueError(ErrorRoot, ValueError):
    """A value given to the client or to a call that it cannot use, raised before anything is sent: a base
    URL that is not an absolute http(s) URL (or has a query or fragment), `max_retries` below 0, a path
    parameter that would make a path segment empty, `.` or `..`, a naive datetime (NaiveDatetimeError)."""


class NaiveDatetimeError(InvalidValueError):
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


# -- decoding: parsed JSON into models, and where it did not fit


class DecodeError(ErrorRoot, ValueError):
    """Parsed JSON that does not fit the type reading it (a model's `from_dict`, a list, a date, …).

    `pointer` is the JSON Pointer (RFC 6901) to the value inside what was being decoded, e.g.
    `/data/3/created_at` ("" for the value itself); `problem` says what did not fit. A call's response
    that does not fit raises APIResponseValidationError instead, which carries both and the response.
    """

    def __init__(self, problem: str, pointer: str = "") -> None:
        super().__init__(problem)
        self.problem = problem
        self.pointer = pointer

    def __str__(self) -> str:
        return f"at {self.pointer}: {self.problem}" if self.pointer else self.problem


# What a decoder (a constructor, parse_datetime, a from_dict on a bad value) raises on unfit input.
_UNFIT = (TypeError, ValueError, KeyError, AttributeError, IndexError, OverflowError)
_REQUIRED: Any = object()


def _token(name: str | int) -> str:
    """One JSON Pointer reference token (RFC 6901 §3: `~` as `~0`, `/` as `~1`)."""
    return str(name).replace("~", "~0").replace("/", "~1")


def shown(value: Any) -> str:
    """A JSON value in a few words for a message: `an object`, `an array`, `null`, `the string 'x…'`."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return f"the string {(value if len(value) <= 40 else value[:39] + '…')!r}"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    return type(value).__name__


_EXPECTED: dict[Any, str] = {
    parse_datetime: "an RFC 3339 date-time",
    datetime.date.fromisoformat: "an ISO 8601 date (YYYY-MM-DD)",
    UUID: "a UUID",
}


def at(name: str | int, decode: Callable[[Any], T], value: Any) -> T:
    """`decode(value)`, where `value` is member `name` (a property or an index) of the value being read.

    Raises DecodeError whose pointer starts with `/name`: a DecodeError from inside gets the prefix; any
    other failure (a bad date, a missing key, a wrong type) becomes one saying what the value was.
    """
    try:
        return decoded(decode, value)
    except DecodeError as error:
        error.pointer = f"/{_token(name)}{error.pointer}"
        raise


def decoded(decode: Callable[[Any], T], value: Any) -> T:
    """`decode(value)` for a whole value (a response body): any failure is a DecodeError."""
    try:
        return decode(value)
    except DecodeError:
        raise
    except _UNFIT as error:
        raise DecodeError(unfit(decode, value, error)) from error


def unfit(decode: Callable[[Any], Any], value: Any, error: BaseException) -> str:
    """Why `decode` could not read `value`, e.g. `the string 'x' is not an RFC 3339 date-time`."""
    expected = _EXPECTED.get(decode)
    if expected is not None:
        return f"{shown(value)} is not {expected}"
    return f"{shown(value)} could not be read: {error}"


def field(d: dict[str, Any], key: str, decode: Callable[[Any], Any] | None = None, default: Any = _REQUIRED) -> Any:
    """Property `key` taken out of `d` (a from_dict's copy of the object), read by `decode` when given.

    `default` when the property is absent (UNSET for an optional one); an absent required property
    raises DecodeError naming it.
    """
    if key not in d:
        if default is _REQUIRED:
            raise DecodeError(f"the required property {key!r} is missing")
        return default
    value = d.pop(key)
    return value if decode is None else at(key, decode, value)


def as_object(src: Any, model: str) -> dict[str, Any]:
    """A copy of the JSON object a `model` is read from; DecodeError when `src` is not an object."""
    if isinstance(src, Mapping):
        return dict(src)
    raise DecodeError(f"expected an object ({model}), got {shown(src)}")


def each(decode: Callable[[Any], T]) -> Callable[[Any], list[T]]:
    """A decoder of a JSON array whose items `decode` reads; DecodeError for anything but an array."""

    def read(value: Any) -> list[T]:
        if not isinstance(value, list):
            raise DecodeError(f"expected an array, got {shown(value)}")
        return [at(index, decode, item) for index, item in enumerate(value)]

    return read
