"""Contract tests: every operation of the generated client against the generated mock, over real loopback HTTP.

For the pinned spec (the committed packages under generated/) and six fixture specs (generated once per
module by the real CLI), the mock runs in its own uvicorn process and the client calls each operation with
the minimal valid arguments its schemas require (tests/contract_driver.py). What a user relies on: a valid
call returns a parsed 2xx; a request the mock rejects is an UnprocessableEntityError with the parsed
detail; missing credentials are refused by the client before sending and are a 401 at the mock.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
import yaml
from codegen.client_model import ClientView
from codegen.client_options import ClientOptions, client_options
from codegen.config import load_settings
from conftest import FIXTURES, REPO, run_codegen
from contract_driver import (
    Call,
    client_view,
    credentials,
    effective_doc,
    operation_keys,
    plan_calls,
    success_statuses,
)
from mock_process import RunningMock, imported_package, running_mock

GENERATED = REPO / "generated"
TIMEOUT = 10.0  # seconds per request: the mock answers from memory on 127.0.0.1


@dataclass(frozen=True)
class SpecSource:
    """Where a spec's client and mock come from: the committed generated/ tree, or the CLI run on a fixture."""

    label: str
    name: str  # --name; package stems NAME_client / NAME_mock (distinct from other test modules' names)
    fixture: Path | None  # None: the pinned spec's committed packages


SOURCES = {
    s.label: s
    for s in (
        SpecSource("pinned", "zenskar", None),
        SpecSource("zenskar_like", "ctzlike", FIXTURES / "zenskar_like.yaml"),
        SpecSource("billing_31", "ctbilling", FIXTURES / "billing_31_auth_nullable.yaml"),
        SpecSource("inventory_30", "ctinventory", FIXTURES / "inventory_30_params.json"),
        SpecSource("param_styles_31", "ctstyles", FIXTURES / "params_styles_31.yaml"),
        SpecSource("field_cases_30", "ctfield", FIXTURES / "field_cases_30.yaml"),
        SpecSource("schemes_31", "ctschemes", FIXTURES / "security_schemes_31.yaml"),
    )
}
ASYNC_SPEC = "zenskar_like"  # the fixture with the most operations, also called through the async client

# Operations that cannot be called generically or that disagree with the mock, with the reason.
# Each case is a strict xfail: when it starts passing, the test fails and the entry must go.
KNOWN: dict[tuple[str, str], str] = {}


def _source_doc(source: SpecSource) -> dict[str, Any]:
    if source.fixture is None:
        return effective_doc(GENERATED / "zenskar.openapi.json")
    text = source.fixture.read_text(encoding="utf-8")
    loaded = json.loads(text) if source.fixture.suffix == ".json" else yaml.safe_load(text)
    assert isinstance(loaded, dict)
    return loaded


def _cases() -> list[Any]:
    cases = []
    for label, source in SOURCES.items():
        for key in operation_keys(_source_doc(source)):
            reason = KNOWN.get((label, key))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            cases.append(pytest.param(label, key, marks=marks, id=f"{label}:{key}"))
    return cases


@dataclass
class Contract:
    """One spec's generated client (imported) and mock (running), and the planned calls."""

    label: str
    package: ModuleType  # NAME_client
    models: ModuleType
    view: ClientView
    calls: dict[str, Call]  # "METHOD /path" → call
    mock: RunningMock
    doc: dict[str, Any]  # the effective spec

    @property
    def env_names(self) -> list[str]:
        return [env for credential in self.view.credentials for env in credential.envs]

    def client(self, **overrides: Any) -> Any:
        settings: dict[str, Any] = {
            "base_url": self.mock.url,
            "max_retries": 0,
            "timeout": TIMEOUT,
            **credentials(self.view),
        }
        return getattr(self.package, self.view.class_name)(**{**settings, **overrides})

    def async_client(self) -> Any:
        cls = getattr(self.package, self.view.async_class_name)
        return cls(base_url=self.mock.url, max_retries=0, timeout=TIMEOUT, **credentials(self.view))


def _generated(source: SpecSource, factory: pytest.TempPathFactory) -> tuple[Path, ClientOptions]:
    """The folder holding NAME-client/, NAME-mock/ and NAME.openapi.json, and the client options used."""
    if source.fixture is None:
        return GENERATED, client_options(load_settings(REPO).client)
    out = factory.mktemp(source.name)
    result = run_codegen("generate", "--spec", str(source.fixture), "--out", str(out), "--name", source.name)
    assert result.returncode == 0, result.stderr
    return out, ClientOptions()


