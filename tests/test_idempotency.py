"""Idempotency keys (tests/fixtures/idempotency_31.yaml): a POST that takes an `Idempotency-Key` header is
retried safely, because the client fills in one key per call and repeats it on every attempt; the key is
an argument of each call, never a client-wide setting, even when every operation takes it. A header every
operation requires with one allowed value is sent with that value unasked.
"""

from __future__ import annotations

import inspect
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from conftest import FIXTURES, generate_fixture
from mock_process import imported_package
from test_client_support import LoopbackServer, Reply

STEM = "idem"


@pytest.fixture(scope="module")
def sdk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    out = generate_fixture(FIXTURES / "idempotency_31.yaml", tmp_path_factory.mktemp("idem") / "out", STEM)
    with imported_package(Path(out) / f"{STEM}-client", f"{STEM}_client") as module:
        yield module


def test_a_retried_post_repeats_the_one_key_the_client_made(sdk: ModuleType) -> None:
    with LoopbackServer() as server, sdk.Idem(base_url=server.url, max_retries=2) as client:
        server.replies("POST", "/payments", Reply(status=503, body={}), Reply(status=201, body={"id": "p1"}))
        client.payments.create_payment(amount=5)
        first, second = server.requests_to("POST", "/payments")
        assert first.headers["idempotency-key"] == second.headers["idempotency-key"]
        uuid.UUID(first.headers["idempotency-key"])  # a random key: no two calls share one
        client.payments.create_payment(amount=5)
        third = server.requests_to("POST", "/payments")[-1]
        assert third.headers["idempotency-key"] != first.headers["idempotency-key"]


def test_a_key_given_by_the_caller_is_sent_as_given_and_gets_are_left_alone(sdk: ModuleType) -> None:
    with LoopbackServer() as server, sdk.Idem(base_url=server.url) as client:
        server.replies("POST", "/payments", Reply(status=201, body={"id": "p1"}))
        server.replies("GET", "/payments", Reply(body=[]))
        client.payments.create_payment(amount=5, idempotency_key="order-42")
        client.payments.list_payments()
        assert server.requests_to("POST", "/payments")[0].headers["idempotency-key"] == "order-42"
        assert "idempotency-key" not in server.requests_to("GET", "/payments")[0].headers


def test_the_key_is_a_per_call_argument_while_the_api_version_is_client_wide(sdk: ModuleType) -> None:
    constructor = inspect.signature(sdk.Idem).parameters
    assert "api_version" in constructor and "idempotency_key" not in constructor
    assert (
        "idempotency_key"
        in inspect.signature(sdk.Idem(base_url="http://127.0.0.1:9").payments.create_payment).parameters
    )


def test_a_required_header_with_one_allowed_value_is_sent_unasked(sdk: ModuleType) -> None:
    with LoopbackServer() as server, sdk.Idem(base_url=server.url) as client:
        server.replies("GET", "/payments", Reply(body=[]))
        client.payments.list_payments()
        assert server.requests_to("GET", "/payments")[0].headers["x-sdk-flag"] == "true"
