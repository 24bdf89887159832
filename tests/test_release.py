"""make build / make publish: the wheel installs in a fresh venv and works; publish reaches a local pypiserver."""

from __future__ import annotations

import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import tarfile
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPO, run_codegen
from packaging.specifiers import SpecifierSet

DIST = "zenskar-client"


def sh(*cmd: str, cwd: Path = REPO, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture(scope="session")
def fresh_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One new venv (no system site-packages); the pipeline's .venv site-packages is appended to its path only so
    the client's declared dependencies (httpx, attrs) resolve offline (REQUIREMENTS_MET checks them)."""
    venv = tmp_path_factory.mktemp("venv") / "v"
    made = sh(sys.executable, "-m", "venv", str(venv))
    assert made.returncode == 0, made.stderr
    site = next((venv / "lib").glob("python3*/site-packages"))
    (site / "zz_pipeline_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    return venv


def release(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return sh(sys.executable, str(REPO / "scripts" / "release.py"), *args, env=env)


def version() -> str:
    import tomllib

    value: str = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["codegen"]["version"]
    return value


@pytest.fixture
def api() -> Iterator[tuple[str, list[dict[str, object]]]]:
    """A loopback stand-in for the API: records each POST and answers with an invoice."""
    seen: list[dict[str, object]] = []

    class Handle(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            body = self.rfile.read(int(self.headers["Content-Length"]))
            seen.append({"path": self.path, "key": self.headers["x-api-key"], "body": json.loads(body)})
            answer = json.dumps({"id": "inv_1", "status": "draft"}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handle)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", seen
    server.shutdown()
    server.server_close()


# Every requirement the wheel declares is met by what the venv can import (pip check would also judge the
# pipeline's own tools, which are not the client's business).
REQUIREMENTS_MET = """
from importlib import metadata
from packaging.requirements import Requirement
for text in metadata.requires("zenskar-client") or []:
    req = Requirement(text)
    if req.marker is None or req.marker.evaluate():
        have = metadata.version(req.name)
        assert req.specifier.contains(have, prereleases=True), (text, have)
        print(req.name, have)
"""

CALL = """
import sys, zenskar_client
from zenskar_client import Zenskar
assert zenskar_client.__file__.startswith(sys.prefix), zenskar_client.__file__
client = Zenskar(api_key="k-123", organisation="org", base_url=sys.argv[1])
result = client.invoices.generate_an_invoice(
    customer_id="5f0c6a2e-8a8e-4c1a-9d59-2d7e1c3b4a10", contract_id="0b6f7c1e-2d3a-4e5f-8a9b-1c2d3e4f5a6b",
    from_date="2024-01-01T00:00:00Z", to_date="2024-02-01T00:00:00Z")
print(result)
"""


def test_the_built_wheel_installs_in_a_fresh_venv_and_calls_the_api(
    fresh_venv: Path, tmp_path: Path, api: tuple[str, list[dict[str, object]]]
) -> None:
    built = release("build", "--out", str(tmp_path / "dist"))
    assert built.returncode == 0, built.stderr
    wheel = tmp_path / "dist" / f"zenskar_client-{version()}-py3-none-any.whl"
    sdist = tmp_path / "dist" / f"zenskar_client-{version()}.tar.gz"
    assert wheel.is_file() and sdist.is_file()
    # api.md, which the README links: at the sdist's root, inside the package in the wheel
    with zipfile.ZipFile(wheel) as archive:
        assert "API reference" in archive.read("zenskar_client/api.md").decode("utf-8")
    with tarfile.open(sdist) as archive:
        assert f"zenskar_client-{version()}/api.md" in archive.getnames()
    python = str(fresh_venv / "bin" / "python")
    installed = sh(python, "-m", "pip", "install", "--no-index", "--no-deps", "--force-reinstall", str(wheel))
    assert installed.returncode == 0, installed.stderr
    check = sh(python, "-c", REQUIREMENTS_MET)
    assert check.returncode == 0, check.stderr
    assert "httpx" in check.stdout and "attrs" in check.stdout
    base, seen = api
    called = sh(python, "-c", CALL, base)
    assert called.returncode == 0, called.stderr
    assert "inv_1" in called.stdout
    assert seen and seen[0]["path"] == "/invoices/generate_invoice" and seen[0]["key"] == "k-123"
    assert not (REPO / "generated" / DIST / "dist").exists()
    metadata = wheel_metadata(wheel)
    assert "Classifier: Typing :: Typed" in metadata and "Classifier: Programming Language :: Python :: 3.9" in metadata
    httpx_requirement = next(line for line in metadata if line.startswith("Requires-Dist: httpx"))
    httpx_range = SpecifierSet(httpx_requirement.removeprefix("Requires-Dist: httpx"))
    assert "0.28.1" in httpx_range and "0.99" in httpx_range and "1.0.0" not in httpx_range  # capped at the next major


def wheel_metadata(wheel: Path) -> list[str]:
    """The lines of a wheel's METADATA file, up to the description."""
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        text = archive.read(name).decode("utf-8")
    return text.split("\n\n", 1)[0].splitlines()


def described_spec(openapi: str, licence: dict[str, str]) -> dict[str, object]:
    """A one-operation document whose info names a licence, a contact page and terms, with external docs."""
    return {
        "openapi": openapi,
        "info": {
            "title": "Acme",
            "version": "1.0.0",
            "license": licence,
            "contact": {"name": "Acme support", "url": "https://acme.example.test/support"},
            "termsOfService": "https://acme.example.test/terms",
        },
        "externalDocs": {"url": "https://docs.acme.example.test/api"},
        "paths": {
            "/ping": {
                "get": {
                    "operationId": "ping",
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {}}}}},
                }
            }
        },
    }


