"""The generated client against a real loopback HTTP server: what an integrator relies on, synchronously.

Configuration and credentials, the error classes, every retry rule (counted at the server),
Retry-After, timeouts, pagination over three pages, raw responses and secret redaction.
"""

from __future__ import annotations

import datetime
import email.utils
import logging
from types import ModuleType
from typing import Any

import pytest
from test_client_support import API_KEY, ORGANISATION, STEM, LoopbackServer, Reply, Seen, free_port

pytest_plugins = ["test_client_support"]  # its fixtures: zlike, server, env, no_sleep

CUSTOMER = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
CONTRACT = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
INVOICE_ARGS: dict[str, Any] = {
    "customer_id": CUSTOMER,
    "contract_id": CONTRACT,
    "from_date": datetime.datetime(2024, 3, 1, tzinfo=datetime.UTC),
    "to_date": datetime.datetime(2024, 3, 31, tzinfo=datetime.UTC),
}
GENERATE = ("POST", "/invoices/generate_invoice")
CUSTOMERS = ("GET", "/customers")


@pytest.fixture
def client(zlike: ModuleType, server: LoopbackServer, env: dict[str, str]) -> Any:
    with zlike.Zlike(base_url=server.url) as made:
        yield made


# -- configuration and credentials


def test_every_request_carries_both_credentials_and_the_client_wide_header(
    zlike: ModuleType, server: LoopbackServer, env: dict[str, str]
) -> None:
    with zlike.Zlike(base_url=server.url, apiversion=2) as client:
        assert client.invoices.generate_an_invoice(**INVOICE_ARGS) == {}
    (seen,) = server.requests_to(*GENERATE)
    assert seen.headers["x-api-key"] == API_KEY
    assert seen.headers["organisation"] == ORGANISATION
    assert seen.headers["apiversion"] == "2"
    assert seen.headers["content-type"] == "application/json"
    assert seen.headers["user-agent"].startswith(f"{STEM}-client/")
    assert seen.json() == {
        "customer_id": CUSTOMER,
        "contract_id": CONTRACT,
        "from_date": "2024-03-01T00:00:00+00:00",
        "to_date": "2024-03-31T00:00:00+00:00",
    }


def test_a_per_call_header_value_wins_over_the_client_wide_one(
    zlike: ModuleType, server: LoopbackServer, env: dict[str, str]
) -> None:
    with zlike.Zlike(base_url=server.url, apiversion=2) as client:
        client.invoices.generate_an_invoice(**INVOICE_ARGS, apiversion=3)
        client.invoices.generate_an_invoice(**INVOICE_ARGS, apiversion=None)
    first, second = server.requests_to(*GENERATE)
    assert first.headers["apiversion"] == "3"
    assert "apiversion" not in second.headers


def test_settings_come_from_the_environment_and_arguments_win(
    zlike: ModuleType, server: LoopbackServer, monkeypatch: pytest.MonkeyPatch, env: dict[str, str]
) -> None:
    monkeypatch.setenv(f"{STEM.upper()}_BASE_URL", server.url)
    monkeypatch.setenv(f"{STEM.upper()}_APIVERSION", "7")
    with zlike.Zlike() as client:
        client.meta.health()
    with zlike.Zlike(api_key="sk_argument_wins", apiversion=8) as client:
        client.customers.update_customer(CUSTOMER, name="Acme", email="billing@acme.test")
    health, update = server.seen
    assert health.headers["apiversion"] == "7"
    assert update.headers["apiversion"] == "8"
    assert update.headers["x-api-key"] == "sk_argument_wins"
    assert update.headers["organisation"] == ORGANISATION


def test_base_url_defaults_to_the_first_server_of_the_spec(zlike: ModuleType, env: dict[str, str]) -> None:
    client = zlike.Zlike()
    assert client.base_url == "https://api.zenskar-like.test"
    assert client.max_retries == 2
    assert client.timeout == 60.0
    client.close()


