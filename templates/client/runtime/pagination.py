"""Cursor pagination: a page holds one response's items; iterating it walks every following page lazily.

A walk remembers the cursors it has followed and raises PaginationCycleError when the server hands one
back again (A → B → A), instead of fetching the same pages for ever.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast
from urllib.parse import parse_qs, urlsplit

from ._exceptions import PaginationCycleError
from .types import DecodeError, at, each, shown

if TYPE_CHECKING:
    from typing_extensions import ParamSpec

    from ._base_client import APIResponse, AsyncAPIClient, BaseClient, Call, SyncAPIClient

    P = ParamSpec("P")

__all__ = ["AsyncCursorPage", "AsyncPaginator", "PageSpec", "SyncCursorPage"]

T = TypeVar("T")


class PageSpec:
    """Where a paginated operation keeps its items and its next cursor, and how to send the cursor back."""

    __slots__ = ("cursor_param", "decode_item", "items_fields", "next_fields")

    def __init__(
        self,
        *,
        cursor_param: str,
        items_fields: tuple[str, ...],
        next_fields: tuple[str, ...],
        decode_item: Callable[[Any], Any] | None = None,
    ) -> None:
        self.cursor_param = cursor_param
        self.items_fields = items_fields
        self.next_fields = next_fields
        self.decode_item = decode_item

    def make(self, client: BaseClient, call: Call, timeout: Any, body: Any) -> Any:
        if client._is_async:
            return AsyncCursorPage(cast("AsyncAPIClient", client), call, timeout, body)
        return SyncCursorPage(cast("SyncAPIClient", client), call, timeout, body)

    def items(self, body: Any) -> list[Any]:
        """The items under the first items field the body has (none when it has none of them), or the body
        itself when it is an array. Raises DecodeError (with the JSON pointer) for items that are not an
        array, an item that does not fit its schema, or a body that is neither an object nor an array."""
        decode = each(self.decode_item) if self.decode_item is not None else None
        if isinstance(body, list):
            return body if decode is None else decode(body)
        if not isinstance(body, Mapping):
            fields = " or ".join(repr(name) for name in self.items_fields)
            raise DecodeError(f"expected an object with the items under {fields}, got {shown(body)}")
        name = next((name for name in self.items_fields if name in body), None)
        if name is None:
            return []
        found = body[name]
        if not isinstance(found, list):
            raise DecodeError(f"expected an array of items, got {shown(found)}", f"/{name}")
        return found if decode is None else at(name, decode, found)

    def next_cursor(self, body: Any) -> str | None:
        """The cursor of the following page; None (or "") ends the walk. A URL is read for its cursor."""
        if not isinstance(body, Mapping):
            return None
        name = next((name for name in self.next_fields if name in body), None)
        value = body.get(name) if name is not None else None
        if value is None or value == "" or isinstance(value, (dict, list, bool)):
            return None
        text = str(value)
        if "?" in text or text.startswith(("http://", "https://", "/")):
            found = parse_qs(urlsplit(text).query).get(self.cursor_param)
            return found[0] if found and found[0] else None
        return text


class _Page(Generic[T]):
    def __init__(self, client: Any, call: Call, timeout: Any, body: Any) -> None:
        spec = cast(PageSpec, call.op.page)
        self._client = client
        self._call = call
        self._timeout = timeout
        self.body = body  # the whole parsed response, e.g. to read a total count
        self.results: list[T] = spec.items(body)
        self.next_cursor: str | None = spec.next_cursor(body)

    def has_next_page(self) -> bool:
        """False once the API returns no next cursor (or the cursor this page was fetched with)."""
        return bool(self.next_cursor) and self.next_cursor != self._cursor()

    def _cursor(self) -> Any:
        """The cursor this page was fetched with (None for a first page fetched without one)."""
        spec = cast(PageSpec, self._call.op.page)
        return (self._call.query or {}).get(spec.cursor_param)

    def _follow(self, seen: set[Any], pages: int) -> None:
        """Note the next cursor as followed in this walk; PaginationCycleError if it was already."""
        seen.add(self._cursor())
        if self.next_cursor in seen:
            op = self._call.op
            cursor = str(self.next_cursor)
            shown_cursor = cursor if len(cursor) <= 60 else cursor[:59] + "…"
            raise PaginationCycleError(
                f"{op.method} {op.path}: page {pages} gave the next cursor {shown_cursor!r}, which this walk"
                " already followed; the server's cursors loop, so iterating stopped here",
                cursor=cursor,
                pages=pages,
            )
        seen.add(self.next_cursor)

    def _next_call(self) -> Call:
        if not self.has_next_page():
            raise RuntimeError("this is the last page: check has_next_page() first")
        spec = cast(PageSpec, self._call.op.page)
        return self._call.with_query(spec.cursor_param, self.next_cursor)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {len(self.results)} items, next_cursor={self.next_cursor!r}>"


class SyncCursorPage(_Page[T]):
    """One page of a list. Iterating it yields every item of this page and of every later page."""

    _client: SyncAPIClient

    def get_next_page(self) -> SyncCursorPage[T]:
        return cast("SyncCursorPage[T]", self._client._fetch(self._next_call(), self._timeout))

    def iter_pages(self) -> Iterator[SyncCursorPage[T]]:
        """This page and every later one; raises PaginationCycleError when a cursor comes back."""
        page, pages = self, 1
        seen: set[Any] = set()
        while True:
            yield page
            if not page.has_next_page():
                return
            page._follow(seen, pages)
            page, pages = page.get_next_page(), pages + 1

    def __iter__(self) -> Iterator[T]:
        for page in self.iter_pages():
            yield from page.results


class AsyncCursorPage(_Page[T]):
    """One page of a list. `async for` over it yields every item of this page and of every later page."""

    _client: AsyncAPIClient

    async def get_next_page(self) -> AsyncCursorPage[T]:
        return cast("AsyncCursorPage[T]", await self._client._fetch(self._next_call(), self._timeout))

    async def iter_pages(self) -> AsyncIterator[AsyncCursorPage[T]]:
        """This page and every later one; raises PaginationCycleError when a cursor comes back."""
        page, pages = self, 1
        seen: set[Any] = set()
        while True:
            yield page
            if not page.has_next_page():
                return
            page._follow(seen, pages)
            page, pages = await page.get_next_page(), pages + 1

    async def __aiter__(self) -> AsyncIterator[T]:
        async for page in self.iter_pages():
            for item in page.results:
                yield item


class AsyncPaginator(Generic[T]):
    """What an async list method returns: `await` it for the first page, or `async for` every item."""

    def __init__(self, client: AsyncAPIClient, call: Call, timeout: Any) -> None:
        self._client = client
        self._call = call
        self._timeout = timeout

    def __await__(self) -> Generator[Any, None, AsyncCursorPage[T]]:
        return self._client._execute(self._call, self._timeout).__await__()

    async def __aiter__(self) -> AsyncIterator[T]:
        page = cast("AsyncCursorPage[T]", await self._client._fetch(self._call, self._timeout))
        async for item in page:
            yield item


def async_raw_page_wrapper(
    method: Callable[P, AsyncPaginator[T]],
) -> Callable[P, Awaitable[APIResponse[AsyncCursorPage[T]]]]:
    """Types a list method bound to a raw-response client: awaiting it gives the first page's response."""
    return cast("Callable[P, Awaitable[APIResponse[AsyncCursorPage[T]]]]", method)
