"""How operations without a tag are placed in the SDK (operation_names.py, naming.py): a resource per
leading path segment after any version, `api` or path parameter, method names that do not repeat the
resource, clashes settled the same way whatever the order, and overlays that set either name.
Then a generated client of a synthetic untagged document, called against a loopback server."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from codegen.spec_model import SpecModel, build_spec_model
from codegen.transforms import apply_codegen_names
from conftest import generate_fixture
from synthetic import synthetic_document
from test_client_support import LoopbackServer, Reply

pytest_plugins = ["test_client_support"]

OK = {"200": {"description": "ok"}}


def model_of(paths: dict[str, dict[str, Any]]) -> SpecModel:
    doc: dict[str, Any] = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": paths}
    apply_codegen_names(doc)  # as the pipeline does before the spec model reads the document
    return build_spec_model(doc)


def placed(paths: dict[str, dict[str, Any]]) -> dict[str, tuple[str, str]]:
    """`METHOD path` → (resource, method name)."""
    return {f"{op.method.upper()} {op.path}": (op.resource, op.python_name) for op in model_of(paths).operations}


def op(operation_id: str | None = None, **extra: Any) -> dict[str, Any]:
    return {**({"operationId": operation_id} if operation_id else {}), "responses": OK, **extra}


def test_versions_and_api_prefixes_are_skipped() -> None:
    names = placed(
        {
            "/v1/customers": {"get": op("GetCustomers"), "post": op("PostCustomers")},
            "/v1/customers/{customer}": {"get": op("GetCustomersCustomer"), "delete": op("DeleteCustomersCustomer")},
            "/v2beta/invoices": {"get": op("listInvoices")},
            "/2024-01-01/payouts/{id}": {"post": op()},
            "/api/v1.2/charges": {"get": op("charges_list")},
            "/V3/refunds": {"get": op()},
        }
    )
    assert names == {
        "GET /v1/customers": ("customers", "list"),
        "POST /v1/customers": ("customers", "create"),
        "GET /v1/customers/{customer}": ("customers", "retrieve"),
        "DELETE /v1/customers/{customer}": ("customers", "delete"),
        "GET /v2beta/invoices": ("invoices", "list"),
        "POST /2024-01-01/payouts/{id}": ("payouts", "update"),
        "GET /api/v1.2/charges": ("charges", "list"),
        "GET /V3/refunds": ("refunds", "list"),
    }


def test_path_parameters_are_skipped_and_name_nothing() -> None:
    names = placed(
        {
            "/{tenant}/customers/{id}/sources": {"get": op("GetTenantCustomersIdSources"), "post": op()},
            "/customers/{id}/sources/{source}": {"get": op()},
            "/invoices/{invoice}/pay": {"post": op("PostInvoicesInvoicePay")},
            "/customers/{id}/balance": {"get": op("getCustomerBalance")},
        }
    )
    assert names == {
        "GET /{tenant}/customers/{id}/sources": ("customers", "list_sources"),
        "POST /{tenant}/customers/{id}/sources": ("customers", "sources"),
        "GET /customers/{id}/sources/{source}": ("customers", "retrieve_sources"),
        "POST /invoices/{invoice}/pay": ("invoices", "pay"),
        # an operationId that says more than the path: its words, less the resource's (or its singular)
        "GET /customers/{id}/balance": ("customers", "get_balance"),
    }


def test_a_path_of_only_slash_or_parameters_goes_to_root() -> None:
    names = placed(
        {
            "/": {"get": op(), "post": op("ping")},
            "/{id}": {"get": op()},
            "/v1": {"delete": op()},
            "/#Action=CreateStack": {"post": op("CreateStack")},  # the fragment is no part of the path
        }
    )
    assert names == {
        "GET /": ("root", "list"),
        "POST /": ("root", "ping"),
        "GET /{id}": ("root", "retrieve"),
        "DELETE /v1": ("root", "delete"),
        "POST /#Action=CreateStack": ("root", "create_stack"),
    }


def test_clashing_method_names_all_fall_back_to_their_full_name_in_any_order() -> None:
    paths = {
        "/v1/customers": {"get": op("GetCustomers")},
        "/v2/customers": {"get": op("GetV2Customers")},  # also `list`: both keep their full names
        "/customers/{id}": {"get": op("getCustomer"), "put": op("PutCustomersId")},
        "/customers/{id}/with_raw_response": {"get": op("with_raw_response")},
    }
    expected = {
        "GET /v1/customers": ("customers", "get_customers"),
        "GET /v2/customers": ("customers", "get_v2_customers"),
        "GET /customers/{id}": ("customers", "get"),
        "PUT /customers/{id}": ("customers", "update"),
        "GET /customers/{id}/with_raw_response": ("customers", "with_raw_response_"),  # reserved on a resource
    }
    assert placed(paths) == expected
    assert placed(dict(reversed(paths.items()))) == expected
    # the names are unique per resource; the mock's handler keys stay unique across the document
    model = model_of(paths)
    assert len({op.key for op in model.operations}) == len(model.operations)


def test_resources_collide_with_reserved_names_and_join_tags_of_the_same_name() -> None:
    names = placed(
        {
            "/request/{id}": {"get": op()},  # `client.request` is the client's own method
            "/Customer-Groups": {"get": op("listCustomerGroups")},
            "/customer_groups/{id}": {"get": op()},
            "/customers": {"get": op("create", tags=["Customers"]), "post": op("createCustomer")},
            "/customers/{id}": {"delete": op()},
        }
    )
    assert names == {
        "GET /request/{id}": ("request_", "retrieve"),
        "GET /Customer-Groups": ("customer_groups", "list"),
        "GET /customer_groups/{id}": ("customer_groups", "retrieve"),
        # tagged operations keep their names; untagged ones under the same name join the resource,
        # and one whose short name a tagged operation has keeps its full name
        "GET /customers": ("customers", "create"),
        "POST /customers": ("customers", "create_customer"),
        "DELETE /customers/{id}": ("customers", "delete"),
    }


def test_tagged_operations_keep_their_names() -> None:
    names = placed(
        {
            "/v1/customers": {"get": op("GetCustomers", tags=["Billing"])},
            "/v1/customers/{id}": {"get": op(tags=["billing"])},
        }
    )
    assert names == {
        "GET /v1/customers": ("billing", "get_customers"),
        "GET /v1/customers/{id}": ("billing_", "get_v1_customers_id"),
    }


def test_overlay_extensions_set_the_resource_and_the_method_name() -> None:
    names = placed(
        {
            "/v1/customers": {
                "get": op("GetCustomers", **{"x-codegen-name": "all_customers"}),
                "post": op("PostCustomers", **{"x-codegen-resource": "Clients"}),
            },
            "/v1/things": {"get": op("listThings", tags=["stuff"], **{"x-codegen-resource": "things"})},
        }
    )
    assert names == {
        "GET /v1/customers": ("customers", "all_customers"),
        "POST /v1/customers": ("clients", "create"),
        "GET /v1/things": ("things", "list_things"),
    }


# --- a generated client ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ModuleType, Path]]:
    """The client of a synthetic untagged document of 12 operations and 6 schemas."""
    folder = tmp_path_factory.mktemp("synthetic")
    spec = folder / "synthetic.json"
    spec.write_text(json.dumps(synthetic_document(12, 6)), encoding="utf-8")
    generate_fixture(spec, folder / "out", "synth")
    root = folder / "out" / "synth-client"
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module("synth_client"), folder / "out"
    finally:
        sys.path.remove(str(root))


def test_synthetic_document_has_the_size_asked_for() -> None:
    doc = synthetic_document(12, 6)
    methods = [m for item in doc["paths"].values() for m in item]
    assert len(methods) == 12 and len(doc["components"]["schemas"]) == 6


def test_untagged_client_is_called_by_resource_and_crud_name(
    synthetic: tuple[ModuleType, Path], server: LoopbackServer
) -> None:
    package, out = synthetic
    server.replies("GET", "/v1/res1", Reply(body={"data": [{"id": "a", "amount": 1}], "next": None}))
    server.replies("GET", "/v1/res1/abc", Reply(body={"id": "abc", "amount": 5}))
    server.replies("POST", "/v1/res0", Reply(body={"id": "n", "amount": 3}))
    server.replies("DELETE", "/v1/res0/gone", Reply(status=204))
    with package.Synth(base_url=server.url, bearer_token="k") as client:
        assert [item.id for item in client.res1.list()] == ["a"]
        assert client.res1.retrieve("abc", expand=["parent"]).amount == 5
        client.res0.delete("gone")
        created = client.res0.create(id="n", amount=3)
        # three resources of 5, 5 and 2 operations, listed by dir(); no catch-all `default`
        assert [name for name in dir(client) if name.startswith(("res", "default"))] == ["res0", "res1", "res2"]
    assert created.amount == 3
    assert server.requests_to("GET", "/v1/res1/abc")[0].query == {"expand": ["parent"]}
    assert [s.method for s in server.requests_to("DELETE", "/v1/res0/gone")] == ["DELETE"]
    assert json.loads(server.requests_to("POST", "/v1/res0")[0].body) == {"id": "n", "amount": 3}
    reference = (out / "synth-client" / "api.md").read_text(encoding="utf-8")
    assert "client.res1.update(" in reference and 'operations on the paths under "/res2"' in reference
    # the mock keeps one handler per operation under its document-wide name, and names the client call
    mock_readme = (out / "synth-mock" / "README.md").read_text(encoding="utf-8")
    assert "`get_res1_id`" in mock_readme and "client.res1.retrieve(" in mock_readme


def test_untagged_client_passes_mypy_strict(synthetic: tuple[ModuleType, Path], tmp_path: Path) -> None:
    """A method named `list` does not shadow the `list[str]` annotation of another method's argument."""
    _, out = synthetic
    assert "def list(" in (out / "synth-client" / "synth_client" / "resources" / "res0.py").read_text("utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "cache"), "--no-incremental",
         str(out / "synth-client" / "synth_client")],
        capture_output=True, text=True, timeout=300, check=False, cwd=tmp_path, env=dict(os.environ),
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