def test_a_missing_credential_fails_before_anything_is_sent(
    zlike: ModuleType, server: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(f"{STEM.upper()}_API_KEY", raising=False)
    monkeypatch.delenv(f"{STEM.upper()}_ORGANISATION", raising=False)
    with zlike.Zlike(base_url=server.url, api_key="sk_only_one_of_two") as client:
        with pytest.raises(zlike.MissingCredentialError) as caught:
            client.invoices.generate_an_invoice(**INVOICE_ARGS)
        assert client.meta.health() == {}  # `security: []`: no credentials needed, none sent
    assert isinstance(caught.value, zlike.ZlikeError)
    message = str(caught.value)
    assert "organisation=" in message and f"{STEM.upper()}_ORGANISATION" in message
    assert "sk_only_one_of_two" not in message
    (health,) = server.seen
    assert health.path == "/health" and "x-api-key" not in health.headers


def test_the_client_closes_its_connection_pool(zlike: ModuleType, server: LoopbackServer, env: dict[str, str]) -> None:
    with zlike.Zlike(base_url=server.url) as client:
        client.meta.health()
        assert not client.is_closed
    assert client.is_closed


# -- calls: arguments, body, responses


def test_path_parameters_are_positional_and_escaped(client: Any, server: LoopbackServer) -> None:
    client.contracts.delete_contract("ctr/1 2")
    (seen,) = server.seen
    assert (seen.method, seen.path) == ("DELETE", "/contracts/ctr%2F1%202")


def test_the_body_can_be_passed_whole_but_not_twice(zlike: ModuleType, client: Any, server: LoopbackServer) -> None:
    body = zlike.models.GenerateInvoiceRequestSchema(**INVOICE_ARGS, check_duplicate_invoice=None)
    client.invoices.generate_an_invoice(body=body)
    assert server.seen[-1].json()["check_duplicate_invoice"] is None  # None is sent as null; UNSET is left out
    with pytest.raises(TypeError, match="not both"):
        client.invoices.generate_an_invoice(body=body, customer_id=CUSTOMER)
    with pytest.raises(TypeError, match="missing required keyword arguments: 'from_date', 'to_date'"):
        client.invoices.generate_an_invoice(customer_id=CUSTOMER, contract_id=CONTRACT)
    assert len(server.seen) == 1


def test_responses_parse_into_models_and_unknown_enum_values_survive(
    zlike: ModuleType, client: Any, server: LoopbackServer
) -> None:
    server.replies(
        "GET",
        f"/customers/{CUSTOMER}",
        Reply(body={"id": CUSTOMER, "name": "Acme", "status": "suspended_v2", "created_at": "2024-03-01T10:00:00Z"}),
    )
    customer = client.customers.retrieve_customer(CUSTOMER)  # renamed by the fixture's overlay
    assert isinstance(customer, zlike.models.Customer)
    assert customer.status == "suspended_v2" and customer.status.name == "UNKNOWN"
    assert customer.created_at == datetime.datetime(2024, 3, 1, 10, tzinfo=datetime.UTC)
    assert customer.external_id is zlike.UNSET
    server.replies(
        "GET",
        f"/customers/{CUSTOMER}",
        Reply(body={"id": CUSTOMER, "name": "A", "status": "active", "created_at": "2024-03-01", "external_id": None}),
    )
    again = client.customers.retrieve_customer(customer_id=CUSTOMER)
    assert again.status is zlike.models.CustomerStatus.ACTIVE
    assert again.external_id is None


def test_with_raw_response_gives_status_headers_and_the_parsed_body(
    zlike: ModuleType, client: Any, server: LoopbackServer
) -> None:
    server.replies(
        "POST",
        "/customers",
        Reply(
            body={"id": CUSTOMER, "name": "Acme", "status": "active", "created_at": "2024-03-01T10:00:00Z"},
            headers={"x-request-id": "req_123"},
        ),
    )
    response = client.customers.with_raw_response.create_customer(name="Acme", email="billing@acme.test")
    assert response.status_code == 200
    assert response.headers["x-request-id"] == "req_123" and response.request_id == "req_123"
    assert isinstance(response.parse(), zlike.models.Customer)
    assert response.parsed is response.parse()


# -- errors


@pytest.mark.parametrize(
    ("status", "name"),
    [
        (400, "BadRequestError"),
        (401, "AuthenticationError"),
        (403, "PermissionDeniedError"),
        (404, "NotFoundError"),
        (409, "ConflictError"),
        (418, "APIStatusError"),
        (422, "UnprocessableEntityError"),
        (429, "RateLimitError"),
        (500, "InternalServerError"),
        (503, "InternalServerError"),
    ],
)
def test_each_status_raises_its_error_class(
    zlike: ModuleType, client: Any, server: LoopbackServer, status: int, name: str
) -> None:
    server.replies(*GENERATE, Reply(status=status, body={"message": "nope"}, headers={"x-request-id": "req_9"}))
    with pytest.raises(zlike.APIStatusError) as caught:
        client.with_options(max_retries=0).invoices.generate_an_invoice(**INVOICE_ARGS)
    error = caught.value
    assert type(error).__name__ == name and isinstance(error, zlike.ZlikeError)
    assert error.status_code == status
    assert error.body == {"message": "nope"}
    assert error.request_id == "req_9" and error.headers["x-request-id"] == "req_9"
    assert f"POST /invoices/generate_invoice returned {status}" in str(error) and "req_9" in str(error)


def test_422_carries_the_parsed_validation_errors(zlike: ModuleType, client: Any, server: LoopbackServer) -> None:
    detail = [{"loc": ["body", "email"], "msg": "Field required", "type": "missing"}]
    server.replies("POST", "/customers", Reply(status=422, body={"detail": detail}))
    with pytest.raises(zlike.UnprocessableEntityError) as caught:
        client.customers.create_customer(name="Acme", email="")
    error = caught.value
    assert isinstance(error.parsed, zlike.models.HTTPValidationError)
    assert error.detail[0].msg == "Field required" and error.detail[0].loc == ["body", "email"]
    assert "body.email: Field required" in str(error)


def test_connection_and_timeout_errors(
    zlike: ModuleType, server: LoopbackServer, env: dict[str, str], no_sleep: list[float]
) -> None:
    client = zlike.Zlike(base_url=f"http://127.0.0.1:{free_port()}", max_retries=0)
    with client, pytest.raises(zlike.APIConnectionError) as refused:
        client.meta.health()
    assert not isinstance(refused.value, zlike.APITimeoutError)
    server.replies("GET", "/health", Reply(body={}, delay=0.5))
    with zlike.Zlike(base_url=server.url, timeout=0.1, max_retries=0) as client:
        with pytest.raises(zlike.APITimeoutError):
            client.meta.health()
        assert client.meta.health(timeout=5.0) == {}  # a per-call timeout wins


# -- retries, counted at the server


@pytest.mark.parametrize(
    ("call", "route", "replies", "attempts", "outcome"),
    [
        ("generate", GENERATE, [500, 200], 1, "InternalServerError"),  # a POST may have been processed
        ("generate", GENERATE, [503, 200], 1, "InternalServerError"),
        ("generate", GENERATE, [408, 200], 1, "APIStatusError"),
        ("generate", GENERATE, [429, 200], 2, None),  # 429: provably not processed
        ("generate", GENERATE, [429, 429, 429], 3, "RateLimitError"),
        ("list", CUSTOMERS, [500, 502, 200], 3, None),  # GET is idempotent
        ("list", CUSTOMERS, [408, 200], 2, None),
        ("list", CUSTOMERS, [500, 500, 500], 3, "InternalServerError"),
        ("list", CUSTOMERS, [404, 200], 1, "NotFoundError"),  # a client error is not retried
        ("update", ("PUT", f"/customers/{CUSTOMER}"), [502, 200], 2, None),
        ("send", ("POST", "/invoices/inv_1/send"), [500, 200], 2, None),  # marked x-codegen-idempotent
    ],
)
def test_retry_rules(
    zlike: ModuleType,
    client: Any,
    server: LoopbackServer,
    no_sleep: list[float],
    call: str,
    route: tuple[str, str],
    replies: list[int],
    attempts: int,
    outcome: str | None,
) -> None:
    server.replies(*route, *[Reply(status=s, body={"data": [], "next": None} if s == 200 else {}) for s in replies])
    calls = {
        "generate": lambda: client.invoices.generate_an_invoice(**INVOICE_ARGS),
        "list": lambda: client.customers.list_customers(),
        "update": lambda: client.customers.update_customer(CUSTOMER, name="Acme", email="billing@acme.test"),
        "send": lambda: client.invoices.send_invoice("inv_1"),
    }
    if outcome is None:
        calls[call]()
    else:
        with pytest.raises(zlike.APIStatusError) as caught:
            calls[call]()
        assert type(caught.value).__name__ == outcome
    assert len(server.requests_to(*route)) == attempts
    assert len(no_sleep) == attempts - 1


def test_a_post_is_not_repeated_after_the_connection_drops_but_a_get_is(
    zlike: ModuleType, client: Any, server: LoopbackServer, no_sleep: list[float]
) -> None:
    server.replies(*GENERATE, Reply(drop=True), Reply(body={}))
    with pytest.raises(zlike.APIConnectionError):
        client.invoices.generate_an_invoice(**INVOICE_ARGS)
    assert len(server.requests_to(*GENERATE)) == 1
    server.replies(*CUSTOMERS, Reply(drop=True), Reply(body={"data": [1], "next": None}))
    assert list(client.customers.list_customers()) == [1]
    assert len(server.requests_to(*CUSTOMERS)) == 2


def test_a_post_is_retried_when_it_never_reached_the_server(
    zlike: ModuleType, env: dict[str, str], no_sleep: list[float]
) -> None:
    client = zlike.Zlike(base_url=f"http://127.0.0.1:{free_port()}", max_retries=3)
    with client, pytest.raises(zlike.APIConnectionError):
        client.invoices.generate_an_invoice(**INVOICE_ARGS)
    assert len(no_sleep) == 3  # connection refused: nothing was sent, so every retry was safe


def test_timeouts_retry_only_idempotent_operations(
    zlike: ModuleType, server: LoopbackServer, env: dict[str, str], no_sleep: list[float]
) -> None:
    server.replies(*GENERATE, Reply(body={}, delay=0.4))
    server.replies(*CUSTOMERS, Reply(body={"data": []}, delay=0.4))
    with zlike.Zlike(base_url=server.url, timeout=0.1, max_retries=1) as client:
        with pytest.raises(zlike.APITimeoutError):
            client.invoices.generate_an_invoice(**INVOICE_ARGS)
        with pytest.raises(zlike.APITimeoutError):
            client.customers.list_customers()
    assert len(server.requests_to(*GENERATE)) == 1
    assert len(server.requests_to(*CUSTOMERS)) == 2


def test_retry_after_in_seconds_or_as_a_date_is_waited(
    client: Any, server: LoopbackServer, no_sleep: list[float]
) -> None:
    in_three_seconds = email.utils.format_datetime(
        datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=3), usegmt=True
    )
    server.replies(
        *GENERATE,
        Reply(status=429, headers={"retry-after": "2"}),
        Reply(status=429, headers={"retry-after": in_three_seconds}),
        Reply(body={}),
    )
    client.invoices.generate_an_invoice(**INVOICE_ARGS)
    seconds, date = no_sleep  # a wait beyond the cap is not waited at all: test_client_faults.py
    assert seconds == 2.0
    assert 1.0 < date <= 3.0


