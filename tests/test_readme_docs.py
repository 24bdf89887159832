"""What the generated READMEs and api.md tell a new user, from real generator runs.

- the client README keeps the spec's Markdown description (paragraphs, lists, code), headings demoted,
  tool markup (`<SecurityDefinitions />`) dropped, through the same filter as api.md's descriptions;
- the mock README's client calls show their required arguments, as api.md's calls do;
- `Prefer` from the SDK (`extra_headers=`) is documented, and the documented snippet works against the mock;
- the mock answers a property's own valid `example` (3.0 `example`, 3.1 `examples[0]`).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import CORPUS, REPO, generate_fixture
from markdown_it import MarkdownIt
from mock_process import imported_package, serving_app

SVIX = CORPUS / "specs" / "svix.com.json"
needs_svix = pytest.mark.skipif(not SVIX.is_file(), reason=f"no corpus at {CORPUS}")


@pytest.fixture(scope="module")
def svix(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_fixture(SVIX, tmp_path_factory.mktemp("svix") / "out", "svix")


def blocks(markdown: str) -> list[tuple[str, str]]:
    """(kind, text) of each heading, paragraph, list item paragraph, code block and raw HTML, in order."""
    found: list[tuple[str, str]] = []
    tokens = MarkdownIt("commonmark").parse(markdown)
    for i, token in enumerate(tokens):
        if token.type in ("heading_open", "paragraph_open"):
            kind = token.tag if token.type == "heading_open" else "li" if token.level > 0 else "p"
            found.append((kind, tokens[i + 1].content))
        elif token.type in ("fence", "code_block", "html_block"):
            found.append((token.type, token.content))
        elif token.type == "inline" and any(c.type == "html_inline" for c in token.children or []):
            found.append(("html_inline", token.content))
    return found


def description_section(readme: str) -> str:
    """The client README's text between its opening paragraph and `## Install`."""
    head, _, _ = readme.partition("\n## Install\n")
    return head.split("\n\n", 2)[2]


@needs_svix
def test_readme_keeps_the_descriptions_markdown(svix: Path) -> None:
    spec = json.loads(SVIX.read_text(encoding="utf-8"))["info"]["description"]
    readme = (svix / "svix-client" / "README.md").read_text(encoding="utf-8")
    section = blocks(description_section(readme))
    demoted = {"h1": "h3", "h2": "h4"}
    expected = [(demoted.get(kind, kind), text) for kind, text in blocks(spec) if kind != "html_block"]
    assert ("html_block", "<SecurityDefinitions />\n") in blocks(spec)  # the spec does hold the tag
    assert section == expected  # same paragraphs, items and headings, in order: no run-on paragraph
    assert ("h3", "Introduction") in section and ("h4", "Main concepts") in section
    assert sum(kind == "li" for kind, _ in section) == 4 and sum(kind == "p" for kind, _ in section) >= 10
    assert "SecurityDefinitions" not in readme and "&lt;" not in description_section(readme)
    # the README's own sections are still the only `##` headings
    assert [t for k, t in blocks(readme) if k == "h2"][:3] == ["Install", "Configure", "Call the API"]


MARKDOWN = """Intro with *Markdown* and a placeholder <region>.

# Notes

- one `x`
- two

<Callout type="x" />

```sh
curl -H "Prefer: code=422" <url>
```
"""


