"""Issue 11 (8): HTML in spec descriptions reaches READMEs, api.md and docstrings as readable text.

Real descriptions from the corpus (AWS's HTML, sportsdata's `<code>`/`<br>`), through text.py and
through the real CLI into the generated client and mock.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from typing import Any

import pytest
from codegen.text import HTML_ELEMENTS, description_text
from conftest import CORPUS, run_codegen

SPECS = CORPUS / "specs"
IOT = SPECS / "amazonaws.com" / "iot1click-devices.json"
SPORTS = SPECS / "sportsdata.io" / "nfl-v3-rotoballer-premium-news.json"
OBS = SPECS / "opensuse.org" / "obs.json"  # list-more.txt: an XML example, entity-escaped, in a description
LIVE_TAG = re.compile(r"</?(" + "|".join(sorted(HTML_ELEMENTS, key=len, reverse=True)) + r")\b[^>]*>", re.I)

pytestmark = pytest.mark.skipif(not SPECS.is_dir(), reason=f"no corpus at {CORPUS}")


def descriptions(doc: Any) -> list[str]:
    """Every `description` and `summary` string of a document, in document order."""
    found: list[str] = []
    stack = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            found += [node[key] for key in ("description", "summary") if isinstance(node.get(key), str)]
            stack.extend(reversed(list(node.values())))
        elif isinstance(node, list):
            stack.extend(reversed(node))
    return found


def test_corpus_html_becomes_markdown_without_tags() -> None:
    texts = [t for t in descriptions(json.loads(IOT.read_text(encoding="utf-8"))) if LIVE_TAG.search(t)]
    assert len(texts) >= 8
    for text in texts:
        converted = description_text(text)
        assert not LIVE_TAG.search(converted), converted
        assert converted == converted.strip() and "\n\n\n" not in converted
    link = next(t for t in texts if "aws-tagging-strategies" in t)
    assert "[AWS\nTagging Strategies](https://aws.amazon.com/answers/account-management/aws-tagging-strategies/)" in (
        description_text(link)
    )


def test_corpus_code_and_line_breaks() -> None:
    texts = descriptions(json.loads(SPORTS.read_text(encoding="utf-8")))
    date = next(t for t in texts if t.startswith("The date of the news."))
    assert "<br>" in date
    assert description_text(date) == "The date of the news.\n\nExamples: `2017-JUL-31`, `2017-SEP-01`."


def test_markdown_and_plain_text_pass_through_unchanged() -> None:
    corpus = descriptions(json.loads((SPECS / "svix.com.json").read_text(encoding="utf-8")))
    markdown = [t for t in corpus if "<" not in t or not LIVE_TAG.search(t)]
    assert any("`" in t or "](" in t for t in markdown)  # real Markdown among them
    # ReDoc's `<SecurityDefinitions />` component is tool markup, not text: only it goes
    changed = {t: description_text(t) for t in markdown if description_text(t) != t}

    def tidy(text: str) -> str:  # what description_text also does to the text around it
        return re.sub(r"\n{3,}", "\n\n", "\n".join(line.rstrip() for line in text.splitlines())).strip()

    assert [tidy(t.replace("<SecurityDefinitions />", "")) for t in changed] == list(changed.values()) != []
    assert [t for t in changed.values() if "<" in t] == []
    for text in ("a < b and c > d", "ARN: arn:aws:s3:<region>:<account>", "**bold** _it_ `x<y>`", ""):
        assert description_text(text) == text


def test_entity_escaped_html_is_unescaped_and_converted() -> None:
    escaped = (
        "See &lt;a href=&quot;https://example.test/doc&quot;&gt;the guide&lt;/a&gt;."
        "&lt;br/&gt;Then &lt;code&gt;run&lt;/code&gt;."
    )
    assert description_text(escaped) == "See [the guide](https://example.test/doc).\nThen `run`."
    # inside real HTML an escaped tag is text the author meant to show
    assert description_text("<p>Format: <code>&lt;primary ETag&gt;</code></p>") == "Format: `<primary ETag>`"


@pytest.mark.skipif(not OBS.is_file(), reason="list-more.txt documents not present")
def test_an_escaped_xml_example_stays_as_written() -> None:
    example = next(t for t in descriptions(json.loads(OBS.read_text(encoding="utf-8"))) if "&lt;status code=" in t)
    assert description_text(example) == example


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("html") / "out"
    for spec, stem in ((IOT, "iot"), (SPORTS, "sports")):
        result = run_codegen("generate", "--spec", str(spec), "--out", str(out / stem), "--name", stem)
        assert result.returncode == 0, result.stderr
    return out


def docstrings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = [ast.get_docstring(node) for node in ast.walk(tree) if isinstance(node, ast.Module | ast.ClassDef)]
    found += [ast.get_docstring(n) for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    return [d for d in found if d]


def test_generated_readmes_api_md_and_docstrings_have_no_html(generated: Path) -> None:
    texts: dict[Path, str] = {}
    for path in generated.rglob("*"):
        if path.suffix == ".md":
            texts[path] = path.read_text(encoding="utf-8")
        elif path.suffix == ".py":
            texts[path] = "\n".join(docstrings(path))
            # the mock's models carry descriptions in Field(description=…) as well
            texts[path] += "\n" + path.read_text(encoding="utf-8") if path.name == "models.py" else ""
    leaks = {str(p): LIVE_TAG.findall(t)[:3] for p, t in texts.items() if LIVE_TAG.search(t)}
    assert not leaks
    everything = "\n".join(texts.values())
    assert "format: Desired response format. Valid entries are `XML` or `JSON`." in everything  # client docstring
    assert "[AWS\nTagging Strategies](https://aws.amazon.com/" in everything  # mock models (pydantic)
    api = (generated / "iot" / "iot-client" / "api.md").read_text(encoding="utf-8")
    assert "[AWS IoT 1-Click Service Limits](https://docs.aws.amazon.com/iot-1-click/" in api


def test_descriptions_that_look_like_code_stay_inert_docstrings(tmp_path: Path) -> None:
    hostile = '<p>Ends in """ and a backslash \\ then <code>C:\\new\\x41</code></p>"""; import os; os.system("x") #'
    doc = {
        "openapi": "3.0.3",
        "info": {"title": "Quotes", "version": "1", "description": hostile},
        "paths": {
            "/things/{id}": {
                "get": {
                    "operationId": "getThing",
                    "summary": "<b>Get</b> a thing",
                    "description": hostile,
                    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"},
                                    "description": hostile}],
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
                        "$ref": "#/components/schemas/Thing"}}}}},
                }
            }
        },
        "components": {"schemas": {"Thing": {"type": "object", "description": hostile, "properties": {
            "name": {"type": "string", "description": hostile}}}}},
    }  # fmt: skip
    spec = tmp_path / "quotes.json"
    spec.write_text(json.dumps(doc), encoding="utf-8")
    out = tmp_path / "out"
    result = run_codegen("generate", "--spec", str(spec), "--out", str(out), "--name", "quotes")
    assert result.returncode == 0, result.stderr
    modules = [p for p in out.rglob("*.py")]
    calls = []
    for path in modules:
        tree = ast.parse(path.read_text(encoding="utf-8"))  # every module still parses
        calls += [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "attr", "") == "system"]
    assert not calls
    resource = (out / "quotes-client" / "quotes_client" / "resources" / "things.py").read_text(encoding="utf-8")
    method_doc = next(d for d in docstrings(out / "quotes-client" / "quotes_client" / "resources" / "things.py")
                      if d.startswith("**Get** a thing"))  # fmt: skip
    assert 'Ends in """ and a backslash \\ then `C:\\new\\x41`' in method_doc
    assert "<p>" not in resource and "<b>" not in resource
