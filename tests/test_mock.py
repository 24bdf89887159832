"""The generated mock of the pinned spec, served by a real uvicorn process on 127.0.0.1.

Generated fresh from the pinned spec (so the templates under test are the ones in the tree), then
exercised over HTTP as an integrator would: credentials, validation, answers, Prefer, routing,
handler overrides, the served document, and Schemathesis conformance against the pinned spec.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema  # type: ignore[import-untyped]
import mock_process
import pytest
from conftest import REPO, run_codegen
from mock_process import RunningMock, imported_package, running_mock, serving_app, stop

mock_server = mock_process.mock_server  # the fixture, as any test module can take it

PINNED = REPO / "spec" / "openapi-20240301.json"
OPERATION = "/invoices/generate_invoice"
CREDENTIALS = {"x-api-key": "test-key", "organisation": "test-org"}
VALID_BODY = {
    "customer_id": "6f1c1c1e-8a3b-4c55-9a59-6c4c5a0e3d10",
    "contract_id": "0b9f3e3c-2f0a-4d7e-8c1e-2c0d3b4a5e6f",
    "from_date": "2024-03-01T00:00:00Z",
    "to_date": "2024-03-31T23:59:59Z",
}


@pytest.fixture(scope="module")
def seed_dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("seed")
    result = run_codegen("generate", "--spec", str(PINNED), "--out", str(out), "--name", "zenskar", timeout=300)
    assert result.returncode == 0, result.stderr
    return out / "zenskar-mock"


@pytest.fixture(scope="module")
def mock(seed_dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningMock]:
    with running_mock(seed_dist, "zenskar_mock", log_dir=tmp_path_factory.mktemp("log")) as running:
        yield running


def post(mock: RunningMock, body: Any = None, headers: dict[str, str] | None = None, **kwargs: Any) -> httpx.Response:
    return httpx.post(f"{mock.url}{OPERATION}", json=body, headers=headers or {}, timeout=10, **kwargs)


def pinned_schema(name: str) -> dict[str, Any]:
    """A component of the pinned spec as a standalone JSON Schema (its refs resolve within)."""
    spec = json.loads(PINNED.read_text(encoding="utf-8"))
    return {"$ref": f"#/components/schemas/{name}", "components": spec["components"]}


@pytest.mark.parametrize("missing", sorted(CREDENTIALS))
def test_each_missing_credential_is_401_before_validation(mock: RunningMock, missing: str) -> None:
    headers = {k: v for k, v in CREDENTIALS.items() if k != missing}
    response = post(mock, {"not": "valid"}, headers)  # an invalid body too: credentials come first
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/json"
    assert missing in response.json()["detail"]
    assert post(mock, VALID_BODY, {missing: "", **headers}).status_code == 401  # empty is missing


def test_no_credentials_names_both(mock: RunningMock) -> None:
    detail = post(mock, VALID_BODY).json()["detail"]
    assert "x-api-key" in detail and "organisation" in detail


def test_invalid_body_is_422_in_the_specs_shape(mock: RunningMock) -> None:
    response = post(mock, {"customer_id": "not-a-uuid", "from_date": "2024-03-01T00:00:00Z"}, CREDENTIALS)
    assert response.status_code == 422
    payload = response.json()
    jsonschema.validate(payload, pinned_schema("HTTPValidationError"))
    problems = {tuple(item["loc"]): item["type"] for item in payload["detail"]}
    assert problems[("body", "customer_id")] == "uuid_parsing"
    assert problems[("body", "contract_id")] == "missing"
    assert problems[("body", "to_date")] == "missing"


def test_malformed_json_is_422(mock: RunningMock) -> None:
    headers = {**CREDENTIALS, "content-type": "application/json"}
    response = httpx.post(f"{mock.url}{OPERATION}", content=b"{not json", headers=headers, timeout=10)
    assert response.status_code == 422
    jsonschema.validate(response.json(), pinned_schema("HTTPValidationError"))
    assert response.json()["detail"][0]["type"] == "json_invalid"
    undecodable = httpx.post(f"{mock.url}{OPERATION}", content=b'{"customer_id": "\xe9"}', headers=headers, timeout=10)
    assert undecodable.status_code == 422  # FastAPI alone would say 400, which the spec does not document
    jsonschema.validate(undecodable.json(), pinned_schema("HTTPValidationError"))


def test_valid_request_gets_the_documented_answer_every_time(mock: RunningMock) -> None:
    first = post(mock, VALID_BODY, CREDENTIALS)
    assert first.status_code == 200
    assert first.headers["content-type"] == "application/json"
    assert first.json() == {}  # the 200 schema is `{}`: its minimal instance is an empty object
    assert post(mock, {**VALID_BODY, "check_duplicate_invoice": True}, CREDENTIALS).content == first.content


def test_prefer_code_returns_that_documented_response(mock: RunningMock) -> None:
    response = post(mock, VALID_BODY, {**CREDENTIALS, "Prefer": "code=422"})
    assert response.status_code == 422
    jsonschema.validate(response.json(), pinned_schema("HTTPValidationError"))
    assert post(mock, VALID_BODY, {**CREDENTIALS, "Prefer": "code=200"}).status_code == 200


@pytest.mark.parametrize(
    ("prefer", "mentions"),
    [("code=418", ["418", "200, 422"]), ("code=abc", ["abc"]), ("example=missing", ["missing", "200"])],
)
def test_prefer_what_the_spec_does_not_document_is_400(mock: RunningMock, prefer: str, mentions: list[str]) -> None:
    response = post(mock, VALID_BODY, {**CREDENTIALS, "Prefer": prefer})
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert all(word in detail for word in mentions), detail


def test_validation_wins_over_prefer(mock: RunningMock) -> None:
    assert post(mock, {}, {**CREDENTIALS, "Prefer": "code=200"}).status_code == 422


def test_unknown_path_is_404_and_wrong_method_405(mock: RunningMock) -> None:
    missing = httpx.get(f"{mock.url}/invoices/nope", headers=CREDENTIALS, timeout=10)
    assert missing.status_code == 404 and missing.json() == {"detail": "Not Found"}
    assert httpx.post(f"{mock.url}{OPERATION}/", json=VALID_BODY, headers=CREDENTIALS).status_code == 404
    wrong = httpx.get(f"{mock.url}{OPERATION}", headers=CREDENTIALS, timeout=10)
    assert wrong.status_code == 405
    assert wrong.headers["allow"] == "POST"


def test_openapi_json_describes_the_pinned_operations(mock: RunningMock) -> None:
    def operations(doc: dict[str, Any]) -> set[tuple[str, str, str]]:
        return {
            (path, method, op.get("operationId"))
            for path, item in doc["paths"].items()
            for method, op in item.items()
            if method in ("get", "put", "post", "delete", "patch", "head", "options", "trace")
        }

    served = httpx.get(f"{mock.url}/openapi.json", timeout=10).json()
    pinned = json.loads(PINNED.read_text(encoding="utf-8"))
    assert operations(served) == operations(pinned)
    assert served["components"]["securitySchemes"] == pinned["components"]["securitySchemes"]


def test_handler_override_in_a_test(seed_dist: Path) -> None:
    with imported_package(seed_dist, "zenskar_mock") as package:
        app = package.create_app()
        seen: list[Any] = []

        @app.state.handlers("generate_an_invoice")  # type: ignore[untyped-decorator]  # app is a module's Any
        def scripted(call: Any) -> dict[str, Any]:
            seen.append(call)
            return {"id": "inv_1", "customer": str(call.body.customer_id), "version": call.header["apiversion"]}

        with serving_app(app) as url:
            headers = {**CREDENTIALS, "apiversion": "7"}
            response = httpx.post(f"{url}{OPERATION}", json=VALID_BODY, headers=headers, timeout=10)
            assert response.status_code == 200
            answer = response.json()
            assert answer == {"id": "inv_1", "customer": VALID_BODY["customer_id"], "version": answer["version"]}
            assert str(answer["version"]) == "7"  # an int or a string, as the effective spec types the header
            # credentials and validation still run before the handler
            assert httpx.post(f"{url}{OPERATION}", json=VALID_BODY, timeout=10).status_code == 401
            assert httpx.post(f"{url}{OPERATION}", json={}, headers=CREDENTIALS, timeout=10).status_code == 422
            assert len(seen) == 1

            # the operationId works too; a Response is sent as-is; the context manager restores
            from fastapi.responses import JSONResponse

            busy = JSONResponse({"detail": "busy"}, status_code=503)
            with app.state.handlers.overridden("Generate-an-invoice", lambda call: busy):
                assert httpx.post(f"{url}{OPERATION}", json=VALID_BODY, headers=CREDENTIALS).status_code == 503
            assert httpx.post(f"{url}{OPERATION}", json=VALID_BODY, headers=CREDENTIALS).json()["id"] == "inv_1"
            # a handler can fall back on the documented answer, Prefer included
            app.state.handlers.override("generate_an_invoice", lambda call: call.mock_response())
            preferred = httpx.post(f"{url}{OPERATION}", json=VALID_BODY, headers={**CREDENTIALS, "Prefer": "code=422"})
            assert preferred.status_code == 422
            app.state.handlers.reset()
            assert httpx.post(f"{url}{OPERATION}", json=VALID_BODY, headers=CREDENTIALS).json() == {}

        with pytest.raises(LookupError, match="generate_an_invoice"):
            app.state.handlers.override("generate_invoice", scripted)  # a typo names the real operations
        assert package.create_app().state.handlers.get("generate_an_invoice") is None  # registries are per app


def test_schemathesis_finds_no_server_error_or_nonconforming_response(mock: RunningMock, tmp_path: Path) -> None:
    config = tmp_path / "schemathesis.toml"
    # Security headers are sent as-is below; generating requests without them would get the 401s
    # the pinned spec does not document (the tests above cover those).
    config.write_text("[generation]\nwith-security-parameters = false\n", encoding="utf-8")
    checks = [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
        "positive_data_acceptance",
        "unsupported_method",
    ]
    command = [sys.executable, "-m", "schemathesis.cli", "--config-file", str(config), "run", str(PINNED)]
    command += ["--url", mock.url, "--checks", ",".join(checks), "--max-examples", "15", "--seed", "20240301"]
    command += [arg for name, value in CREDENTIALS.items() for arg in ("-H", f"{name}: {value}")]
    command += ["--report-dir", str(tmp_path / "report"), "--no-color"]
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=180, check=False)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "1 passed" in result.stdout or "passed" in result.stdout


def test_make_mock_serves_the_generated_mock_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    log = tmp_path / "make-mock.log"
    env = {k: v for k, v in os.environ.items() if k != "PORT"}
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, str(REPO / "scripts" / "mock_server.py"), "--port", "0"],
            cwd=tmp_path,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 30
        while "Ctrl-C" not in log.read_text() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        banner = log.read_text()
        assert "POST    /invoices/generate_invoice  (generate_an_invoice)" in banner, banner
        url = banner.split(" on ", 1)[1].split()[0]
        assert url.startswith("http://127.0.0.1:")
        response = httpx.post(f"{url}{OPERATION}", json=VALID_BODY, headers=CREDENTIALS, timeout=10)
        assert response.status_code == 200
        process.send_signal(signal.SIGINT)
        assert process.wait(15) == 0
        assert "mock: stopped" in log.read_text()
    finally:
        stop(process)
    dry_run = subprocess.run(["make", "-n", "mock", "PORT=4999"], cwd=REPO, capture_output=True, text=True)
    assert "scripts/mock_server.py" in dry_run.stdout and '--port "4999"' in dry_run.stdout


def test_mock_server_fixture_starts_another_mock_beside_the_first(
    mock_server: Callable[[Path, str], RunningMock], mock: RunningMock, seed_dist: Path
) -> None:
    other = mock_server(seed_dist, "zenskar_mock")  # the fixture contract tests of the client can use
    assert other.url != mock.url
    assert httpx.post(f"{other.url}{OPERATION}", json=VALID_BODY, headers=CREDENTIALS, timeout=10).status_code == 200
    assert other.process.poll() is None
