"""What the generated package is, beyond its HTTP behaviour: typed (mypy --strict), lazy to import,
documented with examples that run, free of vendor names in the templates, and safe against names
that collide — plus every kind of security scheme, exercised against a loopback server.
"""

from __future__ import annotations

import base64
import importlib
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from conftest import REPO, run_codegen
from test_client_support import PACKAGE, LoopbackServer, Reply

pytest_plugins = ["test_client_support"]  # its fixtures: zlike, server, env, no_sleep

# A spec built to collide: tags and operation ids that sanitise to the same or to reserved names,
# parameters named like the method's own keywords, classes named like what modules import, and
# every supported kind of security scheme, with alternatives.
COLLIDING: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": 'Quote """ and \\ backslash', "version": "1"},
    "servers": [{"url": "https://{region}.clash.test/v1", "variables": {"region": {"default": "eu"}}}],
    "paths": {
        "/items": {
            "get": {
                "tags": ["base_url"],
                "operationId": "getItem",
                "security": [{"QueryKey": []}, {"Bearer": []}],
                "parameters": [
                    {"name": "timeout", "in": "query", "schema": {"type": "integer"}},
                    {"name": "body", "in": "query", "schema": {"type": "string"}},
                    {"name": "extra_headers", "in": "header", "schema": {"type": "string"}},
                    {"name": "session", "in": "cookie", "schema": {"type": "string"}},
                ],
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {}}}}},
            },
            "post": {
                "tags": ["base_url"],
                "operationId": "create_item",
                "security": [{"Cookie": [], "Basic": []}],
                "parameters": [{"name": "name", "in": "query", "schema": {"type": "string"}}],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Any"}}},
                },
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/UUID"}}},
                    }
                },
            },
        },
        "/notes/{note_id}": {
            "patch": {
                "tags": ["notes"],
                "operationId": "patch_note",
                "security": [],
                "parameters": [{"name": "note_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "requestBody": {
                    "required": False,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Note"}}},
                },
                "responses": {"204": {"description": "done"}},
            }
        },
        "/with_raw_response": {
            "get": {
                "tags": ["With Raw Response", "Timeout"],
                "operationId": "with_raw_response",
                "security": [],
                "responses": {"200": {"description": "ok", "content": {"text/plain": {"schema": {"type": "string"}}}}},
            }
        },
    },
    "components": {
        "securitySchemes": {
            "QueryKey": {"type": "apiKey", "in": "query", "name": "api_key"},
            "Cookie": {"type": "apiKey", "in": "cookie", "name": "sid"},
            "Bearer": {"type": "http", "scheme": "bearer"},
            "Basic": {"type": "http", "scheme": "basic"},
        },
        "schemas": {
            "Any": {
                "type": "object",
                "required": ["name", "to_dict"],
                "properties": {
                    "name": {"type": "string"},
                    "to_dict": {"type": "string"},
                    "additional_properties": {"type": "integer"},
                    "kind": {"type": "string", "enum": ["a-b", "A_B", "_x", "mro", "1"]},
                },
            },
            "UUID": {"type": "object", "properties": {"File": {"type": "string", "format": "date"}}},
            "Note": {
                "type": "object",
                "required": ["text"],
                "properties": {"text": {"type": "string"}, "pinned": {"type": "boolean"}},
            },
        },
    },
}


@pytest.fixture(scope="module")
def clash(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ModuleType, Path]]:
    folder = tmp_path_factory.mktemp("clash")
    spec = folder / "clash.json"
    spec.write_text(json.dumps(COLLIDING), encoding="utf-8")
    result = run_codegen("generate", "--spec", str(spec), "--out", str(folder / "out"), "--name", "clash", timeout=300)
    assert result.returncode == 0, result.stderr
    root = folder / "out" / "clash-client"
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module("clash_client"), root
    finally:
        sys.path.remove(str(root))


