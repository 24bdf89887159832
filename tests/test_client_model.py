"""client_model.py: the decisions behind the generated client, checked on small inline specs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from codegen.client_auth import security_alternatives
from codegen.client_model import ClientView, build_client_view, server_url
from codegen.client_names import unique
from codegen.client_options import ClientOptions, client_options
from codegen.config import Names
from codegen.errors import CodegenError
from codegen.spec_model import build_spec_model


def view_of(doc: dict[str, Any], options: ClientOptions | None = None, tmp: Path | None = None) -> ClientView:
    """The client view of an inline spec, parsed by the pinned generator as the pipeline does."""
    from openapi_python_client.config import Config, ConfigFile, MetaType
    from openapi_python_client.parser import GeneratorData

    config = Config.from_sources(
        ConfigFile(post_hooks=[]),
        MetaType.UV,
        document_source=Path("inline.json"),
        file_encoding="utf-8",
        overwrite=False,
        output_path=tmp or Path("unused"),
    )
    parsed = GeneratorData.from_dict(doc, config=config)
    assert isinstance(parsed, GeneratorData)
    return build_client_view(parsed, build_spec_model(doc), Names("acme"), options or ClientOptions())


def listing(response_schema: dict[str, Any], cursor: str = "cursor") -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/things": {
                "get": {
                    "operationId": "list_things",
                    "tags": ["things"],
                    "parameters": [{"name": cursor, "in": "query", "schema": {"type": "string"}}],
                    "responses": {
                        "200": {"description": "ok", "content": {"application/json": {"schema": response_schema}}}
                    },
                }
            }
        },
    }


def test_credential_names_come_from_the_wire_name_and_can_be_overridden() -> None:
    doc = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {
            "securitySchemes": {
                "ApiTokenAuth": {"type": "apiKey", "in": "header", "name": "x-api-key"},
                "OrganisationAuth": {"type": "apiKey", "in": "header", "name": "organisation"},
                "Login": {"type": "http", "scheme": "basic"},
            }
        },
    }
    names = {c.scheme: (c.kind, c.args, c.envs) for c in view_of(doc).credentials}
    assert names["ApiTokenAuth"] == ("header", ("api_key",), ("ACME_API_KEY",))
    assert names["OrganisationAuth"] == ("header", ("organisation",), ("ACME_ORGANISATION",))
    assert names["Login"] == ("basic", ("username", "password"), ("ACME_USERNAME", "ACME_PASSWORD"))
    renamed = view_of(doc, client_options({"auth": {"ApiTokenAuth": "token", "Login": ["user", "secret"]}}))
    assert {c.scheme: c.args for c in renamed.credentials}["ApiTokenAuth"] == ("token",)
    assert {c.scheme: c.envs for c in renamed.credentials}["Login"] == ("ACME_USER", "ACME_SECRET")


@pytest.mark.parametrize(
    "section",
    [
        {"auth": {"ApiTokenAuth": "not an identifier"}},
        {"auth": {"ApiTokenAuth": "class"}},
        {"pagination": {"cursor": []}},
        {"pagination": {"items": [1]}},
    ],
)
def test_bad_client_settings_are_reported(section: dict[str, Any]) -> None:
    with pytest.raises(CodegenError, match=r"tool\.codegen"):
        client_options(section)


def test_security_alternatives_keep_each_complete_set() -> None:
    doc = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {
            "securitySchemes": {
                "A": {"type": "apiKey", "in": "header", "name": "a"},
                "B": {"type": "http", "scheme": "bearer"},
            }
        },
    }
    credentials = {c.scheme: c for c in view_of(doc).credentials}
    assert security_alternatives([("A", "B")], credentials) == ((0, 1),)
    assert security_alternatives([("B",), (), ("Unknown",)], credentials) == ((1,), ())
    assert security_alternatives([], credentials) == ()


def test_server_url_fills_variables_and_needs_an_absolute_url() -> None:
    variables = {"region": {"default": "eu"}}
    assert (
        server_url({"servers": [{"url": "https://{region}.x.test/v1/", "variables": variables}]})
        == "https://eu.x.test/v1"
    )
    assert server_url({"servers": [{"url": "/api/v3"}]}) is None
    assert server_url({}) is None
    # the client refuses a base URL with a query string or fragment, so the default is never one
    assert server_url({"servers": [{"url": "https://x.test/v1?token=abc"}]}) is None
    assert server_url({"servers": [{"url": "https://x.test/v1#top"}]}) is None


def test_unique_names_never_repeat_or_shadow() -> None:
    taken: set[str] = set()
    assert [unique(n, taken, {"timeout"}) for n in ("items", "items", "timeout", "items")] == [
        "items",
        "items_",
        "timeout_",
        "items_2",
    ]


def test_untyped_pages_use_the_configured_names() -> None:
    (resource,) = view_of(listing({})).resources
    page = resource.operations[0].page
    assert page is not None and (page.items_fields, page.next_fields) == (("data", "results"), ("next",))
    options = client_options({"pagination": {"cursor": "page_token", "next": "next_page_token", "items": "things"}})
    (resource,) = view_of(listing({}, cursor="page_token"), options).resources
    page = resource.operations[0].page
    assert page is not None and (page.cursor_param, page.items_fields, page.next_fields) == (
        "page_token",
        ("things",),
        ("next_page_token",),
    )
    (resource,) = view_of(listing({}, cursor="offset")).resources
    assert resource.operations[0].page is None  # no cursor parameter: not paginated


def test_typed_pages_take_their_fields_from_the_schema() -> None:
    item = {"type": "object", "title": "Thing", "properties": {"id": {"type": "string"}}}
    schema = {
        "type": "object",
        "title": "ThingPage",
        "properties": {"results": {"type": "array", "items": item}, "next": {"type": ["string", "null"]}},
    }
    (resource,) = view_of(listing(schema)).resources
    op = resource.operations[0]
    assert op.page is not None
    assert op.page.items_fields == ("results",) and op.page.item_annotation.startswith("_models.")
    # the model is looked up when an item is decoded, not when the resource module is imported
    assert op.page.item_decode == f"lambda data: {op.page.item_annotation}.from_dict(data)"
    assert op.returns_page == f"SyncCursorPage[{op.page.item_annotation}]"
    no_list = {"type": "object", "title": "Count", "properties": {"count": {"type": "integer"}}}
    (resource,) = view_of(listing(no_list)).resources
    assert resource.operations[0].page is None  # a typed answer without items: a plain call


def test_anyof_null_is_optional_and_header_defaults_are_shared() -> None:
    doc = listing({})
    version = {"name": "apiversion", "in": "header", "schema": {"anyOf": [{"type": "integer"}, {"type": "null"}]}}
    doc["paths"]["/things"]["get"]["parameters"].append(version)
    view = view_of(doc)
    (header,) = view.headers
    assert (header.name, header.wire, header.annotation, header.env) == (
        "apiversion",
        "apiversion",
        "int | None",
        "ACME_APIVERSION",
    )
    params = {p.name: p for p in view.resources[0].operations[0].params}
    assert params["apiversion"].annotation == "int | None" and not params["apiversion"].required
