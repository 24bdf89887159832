"""The generated client against a misbehaving server (issue 14, items 3 to 7), over real loopback HTTP.

Bodies that do not match the spec, pagination cursors that loop, a query credential in httpx's own log
lines, redirects to another origin through a caller's redirect-following http client, and a
Retry-After longer than the client waits. Every failure must be a typed error under the root error.
"""

from __future__ import annotations

import asyncio
import io
import itertools
import logging
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

import httpx
import pytest
from conftest import FIXTURES, generate_fixture
from mock_process import imported_package
from test_client_support import API_KEY, ORGANISATION, LoopbackServer, Reply, Seen

pytest_plugins = ["test_client_support"]  # its fixtures: zlike, server, env, no_sleep

T = TypeVar("T")
CUSTOMER = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
CUSTOMER_PATH = f"/customers/{CUSTOMER}"
GOOD_CUSTOMER = {"id": CUSTOMER, "name": "Acme", "status": "active", "created_at": "2024-03-01T10:00:00Z"}
GOOD_CONTRACT = {"id": "ctr_1", "customer_id": CUSTOMER}
INVOICE_ARGS: dict[str, Any] = {
    "customer_id": CUSTOMER,
    "contract_id": CUSTOMER,
    "from_date": "2024-03-01T00:00:00+00:00",
    "to_date": "2024-03-31T00:00:00+00:00",
}
QUERY_KEY = "sk_query_91b3e07d4c"  # the downloads fixture's apiKey `in: query`, named api_key


@pytest.fixture
def client(zlike: ModuleType, server: LoopbackServer, env: dict[str, str]) -> Iterator[Any]:
    with zlike.Zlike(base_url=server.url, max_retries=0) as made:
        yield made


@pytest.fixture
def other() -> Iterator[LoopbackServer]:
    """A second server: another port on 127.0.0.1, so another origin."""
    with LoopbackServer() as running:
        yield running


@pytest.fixture(scope="module")
def dl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The downloads fixture's client, whose credential is sent in the query string."""
    out = generate_fixture(FIXTURES / "downloads_31.yaml", tmp_path_factory.mktemp("dl"), "dl")
    with imported_package(Path(out) / "dl-client", "dl_client") as package:
        yield package


def run(zlike: ModuleType, server: LoopbackServer, body: Callable[[Any], Awaitable[T]], **settings: Any) -> T:
    """Run `body(client)` on a fresh AsyncZlike against `server`, closing it afterwards."""

    async def main() -> T:
        async with zlike.AsyncZlike(base_url=server.url, **settings) as made:
            return await asyncio.wait_for(body(made), timeout=30)

    return asyncio.run(main())


# -- item 3: a 2xx body that does not match the spec


@pytest.mark.parametrize(
    ("reply", "problem"),
    [
        (Reply(raw=b'{"id": "3fa85f64', content_type="application/json"), "the body is not JSON (application/json)"),
        (Reply(raw=b"<html><body>Gateway</body></html>", content_type="text/html"), "not JSON (text/html)"),
        (Reply(raw=b'{"id": "\xff"}', content_type="application/json"), "the body is not JSON"),
        (Reply(), "the body is empty"),
        (Reply(body=None, raw=b"null"), "the body is null"),
    ],
    ids=["cut-off-json", "html-page", "bad-encoding", "empty", "null"],
)
def test_a_body_that_is_not_the_documented_json_raises_the_validation_error(
    zlike: ModuleType, client: Any, server: LoopbackServer, reply: Reply, problem: str
) -> None:
    reply.headers["x-request-id"] = "req_bad"
    server.replies("GET", CUSTOMER_PATH, reply)
    with pytest.raises(zlike.APIResponseValidationError) as caught:
        client.customers.retrieve_customer(CUSTOMER)
    error = caught.value
    assert isinstance(error, zlike.ZlikeError)
    assert error.status_code == 200 and error.request_id == "req_bad"
    assert error.headers["content-type"] == reply.content_type
    assert error.content == (reply.raw or b"")
    assert error.pointer == "" and problem in error.problem
    assert str(error).startswith("GET /customers/{customer_id} returned 200 with a body that does not match the spec")
    assert "req_bad" in str(error) and problem in str(error)