def test_api_md_and_readme_render_descriptions_alike(tmp_path: Path) -> None:
    doc = {
        "openapi": "3.1.0",
        "info": {"title": "Notes", "version": "1", "description": MARKDOWN},
        "paths": {"/notes/{note_id}": {"get": {
            "operationId": "getNote", "summary": "Get a note", "description": MARKDOWN,
            "parameters": [{"name": "note_id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "ok"}},
        }}},
    }  # fmt: skip
    spec = tmp_path / "notes.json"
    spec.write_text(json.dumps(doc), encoding="utf-8")
    out = generate_fixture(spec, tmp_path / "out", "notes")
    readme = (out / "notes-client" / "README.md").read_text(encoding="utf-8")
    api = (out / "notes-client" / "api.md").read_text(encoding="utf-8")
    in_readme = blocks(description_section(readme))
    in_api = blocks(api.split("### get\n", 1)[1].split("```\n", 1)[1])  # after the call's code block
    code = ("fence", 'curl -H "Prefer: code=422" <url>\n')
    assert ("h3", "Notes") in in_readme and ("h4", "Notes") in in_api  # under `##` and under `###`
    for found in (in_readme, in_api):
        assert code in found  # code as written: `<url>` inside a fence is shown, not escaped
        assert ("p", "Intro with *Markdown* and a placeholder &lt;region&gt;.") in found  # elsewhere escaped
        assert ("li", "two") in found
        assert not [kind for kind, _ in found if kind.startswith("html")]
        assert "Callout" not in str(found)


def api_md_calls(api: str) -> dict[str, str]:
    """`client.<resource>.<name>` → api.md's call, written as a call (no `*`, no result annotation)."""
    calls = re.findall(r"^### \w+\n\n`[^`]+`[^\n]*\n\n```python\n(client\.[^\n]+)\n```", api, re.M)
    written = [c.rsplit(" -> ", 1)[0].replace("(*, ", "(").replace(", *, ", ", ") for c in calls]
    return {call.split("(", 1)[0]: call for call in written}


@needs_svix
def test_mock_readme_calls_show_required_arguments_as_api_md(svix: Path) -> None:
    readme = (svix / "svix-mock" / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| [A-Z]+ \| `[^`]+` \| `\w+` \| `(client\.[^`]+)` \|", readme, re.M)
    expected = api_md_calls((svix / "svix-client" / "api.md").read_text(encoding="utf-8"))
    assert len(rows) == 53 == len(expected)
    assert {row.split("(", 1)[0]: row for row in rows} == expected
    assert "client.application.get_application_api_v1_app_app_id_get(app_id)" in rows
    assert "client.application.update_application_api_v1_app_app_id_put(app_id, name=...)" in rows
    assert not [row for row in rows if row.endswith("()") and "{" in row]


@needs_svix
def test_prefer_from_the_sdk_is_documented_and_works(svix: Path, tmp_path: Path) -> None:
    client_readme = (svix / "svix-client" / "README.md").read_text(encoding="utf-8")
    assert "`extra_headers=` and `extra_query=`" in client_readme
    assert 'importlib.resources.files("svix_client").joinpath("api.md").read_text()' in client_readme
    mock_readme = (svix / "svix-mock" / "README.md").read_text(encoding="utf-8")
    snippet = re.search(r"```python\n(.*?extra_headers=\{\"Prefer\": \"code=(\d+)\"\}.*?)```", mock_readme, re.S)
    assert snippet is not None
    code = snippet.group(1)
    assert "from svix_client import Svix" in code and "client.endpoint." in code  # a real operation
    with imported_package(svix / "svix-mock", "svix_mock") as package, serving_app(package.create_app()) as url:
        script = code.replace("http://127.0.0.1:4010", url) + "\nprint('answered', result)\n"
        wrapped = (
            f"try:\n{_indent(script)}\nexcept Exception as error:\n    print(type(error).__name__, error.status_code)\n"
        )
        # As written: no credential from the environment (the snippet passes its own).
        env = {k: v for k, v in os.environ.items() if not k.startswith("SVIX_")}
        env["PYTHONPATH"] = str(svix / "svix-client")
        ran = subprocess.run([sys.executable, "-c", wrapped], env=env, capture_output=True, text=True, timeout=60)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.split() == ["UnprocessableEntityError", snippet.group(2)] == ["UnprocessableEntityError", "422"]


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())


@needs_svix
def test_mock_answers_a_propertys_own_example(svix: Path) -> None:
    schema = json.loads(SVIX.read_text(encoding="utf-8"))["components"]["schemas"]["ApplicationOut"]["properties"]
    with imported_package(svix / "svix-mock", "svix_mock") as package, serving_app(package.create_app()) as url:
        answer = httpx.get(f"{url}/api/v1/app/app_x/", headers={"Authorization": "Bearer t0ken"}, timeout=10)
    assert answer.status_code == 200
    body = answer.json()
    assert body["id"] == schema["id"]["example"] == "app_1srOrx2ZWZBpBUvZwXKQmoEYga2"
    assert body["name"] == schema["name"]["example"]
    assert body["createdAt"] == "1970-01-01T00:00:00Z"  # no example: the synthetic value


def test_only_valid_examples_are_answered(tmp_path: Path) -> None:
    props: dict[str, Any] = {
        "id": {"type": "string", "example": "thing_1"},
        "ref": {"type": "string", "format": "uuid", "example": "not-a-uuid"},  # wrong format: synthetic
        "when": {"type": "string", "format": "date-time", "examples": ["2024-03-01T12:00:00Z"]},  # 3.1 form
        "count": {"type": "integer", "minimum": 10, "example": 3},  # out of bounds: synthetic
        "size": {"type": "integer", "example": "big"},  # wrong type: synthetic
        "code": {"type": "string", "pattern": "^[A-Z]{3}$", "example": "EUR"},
        "tags": {"type": "array", "items": {"type": "string"}, "example": ["a", "b"]},
        "note": {"type": "string", "example": "__import__('os').system('x')"},  # data, answered as written
    }
    doc = {
        "openapi": "3.1.0",
        "info": {"title": "Things", "version": "1"},
        "paths": {"/things": {"get": {"operationId": "listThing", "responses": {"200": {
            "description": "ok",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
        }}}}},
        "components": {"schemas": {"Thing": {"type": "object", "required": sorted(props), "properties": props}}},
    }  # fmt: skip
    spec = tmp_path / "things.json"
    spec.write_text(json.dumps(doc), encoding="utf-8")
    out = generate_fixture(spec, tmp_path / "out", "things")
    with imported_package(out / "things-mock", "things_mock") as package, serving_app(package.create_app()) as url:
        body = httpx.get(f"{url}/things", timeout=10).json()
    assert body == {
        "code": "EUR",
        "count": 10,
        "id": "thing_1",
        "note": "__import__('os').system('x')",
        "ref": "00000000-0000-0000-0000-000000000000",
        "size": 0,
        "tags": ["a", "b"],
        "when": "2024-03-01T12:00:00Z",
    }


def test_project_readme_quotes_the_real_header() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    first = (REPO / "generated" / "zenskar-client" / "zenskar_client" / "__init__.py").read_text(encoding="utf-8")
    header = first.splitlines()[0]
    assert f"`{header}`" in readme
    assert "sha256 prefix" not in readme
