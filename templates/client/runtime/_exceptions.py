"""Errors raised by the client. Every one is an ErrorRoot: the package's `<Name>Error`, defined in _names.py."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._names import REQUEST_ID_HEADER, ErrorRoot
from ._retries import retry_after
from .types import Unset

if TYPE_CHECKING:
    import httpx

__all__ = [
    "APIConnectionError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "CrossOriginRedirectError",
    "InternalServerError",
    "MissingCredentialError",
    "NotFoundError",
    "PaginationCycleError",
    "PermissionDeniedError",
    "RateLimitError",
    "UnprocessableEntityError",
    "request_id",
    "status_error_class",
]


def request_id(headers: httpx.Headers) -> str | None:
    """The id the server gave a request, to quote when asking for support: the response header the
    spec documents for it (one that looks like a request id), else `x-request-id`."""
    value = headers.get(REQUEST_ID_HEADER)
    return str(value) if value else None


class MissingCredentialError(ErrorRoot):
    """An operation needs credentials the client was not given. Raised before anything is sent."""


class APIConnectionError(ErrorRoot):
    """No response: the server could not be reached or the connection failed mid-request.

    The message names the method, the URL (no user:password; secret-looking query values as `***`)
    and the cause, e.g. `POST http://127.0.0.1:9/invoices: connection refused ([Errno 111] …)`;
    the httpx exception is kept as `__cause__`.
    """

    def __init__(self, message: str = "Connection error.", *, request: httpx.Request) -> None:
        super().__init__(message)
        self.request = request


class APITimeoutError(APIConnectionError):
    """The request took longer than the client's (or the call's) timeout."""

    def __init__(self, message: str = "Request timed out.", *, request: httpx.Request) -> None:
        super().__init__(message, request=request)


class _ResponseError(ErrorRoot):
    """An error about a response the API sent: its status, headers, body and request id."""

    def __init__(self, message: str, *, response: httpx.Response, body: Any) -> None:
        super().__init__(message)
        self.response = response
        self.status_code: int = response.status_code
        self.headers: httpx.Headers = response.headers
        self.body = body
        self.request_id: str | None = request_id(response.headers)


class APIStatusError(_ResponseError):
    """The API answered with a status outside 2xx.

    `body` is the parsed JSON (or the text) of the response; `parsed` is the error model the spec
    declares for this status, when it declares one. `retry_after` is the wait in seconds the server
    asked for in `Retry-After` (or `retry-after-ms`), None when it sent none: when it asks for longer
    than the client waits between retries (60 s), the client raises at once and leaves the choice to you.
    """

    def __init__(self, message: str, *, response: httpx.Response, body: Any, parsed: Any = None) -> None:
        super().__init__(message, response=response, body=body)
        self.parsed = parsed
        self.retry_after: float | None = retry_after(response.headers)


class APIResponseValidationError(_ResponseError):
    """A 2xx response whose body does not match the spec: not JSON (an HTML page, a cut-off body), empty
    where the operation returns a value, or JSON of another shape (a required property missing, a date
    that is not one, a page whose items are not an array).

    `pointer` is the JSON Pointer (RFC 6901) to where inside the body it did not match (`/data/3/id`;
    "" for the body as a whole) and `problem` what did not match; `content` is the raw body (bytes),
    `body` its parsed JSON or text. The DecodeError that found it is `__cause__`.
    """

    def __init__(self, message: str, *, response: httpx.Response, body: Any, pointer: str, problem: str) -> None:
        super().__init__(message, response=response, body=body)
        self.content: bytes = response.content
        self.pointer = pointer
        self.problem = problem


class CrossOriginRedirectError(APIStatusError):
    """The API redirected a call to another origin (scheme, host or port), which the client never follows:
    the request would take the credentials and body with it. Raised only when the `http_client=` given
    follows redirects (a same-origin redirect is followed then); `location` is the target, without
    secrets. Call that URL yourself if you trust it."""

    def __init__(self, message: str, *, response: httpx.Response, body: Any, location: str) -> None:
        super().__init__(message, response=response, body=body)
        self.location = location


class PaginationCycleError(ErrorRoot):
    """Walking the pages of a list met a cursor it had already followed: the server's cursors loop
    (A → B → A), so iterating would never end. `cursor` is the repeated cursor, `pages` how many pages
    the walk had fetched. A page that returns the very cursor it was fetched with simply ends the walk."""

    def __init__(self, message: str, *, cursor: str, pages: int) -> None:
        super().__init__(message)
        self.cursor = cursor
        self.pages = pages


class BadRequestError(APIStatusError):
    """400 Bad Request."""


class AuthenticationError(APIStatusError):
    """401 Unauthorized: the credentials are missing, wrong or expired."""


class PermissionDeniedError(APIStatusError):
    """403 Forbidden."""


class NotFoundError(APIStatusError):
    """404 Not Found."""


class ConflictError(APIStatusError):
    """409 Conflict."""


class UnprocessableEntityError(APIStatusError):
    """422 Unprocessable Entity: the request failed validation; `detail` says where and why."""

    @property
    def detail(self) -> Any:
        """The validation errors: from the parsed error model when the spec declares one, else the body's."""
        value = getattr(self.parsed, "detail", None)
        if value is not None and not isinstance(value, Unset):
            return value
        return self.body.get("detail") if isinstance(self.body, dict) else None


class RateLimitError(APIStatusError):
    """429 Too Many Requests (raised once the retries are spent)."""


class InternalServerError(APIStatusError):
    """A 5xx status."""


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def status_error_class(status_code: int) -> type[APIStatusError]:
    """The most specific error class for a status code."""
    if status_code >= 500:
        return InternalServerError
    return _BY_STATUS.get(status_code, APIStatusError)