@pytest.mark.parametrize(
    ("body", "pointer", "problem"),
    [
        ({k: v for k, v in GOOD_CUSTOMER.items() if k != "id"}, "", "the required property 'id' is missing"),
        ({**GOOD_CUSTOMER, "id": "not-a-uuid"}, "/id", "the string 'not-a-uuid' is not a UUID"),
        ({**GOOD_CUSTOMER, "created_at": "yesterday"}, "/created_at", "'yesterday' is not an RFC 3339 date-time"),
        ({**GOOD_CUSTOMER, "created_at": 1709287200}, "/created_at", "the number 1709287200 is not an RFC 3339"),
        ({**GOOD_CUSTOMER, "status": {"value": "active"}}, "/status", "an object could not be read"),
        ([GOOD_CUSTOMER], "", "expected an object (Customer), got an array"),
        ("Acme", "", "expected an object (Customer), got the string 'Acme'"),
    ],
    ids=["missing", "uuid", "date-time", "number-for-date", "object-for-enum", "array", "string"],
)
def test_a_body_of_the_wrong_shape_says_where_it_did_not_match(
    zlike: ModuleType, client: Any, server: LoopbackServer, body: Any, pointer: str, problem: str
) -> None:
    server.replies("GET", CUSTOMER_PATH, Reply(body=body))
    with pytest.raises(zlike.APIResponseValidationError) as caught:
        client.customers.retrieve_customer(CUSTOMER)
    error = caught.value
    assert error.pointer == pointer and problem in error.problem
    assert error.body == body  # the parsed JSON, as on APIStatusError
    assert isinstance(error.__cause__, zlike.DecodeError)
    assert (f" at {pointer}: " if pointer else "spec: ") + error.problem in str(error)


def test_an_untyped_operation_still_returns_none_for_an_empty_body(client: Any, server: LoopbackServer) -> None:
    server.replies("GET", "/health", Reply())
    assert client.meta.health() is None  # its schema is `{}`: anything, null included


def test_a_page_whose_items_are_not_a_list_or_do_not_fit_raises(
    zlike: ModuleType, client: Any, server: LoopbackServer
) -> None:
    server.replies("GET", "/contracts", Reply(body={"data": {"id": "ctr_1"}, "next": None}))
    with pytest.raises(zlike.APIResponseValidationError) as caught:
        list(client.contracts.list_contracts())
    assert caught.value.pointer == "/data" and caught.value.problem == "expected an array of items, got an object"
    server.replies("GET", "/customers", Reply(body={"data": "none yet"}))  # an untyped page: items by default name
    with pytest.raises(zlike.APIResponseValidationError, match="at /data: expected an array of items"):
        client.customers.list_customers()
    server.replies("GET", "/customers", Reply(body="none yet"))
    with pytest.raises(zlike.APIResponseValidationError, match="expected an object with the items under 'data'"):
        client.customers.list_customers()

    def pages(seen: Seen) -> Reply:
        if not seen.query.get("cursor"):
            return Reply(body={"data": [GOOD_CONTRACT], "next": "p2"})
        return Reply(body={"data": [GOOD_CONTRACT, {**GOOD_CONTRACT, "customer_id": "c-2"}], "next": None})

    server.route("GET", "/contracts", pages)
    walked: list[Any] = []
    with pytest.raises(zlike.APIResponseValidationError) as second:
        walked.extend(client.contracts.list_contracts())
    assert [c.id for c in walked] == ["ctr_1"]  # the first page's items, then the second page fails whole
    assert second.value.pointer == "/data/1/customer_id" and "is not a UUID" in second.value.problem