def test_backoff_grows_exponentially_with_jitter(client: Any, server: LoopbackServer, no_sleep: list[float]) -> None:
    server.replies(*CUSTOMERS, Reply(status=503), Reply(status=503), Reply(body={"data": []}))
    client.customers.list_customers()
    first, second = no_sleep
    assert 0.375 <= first <= 0.5 and 0.75 <= second <= 1.0


def test_max_retries_zero_sends_once(client: Any, server: LoopbackServer, no_sleep: list[float]) -> None:
    server.replies(*CUSTOMERS, Reply(status=503), Reply(body={"data": []}))
    with pytest.raises(Exception, match="503"):
        client.with_options(max_retries=0).customers.list_customers()
    assert len(server.requests_to(*CUSTOMERS)) == 1 and no_sleep == []


# -- pagination


def three_pages(seen: Seen) -> Reply:
    """Nine customers, three per page; `next` is the following cursor, then null."""
    start = int((seen.query.get("cursor") or ["0"])[0])
    after = start + 3
    return Reply(body={"data": list(range(start, after)), "next": str(after) if after < 9 else None, "total": 9})


def test_iterating_a_page_walks_every_page_lazily(client: Any, server: LoopbackServer) -> None:
    server.route(*CUSTOMERS, three_pages)
    page = client.customers.list_customers(limit=3)
    assert page.results == [0, 1, 2] and page.next_cursor == "3" and page.body["total"] == 9
    assert len(server.seen) == 1
    items = iter(page)
    assert [next(items) for _ in range(4)] == [0, 1, 2, 3]
    assert len(server.seen) == 2  # the third page is not fetched yet
    assert list(page) == list(range(9))  # a new walk from this page: pages 2 and 3 are fetched again
    cursors = [s.query.get("cursor") for s in server.requests_to(*CUSTOMERS)]
    assert cursors == [None, ["3"], ["3"], ["6"]]
    assert all(s.query["limit"] == ["3"] for s in server.seen)


