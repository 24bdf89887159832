"""Errors raised by the client. Every one is an ErrorRoot: the package's `<Name>Error`, defined in _names.py."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._names import ErrorRoot
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
    "status_error_class",
]


class MissingCredentialError(ErrorRoot):
    """An operation needs credentials the client was not given. Raised before anything is sent."""


class APIConnectionError(ErrorRoot):
    """No response: the server could not be reached or the connection failed mid-request."""

    def __init__(self, message: str = "Connection error.", *, request: httpx.Request) -> None:
        super().__init__(message)
        self.request = request


class APITimeoutError(APIConnectionError):
    """The request took longer than the client's (or the call's) timeout."""

    def __init__(self, *, request: httpx.Request) -> None:
        super().__init__("Request timed out.", request=request)


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
        request_id = response.headers.get("x-request-id") or response.headers.get("request-id")
        self.request_id: str | None = str(request_id) if request_id else None


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