def test_raw_and_streamed_responses_raise_it_when_parsed(
    zlike: ModuleType, client: Any, server: LoopbackServer
) -> None:
    server.replies("GET", CUSTOMER_PATH, Reply(raw=b"<html>maintenance</html>", content_type="text/html"))
    raw = client.customers.with_raw_response.retrieve_customer(CUSTOMER)
    assert raw.status_code == 200  # the response itself is there; parsing it is what fails
    with pytest.raises(zlike.APIResponseValidationError, match="not JSON"):
        raw.parse()
    with (
        client.customers.with_streaming_response.retrieve_customer(CUSTOMER) as streamed,
        pytest.raises(zlike.APIResponseValidationError) as caught,
    ):
        streamed.parse()
    assert caught.value.content == b"<html>maintenance</html>"


def test_the_async_client_raises_the_same_errors(
    zlike: ModuleType, server: LoopbackServer, env: dict[str, str]
) -> None:
    server.replies("GET", CUSTOMER_PATH, Reply(raw=b"<html></html>", content_type="text/html"))
    server.replies("GET", "/contracts", Reply(body={"data": [{"id": "ctr_9"}], "next": None}))
    server.replies("GET", "/customers", Reply(body={"data": 7}))

    async def body(made: Any) -> list[Any]:
        caught: list[Any] = []
        calls: list[Callable[[], Awaitable[Any]]] = [
            lambda: made.customers.retrieve_customer(CUSTOMER),
            lambda: made.contracts.list_contracts(),  # awaited: the first page
            lambda: made.customers.list_customers(),
        ]
        for call in calls:
            with pytest.raises(zlike.APIResponseValidationError) as error:
                await call()
            caught.append(error.value)
        with pytest.raises(zlike.APIResponseValidationError) as walked:
            _ = [item async for item in made.contracts.list_contracts()]
        return [*caught, walked.value]

    html, first_page, untyped, walked = run(zlike, server, body)
    assert "not JSON (text/html)" in html.problem
    assert first_page.pointer == walked.pointer == "/data/0"
    assert "the required property 'customer_id' is missing" in walked.problem
    assert untyped.pointer == "/data" and "the number 7" in untyped.problem


# -- item 4: cursors that loop


def looping(server: LoopbackServer, as_url: bool) -> Callable[[Seen], Reply]:
    """Cursors A → B → A: the third page hands back the first cursor."""

    def answer(seen: Seen) -> Reply:
        cursor = (seen.query.get("cursor") or [""])[0]
        following = {"": "A", "A": "B", "B": "A"}[cursor]
        nxt = f"{server.url}/invoices?cursor={following}&limit=2" if as_url else following
        return Reply(body={"results": [f"item-{cursor or '0'}"], "next": nxt})

    return answer


@pytest.mark.parametrize("as_url", [False, True], ids=["cursor", "next-url"])
def test_a_pagination_cycle_stops_with_a_typed_error(
    zlike: ModuleType, client: Any, server: LoopbackServer, as_url: bool
) -> None:
    server.route("GET", "/invoices", looping(server, as_url))
    walked: list[Any] = []
    with pytest.raises(zlike.PaginationCycleError) as caught:
        walked.extend(itertools.islice(client.invoices.list_invoices(), 10))  # bounded, should the check fail
    error = caught.value
    assert isinstance(error, zlike.ZlikeError)
    assert walked == ["item-0", "item-A", "item-B"]
    assert len(server.seen) == 3  # nothing fetched twice
    assert error.cursor == "A" and error.pages == 3
    assert "page 3 gave the next cursor 'A', which this walk already followed" in str(error)


def test_an_async_pagination_cycle_stops_too(zlike: ModuleType, server: LoopbackServer, env: dict[str, str]) -> None:
    server.route("GET", "/invoices", looping(server, as_url=False))

    async def body(made: Any) -> tuple[list[Any], Any]:
        walked: list[Any] = []
        with pytest.raises(zlike.PaginationCycleError) as caught:
            async for item in made.invoices.list_invoices():
                walked.append(item)
                if len(walked) == 10:  # bounded, should the check fail
                    break
        return walked, caught.value

    walked, error = run(zlike, server, body)
    assert walked == ["item-0", "item-A", "item-B"] and error.cursor == "A"
    assert len(server.seen) == 3


# -- item 5: httpx's own log lines