# What a caller's type checker sees: models, pages and raw responses keep their types.
USER_CODE = """
from __future__ import annotations

import datetime
from typing import Any

from typing_extensions import assert_type

from zlike_client import APIResponse, AsyncZlike, Zlike, models
from zlike_client.pagination import AsyncCursorPage, SyncCursorPage

when = datetime.datetime(2024, 3, 1, tzinfo=datetime.timezone.utc)


def sync(client: Zlike) -> None:
    assert_type(client.customers.create_customer(name="a", email="b"), models.Customer)
    assert_type(client.customers.create_customer(body=models.CustomerCreate(name="a", email="b")), models.Customer)
    invoice = client.invoices.generate_an_invoice(customer_id="c", contract_id="k", from_date=when, to_date=when)
    assert_type(invoice, Any)  # the spec leaves the response untyped
    page = client.contracts.list_contracts(limit=10)
    assert_type(page, SyncCursorPage[models.Contract])
    for contract in page:
        assert_type(contract, models.Contract)
    assert_type(client.customers.with_raw_response.retrieve_customer("x"), APIResponse[models.Customer])


async def asynchronous(client: AsyncZlike) -> None:
    assert_type(await client.contracts.list_contracts(), AsyncCursorPage[models.Contract])
    async for contract in client.contracts.list_contracts():
        assert_type(contract, models.Contract)
    raw = await client.contracts.with_raw_response.list_contracts()
    assert_type(raw, APIResponse[AsyncCursorPage[models.Contract]])
    assert_type(await client.customers.create_customer(name="a", email="b"), models.Customer)
"""