class Contracts:
    """Each spec's client and mock, made on first use and kept until the module ends (one mock per spec)."""

    def __init__(self, stack: contextlib.ExitStack, factory: pytest.TempPathFactory) -> None:
        self._stack, self._factory = stack, factory
        self._made: dict[str, Contract] = {}

    def get(self, label: str) -> Contract:
        if label not in self._made:
            self._made[label] = self._make(SOURCES[label])
        return self._made[label]

    def _make(self, source: SpecSource) -> Contract:
        out, options = _generated(source, self._factory)
        effective = out / f"{source.name}.openapi.json"
        doc = effective_doc(effective)
        view = client_view(doc, effective, source.name, options)
        client_dist, mock_dist = out / f"{source.name}-client", out / f"{source.name}-mock"
        package = self._stack.enter_context(imported_package(client_dist, f"{source.name}_client"))
        assert Path(str(package.__file__)).is_relative_to(client_dist), "another test left this package imported"
        logs = self._factory.mktemp("log")
        mock = self._stack.enter_context(running_mock(mock_dist, f"{source.name}_mock", log_dir=logs))
        models = package.models
        return Contract(source.label, package, models, view, plan_calls(view, doc, models), mock, doc)


@pytest.fixture(scope="module")
def contracts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Contracts]:
    with contextlib.ExitStack() as stack:
        yield Contracts(stack, tmp_path_factory)


@pytest.fixture
def contract(request: pytest.FixtureRequest, contracts: Contracts) -> Contract:
    """The spec named by the test's (indirect) parameter."""
    return contracts.get(request.param)


def _call(contract: Contract, key: str) -> Call:
    assert key in contract.calls, f"{contract.label}: no method for {key} (generated: {sorted(contract.calls)})"
    return contract.calls[key]


def _check_result(contract: Contract, call: Call, result: Any) -> None:
    if call.operation.page is not None:
        assert isinstance(result.results, list), f"{call.key}: a page without a list of results"
    assert call.result_check(contract.models)(result), f"{call.key}: {result!r} is not a {call.operation.returns}"


# -- every operation, synchronously


@pytest.mark.parametrize(("contract", "key"), _cases(), indirect=["contract"])
def test_every_operation_returns_its_parsed_2xx(contract: Contract, key: str) -> None:
    call = _call(contract, key)
    with contract.client() as client:
        result = call.of(client)(*call.args, **call.kwargs)
        raw = call.raw_of(client)(*call.args, **call.kwargs)
    _check_result(contract, call, result)
    assert raw.status_code in success_statuses(contract.doc, call.operation), f"{key}: {raw.status_code}"
    assert raw.http_response.request.url.host == "127.0.0.1"
    _check_result(contract, call, raw.parse())


@pytest.mark.parametrize("contract", sorted(SOURCES), indirect=True)
def test_the_client_has_a_method_for_every_operation(contract: Contract) -> None:
    assert sorted(contract.calls) == sorted(operation_keys(_source_doc(SOURCES[contract.label])))


def test_every_known_case_names_an_operation_of_its_spec() -> None:
    cases = {(label, key) for label, source in SOURCES.items() for key in operation_keys(_source_doc(source))}
    assert set(KNOWN) <= cases, "a KNOWN entry names no operation any more: remove it"


# -- every operation once through the async client


@pytest.mark.parametrize("contract", [ASYNC_SPEC], indirect=True)
def test_every_operation_through_the_async_client(contract: Contract) -> None:
    async def run_all() -> list[str]:
        failures: list[str] = []
        async with contract.async_client() as client:
            for key, call in contract.calls.items():
                if (contract.label, key) in KNOWN:
                    continue
                try:
                    result = await call.of(client)(*call.args, **call.kwargs)
                    _check_result(contract, call, result)
                except Exception as exc:  # noqa: BLE001 - every failure is reported below, with its operation
                    failures.append(f"{key}: {type(exc).__name__}: {exc}")
            first = next(iter(contract.calls.values()))
            raw = await first.raw_of(client)(*first.args, **first.kwargs)
            assert 200 <= raw.status_code < 300
        return failures

    assert asyncio.run(asyncio.wait_for(run_all(), timeout=60)) == []


# -- requests the mock rejects


def _validation_errors(caught: Any) -> list[tuple[tuple[Any, ...], str, str]]:
    """(loc, msg, type) of each error in an UnprocessableEntityError's parsed detail."""
    return [(tuple(e["loc"]), e["msg"], e["type"]) for e in (error.to_dict() for error in caught.detail)]


@pytest.mark.parametrize("contract", ["pinned"], indirect=True)
def test_a_body_the_mock_rejects_is_an_unprocessable_entity_error_with_the_parsed_detail(contract: Contract) -> None:
    call = contract.calls["POST /invoices/generate_invoice"]
    valid = call.kwargs["body"].to_dict()
    with contract.client() as client, pytest.raises(contract.package.UnprocessableEntityError) as caught:
        client.invoices.generate_an_invoice(**{**valid, "customer_id": "not-a-uuid"})  # `UUID | str` takes text
    error = caught.value
    assert isinstance(error, contract.package.APIStatusError)
    assert error.status_code == 422
    assert isinstance(error.parsed, contract.models.HTTPValidationError)
    assert all(isinstance(item, contract.models.ValidationError) for item in error.detail)
    ((loc, msg, kind),) = _validation_errors(error)
    assert loc == ("body", "customer_id")
    assert msg and kind


