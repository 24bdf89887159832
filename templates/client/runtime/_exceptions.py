"""Errors raised by the client. Every one is an ErrorRoot: the package's `<Name>Error`, defined in _names.py."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._names import REQUEST_ID_HEADER, ErrorRoot
from .types import Unset

if TYPE_CHECKING:
    import httpx

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InternalServerError",
    "MissingCredentialError",
    "NotFoundError",
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


class APIStatusError(ErrorRoot):
    """The API answered with a status outside 2xx.

    `body` is the parsed JSON (or the text) of the response; `parsed` is the error model the spec
    declares for this status, when it declares one.
    """

    def __init__(self, message: str, *, response: httpx.Response, body: Any, parsed: Any = None) -> None:
        super().__init__(message)
        self.response = response
        self.status_code: int = response.status_code
        self.headers: httpx.Headers = response.headers
        self.body = body
        self.parsed = parsed
        self.request_id: str | None = request_id(response.headers)


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
