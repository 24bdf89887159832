"""YAML is read as YAML 1.2 (issue 13, kind 10): `NO`, `on`, `off`, `yes` and dates stay text.

tests/fixtures/yaml12_words_30.yaml has the country code NO in an enum and properties named on / off /
yes; an overlay in YAML adds more such words. YAML 1.1 (PyYAML) would make them false / true and a date.
The run is checked where a user meets it: the effective document, the client's enum and model, and the
mock's validation over HTTP (its own uvicorn process).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from conftest import FIXTURES, run_codegen
from mock_process import RunningMock, imported_package, running_mock

SPEC = FIXTURES / "yaml12_words_30.yaml"
OVERLAY = b"""overlay: 1.0.0
info: {title: more words, version: 1.0.0}
actions:
  - target: $.components.schemas.Shipment.properties
    update:
      reply: {type: string, enum: [yes, no, off, y, n]}
"""


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("yaml12")
    (folder / "words.overlay.yaml").write_bytes(OVERLAY)
    result = run_codegen(
        "generate",
        "--spec",
        str(SPEC),
        "--overlay",
        str(folder / "words.overlay.yaml"),
        "--out",
        str(folder / "out"),
        "--name",
        "ship",
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return folder / "out"


@pytest.fixture(scope="module")
def mock(out: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningMock]:
    with running_mock(out / "ship-mock", "ship_mock", log_dir=tmp_path_factory.mktemp("logs")) as running:
        yield running


def test_yaml_1_1_would_read_these_words_otherwise() -> None:
    """The fixture means something: PyYAML's YAML 1.1 turns its words into booleans."""
    old = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    assert old["components"]["schemas"]["Country"]["enum"][0] is False
    assert True in old["components"]["schemas"]["Shipment"]["properties"]


def test_the_effective_document_keeps_the_words_as_text(out: Path) -> None:
    doc: dict[str, Any] = json.loads((out / "ship.openapi.json").read_text(encoding="utf-8"))
    schemas = doc["components"]["schemas"]
    assert schemas["Country"]["enum"] == ["NO", "SE", "DK", "ON"]
    assert list(schemas["Shipment"]["properties"]) == ["country", "on", "off", "yes", "reply"]
    assert schemas["Shipment"]["properties"]["off"]["example"] == "2024-03-01"
    assert schemas["Shipment"]["properties"]["reply"]["enum"] == ["yes", "no", "off", "y", "n"]


def test_the_client_sends_and_reads_the_words(out: Path) -> None:
    with imported_package(out / "ship-client", "ship_client") as client:
        models = client.models
        shipment = models.Shipment.from_dict({"country": "NO", "on": True, "yes": 2, "reply": "off"})
        assert shipment.country == models.Country.NO
        assert shipment.to_dict() == {"country": "NO", "on": True, "yes": 2, "reply": "off"}


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"country": "NO", "on": True, "off": "later", "yes": 1, "reply": "no"}, 201),
        ({"country": "ON"}, 201),
        ({"country": False}, 422),
        ({"country": "NO", "reply": False}, 422),
    ],
)
def test_the_mock_validates_the_words_as_text(mock: RunningMock, body: dict[str, Any], status: int) -> None:
    response = httpx.post(f"{mock.url}/shipments", json=body, timeout=10)
    assert response.status_code == status, response.text


@pytest.mark.parametrize("value", ["!!set {a: null}", "!!binary aGVsbG8="])
def test_yaml_values_json_cannot_hold_are_one_clear_error(value: str, tmp_path: Path) -> None:
    spec = tmp_path / "odd.yaml"
    spec.write_text(
        f"openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\nx-odd: {value}\n", encoding="utf-8"
    )
    result = run_codegen("generate", "--spec", str(spec), "--out", str(tmp_path / "out"), "--name", "odd")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.count("error: ") == 1 and "(line 4, column 8)" in result.stderr
    assert not (tmp_path / "out").exists()
