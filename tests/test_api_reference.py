"""Issue 11 (6, 7): api.md, the client's API reference, and names that read well in an editor.

Real corpus documents go through the real CLI; the generated packages are imported (api.md's calls
must exist on the client) and type-checked with mypy --strict (an enum parameter takes its plain value).
"""

from __future__ import annotations

import contextlib
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from codegen.spec_model import SpecModel, build_spec_model
from conftest import CORPUS, run_codegen
from mock_process import imported_package
from test_client_support import LoopbackServer, Reply

SPECS = CORPUS / "specs"
# kumpeapps: title "KumpeApps API", a tag named like a schema (Authentication), enum query parameters.
# catalog_inventory: nine tags named like schemas (ServiceInstance…). sportsdata: an enum path parameter.
DOCUMENTS = {
    "kumpe": "kumpeapps.com.json",
    "catalog": "redhat.com/catalog_inventory.json",
    "sports": "sportsdata.io/nfl-v3-rotoballer-premium-news.json",
}
BLOCK = re.compile(
    r"^### (\w+)\n\n`([A-Z]+) (.+?)`(?: \(deprecated\))?\n\n```python\n(client\.\w+\.\w+\(.*?\) -> .+)\n```", re.M
)

pytestmark = pytest.mark.skipif(not SPECS.is_dir(), reason=f"no corpus at {CORPUS}")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each document of DOCUMENTS generated once by the CLI: stem → output folder."""
    found: dict[str, Path] = {}
    for stem, spec in DOCUMENTS.items():
        out = tmp_path_factory.mktemp(stem) / "out"
        result = run_codegen("generate", "--spec", str(SPECS / spec), "--out", str(out), "--name", stem)
        assert result.returncode == 0, result.stderr
        found[stem] = out
    return found


def spec_model(out: Path, stem: str) -> SpecModel:
    """The spec model of the effective document the generators saw."""
    return build_spec_model(json.loads((out / f"{stem}.openapi.json").read_text(encoding="utf-8")))


@contextlib.contextmanager
def client_of(out: Path, stem: str) -> Iterator[tuple[Any, Any]]:
    """(package, an instance of its client) for a generated client; the import is forgotten afterwards."""
    with imported_package(out / f"{stem}-client", f"{stem}_client") as package:
        client_class = getattr(package, stem.capitalize())
        yield package, client_class(base_url="http://127.0.0.1:9")


@pytest.mark.parametrize("stem", list(DOCUMENTS))
def test_api_md_lists_every_operation_once_with_a_call_the_client_has(generated: dict[str, Path], stem: str) -> None:
    out = generated[stem]
    api = (out / f"{stem}-client" / "api.md").read_text(encoding="utf-8")
    blocks = BLOCK.findall(api)
    model = spec_model(out, stem)
    assert model.operations and len(blocks) == len(model.operations)
    by_label = {f"{method} {path}": (name, call) for name, method, path, call in blocks}
    with client_of(out, stem) as (_package, client):
        for op in model.operations:
            lines = [line for line in api.splitlines() if line.startswith(f"`{op.label}`")]
            assert len(lines) == 1, (op.label, lines)
            name, call = by_label[op.label]
            assert name == op.python_name
            assert call.startswith(f"client.{op.resource}.{op.python_name}("), call
            method = getattr(getattr(client, op.resource), op.python_name)
            assert callable(method)
            positional = [p.name for p in op.parameters if p.location == "path"]
            shown = call[call.index("(") + 1 : call.index(")")].split(", ")
            assert [a for a in shown if a and a != "*" and "=" not in a] == positional, call
    # Deterministic: a second run writes the same bytes.
    again = generated[stem].parent / "again"
    result = run_codegen("generate", "--spec", str(SPECS / DOCUMENTS[stem]), "--out", str(again), "--name", stem)
    assert result.returncode == 0, result.stderr
    assert (again / f"{stem}-client" / "api.md").read_bytes() == api.encode("utf-8")


def test_api_md_names_the_models_each_resource_takes_or_returns(generated: dict[str, Path]) -> None:
    out = generated["sports"]
    api = (out / "sports-client" / "api.md").read_text(encoding="utf-8")
    with client_of(out, "sports") as (package, _client):
        listed = re.findall(r"^Models: (.*) \(`from sports_client\.models import …`\)$", api, re.M)
        names = re.findall(r"`(\w+)`", listed[0])
        assert "News" in names and "PremiumNewsFormat" in names
        assert all(hasattr(package.models, name) for name in names)
        table = re.findall(r"^\| `(\w+)` \| (model|enum) \|", api, re.M)
        assert ("News", "model") in table and ("PremiumNewsFormat", "enum") in table
    assert "client.roto_baller_premium_news.premium_news(format) -> list[News]" in api


def test_readmes_link_the_reference_and_the_mock_names_the_client_call(generated: dict[str, Path]) -> None:
    out = generated["kumpe"]
    readme = (out / "kumpe-client" / "README.md").read_text(encoding="utf-8")
    assert "[api.md](api.md)" in readme and "more (your editor" not in readme
    model = spec_model(out, "kumpe")
    for resource in {op.resource for op in model.operations}:
        assert f"[`client.{resource}`](api.md#{resource})" in readme
        assert f"\n## {resource}\n" in (out / "kumpe-client" / "api.md").read_text(encoding="utf-8")
    mock_readme = (out / "kumpe-mock" / "README.md").read_text(encoding="utf-8")
    assert "| method | path | name | client call | credentials |" in mock_readme
    with client_of(out, "kumpe") as (_package, client):
        for op in model.operations:
            row = next(line for line in mock_readme.splitlines() if f"| `{op.python_name}` |" in line)
            assert f"| `client.{op.resource}.{op.python_name}(" in row  # with its required arguments
            assert callable(getattr(getattr(client, op.resource), op.python_name))


def test_resource_classes_never_take_a_model_name_or_a_number(generated: dict[str, Path]) -> None:
    for stem in ("kumpe", "catalog"):
        out = generated[stem]
        with client_of(out, stem) as (package, client):
            resources = {op.resource for op in spec_model(out, stem).operations}
            for attribute in resources:
                resource = getattr(client, attribute)
                name = type(resource).__name__
                assert name.endswith("Resource") and not re.search(r"\d+Resource$", name), name
            # the tags named like schemas: the models keep their plain names
            plain = {"kumpe": ["Authentication"], "catalog": ["ServiceInstance", "ServiceOffering", "Source"]}
            for model_name in plain[stem]:
                assert isinstance(getattr(package.models, model_name), type)
                assert not hasattr(package.models, f"{model_name}2")
            assert type(client.authentication if stem == "kumpe" else client.service_instance).__name__ in {
                "AuthenticationResource",
                "ServiceInstanceResource",
            }


def test_titles_ending_in_api_are_not_doubled(generated: dict[str, Path]) -> None:
    out = generated["kumpe"]
    texts = [p.read_text(encoding="utf-8") for p in out.rglob("*") if p.suffix in {".md", ".py", ".toml"}]
    assert not [t for t in texts if re.search(r"\bAPI API\b", t)]
    readme = (out / "kumpe-client" / "README.md").read_text(encoding="utf-8")
    assert "A typed Python client for the KumpeApps API (package version" in readme
    sports = (generated["sports"] / "sports-client" / "README.md").read_text(encoding="utf-8")
    assert "for the NFL v3 RotoBaller Premium News API (package version" in sports


TYPED_CALLS = """
from sports_client import AsyncSports, Sports
from sports_client.models import PremiumNewsFormat

