"""`update-spec`: fetch or read, validate, pin atomically; bad input changes nothing; a tampered pin is refused."""

from __future__ import annotations

import datetime
import hashlib
import http.server
import json
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import SEED_PAGE
from regen_helpers import (
    LOCK,
    OUT,
    SPEC,
    assert_clean_failure,
    codegen,
    codegen_version,
    loopback_server,
    new_project,
    pin_seed,
    project_state,
    reply,
    tree_state,
)

SPEC_OP = "/invoices/generate_invoice"
SPEC_OP_POINTER = "#/paths/~1invoices~1generate_invoice/post"


CHANGELOG = Path("spec") / "CHANGELOG.md"
SEED_CHANGELOG = "# Changelog\n\n## 0.1.0\n\nThe first release.\n"


@pytest.fixture(scope="module")
def seed_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project pinned from the seed page, with a changelog, generated; tests work on copies."""
    root = new_project(tmp_path_factory.mktemp("seed") / "project")
    pin_seed(root)
    (root / CHANGELOG).write_text(SEED_CHANGELOG, encoding="utf-8")
    regenerated = codegen(root, "regenerate")
    assert regenerated.returncode == 0, regenerated.stderr
    return root


def full_state(root: Path) -> dict[str, Any]:
    """project_state plus pyproject.toml, whose [tool.codegen] version update-spec bumps (spec/ holds the changelog)."""
    return {**project_state(root), "pyproject": (root / "pyproject.toml").read_bytes()}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- pinning from the seed page, a file and a URL ---------------------------------------------------


def test_first_pin_from_the_seed_page_is_json_with_a_matching_lock(tmp_path: Path) -> None:
    root = new_project(tmp_path / "project")
    before = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    result = codegen(root, "update-spec", "--file", str(SEED_PAGE))
    assert result.returncode == 0, result.stderr

    pin = (root / SPEC).read_bytes()
    doc = json.loads(pin)  # the page embeds YAML; the pin is its JSON form
    assert doc["openapi"].startswith("3.")
    assert SPEC_OP in doc["paths"]
    assert pin.endswith(b"\n")

    lock = json.loads((root / LOCK).read_text(encoding="utf-8"))
    assert set(lock) == {"source", "sha256", "size", "fetched_at", "validator"}
    assert lock["source"] == f"local file: {SEED_PAGE.name}"  # outside the project: where it lay means nothing
    assert lock["sha256"] == sha256(pin)
    assert lock["size"] == len(pin)
    fetched = datetime.datetime.fromisoformat(lock["fetched_at"])
    assert fetched.tzinfo is not None
    assert before <= fetched <= datetime.datetime.now(datetime.UTC)
    assert lock["validator"]["name"] == "openapi-spec-validator"
    assert lock["validator"]["verdict"] == "valid"
    assert lock["validator"]["version"]

    manifest = json.loads((root / OUT / "MANIFEST.json").read_text(encoding="utf-8"))
    assert manifest["inputs"]["spec"]["sha256"] == lock["sha256"]
    assert manifest["inputs"]["lock"] == sha256((root / LOCK).read_bytes())

    # The same source again: says so and touches nothing (not even mtimes).
    state = {"spec": tree_state(root / "spec", mtimes=True), "out": tree_state(root / OUT, mtimes=True)}
    again = codegen(root, "update-spec", "--file", str(SEED_PAGE))
    assert again.returncode == 0, again.stderr
    assert "equals the pinned spec" in again.stderr
    assert "nothing changed" in again.stderr
    assert {"spec": tree_state(root / "spec", mtimes=True), "out": tree_state(root / OUT, mtimes=True)} == state

    # ... and what update-spec generated is what regenerate would: the next regenerate is a no-op.
    regen = codegen(root, "regenerate")
    assert regen.returncode == 0, regen.stderr
    assert "nothing to do" in regen.stderr


def test_pin_from_a_url_serving_json_keeps_the_bytes(project: Path, seed_doc: dict[str, Any]) -> None:
    seed_doc["info"]["title"] = "zenskar (compact JSON)"
    body = json.dumps(seed_doc, separators=(",", ":")).encode()  # not our canonical form: must stay as served
    with loopback_server(reply(body)) as base:
        url = f"{base}/openAPI/openapi.json"
        result = codegen(project, "update-spec", "--url", url)
    assert result.returncode == 0, result.stderr
    assert (project / SPEC).read_bytes() == body
    lock = json.loads((project / LOCK).read_text(encoding="utf-8"))
    assert lock["source"] == url
    assert lock["sha256"] == sha256(body)
    assert lock["size"] == len(body)
    effective = json.loads((project / OUT / "zenskar.openapi.json").read_text(encoding="utf-8"))
    assert effective["info"]["title"] == "zenskar (compact JSON)"
    drift = codegen(project, "check-drift")
    assert drift.returncode == 0, drift.stderr


def test_pin_from_a_url_serving_yaml_is_its_json_form(project: Path, seed_doc: dict[str, Any]) -> None:
    seed_doc["info"]["version"] = "2.0.1"
    body = yaml.safe_dump(seed_doc, sort_keys=False).encode()
    with loopback_server(reply(body, content_type="application/yaml")) as base:
        result = codegen(project, "update-spec", "--url", f"{base}/openapi.yaml")
    assert result.returncode == 0, result.stderr
    pin = (project / SPEC).read_bytes()
    assert json.loads(pin) == seed_doc
    assert pin == (json.dumps(seed_doc, indent=2, ensure_ascii=False) + "\n").encode()
    assert json.loads((project / LOCK).read_text(encoding="utf-8"))["sha256"] == sha256(pin)


# --- bad input: one clear message, exit 1, spec/ and generated/ untouched ----------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _stall(release: threading.Event) -> Callable[[http.server.BaseHTTPRequestHandler], None]:
    """Accept the request and answer nothing until released (the test's end)."""

    def answer(request: http.server.BaseHTTPRequestHandler) -> None:
        release.wait(30)

    return answer


def _trickle(release: threading.Event) -> Callable[[http.server.BaseHTTPRequestHandler], None]:
    """Answer at once, then send the body one byte every 0.1 s: no single read ever waits long."""

    def answer(request: http.server.BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Type", "application/json")
        request.send_header("Content-Length", "1000")
        request.end_headers()
        for _ in range(1000):
            if release.wait(0.1):
                return
            request.wfile.write(b" ")
            request.wfile.flush()

    return answer


def _no_length(body: bytes) -> Callable[[http.server.BaseHTTPRequestHandler], None]:
    """A body without Content-Length, delimited by closing the connection."""

    def answer(request: http.server.BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Type", "application/json")
        request.send_header("Connection", "close")
        request.end_headers()
        request.close_connection = True
        for start in range(0, len(body), 1024):
            request.wfile.write(body[start : start + 1024])

    return answer


@pytest.fixture
def release() -> Iterator[threading.Event]:
    event = threading.Event()
    yield event
    event.set()


def _invalid_openapi(doc: dict[str, Any]) -> bytes:
    doc["paths"][SPEC_OP]["post"]["responses"]["200"]["description"] = 5
    return json.dumps(doc).encode()


def _broken_ref(doc: dict[str, Any]) -> bytes:
    doc["paths"][SPEC_OP]["post"]["responses"]["200"] = {"$ref": "#/components/responses/Missing"}
    return json.dumps(doc).encode()


# Valid OpenAPI, but the two names chosen with x-codegen-name would both become the Python name list_items
# in one resource (`items`: untagged operations are grouped by their first path segment).
UNGENERATABLE = b"""openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /items:
    get:
      x-codegen-name: list-items
      responses: {"200": {description: ok}}
  /items/all:
    get:
      x-codegen-name: list_items
      responses: {"200": {description: ok}}
"""

# id → (body, expected message fragments)
BAD_BODIES: dict[str, tuple[Callable[[dict[str, Any]], bytes], tuple[str, ...]]] = {
    "not-json-or-yaml": (lambda d: b"openapi: [3.1.0\npaths: {\n", ("neither JSON nor valid YAML",)),
    "html-page": (lambda d: b"<!doctype html><title>Docs</title><p>moved</p>", ("not a JSON or YAML object",)),
    "binary": (lambda d: b"\xff\xfe\x00\x01binary", ("not UTF-8",)),
    "broken-json": (lambda d: b'{"openapi": "3.1.0",', ("invalid JSON",)),
    "yaml-not-openapi": (lambda d: b"name: demo\nitems: [1, 2]\n", ("not an OpenAPI 3.0/3.1 document", "#/openapi")),
    "swagger-2": (lambda d: b'{"swagger": "2.0", "info": {}}', ("Swagger 2.0",)),
    "invalid-openapi": (_invalid_openapi, ("not a valid OpenAPI document", f"{SPEC_OP_POINTER}/responses/200")),
    "broken-ref": (_broken_ref, ("#/components/responses/Missing", f"{SPEC_OP_POINTER}/responses/200")),
    "generation-fails": (lambda d: UNGENERATABLE, ("list_items",)),
}


@pytest.mark.parametrize("case", sorted(BAD_BODIES))
def test_bad_document_from_a_file_changes_nothing(project: Path, seed_doc: dict[str, Any], case: str) -> None:
    make_body, expected = BAD_BODIES[case]
    source = project.parent / f"{case}.txt"
    source.write_bytes(make_body(seed_doc))
    before = full_state(project)
    result = codegen(project, "update-spec", "--file", str(source))
    assert_clean_failure(result, *expected, str(source), "nothing was changed")
    assert full_state(project) == before


def test_a_new_spec_that_fails_late_in_generation_pins_nothing(project: Path, seed_doc: dict[str, Any]) -> None:
    """update-spec generates before it pins: a failure in the client stage leaves the old pin and output."""
    template = project / "templates" / "client" / "README.md.jinja"
    template.write_text(template.read_text(encoding="utf-8") + "\n{{ no_such_variable.attribute }}\n", encoding="utf-8")
    seed_doc["info"]["title"] = "zenskar (never pinned)"
    new = project.parent / "new.json"
    new.write_bytes(json.dumps(seed_doc).encode())
    before = full_state(project)
    result = codegen(project, "update-spec", "--file", str(new))
    assert_clean_failure(result, "template", str(template.parent))
    assert full_state(project) == before


@pytest.mark.parametrize("case", ["invalid-openapi", "yaml-not-openapi", "not-json-or-yaml"])
def test_bad_document_from_a_url_changes_nothing(project: Path, seed_doc: dict[str, Any], case: str) -> None:
    make_body, expected = BAD_BODIES[case]
    before = full_state(project)
    with loopback_server(reply(make_body(seed_doc))) as base:
        result = codegen(project, "update-spec", "--url", f"{base}/spec")
    assert_clean_failure(result, *expected, f"{base}/spec")
    assert full_state(project) == before


@pytest.mark.parametrize("status", [404, 500])
def test_http_error_status_changes_nothing(project: Path, status: int) -> None:
    before = full_state(project)
    with loopback_server(reply(b"nope", status=status, content_type="text/plain")) as base:
        result = codegen(project, "update-spec", "--url", f"{base}/missing.json")
    assert_clean_failure(result, f"HTTP {status}", f"{base}/missing.json", "SPEC_FILE=")
    assert full_state(project) == before


def test_connection_refused_changes_nothing(project: Path) -> None:
    before = full_state(project)
    url = f"http://127.0.0.1:{_free_port()}/openapi.json"
    result = codegen(project, "update-spec", "--url", url)
    assert_clean_failure(result, "cannot fetch the spec", url)
    assert full_state(project) == before


def test_the_lock_records_a_file_inside_the_project_relative_to_it_and_any_other_by_name(
    project: Path, seed_doc: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> None:
    seed_doc["info"]["title"] = "zenskar (from a temporary file)"
    outside = tmp_path_factory.mktemp("download") / "openapi-new.json"
    outside.write_text(json.dumps(seed_doc), encoding="utf-8")
    result = codegen(project, "update-spec", "--file", str(outside))
    assert result.returncode == 0, result.stderr
    lock_text = (project / LOCK).read_text(encoding="utf-8")
    assert json.loads(lock_text)["source"] == "local file: openapi-new.json"
    assert str(outside.parent) not in lock_text and "download" not in lock_text
    assert str(outside) in result.stderr  # messages still name the file as given

    seed_doc["info"]["title"] = "zenskar (from a file in the project)"
    inside = project / "spec" / "incoming" / "openapi.json"
    inside.parent.mkdir()
    inside.write_text(json.dumps(seed_doc), encoding="utf-8")
    result = codegen(project, "update-spec", "--file", str(inside))  # an absolute path: recorded relative
    assert result.returncode == 0, result.stderr
    assert json.loads((project / LOCK).read_text(encoding="utf-8"))["source"] == "spec/incoming/openapi.json"


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/openapi.json", "127.0.0.1/openapi.json"])
def test_a_url_without_http_is_a_clear_error(project: Path, url: str) -> None:
    before = full_state(project)
    result = codegen(project, "update-spec", "--url", url)
    assert_clean_failure(result, "protocol", url)
    assert full_state(project) == before


def test_credentials_in_the_url_stay_out_of_the_lock_and_messages(project: Path, seed_doc: dict[str, Any]) -> None:
    seed_doc["info"]["title"] = "zenskar (with credentials)"
    body = json.dumps(seed_doc).encode()
    with loopback_server(reply(body)) as base:
        host = base.removeprefix("http://")
        url = f"http://reader:s3cret@{host}/openapi.json?v=2&access_token=t0ken"
        result = codegen(project, "update-spec", "--url", url)
    assert result.returncode == 0, result.stderr
    recorded = json.loads((project / LOCK).read_text(encoding="utf-8"))["source"]
    assert recorded == f"http://{host}/openapi.json?v=2&access_token=REDACTED"
    for secret in ("s3cret", "t0ken"):
        assert secret not in result.stderr + (project / LOCK).read_text(encoding="utf-8")
    refused = codegen(project, "update-spec", "--url", f"http://reader:s3cret@127.0.0.1:{_free_port()}/x.json")
    assert_clean_failure(refused, "cannot fetch the spec")
    assert "s3cret" not in refused.stderr


@pytest.mark.parametrize("server", ["silent", "trickle"])
def test_a_stalling_server_times_out(project: Path, release: threading.Event, server: str) -> None:
    handler = _stall(release) if server == "silent" else _trickle(release)
    before = full_state(project)
    with loopback_server(handler) as base:
        started = time.monotonic()
        result = codegen(project, "update-spec", "--url", f"{base}/slow.json", env={"CODEGEN_FETCH_TIMEOUT": "1"})
        elapsed = time.monotonic() - started
        release.set()
    assert_clean_failure(result, "no complete answer within 1 s", f"{base}/slow.json")
    assert elapsed < 15, f"the 1 s timeout took {elapsed:.1f} s"
    assert full_state(project) == before


def test_timeout_setting_must_be_a_positive_number(project: Path) -> None:
    result = codegen(project, "update-spec", "--url", "http://127.0.0.1:9/x", env={"CODEGEN_FETCH_TIMEOUT": "soon"})
    assert_clean_failure(result, "CODEGEN_FETCH_TIMEOUT")


@pytest.mark.parametrize("framing", ["content-length", "close-delimited"])
def test_a_body_over_the_size_limit_changes_nothing(project: Path, framing: str) -> None:
    body = (project / SPEC).read_bytes().replace(b'"zenskar"', b'"zenskar-big"')
    assert len(body) > 2000
    handler = reply(body) if framing == "content-length" else _no_length(body)
    before = full_state(project)
    with loopback_server(handler) as base:
        result = codegen(project, "update-spec", "--url", f"{base}/big.json", env={"CODEGEN_MAX_SPEC_BYTES": "2000"})
    assert_clean_failure(result, "over the 2,000-byte limit", f"{base}/big.json")
    assert full_state(project) == before
    # The same body under a limit it fits in is accepted: the limit, not the body, refused it.
    with loopback_server(handler) as base:
        ok = codegen(project, "update-spec", "--url", f"{base}/big.json", env={"CODEGEN_MAX_SPEC_BYTES": "1000000"})
    assert ok.returncode == 0, ok.stderr
    assert (project / SPEC).read_bytes() == body


def test_a_file_over_the_size_limit_changes_nothing(project: Path) -> None:
    before = full_state(project)
    result = codegen(project, "update-spec", "--file", str(SEED_PAGE), env={"CODEGEN_MAX_SPEC_BYTES": "100"})
    assert_clean_failure(result, "over the 100-byte limit", str(SEED_PAGE))
    assert full_state(project) == before


def test_a_missing_file_changes_nothing(project: Path) -> None:
    before = full_state(project)
    missing = project.parent / "nowhere.yaml"
    result = codegen(project, "update-spec", "--file", str(missing))
    assert_clean_failure(result, "cannot read", str(missing))
    assert full_state(project) == before


# --- TLS is verified ---------------------------------------------------------------------------------


@pytest.fixture
def self_signed(tmp_path: Path) -> tuple[Path, Path]:
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("the openssl command is not installed; cannot make a self-signed certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    made = subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    if made.returncode != 0:
        pytest.skip(f"openssl could not make a self-signed certificate: {made.stderr.strip()[:200]}")
    return cert, key


def test_a_self_signed_certificate_is_refused(project: Path, self_signed: tuple[Path, Path]) -> None:
    body = (project / SPEC).read_bytes().replace(b'"zenskar"', b'"zenskar-tls"')
    before = full_state(project)
    with loopback_server(reply(body), tls=self_signed) as base:
        assert base.startswith("https://")
        result = codegen(project, "update-spec", "--url", f"{base}/openapi.json")
    assert_clean_failure(result, "certificate", f"{base}/openapi.json")
    assert full_state(project) == before


def test_a_certificate_trusted_through_ssl_cert_file_is_accepted(project: Path, self_signed: tuple[Path, Path]) -> None:
    """The control for the refusal above: the same server is fine once its certificate is trusted."""
    body = (project / SPEC).read_bytes().replace(b'"zenskar"', b'"zenskar-tls"')
    with loopback_server(reply(body), tls=self_signed) as base:
        result = codegen(
            project, "update-spec", "--url", f"{base}/openapi.json", env={"SSL_CERT_FILE": str(self_signed[0])}
        )
    assert result.returncode == 0, result.stderr
    assert (project / SPEC).read_bytes() == body


def test_a_redirect_from_https_to_plain_http_is_refused(project: Path, self_signed: tuple[Path, Path]) -> None:
    body = (project / SPEC).read_bytes().replace(b'"zenskar"', b'"zenskar-plain"')
    before = full_state(project)
    with loopback_server(reply(body)) as plain:

        def redirect(request: http.server.BaseHTTPRequestHandler) -> None:
            request.send_response(302)
            request.send_header("Location", f"{plain}/openapi.json")
            request.send_header("Content-Length", "0")
            request.end_headers()

        with loopback_server(redirect, tls=self_signed) as secure:
            result = codegen(
                project, "update-spec", "--url", f"{secure}/openapi.json", env={"SSL_CERT_FILE": str(self_signed[0])}
            )
    assert_clean_failure(result, "redirected from https", f"{plain}/openapi.json")
    assert full_state(project) == before


# --- the pin and its lock must agree ----------------------------------------------------------------


def _flip_one_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    at = data.index(b"zenskar")
    data[at] = ord("Z")
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("command", ["regenerate", "check-drift"])
@pytest.mark.parametrize("damaged", ["spec", "lock"])
def test_a_pin_that_does_not_match_its_lock_is_refused(project: Path, command: str, damaged: str) -> None:
    if damaged == "spec":
        _flip_one_byte(project / SPEC)
    else:
        lock = json.loads((project / LOCK).read_text(encoding="utf-8"))
        lock["sha256"] = "0" * 64
        (project / LOCK).write_text(json.dumps(lock, indent=2) + "\n", encoding="utf-8")
    before = full_state(project)
    result = codegen(project, command)
    assert_clean_failure(result, "does not match its lock", str(project / SPEC), "git checkout spec/", "update-spec")
    assert full_state(project) == before


@pytest.mark.parametrize("damaged", ["spec", "lock"])
def test_re_pinning_repairs_a_damaged_pin(project: Path, damaged: str) -> None:
    """The fix the error message names (`make update-spec` from the same source) works."""
    pinned = (project / SPEC).read_bytes()
    if damaged == "spec":
        _flip_one_byte(project / SPEC)
    else:
        lock = json.loads((project / LOCK).read_text(encoding="utf-8"))
        lock["sha256"] = "0" * 64
        (project / LOCK).write_text(json.dumps(lock, indent=2) + "\n", encoding="utf-8")
    repaired = codegen(project, "update-spec", "--file", str(SEED_PAGE))
    assert repaired.returncode == 0, repaired.stderr
    assert (project / SPEC).read_bytes() == pinned
    assert json.loads((project / LOCK).read_text(encoding="utf-8"))["sha256"] == sha256(pinned)
    drift = codegen(project, "check-drift")
    assert drift.returncode == 0, drift.stderr


def test_a_missing_lock_is_refused_with_the_fix(project: Path) -> None:
    (project / LOCK).unlink()
    result = codegen(project, "regenerate")
    assert_clean_failure(result, "no lock file", "update-spec")


# Where write_pin is killed → whether the next run completes the update (True) or discards it (False).
KILL_POINTS = {"before-commit": False, "1": True, "after-first-extra": True}


@pytest.mark.parametrize("point", sorted(KILL_POINTS))
def test_update_spec_killed_mid_write_leaves_all_old_or_all_new(
    project: Path, seed_doc: dict[str, Any], point: str
) -> None:
    """Spec, lock, changelog and version are one unit: a kill leaves the old four or, after the next run, the new."""
    del seed_doc["paths"][SPEC_OP]  # breaking: 0.1.0 → 0.2.0 and a changelog entry
    seed_doc["paths"]["/customers"] = {
        "get": {"operationId": "listCustomers", "responses": {"200": {"description": "ok"}}}
    }
    new = project.parent / "new.json"
    new.write_bytes(json.dumps(seed_doc).encode())
    old = {name: (project / name).read_bytes() for name in (SPEC, LOCK, CHANGELOG, Path("pyproject.toml"))}
    killed = codegen(project, "update-spec", "--file", str(new), env={"CODEGEN_TEST_KILL_BETWEEN_PIN_RENAMES": point})
    assert killed.returncode == -9, killed.stderr  # SIGKILL: no cleanup code ran
    assert [p for p in project.iterdir() if p.name.startswith(".codegen-staging-")]  # left for the next run
    assert (project / SPEC).read_bytes() == old[SPEC]  # the spec is renamed last: not yet in place

    result = codegen(project, "regenerate")
    assert result.returncode == 0, result.stderr
    assert "interrupted" in result.stderr
    assert sorted(p.name for p in (project / "spec").iterdir()) == [CHANGELOG.name, SPEC.name, LOCK.name, "overlays"]
    assert not [p.name for p in project.rglob(".*.pending")]
    effective = json.loads((project / OUT / "zenskar.openapi.json").read_text(encoding="utf-8"))
    client = project / OUT / "zenskar-client"
    if KILL_POINTS[point]:
        assert (project / SPEC).read_bytes() == new.read_bytes()
        assert json.loads((project / LOCK).read_text(encoding="utf-8"))["sha256"] == sha256(new.read_bytes())
        assert codegen_version(project) == "0.2.0"
        changelog = (project / CHANGELOG).read_text(encoding="utf-8")
        assert changelog.startswith("# Changelog\n\n## 0.2.0\n") and changelog.endswith(SEED_CHANGELOG[12:])
        assert SPEC_OP not in effective["paths"]
    else:
        assert {name: (project / name).read_bytes() for name in old} == old
        assert SPEC_OP in effective["paths"]
    assert f'version = "{codegen_version(project)}"' in (client / "pyproject.toml").read_text(encoding="utf-8")
    shipped = (client / "CHANGELOG.md").read_text(encoding="utf-8")
    assert shipped.split("\n", 1)[1] == (project / CHANGELOG).read_text(encoding="utf-8")  # below the header line
    drift = codegen(project, "check-drift")
    assert drift.returncode == 0, drift.stderr
