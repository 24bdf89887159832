"""Every `pattern` runs in the mock with the engine that compiles it, or is left out and reported (issue 13, kind 7).

tests/fixtures/patterns_30.yaml holds patterns as AWS documents write them: only Rust's regex compiles
`\\p{L}`, only Python's re a look-around, neither `\\p{Alnum}` or a range from `\\s`, and Rust reads a `[`
inside a class as a nested class. The mock (its own uvicorn process) imports, validates each kept pattern
with its engine, and the run names every pattern it left out by its JSON pointer.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from codegen.mock_patterns import PYTHON, RUST, compile_error, fit_patterns, respelled
from conftest import FIXTURES, run_codegen
from mock_process import RunningMock, running_mock

SPEC = FIXTURES / "patterns_30.yaml"
NARROWED = re.compile(r"^  narrowed: (\S+): pattern (.*) left out of the mock's validation: (.*)$", re.M)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("patterns") / "out"
    result = run_codegen("generate", "--spec", str(SPEC), "--out", str(out), "--name", "pat", timeout=300)
    assert result.returncode == 0, result.stderr
    return out, result.stderr


@pytest.fixture(scope="module")
def mock(generated: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningMock]:
    with running_mock(generated[0] / "pat-mock", "pat_mock", log_dir=tmp_path_factory.mktemp("logs")) as running:
        yield running


def test_every_pattern_left_out_is_reported_with_its_pointer_and_reason(generated: tuple[Path, str]) -> None:
    out, stderr = generated
    assert "generated 2 of 2 operations" in stderr
    reported = {where: why for where, _pattern, why in NARROWED.findall(stderr)}
    schemas = "#/components/schemas"
    assert set(reported) == {
        f"{schemas}/Resource/properties/server/pattern",  # \p{Alnum}: neither engine
        f"{schemas}/Resource/properties/name/pattern",  # [\s-_]: neither engine
        f"{schemas}/Resource/properties/blob/pattern",  # over the Rust engine's size limit
        f"{schemas}/Tag/properties/value/pattern",  # \p{L} in a model that runs Python's re
        f"{schemas}/Base/properties/id/pattern",  # \p{Lu} inherited by a model that runs Python's re
    }
    assert reported[f"{schemas}/Resource/properties/server/pattern"].startswith("neither pydantic's Rust engine")
    assert "Python's re, which its model runs" in reported[f"{schemas}/Tag/properties/value/pattern"]
    # The client and the document the user reads keep every pattern: only the mock's models lose some.
    effective = json.loads((out / "pat.openapi.json").read_text(encoding="utf-8"))
    assert effective["components"]["schemas"]["Resource"]["properties"]["server"]["pattern"] == r"^[\-\p{Alnum}_:.]+$"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"label": "Zoë 42", "code": "[AB12", "notes": ["fine"]}, 201),
        ({"label": "tab\there"}, 422),  # \p{Z} is space separators, not control characters (Rust's \p{…})
        ({"code": "ab"}, 422),  # the re-spelled class still means `[`, A-Z and 0-9
        ({"notes": ["bell\u0007"]}, 422),  # \P{C} in its own root model, on the Rust engine
        ({"server": "??", "name": "-", "blob": ""}, 201),  # left out: anything goes
    ],
)
def test_kept_patterns_validate_with_the_rust_engine(mock: RunningMock, body: dict[str, Any], status: int) -> None:
    response = httpx.post(f"{mock.url}/resources", params={"filter": "aws:x"}, json=body, timeout=10)
    assert response.status_code == status, response.text


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"slug": "a-b", "tag": {"key": "team", "value": "1", "values": ["Ünïcode"]}, "id": "lower"}, 201),
        ({"slug": "-a"}, 422),  # look-around, on Python's re
        ({"tag": {"key": "aws:reserved"}}, 422),
        ({"tag": {"values": ["123"]}}, 422),  # \p{L} in its own root model, on the Rust engine
    ],
)
def test_look_arounds_validate_with_python_re(mock: RunningMock, body: dict[str, Any], status: int) -> None:
    response = httpx.post(f"{mock.url}/children", json=body, timeout=10)
    assert response.status_code == status, response.text


def test_the_rule_tries_each_pattern_with_each_engine() -> None:
    assert compile_error(r"^\p{L}+$", RUST) is None and compile_error(r"^\p{L}+$", PYTHON)
    assert compile_error(r"^(?!-)a", PYTHON) is None and compile_error(r"^(?!-)a", RUST)
    assert respelled("[[A-Z0-9]{1,18}") == r"[\[A-Z0-9]{1,18}"
    assert respelled(r"[]a[]\[[b]") == r"[]a\[]\[[b]"  # `]` first in a class is a literal, as Python reads it
    doc: dict[str, Any] = {"components": {"schemas": {"Code": {"type": "string", "pattern": "^[[A-Z]$"}}}}
    assert fit_patterns(doc) == []
    assert doc["components"]["schemas"]["Code"]["pattern"] == r"^[\[A-Z]$"