def test_a_query_credential_never_reaches_a_log_handler(
    dl: ModuleType, server: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    caplog.set_level(logging.DEBUG)  # httpcore's connection traces too
    server.replies("GET", "/reports/r1", Reply(status=503), Reply(body={"id": "r1", "rows": 3}))
    try:
        with dl.Dl(base_url=server.url, api_key=QUERY_KEY, max_retries=0) as made:
            with pytest.raises(dl.InternalServerError) as failed:
                made.reports.get_report("r1")
            assert made.reports.get_report("r1").rows == 3
            made.reports.get_report("r1", extra_query={"session_token": "tok_6f1e2d3c4b"})
    finally:
        root.removeHandler(handler)
    assert [s.query["api_key"] for s in server.seen] == [[QUERY_KEY]] * 3  # the key was sent each time
    written = stream.getvalue()
    lines = [record.getMessage() for record in caplog.records if record.name == "httpx"]
    assert len(lines) == 3 and written.count("httpx INFO HTTP Request: GET") == 3
    assert f"{server.url}/reports/r1?api_key=*** " in lines[0] and '"HTTP/1.1 503 Service Unavailable"' in lines[0]
    assert "api_key=***&session_token=***" in lines[2]
    assert any(record.name.startswith("httpcore") for record in caplog.records)
    for text in [written, *(record.getMessage() for record in caplog.records), str(failed.value)]:
        assert QUERY_KEY not in text and "tok_6f1e2d3c4b" not in text


# -- item 6: redirects to another origin


def redirect_to(target: str, status: int) -> Reply:
    return Reply(status=status, headers={"location": target})


@pytest.mark.parametrize("status", [302, 307])
def test_a_cross_origin_redirect_is_refused_and_the_other_origin_sees_nothing(
    zlike: ModuleType, server: LoopbackServer, other: LoopbackServer, env: dict[str, str], status: int
) -> None:
    server.replies("POST", "/invoices/generate_invoice", redirect_to(f"{other.url}/collect?token=abc123", status))
    server.replies("GET", CUSTOMER_PATH, redirect_to(f"{other.url}{CUSTOMER_PATH}", status))
    with httpx.Client(follow_redirects=True) as http, zlike.Zlike(base_url=server.url, http_client=http) as made:
        with pytest.raises(zlike.CrossOriginRedirectError) as posted:
            made.invoices.generate_an_invoice(**INVOICE_ARGS)
        with pytest.raises(zlike.CrossOriginRedirectError) as got:
            made.customers.retrieve_customer(CUSTOMER)
    assert other.seen == []  # no API key, no organisation, no POST body: no request at all
    assert len(server.seen) == 2 and server.seen[0].headers["x-api-key"] == API_KEY
    error = posted.value
    assert isinstance(error, zlike.APIStatusError) and isinstance(error, zlike.ZlikeError)
    assert error.status_code == status and got.value.status_code == status
    assert error.location == f"{other.url}/collect?token=***"
    assert f"a redirect to {other.url}/collect?token=***: not followed, as it leads away from {server.url}" in str(
        error
    )
    assert "abc123" not in str(error)


def test_a_query_credential_is_not_carried_to_another_origin(
    dl: ModuleType, server: LoopbackServer, other: LoopbackServer
) -> None:
    server.replies("GET", "/reports/r1", redirect_to(f"{other.url}/reports/r1?api_key={QUERY_KEY}", 302))
    with (
        httpx.Client(follow_redirects=True) as http,
        dl.Dl(base_url=server.url, api_key=QUERY_KEY, http_client=http) as made,
        pytest.raises(dl.CrossOriginRedirectError) as caught,
    ):
        made.reports.get_report("r1")
    assert other.seen == []
    assert QUERY_KEY not in str(caught.value) and caught.value.location.endswith("?api_key=***")


def test_a_same_origin_redirect_is_followed_when_the_http_client_follows(
    zlike: ModuleType, server: LoopbackServer, env: dict[str, str]
) -> None:
    server.replies("GET", CUSTOMER_PATH, redirect_to("/customers/moved", 307))
    server.replies("GET", "/customers/moved", Reply(body=GOOD_CUSTOMER))
    with httpx.Client(follow_redirects=True) as http, zlike.Zlike(base_url=server.url, http_client=http) as made:
        assert made.customers.retrieve_customer(CUSTOMER).name == "Acme"
    with zlike.Zlike(base_url=server.url) as made, pytest.raises(zlike.APIStatusError) as unfollowed:
        made.customers.retrieve_customer(CUSTOMER)  # the client's own http client follows none
    assert unfollowed.value.status_code == 307 and not isinstance(unfollowed.value, zlike.CrossOriginRedirectError)
    moved = server.requests_to("GET", "/customers/moved")
    assert len(moved) == 1 and moved[0].headers["x-api-key"] == API_KEY
    assert moved[0].headers["organisation"] == ORGANISATION


def test_the_async_client_refuses_a_cross_origin_redirect_too(
    zlike: ModuleType, server: LoopbackServer, other: LoopbackServer, env: dict[str, str]
) -> None:
    server.replies("POST", "/invoices/generate_invoice", redirect_to(f"{other.url}/invoices/generate_invoice", 307))

    async def main() -> Any:
        async with (
            httpx.AsyncClient(follow_redirects=True) as http,
            zlike.AsyncZlike(base_url=server.url, http_client=http) as made,
        ):
            with pytest.raises(zlike.CrossOriginRedirectError) as caught:
                await made.invoices.generate_an_invoice(**INVOICE_ARGS)
            return caught.value

    assert asyncio.run(main()).status_code == 307
    assert other.seen == [] and len(server.seen) == 1


# -- item 7: a Retry-After longer than the client waits


@pytest.mark.parametrize(
    ("method", "path", "status", "name"),
    [("POST", "/invoices/generate_invoice", 429, "RateLimitError"), ("GET", "/customers", 503, "InternalServerError")],
)
def test_a_retry_after_beyond_the_cap_raises_at_once_with_the_servers_value(
    zlike: ModuleType,
    server: LoopbackServer,
    env: dict[str, str],
    no_sleep: list[float],
    method: str,
    path: str,
    status: int,
    name: str,
) -> None:
    server.replies(method, path, Reply(status=status, headers={"retry-after": "99999"}), Reply(body={"data": []}))
    with zlike.Zlike(base_url=server.url, max_retries=2) as made, pytest.raises(zlike.APIStatusError) as caught:
        if method == "POST":
            made.invoices.generate_an_invoice(**INVOICE_ARGS)
        else:
            made.customers.list_customers()
    error = caught.value
    assert type(error).__name__ == name and error.retry_after == 99999.0
    assert len(server.seen) == 1 and no_sleep == []
    assert "not retried: the server asks to wait 99999 s, more than the client waits (60 s)" in str(error)


def test_async_a_retry_after_beyond_the_cap_raises_at_once(
    zlike: ModuleType, server: LoopbackServer, env: dict[str, str], no_sleep: list[float]
) -> None:
    server.replies("GET", "/customers", Reply(status=429, headers={"retry-after": "99999"}), Reply(body={"data": []}))

    async def body(made: Any) -> Any:
        with pytest.raises(zlike.RateLimitError) as caught:
            await made.customers.list_customers()
        return caught.value

    assert run(zlike, server, body).retry_after == 99999.0
    assert len(server.seen) == 1 and no_sleep == []


# -- every error is the root error


def test_values_refused_before_sending_are_root_errors_too(
    zlike: ModuleType, server: LoopbackServer, env: dict[str, str]
) -> None:
    refused: list[Exception] = []
    for settings in ({"base_url": "ftp://files.example.test"}, {"base_url": server.url, "max_retries": -1}):
        with pytest.raises(zlike.InvalidValueError) as caught:
            zlike.Zlike(**settings)
        refused.append(caught.value)
    with zlike.Zlike(base_url=server.url) as made, pytest.raises(zlike.InvalidValueError) as climbing:
        made.customers.retrieve_customer("..")
    refused.append(climbing.value)
    assert all(isinstance(error, zlike.ZlikeError) and isinstance(error, ValueError) for error in refused)
    assert issubclass(zlike.NaiveDatetimeError, zlike.InvalidValueError)
    assert server.seen == []