@pytest.mark.parametrize("contract", ["billing_31"], indirect=True)
def test_a_parameter_out_of_range_is_an_unprocessable_entity_error(contract: Contract) -> None:
    with contract.client() as client, pytest.raises(contract.package.UnprocessableEntityError) as caught:
        client.customers.list_customers(limit=0)  # the spec's minimum is 1
    ((loc, msg, kind),) = _validation_errors(caught.value)
    assert loc == ("query", "limit")
    assert msg and kind
    with contract.client() as client:
        assert client.customers.list_customers(limit=1).results is not None  # the bound itself is valid


# -- credentials


class Recorder:
    """httpx event hook: every request the client actually sends."""

    def __init__(self) -> None:
        self.sent: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> None:
        self.sent.append(request)


@pytest.mark.parametrize("contract", ["pinned"], indirect=True)
def test_a_missing_credential_is_refused_by_the_client_before_sending(
    contract: Contract, monkeypatch: pytest.MonkeyPatch
) -> None:
    for env in contract.env_names:
        monkeypatch.delenv(env, raising=False)
    call = contract.calls["POST /invoices/generate_invoice"]
    recorder = Recorder()
    http = httpx.Client(event_hooks={"request": [recorder]}, timeout=TIMEOUT)
    client = contract.client(organisation=None, http_client=http)
    with client, pytest.raises(contract.package.MissingCredentialError) as caught:
        call.of(client)(*call.args, **call.kwargs)
    assert "organisation" in str(caught.value)
    assert "dummy-api_key" not in str(caught.value)
    assert recorder.sent == []


@pytest.mark.parametrize("contract", ["pinned"], indirect=True)
def test_the_mock_answers_401_without_credentials(contract: Contract) -> None:
    call = contract.calls["POST /invoices/generate_invoice"]
    body = call.kwargs["body"].to_dict()
    response = httpx.post(f"{contract.mock.url}{call.operation.path}", json=body, timeout=TIMEOUT)
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/json"
    detail = response.json()["detail"]
    assert "x-api-key" in detail and "organisation" in detail


@pytest.mark.parametrize("contract", ["pinned"], indirect=True)
def test_an_empty_credential_header_is_a_401_authentication_error_through_the_client(contract: Contract) -> None:
    call = contract.calls["POST /invoices/generate_invoice"]
    with contract.client() as client, pytest.raises(contract.package.AuthenticationError) as caught:
        call.of(client)(*call.args, **call.kwargs, extra_headers={"organisation": ""})
    error = caught.value
    assert error.status_code == 401
    assert "organisation" in error.body["detail"]
    assert "dummy-organisation" not in str(error) and "dummy-api_key" not in str(error)


def _scheme_kind(raw: dict[str, Any]) -> str:
    kind = str(raw.get("type"))
    if kind == "apiKey":
        return f"apiKey in {raw.get('in')}"
    return f"http {str(raw.get('scheme')).lower()}" if kind == "http" else kind


def test_the_contract_fixtures_cover_every_security_scheme_kind() -> None:
    """Every operation test above sends the client's credentials to the mock; this keeps every kind in play."""
    kinds = {
        _scheme_kind(raw)
        for source in SOURCES.values()
        for raw in _source_doc(source).get("components", {}).get("securitySchemes", {}).values()
    }
    expected = {"apiKey in header", "apiKey in query", "apiKey in cookie", "http basic", "http bearer", "http token"}
    assert kinds >= expected | {"oauth2", "openIdConnect"}


@pytest.mark.parametrize("contract", ["schemes_31"], indirect=True)
def test_the_mock_refuses_each_operation_without_its_credentials_and_accepts_what_the_client_sends(
    contract: Contract,
) -> None:
    recorder = Recorder()
    http = httpx.Client(event_hooks={"request": [recorder]}, timeout=TIMEOUT)
    with contract.client(http_client=http) as client:
        for key, call in contract.calls.items():
            raw = call.raw_of(client)(*call.args, **call.kwargs)
            assert raw.status_code == 200, key
            sent = recorder.sent[-1]
            bare = httpx.request(
                sent.method,
                str(sent.url.copy_remove_param("api_key")),
                content=sent.content,
                headers={"content-type": "application/json"},
                timeout=TIMEOUT,
            )
            public = key == "GET /public"
            assert bare.status_code == (200 if public else 401), f"{key}: {bare.status_code} without credentials"
    # What each scheme put on the wire, as the spec names it.
    by_path = {request.url.path: request for request in recorder.sent}
    assert by_path["/header-key"].headers["x-key"]
    assert by_path["/query-key"].url.params["api_key"]
    assert "session=" in by_path["/cookie-key"].headers["cookie"]
    assert by_path["/basic"].headers["authorization"].startswith("Basic ")
    assert by_path["/bearer"].headers["authorization"].startswith("Bearer ")
    assert by_path["/token"].headers["authorization"].startswith("Token ")
    assert by_path["/oauth2"].headers["authorization"].startswith("Bearer ")
    assert by_path["/openid"].headers["authorization"].startswith("Bearer ")
    assert by_path["/both"].headers["x-key"] and by_path["/both"].headers["authorization"].startswith("Bearer ")
