"""Left-out and narrowed reasons are readable and the same on every run (issue 13, kind 12).

openapi-python-client formats spec strings (UntrustedString) into its messages as object reprs with a
memory address (`<…UntrustedString object at 0x7f…>`). While our pipeline runs the parser they show their
text, and any address left in a message we print or record is taken out.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from codegen.client_gen import _collect_left_out, _collect_narrowed
from codegen.client_names import messages_with_values
from codegen.errors import CodegenError, printable, without_addresses

# A union member the parser refuses (an integer with a text default), once in a request body property and once in
# a response: the operation is left out, the response narrowed, and both messages name spec strings.
DOC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Uploads", "version": "1"},
    "paths": {
        "/uploads": {
            "post": {
                "operationId": "upload",
                "requestBody": {
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "attachment": {
                                        "oneOf": [
                                            {"type": "string"},
                                            {"type": "integer", "default": "x"},
                                        ]
                                    }
                                },
                            }
                        }
                    }
                },
                "responses": {"201": {"description": "stored"}},
            },
            "get": {
                "operationId": "latest",
                "responses": {
                    "200": {"description": "ok"},
                    "206": {
                        "description": "partial",
                        "content": {
                            "application/json": {
                                "schema": {"oneOf": [{"type": "integer"}, {"type": "integer", "default": "x"}]}
                            }
                        },
                    },
                },
            },
        }
    },
}


def parse(doc: dict[str, Any], tmp_path: Path) -> Any:
    from openapi_python_client.config import Config, ConfigFile, MetaType
    from openapi_python_client.parser import GeneratorData

    config = Config.from_sources(ConfigFile(), MetaType.NONE, tmp_path / "doc.json", "utf-8", False, tmp_path / "out")
    return GeneratorData.from_dict(doc, config=config)


def test_parser_messages_show_the_spec_strings_not_object_addresses(tmp_path: Path) -> None:
    with messages_with_values():
        parsed = parse(DOC, tmp_path)
    left_out = [(x.operation, x.reason) for x in _collect_left_out(parsed, DOC)]
    narrowed = [(x.operation, x.reason) for x in _collect_narrowed(parsed)]
    assert left_out == [("POST /uploads", "Invalid property in union attachment")]
    assert len(narrowed) == 1 and narrowed[0][0] == "GET /uploads"
    assert narrowed[0][1].startswith("Cannot parse response for status code 206 (Invalid property in union ")
    assert "object at" not in repr(left_out + narrowed)


def test_outside_the_pipeline_the_parser_is_left_as_it_was(tmp_path: Path) -> None:
    parsed = parse(DOC, tmp_path)  # the class is restored after messages_with_values
    details = [str(e.detail) for c in parsed.endpoint_collections_by_tag.values() for e in c.parse_errors]
    assert any("UntrustedString object at 0x" in d for d in details)
    # ... and whatever reaches a report loses the address, so two runs print the same text.
    reasons = [x.reason for x in _collect_left_out(parsed, DOC)]
    assert reasons == [
        "Invalid property in union <openapi_python_client.schema.untrusted_string.UntrustedString object>"
    ]


def test_printed_messages_carry_no_object_address() -> None:
    text = "left out: POST /a: Invalid property in union <pkg.mod.Thing object at 0x7f3a2c1b9d50>"
    assert without_addresses(text) == "left out: POST /a: Invalid property in union <pkg.mod.Thing object>"
    assert printable(text) == without_addresses(text)
    error = CodegenError("cannot read <pkg.Reader object at 0xDEADbeef>", where="spec.yaml #/paths")
    assert "0x" not in str(error)
    assert without_addresses("a value at 0x10 in the text") == "a value at 0x10 in the text"  # not a repr
