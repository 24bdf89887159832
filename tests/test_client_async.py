"""AsyncZlike has the sync client's surface, awaitable: the same requests, errors, retries and pages."""

from __future__ import annotations

import asyncio
import datetime
from collections.abc import Awaitable, Callable
from types import ModuleType
from typing import Any, TypeVar

import pytest
from test_client_support import API_KEY, ORGANISATION, LoopbackServer, Reply, Seen

pytest_plugins = ["test_client_support"]  # its fixtures: zlike, server, env, no_sleep

T = TypeVar("T")
CUSTOMER = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
INVOICE_ARGS: dict[str, Any] = {
    "customer_id": CUSTOMER,
    "contract_id": CUSTOMER,
    "from_date": datetime.datetime(2024, 3, 1, tzinfo=datetime.UTC),
    "to_date": datetime.datetime(2024, 3, 31, tzinfo=datetime.UTC),
}
GENERATE = ("POST", "/invoices/generate_invoice")


def run(zlike: ModuleType, server: LoopbackServer, body: Callable[[Any], Awaitable[T]], **settings: Any) -> T:
    """Run `body(client)` on a fresh AsyncZlike, closing it afterwards (a bounded event loop per test)."""

    async def main() -> T:
        async with zlike.AsyncZlike(base_url=server.url, **settings) as client:
            return await asyncio.wait_for(body(client), timeout=30)

    return asyncio.run(main())


def test_async_requests_carry_credentials_and_headers(
    zlike: ModuleType, server: LoopbackServer, env: dict[str, str]
) -> None:
    async def body(client: Any) -> Any:
        return await client.invoices.generate_an_invoice(**INVOICE_ARGS, apiversion=5)

    assert run(zlike, server, body, apiversion=2) == {}
    (seen,) = server.seen
    assert seen.headers["x-api-key"] == API_KEY and seen.headers["organisation"] == ORGANISATION
    assert seen.headers["apiversion"] == "5"
    assert seen.json()["customer_id"] == CUSTOMER


def test_async_errors_and_retry_rules_match_the_sync_client(
    zlike: ModuleType, server: LoopbackServer, env: dict[str, str], no_sleep: list[float]
) -> None:
    server.replies(*GENERATE, Reply(status=500, body={"message": "boom"}), Reply(body={}))
    server.replies(
        "GET",
        "/customers",
        Reply(status=502),
        Reply(status=429, headers={"retry-after": "1.5"}),
        Reply(body={"data": [1]}),
    )

    async def body(client: Any) -> list[Any]:
        with pytest.raises(zlike.InternalServerError) as caught:
            await client.invoices.generate_an_invoice(**INVOICE_ARGS)
        assert caught.value.status_code == 500 and caught.value.body == {"message": "boom"}
        return [item async for item in client.customers.list_customers()]

    assert run(zlike, server, body) == [1]
    assert len(server.requests_to(*GENERATE)) == 1  # a POST that may have been processed is not repeated
    assert len(server.requests_to("GET", "/customers")) == 3
    assert no_sleep[-1] == 1.5


def test_async_timeout_and_missing_credentials(
    zlike: ModuleType, server: LoopbackServer, monkeypatch: pytest.MonkeyPatch, no_sleep: list[float]
) -> None:
    monkeypatch.delenv("ZLIKE_API_KEY", raising=False)
    monkeypatch.delenv("ZLIKE_ORGANISATION", raising=False)
    server.replies("GET", "/health", Reply(body={}, delay=0.4))

    async def body(client: Any) -> None:
        with pytest.raises(zlike.MissingCredentialError):
            await client.invoices.generate_an_invoice(**INVOICE_ARGS)
        with pytest.raises(zlike.APITimeoutError):
            await client.meta.health()

    run(zlike, server, body, timeout=0.1, max_retries=1)
    assert [s.path for s in server.seen] == ["/health", "/health"]  # GET retried once; nothing else sent


def test_async_pagination_three_pages_and_the_first_page_awaited(
    zlike: ModuleType, server: LoopbackServer, env: dict[str, str]
) -> None:
    def pages(seen: Seen) -> Reply:
        start = int((seen.query.get("cursor") or ["0"])[0])
        return Reply(body={"data": [start, start + 1], "next": str(start + 2) if start < 4 else ""})

    server.route("GET", "/customers", pages)

    async def body(client: Any) -> tuple[list[Any], Any, list[Any]]:
        every = [item async for item in client.customers.list_customers(limit=2)]
        first = await client.customers.list_customers(limit=2)
        walked = [item async for item in first]
        return every, first, walked

    every, first, walked = run(zlike, server, body)
    assert every == walked == [0, 1, 2, 3, 4, 5]
    assert first.results == [0, 1] and first.next_cursor == "2"
    assert [s.query.get("cursor") for s in server.seen[:3]] == [None, ["2"], ["4"]]


def test_async_raw_responses(zlike: ModuleType, server: LoopbackServer, env: dict[str, str]) -> None:
    server.replies("GET", "/customers", Reply(body={"data": ["x"], "next": None}, headers={"x-request-id": "req_a"}))
    created = {"id": CUSTOMER, "name": "Acme", "status": "active", "created_at": "2024-03-01T10:00:00+05:30"}
    server.replies("POST", "/customers", Reply(body=created))

    async def body(client: Any) -> tuple[Any, Any]:
        page = await client.customers.with_raw_response.list_customers()
        customer = await client.customers.with_raw_response.create_customer(name="Acme", email="b@acme.test")
        return page, customer

    page, customer = run(zlike, server, body)
    assert page.status_code == 200 and page.request_id == "req_a" and page.parse().results == ["x"]
    parsed = customer.parse()
    assert isinstance(parsed, zlike.models.Customer)
    assert parsed.created_at.utcoffset() == datetime.timedelta(hours=5, minutes=30)


def test_async_client_closes_its_pool(zlike: ModuleType, server: LoopbackServer, env: dict[str, str]) -> None:
    async def main() -> Any:
        async with zlike.AsyncZlike(base_url=server.url) as client:
            await client.meta.health()
            assert not client.is_closed
        return client

    assert asyncio.run(main()).is_closed