def test_generated_packages_pass_mypy_strict(zlike_root: Path, clash: tuple[ModuleType, Path], tmp_path: Path) -> None:
    _, clash_root = clash
    assert (zlike_root / PACKAGE / "py.typed").is_file()
    user = tmp_path / "user_code.py"
    user.write_text(USER_CODE, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "cache"), "--no-incremental",
         str(zlike_root / PACKAGE), str(clash_root / "clash_client"), str(user)],
        capture_output=True, text=True, timeout=300, check=False, cwd=tmp_path,
        env={**os.environ, "MYPYPATH": str(zlike_root)},
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_importing_the_package_or_using_a_resource_loads_no_model(zlike_root: Path) -> None:
    probe = (
        "import sys\n"
        f"import {PACKAGE}\n"
        f"loaded = lambda part: sorted(m for m in sys.modules if m.startswith('{PACKAGE}' + part))\n"
        "before = (loaded('.resources.'), loaded('.models.'), 'attrs' in sys.modules)\n"
        f"client = {PACKAGE}.Zlike(base_url='http://127.0.0.1:9')\n"
        "client.customers\n"
        "print(before, loaded('.resources.'), loaded('.models.'), 'attrs' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=zlike_root, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    # the first use of a resource loads its module alone: models (and attrs) wait for a call that needs them
    assert result.stdout.strip() == f"([], [], False) ['{PACKAGE}.resources.customers'] [] False"


def test_tags_cannot_shadow_what_the_client_runtime_defines(zlike: ModuleType) -> None:
    """Every public name of the client base classes is reserved, so a tag named like one is renamed."""
    from codegen.client_names import CLIENT_RESERVED

    base = importlib.import_module(f"{PACKAGE}._base_client")
    public = {
        name
        for cls in (base.BaseClient, base.SyncAPIClient, base.AsyncAPIClient)
        for name in vars(cls)
        if not name.startswith("_")
    }
    client = zlike.Zlike(base_url="http://127.0.0.1:9")
    public |= {name for name in vars(client) if not name.startswith("_")}
    client.close()
    assert public <= CLIENT_RESERVED, sorted(public - CLIENT_RESERVED)


def test_templates_never_name_the_vendor() -> None:
    for path in (REPO / "templates" / "client").rglob("*"):
        if path.is_file():
            assert "zenskar" not in path.read_text(encoding="utf-8").lower(), path


def test_readme_examples_come_from_the_spec_and_compile(zlike_root: Path) -> None:
    readme = (zlike_root / "README.md").read_text(encoding="utf-8")
    for expected in (
        "pip install zlike-client",
        "ZLIKE_API_KEY",
        "ZLIKE_ORGANISATION",
        "ZLIKE_APIVERSION",
        "client.invoices.generate_an_invoice(",
        'customer_id="3fa85f64-5717-4562-b3fc-2c963f66afa6"',
        "for item in client.",
        "except zlike_client.UnprocessableEntityError",
        "Retry-After",
        "x-codegen-idempotent",
    ):
        assert expected in readme, expected
    blocks = re.findall(r"```python\n(.*?)```", readme, re.S)
    assert len(blocks) >= 5
    for block in blocks:
        compile(block, "README.md", "exec")


def test_colliding_names_get_distinct_safe_identifiers(clash: tuple[ModuleType, Path]) -> None:
    module, _ = clash
    client = module.Clash(api_key="k", bearer_token="t")
    assert client.base_url == "https://eu.clash.test/v1"  # server variables take their defaults
    resource = client.base_url_  # the tag `base_url` would shadow the setting
    assert callable(resource.get_item) and callable(resource.create_item)
    assert callable(client.with_raw_response_.with_raw_response_)  # both names are the SDK's own
    models = importlib.import_module("clash_client.models")
    assert {"AnyModel", "UUIDModel"} <= set(models.__all__)
    instance = models.AnyModel(name="n", to_dict_="x", additional_properties_=1)
    assert instance.to_dict()["to_dict"] == "x" and instance.to_dict()["additional_properties"] == 1
    kinds = {member.value for member in models.AnyModelKind}
    assert kinds == {"a-b", "A_B", "_x", "mro", "1"}
    client.close()


def test_every_security_scheme_kind_is_sent(clash: tuple[ModuleType, Path], server: LoopbackServer) -> None:
    module, _ = clash
    server.replies("POST", "/items", Reply(body={"File": "2024-03-01"}))
    with module.Clash(
        base_url=server.url, api_key="q-key", sid="cookie-key", username="ann", password="pw", bearer_token="tok"
    ) as client:
        client.base_url_.get_item(timeout_=5, body_="b", extra_headers_="h", session="s1")
        # the body's `name` collides with the query parameter `name`: the body is passed whole
        body = importlib.import_module("clash_client.models").AnyModel(name="n", to_dict_="x")
        created = client.base_url_.create_item(name="n", body=body)
    with module.Clash(base_url=server.url, bearer_token="tok") as client:
        client.base_url_.get_item()  # the second alternative: a bearer token alone
        with pytest.raises(module.MissingCredentialError, match="api_key=.*bearer_token=|bearer_token=.*api_key="):
            module.Clash(base_url=server.url, api_key=None).base_url_.get_item()
    first, second, third = server.seen
    assert first.query == {"timeout": ["5"], "body": ["b"], "api_key": ["q-key"]}
    assert "authorization" not in first.headers  # the first complete alternative is enough
    assert first.headers["extra_headers"] == "h" and first.headers["cookie"] == "session=s1"
    assert second.headers["cookie"] == "sid=cookie-key" and second.query == {"name": ["n"]}
    assert second.headers["authorization"] == "Basic " + base64.b64encode(b"ann:pw").decode()
    assert second.json() == {"name": "n", "to_dict": "x"}
    assert created.file == __import__("datetime").date(2024, 3, 1)
    assert third.headers["authorization"] == "Bearer tok" and third.query == {}


def test_an_optional_body_may_be_left_out_but_not_sent_half_filled(
    clash: tuple[ModuleType, Path], server: LoopbackServer
) -> None:
    module, _ = clash
    server.replies("PATCH", "/notes/7", Reply(status=204))
    with module.Clash(base_url=server.url) as client:
        assert client.notes.patch_note(7) is None
        assert client.notes.patch_note(7, text="hi") is None
        with pytest.raises(TypeError, match="missing required keyword argument: 'text'"):
            client.notes.patch_note(7, pinned=True)
    left_out, sent = server.seen
    assert left_out.body == b"" and "content-type" not in left_out.headers
    assert sent.json() == {"text": "hi"}