@pytest.mark.parametrize(
    ("openapi", "licence", "expected"),
    [
        ("3.1.0", {"name": "Apache 2.0", "identifier": "apache-2.0"}, "License-Expression: Apache-2.0"),
        ("3.0.3", {"name": "MIT"}, "License-Expression: MIT"),
        ("3.0.3", {"name": "Acme Licence", "url": "https://acme.example.test/licence"}, "License: Acme Licence"),
    ],
    ids=["spdx-identifier", "spdx-name", "plain-name"],
)  # fmt: skip
def test_the_built_wheels_carry_the_specs_licence_urls_and_classifiers(
    tmp_path: Path, openapi: str, licence: dict[str, str], expected: str
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    settings = '[tool.codegen]\nname = "acme"\nversion = "1.2.3"\nspec = "spec/openapi.json"\n'
    (project / "pyproject.toml").write_text(settings, encoding="utf-8")
    spec = tmp_path / "openapi.json"
    spec.write_text(json.dumps(described_spec(openapi, licence)), encoding="utf-8")
    made = run_codegen("generate", "--spec", str(spec), "--out", str(project / "generated"), "--name", "acme",
                       "--version", "1.2.3")  # fmt: skip
    assert made.returncode == 0, made.stderr
    built = release("build", "--root", str(project), "--out", str(tmp_path / "dist"))  # what `make build` runs
    assert built.returncode == 0, built.stderr
    mock_built = sh(sys.executable, "-m", "build", "--no-isolation", "--wheel", "--outdir", str(tmp_path / "mock"), ".",
                    cwd=project / "generated" / "acme-mock")  # fmt: skip
    assert mock_built.returncode == 0, mock_built.stderr
    urls = [
        "Project-URL: Documentation, https://docs.acme.example.test/api",
        "Project-URL: Contact, https://acme.example.test/support",
        "Project-URL: Terms of Service, https://acme.example.test/terms",
    ]
    if "url" in licence:
        urls.append(f"Project-URL: License, {licence['url']}")
    for wheel in (tmp_path / "dist" / "acme_client-1.2.3-py3-none-any.whl", *(tmp_path / "mock").glob("*.whl")):
        metadata = wheel_metadata(wheel)
        assert expected in metadata, metadata
        assert [line for line in metadata if line.startswith("Project-URL:")] == urls
        classifiers = [line.removeprefix("Classifier: ") for line in metadata if line.startswith("Classifier: ")]
        assert "Typing :: Typed" in classifiers and "Programming Language :: Python :: 3 :: Only" in classifiers
        assert "Programming Language :: Python :: 3.10" in classifiers
        # From requires-python: the client's >=3.9, the mock's >=3.10.
        assert ("Programming Language :: Python :: 3.9" in classifiers) == wheel.name.startswith("acme_client")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def pypiserver(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    packages = tmp_path / "packages"
    packages.mkdir()
    port = _free_port()
    exe = Path(sys.executable).parent / "pypi-server"
    process = subprocess.Popen(
        [str(exe), "run", "-i", "127.0.0.1", "-p", str(port), "-a", ".", "-P", ".", str(packages)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert process.poll() is None, "pypiserver exited"
                assert time.monotonic() < deadline, "pypiserver did not start within 30 s"
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}", packages
    finally:
        process.terminate()
        process.wait(timeout=10)


def project_repo(root: Path) -> Path:
    """A committed copy of the project's release inputs: pyproject.toml and the generated client."""
    root.mkdir()
    shutil.copy2(REPO / "pyproject.toml", root / "pyproject.toml")
    shutil.copytree(REPO / "generated" / DIST, root / "generated" / DIST)
    for cmd in (
        ["git", "init", "-q"],
        ["git", "add", "."],
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "x"],
    ):
        assert sh(*cmd, cwd=root).returncode == 0
    return root


def test_publish_uploads_to_the_index_and_refuses_a_released_version(
    fresh_venv: Path, tmp_path: Path, pypiserver: tuple[str, Path]
) -> None:
    base, packages = pypiserver
    root = project_repo(tmp_path / "project")
    env = {
        **os.environ,
        "TWINE_REPOSITORY_URL": f"{base}/",
        "CODEGEN_INDEX_URL": f"{base}/simple/",
        "TWINE_USERNAME": "ci",
        "TWINE_PASSWORD": "secret-token",
    }
    args = ("publish", "--root", str(root), "--out", str(tmp_path / "dist"))

    (root / "stray.txt").write_text("x", encoding="utf-8")
    dirty = release(*args, env=env)
    assert dirty.returncode == 1 and "not clean" in dirty.stderr and "stray.txt" in dirty.stderr
    (root / "stray.txt").unlink()

    published = release(*args, env=env)
    assert published.returncode == 0, published.stderr
    assert sorted(p.name for p in packages.iterdir()) == [
        f"zenskar_client-{version()}-py3-none-any.whl",
        f"zenskar_client-{version()}.tar.gz",
    ]
    python = str(fresh_venv / "bin" / "python")
    installed = sh(
        python, "-m", "pip", "install", "--no-deps", "--force-reinstall", "--index-url", f"{base}/simple/",
        f"{DIST}=={version()}",
    )  # fmt: skip
    assert installed.returncode == 0, installed.stderr
    shown = sh(python, "-c", "import zenskar_client, importlib.metadata as m; print(m.version('zenskar-client'))")
    assert shown.stdout.strip() == version()

    again = release(*args, env=env)
    assert again.returncode == 1 and "already on the index" in again.stderr
    assert sh("git", "tag", f"v{version()}", cwd=root).returncode == 0
    tagged = release(*args, env=env)
    assert tagged.returncode == 1 and "already tagged" in tagged.stderr
