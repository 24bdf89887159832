"""The transport under both clients: sending with retries, turning answers into results or errors.

Request building lives in _request.py, credentials in _auth.py, the retry policy and connection
failure wording in _retries.py, response objects in _response.py, what the two transports share
(results, typed errors, redirects) in _results.py. Generated modules import what they
need from here (`from .. import _base_client as _base`), so the names below stay this module's API.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar, Union, cast

import httpx

from ._auth import Scheme, Secret
from ._exceptions import APIConnectionError
from ._request import (
    Call,
    Operation,
    StreamingResources,
    build_body,
    cookie_header,
    multipart,
    raw_content,
)
from ._response import (
    APIResponse,
    AsyncStreamedResponse,
    StreamedResponse,
    async_streaming_response_wrapper,
    request_id,
    streaming_response_wrapper,
)
from ._results import BaseClient
from ._retries import retry_after, retry_delay, should_retry_error, should_retry_status
from .types import UNSET, Unset

if TYPE_CHECKING:
    from typing_extensions import ParamSpec

    from .pagination import AsyncPaginator

    P = ParamSpec("P")

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "APIResponse",
    "AsyncAPIClient",
    "AsyncResource",
    "AsyncStreamedResponse",
    "BaseClient",
    "Call",
    "Operation",
    "Scheme",
    "Secret",
    "StreamedResponse",
    "StreamingResources",
    "SyncAPIClient",
    "SyncResource",
    "async_raw_response_wrapper",
    "async_streaming_response_wrapper",
    "build_body",
    "cookie_header",
    "multipart",
    "raw_content",
    "raw_response_wrapper",
    "request_id",
    "retry_after",
    "streaming_response_wrapper",
]

T = TypeVar("T")
C = TypeVar("C", bound="BaseClient")
H = TypeVar("H", bound=Union[httpx.Client, httpx.AsyncClient])

DEFAULT_TIMEOUT = 60.0  # seconds
DEFAULT_MAX_RETRIES = 2


class Pool(Generic[H]):
    """The httpx client (connection pool) a client and its copies share, made on first use: httpx builds
    its TLS context when a pool is made, which would otherwise dominate constructing a client."""

    def __init__(self, make: Callable[[], H], given: H | None) -> None:
        self._make = make
        self._made = given
        self._closed = False  # closed before any pool was made
        self._lock = threading.Lock()

    def get(self) -> H:
        made = self._made
        if made is None:
            if self._closed:  # what httpx says of a pool used after closing
                raise RuntimeError("Cannot send a request, as the client has been closed.")
            with self._lock:  # two threads' first requests must share one pool
                if self._made is None:
                    self._made = self._make()
                made = self._made
        return made

    @property
    def made(self) -> H | None:
        return self._made

    @property
    def is_closed(self) -> bool:
        return self._made.is_closed if self._made is not None else self._closed

    def mark_closed(self) -> None:
        self._closed = True


class SyncAPIClient(BaseClient):
    """The synchronous transport."""

    def __init__(self, *, http_client: httpx.Client | None = None, **settings: Any) -> None:
        super().__init__(**settings)
        self._owns_http_client = http_client is None
        timeout = self.timeout
        self._pool: Pool[httpx.Client] = Pool(lambda: httpx.Client(timeout=timeout), http_client)

    @property
    def _http(self) -> httpx.Client:
        return self._pool.get()

    def _sleep(self, seconds: float) -> None:
        time.sleep(seconds)

    def _send_once(self, op: Operation, request: httpx.Request, stream: bool) -> httpx.Response:
        """One attempt: the request, then the same-origin redirects the caller's http client follows."""
        response = self._http.send(request, stream=stream, follow_redirects=False)
        hops = 0
        while response.next_request is not None and self._http.follow_redirects:
            response.read()  # frees the connection, as httpx does before it follows
            target = self._redirect(op, response, hops, self._http.max_redirects)
            response = self._http.send(target, stream=stream, follow_redirects=False)
            hops += 1
        return response

    def _send(self, call: Call, timeout: Any, *, stream: bool = False) -> httpx.Response:
        """Send with retries; the final response (any status; body unread if `stream`).

        Raises APIConnectionError / APITimeoutError once the retries allowed are spent.
        """
        request = self._build(self._http, call, timeout)
        op = call.op
        retry = 0
        while True:
            try:
                response = self._send_once(op, request, stream)
            except httpx.TransportError as error:
                if retry < self.max_retries and should_retry_error(op, error):
                    retry += 1
                    delay = retry_delay(retry, None)
                    self._log_retry(op, retry, delay, type(error).__name__)
                    self._sleep(delay)
                    continue
                raise self._connection_error(request, error, retry) from error
            if retry < self.max_retries and should_retry_status(op, response):
                retry += 1
                delay = retry_delay(retry, response)
                response.close()
                self._log_retry(op, retry, delay, f"status {response.status_code}")
                self._sleep(delay)
                continue
            return response

    def request(
        self,
        op: Operation,
        *,
        path: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any] | None = None,
        json: Any = None,
        data: Any = None,
        files: Any = None,
        content: Any = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | httpx.Timeout | None | Unset = UNSET,
    ) -> Any:
        """Call one operation: the parsed result; an APIResponse on a `with_raw_response` client, a
        StreamedResponse (body unread) on a `with_streaming_response` one."""
        call = Call(op, path, query, headers, json, data, files, content, extra_headers, extra_query)
        return self._execute(call, timeout)

    def _execute(self, call: Call, timeout: Any) -> Any:
        if self._stream:
            return self._open_stream(call, timeout)
        response = self._send(call, timeout)
        if not 200 <= response.status_code < 300:
            raise self._status_error(call.op, response)
        if self._raw:
            return APIResponse(response, lambda r: self._parse(call, r, timeout))
        return self._parse(call, response, timeout)

    def _open_stream(self, call: Call, timeout: Any) -> StreamedResponse[Any]:
        """Send, keep a 2xx body unread; for another status read the body, close, raise the typed error."""
        response = self._send(call, timeout, stream=True)
        if not 200 <= response.status_code < 300:
            try:
                response.read()
            except httpx.TransportError as error:
                raise self._connection_error(response.request, error) from error
            finally:
                response.close()
            raise self._status_error(call.op, response)

        def on_error(error: httpx.TransportError) -> APIConnectionError:
            return self._connection_error(response.request, error)

        return StreamedResponse(response, lambda r: self._parse(call, r, timeout), on_error)

    def _fetch(self, call: Call, timeout: Any) -> Any:
        """A further page: parsed, whatever kind of response this client returns."""
        response = self._send(call, timeout)
        if not 200 <= response.status_code < 300:
            raise self._status_error(call.op, response)
        return self._parse(call, response, timeout)

    @property
    def is_closed(self) -> bool:
        return self._pool.is_closed

    def close(self) -> None:
        """Close the connection pool (unless it came from http_client=)."""
        if self._owns_http_client:
            made = self._pool.made
            self._pool.mark_closed()
            if made is not None:
                made.close()

    def __enter__(self: C) -> C:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncAPIClient(BaseClient):
    """The asynchronous transport."""

    _is_async = True

    def __init__(self, *, http_client: httpx.AsyncClient | None = None, **settings: Any) -> None:
        super().__init__(**settings)
        self._owns_http_client = http_client is None
        timeout = self.timeout
        self._pool: Pool[httpx.AsyncClient] = Pool(lambda: httpx.AsyncClient(timeout=timeout), http_client)

    @property
    def _http(self) -> httpx.AsyncClient:
        return self._pool.get()

    async def _sleep(self, seconds: float) -> None:
        import anyio  # works under asyncio and trio; only imported once a retry happens

        await anyio.sleep(seconds)

    async def _send_once(self, op: Operation, request: httpx.Request, stream: bool) -> httpx.Response:
        """One attempt; see SyncAPIClient._send_once."""
        response = await self._http.send(request, stream=stream, follow_redirects=False)
        hops = 0
        while response.next_request is not None and self._http.follow_redirects:
            await response.aread()
            target = self._redirect(op, response, hops, self._http.max_redirects)
            response = await self._http.send(target, stream=stream, follow_redirects=False)
            hops += 1
        return response

    async def _send(self, call: Call, timeout: Any, *, stream: bool = False) -> httpx.Response:
        """Send with retries; see SyncAPIClient._send."""
        request = self._build(self._http, call, timeout)
        op = call.op
        retry = 0
        while True:
            try:
                response = await self._send_once(op, request, stream)
            except httpx.TransportError as error:
                if retry < self.max_retries and should_retry_error(op, error):
                    retry += 1
                    delay = retry_delay(retry, None)
                    self._log_retry(op, retry, delay, type(error).__name__)
                    await self._sleep(delay)
                    continue
                raise self._connection_error(request, error, retry) from error
            if retry < self.max_retries and should_retry_status(op, response):
                retry += 1
                delay = retry_delay(retry, response)
                await response.aclose()
                self._log_retry(op, retry, delay, f"status {response.status_code}")
                await self._sleep(delay)
                continue
            return response

    async def request(
        self,
        op: Operation,
        *,
        path: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any] | None = None,
        json: Any = None,
        data: Any = None,
        files: Any = None,
        content: Any = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | httpx.Timeout | None | Unset = UNSET,
    ) -> Any:
        """Call one operation: the parsed result; an APIResponse on a `with_raw_response` client, an
        AsyncStreamedResponse (body unread) on a `with_streaming_response` one."""
        call = Call(op, path, query, headers, json, data, files, content, extra_headers, extra_query)
        return await self._execute(call, timeout)

    def paginate(
        self,
        op: Operation,
        *,
        path: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | httpx.Timeout | None | Unset = UNSET,
    ) -> AsyncPaginator[Any]:
        """A paginated call, sent when awaited (the first page) or iterated with `async for` (every item)."""
        from .pagination import AsyncPaginator

        call = Call(op, path, query, headers, None, None, None, None, extra_headers, extra_query)
        return AsyncPaginator(self, call, timeout)

    async def _execute(self, call: Call, timeout: Any) -> Any:
        if self._stream:
            return await self._open_stream(call, timeout)
        response = await self._send(call, timeout)
        if not 200 <= response.status_code < 300:
            raise self._status_error(call.op, response)
        if self._raw:
            return APIResponse(response, lambda r: self._parse(call, r, timeout))
        return self._parse(call, response, timeout)

    async def _open_stream(self, call: Call, timeout: Any) -> AsyncStreamedResponse[Any]:
        """Send, keep a 2xx body unread; for another status read the body, close, raise the typed error."""
        response = await self._send(call, timeout, stream=True)
        if not 200 <= response.status_code < 300:
            try:
                await response.aread()
            except httpx.TransportError as error:
                raise self._connection_error(response.request, error) from error
            finally:
                await response.aclose()
            raise self._status_error(call.op, response)

        def on_error(error: httpx.TransportError) -> APIConnectionError:
            return self._connection_error(response.request, error)

        return AsyncStreamedResponse(response, lambda r: self._parse(call, r, timeout), on_error)

    async def _fetch(self, call: Call, timeout: Any) -> Any:
        response = await self._send(call, timeout)
        if not 200 <= response.status_code < 300:
            raise self._status_error(call.op, response)
        return self._parse(call, response, timeout)

    @property
    def is_closed(self) -> bool:
        return self._pool.is_closed

    async def close(self) -> None:
        """Close the connection pool (unless it came from http_client=)."""
        if self._owns_http_client:
            made = self._pool.made
            self._pool.mark_closed()
            if made is not None:
                await made.aclose()

    async def __aenter__(self: C) -> C:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()


class SyncResource:
    """A group of operations (a tag of the spec, or a path segment) on a synchronous client."""

    def __init__(self, client: SyncAPIClient) -> None:
        self._client = client


class AsyncResource:
    """A group of operations (a tag of the spec, or a path segment) on an asynchronous client."""

    def __init__(self, client: AsyncAPIClient) -> None:
        self._client = client


def raw_response_wrapper(method: Callable[P, T]) -> Callable[P, APIResponse[T]]:
    """Types a method bound to a raw-response client, which already returns an APIResponse."""
    return cast("Callable[P, APIResponse[T]]", method)


def async_raw_response_wrapper(method: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[APIResponse[T]]]:
    """Types an async method bound to a raw-response client, which already returns an APIResponse."""
    return cast("Callable[P, Awaitable[APIResponse[T]]]", method)
