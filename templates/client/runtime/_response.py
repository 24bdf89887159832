"""Responses as callers see them besides the parsed body.

`APIResponse` (from `.with_raw_response.<method>(...)`): status, headers and the body parsed on demand.
`StreamedResponse` / `AsyncStreamedResponse` (from `.with_streaming_response.<method>(...)`, used as a
context manager): the body is not read until asked for, so a large download is iterated in chunks
and the connection is released when the `with` block ends. Error bodies become short messages here.
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

import httpx

from ._exceptions import APIConnectionError, request_id

if TYPE_CHECKING:
    from typing_extensions import ParamSpec, TypeAlias

    P = ParamSpec("P")
    # Turns a transport failure met while reading a streamed body into the client's APIConnectionError.
    OnError: TypeAlias = Callable[[httpx.TransportError], APIConnectionError]

__all__ = [
    "APIResponse",
    "AsyncResponseContextManager",
    "AsyncStreamedResponse",
    "ResponseContextManager",
    "StreamedResponse",
    "async_streaming_response_wrapper",
    "error_body",
    "request_id",
    "streaming_response_wrapper",
    "summary",
]

T = TypeVar("T")


def error_body(response: httpx.Response) -> Any:
    """The body of a read error response: parsed JSON, else its text; None when empty."""
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return response.text


def summary(body: Any) -> str:
    """A short human reading of an error body (FastAPI's validation list as `where: what`), ≤ ~300 characters."""
    if isinstance(body, dict):
        for key in ("detail", "message", "error", "error_description"):
            value = body.get(key)
            if isinstance(value, str) and value:
                return value[:300]
            if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
                found = [
                    ".".join(str(part) for part in item.get("loc") or []) + ": " + str(item.get("msg", ""))
                    for item in value[:3]
                ]
                return "; ".join(found)[:300] + ("; …" if len(value) > 3 else "")
    if isinstance(body, str) and body.strip():
        return " ".join(body.split())[:300]
    return ""


class _ResponseInfo:
    """Status, headers and request id of a response, whatever way its body is read."""

    http_response: httpx.Response

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def request_id(self) -> str | None:
        """The id the server gave this request (the response header the spec documents for it)."""
        return request_id(self.http_response.headers)

    def __repr__(self) -> str:
        request = self.http_response.request
        return f"<{type(self).__name__} {self.status_code} {request.method} {request.url.path}>"


class APIResponse(_ResponseInfo, Generic[T]):
    """An HTTP response with its body parsed on demand, from `.with_raw_response.<method>(...)`."""

    def __init__(self, http_response: httpx.Response, parse: Callable[[httpx.Response], T]) -> None:
        self.http_response = http_response
        self._parse = parse
        self._parsed: tuple[T] | None = None

    @property
    def content(self) -> bytes:
        return self.http_response.content

    def json(self) -> Any:
        return self.http_response.json()

    def parse(self) -> T:
        """The body as the method would have returned it (parsed once, then cached)."""
        if self._parsed is None:
            self._parsed = (self._parse(self.http_response),)
        return self._parsed[0]

    @property
    def parsed(self) -> T:
        return self.parse()


class StreamedResponse(_ResponseInfo, Generic[T]):
    """A 2xx response whose body has not been read yet, from `.with_streaming_response.<method>(...)`.

    Iterate the body with `iter_bytes()`, `iter_text()` or `iter_lines()` (each chunk as it arrives,
    never the whole body in memory), or read it whole with `read()` / `parse()`. A failure while
    reading raises APIConnectionError (APITimeoutError for a timeout). The connection is released
    when the `with` block ends, or by `close()`.
    """

    def __init__(self, http_response: httpx.Response, parse: Callable[[httpx.Response], T], on_error: OnError) -> None:
        self.http_response = http_response
        self._parse = parse
        self._on_error = on_error
        self._parsed: tuple[T] | None = None

    def _guarded(self, chunks: Iterator[Any]) -> Iterator[Any]:
        try:
            yield from chunks
        except httpx.TransportError as error:
            raise self._on_error(error) from error

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        """The body's bytes as they arrive (decompressed); `chunk_size` bytes each if given, else as received."""
        return cast("Iterator[bytes]", self._guarded(self.http_response.iter_bytes(chunk_size)))

    def iter_text(self, chunk_size: int | None = None) -> Iterator[str]:
        """The body as text, decoded with the response's charset (UTF-8 if it names none), as it arrives."""
        return cast("Iterator[str]", self._guarded(self.http_response.iter_text(chunk_size)))

    def iter_lines(self) -> Iterator[str]:
        """The body's lines as they arrive, without their line endings."""
        return cast("Iterator[str]", self._guarded(self.http_response.iter_lines()))

    def read(self) -> bytes:
        """The whole body (read once, then kept)."""
        try:
            return self.http_response.read()
        except httpx.TransportError as error:
            raise self._on_error(error) from error

    def parse(self) -> T:
        """The whole body as the method would have returned it (reads it first; parsed once)."""
        if self._parsed is None:
            self.read()
            self._parsed = (self._parse(self.http_response),)
        return self._parsed[0]

    @property
    def is_closed(self) -> bool:
        return self.http_response.is_closed

    def close(self) -> None:
        """Release the connection; what was not read is discarded."""
        self.http_response.close()


class AsyncStreamedResponse(_ResponseInfo, Generic[T]):
    """The async twin of StreamedResponse: `aiter_bytes()`, `aiter_text()`, `aiter_lines()`, `await read()`,
    `await parse()`, `await close()`."""

    def __init__(self, http_response: httpx.Response, parse: Callable[[httpx.Response], T], on_error: OnError) -> None:
        self.http_response = http_response
        self._parse = parse
        self._on_error = on_error
        self._parsed: tuple[T] | None = None

    async def _guarded(self, chunks: AsyncIterator[Any]) -> AsyncIterator[Any]:
        try:
            async for chunk in chunks:
                yield chunk
        except httpx.TransportError as error:
            raise self._on_error(error) from error

    def aiter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        """The body's bytes as they arrive (decompressed); `chunk_size` bytes each if given, else as received."""
        return cast("AsyncIterator[bytes]", self._guarded(self.http_response.aiter_bytes(chunk_size)))

    def aiter_text(self, chunk_size: int | None = None) -> AsyncIterator[str]:
        """The body as text, decoded with the response's charset (UTF-8 if it names none), as it arrives."""
        return cast("AsyncIterator[str]", self._guarded(self.http_response.aiter_text(chunk_size)))

    def aiter_lines(self) -> AsyncIterator[str]:
        """The body's lines as they arrive, without their line endings."""
        return cast("AsyncIterator[str]", self._guarded(self.http_response.aiter_lines()))

    async def read(self) -> bytes:
        """The whole body (read once, then kept)."""
        try:
            return await self.http_response.aread()
        except httpx.TransportError as error:
            raise self._on_error(error) from error

    async def parse(self) -> T:
        """The whole body as the method would have returned it (reads it first; parsed once)."""
        if self._parsed is None:
            await self.read()
            self._parsed = (self._parse(self.http_response),)
        return self._parsed[0]

    @property
    def is_closed(self) -> bool:
        return self.http_response.is_closed

    async def close(self) -> None:
        """Release the connection; what was not read is discarded."""
        await self.http_response.aclose()


class ResponseContextManager(Generic[T]):
    """`with client.<resource>.with_streaming_response.<method>(...) as response:` sends the call on entry
    (raising the typed error for a status outside 2xx) and closes the response on exit."""

    def __init__(self, send: Callable[[], StreamedResponse[T]]) -> None:
        self._send = send
        self._response: StreamedResponse[T] | None = None

    def __enter__(self) -> StreamedResponse[T]:
        self._response = self._send()
        return self._response

    def __exit__(self, *exc_info: object) -> None:
        if self._response is not None:
            self._response.close()


class AsyncResponseContextManager(Generic[T]):
    """`async with client.<resource>.with_streaming_response.<method>(...) as response:`; see ResponseContextManager."""

    def __init__(self, send: Callable[[], Awaitable[AsyncStreamedResponse[T]]]) -> None:
        self._send = send
        self._response: AsyncStreamedResponse[T] | None = None

    async def __aenter__(self) -> AsyncStreamedResponse[T]:
        self._response = await self._send()
        return self._response

    async def __aexit__(self, *exc_info: object) -> None:
        if self._response is not None:
            await self._response.close()


def streaming_response_wrapper(method: Callable[P, T]) -> Callable[P, ResponseContextManager[T]]:
    """A method bound to a streaming client (whose calls return a StreamedResponse), as a context manager."""

    @functools.wraps(method)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> ResponseContextManager[T]:
        return ResponseContextManager(lambda: cast("StreamedResponse[T]", method(*args, **kwargs)))

    return wrapped


def async_streaming_response_wrapper(
    method: Callable[P, Awaitable[T]],
) -> Callable[P, AsyncResponseContextManager[T]]:
    """An async method (or list method) bound to a streaming client, as an async context manager."""

    @functools.wraps(method)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> AsyncResponseContextManager[T]:
        return AsyncResponseContextManager(lambda: cast("Awaitable[AsyncStreamedResponse[T]]", method(*args, **kwargs)))

    return wrapped