def test_next_may_be_a_url_and_typed_pages_decode_their_items(
    zlike: ModuleType, client: Any, server: LoopbackServer
) -> None:
    def contracts(seen: Seen) -> Reply:
        cursor = (seen.query.get("cursor") or [""])[0]
        following = {"": f"{server.url}/contracts?cursor=b&limit=1", "b": "/contracts?cursor=c", "c": ""}[cursor]
        item = {"id": f"ctr_{cursor or 'a'}", "customer_id": CUSTOMER, "start_date": "2024-01-02"}
        return Reply(body={"data": [item], "next": following})

    server.route("GET", "/contracts", contracts)
    found = list(client.contracts.list_contracts(customer_id=CUSTOMER))
    assert [c.id for c in found] == ["ctr_a", "ctr_b", "ctr_c"]
    assert isinstance(found[0], zlike.models.Contract) and found[0].start_date == datetime.date(2024, 1, 2)
    assert all(s.query["customer_id"] == [CUSTOMER] for s in server.seen)


def test_pagination_stops_on_a_repeated_cursor(client: Any, server: LoopbackServer) -> None:
    server.replies("GET", "/invoices", Reply(body={"results": ["a"], "next": "same"}))
    assert list(client.invoices.list_invoices(cursor="same")) == ["a"]
    assert len(server.seen) == 1


# -- secrets


def test_credentials_never_show_in_repr_errors_or_logs(
    zlike: ModuleType, client: Any, server: LoopbackServer, caplog: pytest.LogCaptureFixture, no_sleep: list[float]
) -> None:
    caplog.set_level(logging.DEBUG)
    server.replies(*GENERATE, Reply(status=429), Reply(status=401, body={"detail": f"bad key {API_KEY}"}))
    with pytest.raises(zlike.AuthenticationError) as caught:
        client.invoices.generate_an_invoice(**INVOICE_ARGS)
    shown = [repr(client), str(client), repr(caught.value), str(caught.value), repr(vars(client))]
    shown += [record.getMessage() for record in caplog.records]
    for text in shown:
        assert API_KEY not in text and ORGANISATION not in text
    assert any("retrying POST /invoices/generate_invoice" in record.getMessage() for record in caplog.records)
    assert "***" in str(caught.value)