client = Sports(key="k")
client.roto_baller_premium_news.premium_news("json")
client.roto_baller_premium_news.premium_news(PremiumNewsFormat.XML)
client.roto_baller_premium_news_by_team.premium_news_by_team("xml", "WAS")


async def main() -> None:
    await AsyncSports(key="k").roto_baller_premium_news.premium_news("json")
"""


def mypy_strict(code: str, dist: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    script = tmp_path / "calls.py"
    script.write_text(code, encoding="utf-8")
    config = tmp_path / "mypy.ini"
    config.write_text("[mypy]\n", encoding="utf-8")  # the repository's settings do not apply to users' code
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--config-file", str(config), "--cache-dir",
         str(tmp_path / "cache"), "--no-incremental", str(script)],
        cwd=tmp_path, env={"MYPYPATH": str(dist), "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, check=False, timeout=600,
    )  # fmt: skip


def test_an_enum_parameter_accepts_its_plain_value_under_mypy_strict(
    generated: dict[str, Path], tmp_path: Path
) -> None:
    dist = generated["sports"] / "sports-client"
    checked = mypy_strict(TYPED_CALLS, dist, tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    # a value the enum does not have is still an error
    wrong = mypy_strict(TYPED_CALLS + '\nclient.roto_baller_premium_news.premium_news("yaml")\n', dist, tmp_path)
    assert wrong.returncode == 1 and "'yaml'" in wrong.stdout and "premium_news" in wrong.stdout, wrong.stdout


def test_the_plain_value_and_the_member_send_the_same_request(generated: dict[str, Path]) -> None:
    with client_of(generated["sports"], "sports") as (package, _client), LoopbackServer() as server:
        for path in ("/json/RotoBallerPremiumNews", "/xml/RotoBallerPremiumNews"):
            server.replies("GET", path, Reply(body=[]), Reply(body=[]))
        client = package.Sports(key="k", base_url=server.url)
        client.roto_baller_premium_news.premium_news("json")
        client.roto_baller_premium_news.premium_news(package.models.PremiumNewsFormat.JSON)
        client.roto_baller_premium_news.premium_news("xml")
        assert len(server.requests_to("GET", "/json/RotoBallerPremiumNews")) == 2
        assert len(server.requests_to("GET", "/xml/RotoBallerPremiumNews")) == 1
