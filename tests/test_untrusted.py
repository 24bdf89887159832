"""Spec text is untrusted: names and prose that try to break out of strings, comments, templates or folders.

One hostile document is generated once through the real CLI; each test checks one promise a user of
`python -m codegen generate` relies on when the spec comes from someone else.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import run_codegen

NAME = "acme"

# Names that are Python keywords, builtins, dunders, non-ASCII, or look like paths. After the generators
# turn them into identifiers they stay distinct (`../x` and `..\y` would both become `x`).
NAMES = [
    "class",
    "def",
    "import",
    "list",
    "id",
    "type",
    "None",
    "é",
    "日本",
    "../x",
    "..\\y",
    "/etc/passwd",
    "__init__",
]
# Component keys cannot hold "/" (OpenAPI: ^[a-zA-Z0-9.\-_]+$), so schemas get the dotted form.
SCHEMA_NAMES = [name.replace("/", ".") for name in NAMES]
# Operation ids that collide with what a generated resource class or module may define itself.
METHOD_NAMES = [
    "return",
    "self",
    "client",
    "async",
    "await",
    "lambda",
    "yield",
    "with_raw_response",
    "__class__",
    "True",
    "_client",
    "request",
]
# Tags (resource attributes of the client) that collide with what the client class itself defines.
CLIENT_ATTRIBUTE_TAGS = ["close", "with_options", "request", "paginate", "base_url", "_client", "is_closed"]


def hostile_texts(sentinel: Path) -> list[str]:
    """Prose that, if it ever became code (or a template), would create `sentinel` or break the file."""
    touch = f"__import__('pathlib').Path({str(sentinel)!r}).touch()"
    return [
        f'"""\n{touch}\n"""',
        f"'''\n{touch}\n'''",
        f'"\n{touch}\n#',
        f"'\n{touch}\n#",
        f"\nimport os; os.system('touch {sentinel}')\n",
        "{{ cycler.__init__.__globals__.os.system('touch " + str(sentinel) + "') }}",
        "{% for x in range(1) %}" + touch + "{% endfor %}{# unclosed comment",
        "ends with a backslash \\",
        'ends with a quote "',
        'ends with two quotes ""',
        "control \x01\x02\x07\x08\x0b\x0c\x1b[31m\x1f\x7f chars\r\n and CR\rhere",
        "</script><script>alert(1)</script> <!-- -->",
        "line\u2028separator\u2029and\x85next",
        "*/ --> ]]> ${HOME} $(id) `id` %s %(x)s {0} \\N{BULLET} \\x41 \\u0041",
        "\n[tool.evil]\nx = 1\n",
    ]


def hostile_spec(sentinel: Path) -> dict[str, Any]:
    texts = hostile_texts(sentinel)

    def text(i: int) -> str:
        return texts[i % len(texts)]

    def string_property(i: int) -> dict[str, Any]:
        return {
            "type": "string",
            "title": text(i + 1),
            "description": text(i),
            "default": text(i + 2),
            "example": text(i + 3),
        }

    schemas: dict[str, Any] = {}
    for i, key in enumerate(SCHEMA_NAMES):
        properties: dict[str, Any] = {name: string_property(i + j) for j, name in enumerate(NAMES)}
        properties["kind"] = {
            "type": "string",
            "enum": [*texts, "class", "None", "True", "日本", "a b"],
            "description": text(i),
        }
        properties["level"] = {"type": "integer", "enum": [0, 1, -1], "title": text(i + 4)}
        properties["nested"] = {
            "type": "object",
            "description": text(i + 5),
            "properties": {name: {"type": "integer", "description": text(i + 6)} for name in NAMES},
        }
        properties["maybe"] = {
            "anyOf": [{"type": "string"}, {"type": "null"}],
            "description": text(i + 7),
            "default": None,
        }
        schemas[key] = {
            "type": "object",
            "title": f"{text(i)} T{i}",  # the client names classes after titles: keep them distinct
            "description": text(i + 1),
            "properties": properties,
            "required": [NAMES[i]],
            "example": {NAMES[i]: text(i)},
        }
    schemas["HTTPValidationError"] = {
        "type": "object",
        "title": "HTTPValidationError",
        "properties": {
            "detail": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "loc": {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}},
                        "msg": {"type": "string"},
                        "type": {"type": "string"},
                    },
                    "required": ["loc", "msg", "type"],
                },
            }
        },
    }
    validation_error = {"$ref": "#/components/schemas/HTTPValidationError"}

    paths: dict[str, Any] = {}
    for i, name in enumerate(NAMES):
        body = {"$ref": f"#/components/schemas/{SCHEMA_NAMES[i]}"}
        parameters = [
            {"name": "class", "in": "path", "required": True, "description": text(i), "schema": {"type": "string"}},
            *(
                {
                    "name": query,
                    "in": "query",
                    "required": False,
                    "description": text(i + k),
                    "example": text(i + k + 1),
                    "schema": {"type": "string", "default": text(i + k + 2)},
                }
                for k, query in enumerate(NAMES)
                if query != "class"
            ),
            {
                "name": "type",
                "in": "header",
                "required": False,
                "description": text(i + 3),
                "schema": {"type": "string"},
            },
        ]
        tail = text(i).replace("/", "").replace("{", "(").replace("}", ")")[:20]
        paths[f"/n{i}/{{class}}/{tail}"] = {
            "post": {
                "operationId": name,
                "tags": [name],
                "summary": text(i),
                "description": text(i + 1),
                "parameters": parameters,
                "requestBody": {
                    "required": True,
                    "description": text(i + 2),
                    "content": {"application/json": {"schema": body}},
                },
                "responses": {
                    "200": {
                        "description": text(i + 3),
                        "content": {"application/json": {"schema": body, "example": {name: text(i)}}},
                    },
                    "422": {"description": text(i + 4), "content": {"application/json": {"schema": validation_error}}},
                },
            }
        }
    for i, name in enumerate(METHOD_NAMES):
        paths[f"/m{i}"] = {
            "get": {
                "operationId": name,
                "tags": ["class"],
                "summary": text(i),
                "responses": {"200": {"description": text(i), "content": {"application/json": {"schema": {}}}}},
            }
        }
    for i, tag in enumerate(CLIENT_ATTRIBUTE_TAGS):
        paths[f"/t{i}"] = {
            "get": {
                "operationId": f"list_under_{i}",
                "tags": [tag],
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {}}}}},
            }
        }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": " ".join(texts),
            "description": " ".join(texts),
            "version": text(3),
            "contact": {"name": text(1), "url": "javascript:alert(1)"},
            "license": {"name": 'MIT" }\n[tool.evil]\nx = 1\n', "url": 'https://example.test/licence"\n[tool.evil]'},
            "termsOfService": "https://example.test/terms\n[tool.evil]",
        },
        "externalDocs": {"url": "https://docs.example.test/guide?a=1&b=%22x%22#part"},
        "servers": [{"url": "https://api.example.test/" + text(0).replace("\n", ""), "description": text(2)}],
        "security": [{"class": [], "import": []}],
        "tags": [{"name": name, "description": text(i)} for i, name in enumerate(NAMES)],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "class": {"type": "apiKey", "in": "header", "name": "x-api-key", "description": text(0)},
                "import": {
                    "type": "apiKey",
                    "in": "header",
                    "name": text(1).replace("\n", "")[:12],
                    "description": text(2),
                },
            },
        },
    }


@dataclass(frozen=True)
class Run:
    result: subprocess.CompletedProcess[str]
    jail: Path  # an otherwise empty folder holding only the output folder
    out: Path
    spec_dir: Path
    sentinel: Path
    operations: int

    @property
    def dists(self) -> list[Path]:
        return [self.out / f"{NAME}-client", self.out / f"{NAME}-mock"]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    base = tmp_path_factory.mktemp("untrusted")
    sentinel = base / "sentinel" / "PWNED"
    sentinel.parent.mkdir()
    spec_dir = base / "spec"
    spec_dir.mkdir()
    spec = hostile_spec(sentinel)
    (spec_dir / "hostile.json").write_text(json.dumps(spec, indent=1, ensure_ascii=False), encoding="utf-8")
    jail = base / "jail"
    jail.mkdir()
    out = jail / "out"
    result = run_codegen("generate", "--spec", str(spec_dir / "hostile.json"), "--out", str(out), "--name", NAME)
    operations = sum(len(item) for item in spec["paths"].values())
    return Run(result, jail, out, spec_dir, sentinel, operations)


def python_files(run: Run) -> list[Path]:
    return sorted(path for dist in run.dists for path in dist.rglob("*.py"))


def test_generation_succeeds_with_every_operation(run: Run) -> None:
    assert run.result.returncode == 0, run.result.stderr
    assert f"generated {run.operations} of {run.operations} operations" in run.result.stderr
    assert "Traceback" not in run.result.stderr


def test_generation_does_not_execute_spec_text(run: Run) -> None:
    """Nothing renders spec text as a template or evaluates it while generating."""
    assert not run.sentinel.exists()


def test_everything_is_written_under_the_output_folder(run: Run) -> None:
    assert sorted(p.name for p in run.jail.iterdir()) == ["out"]
    assert sorted(p.name for p in run.spec_dir.iterdir()) == ["hostile.json"]
    assert sorted(p.name for p in run.out.iterdir()) == [f"{NAME}-client", f"{NAME}-mock", f"{NAME}.openapi.json"]
    for path in run.out.rglob("*"):
        assert not path.is_symlink(), path
        assert path.resolve().is_relative_to(run.out.resolve()), path


def test_progress_output_holds_no_raw_control_characters(run: Run) -> None:
    """Spec text echoed to the terminal cannot move the cursor or recolour it (ESC, CR, BEL ...)."""
    raw = sorted({f"U+{ord(c):04X}" for c in run.result.stderr if ord(c) < 32 and c not in "\n\t" or ord(c) == 127})
    assert not raw, f"raw control characters on stderr: {raw}"


def test_every_module_parses_and_imports_without_running_spec_text(run: Run, tmp_path: Path) -> None:
    files = python_files(run)
    assert any(p.name == "models.py" for p in files) and any("resources" in p.parts for p in files)
    for path in files:
        ast.parse(path.read_bytes(), filename=str(path))
    modules = []
    for dist in run.dists:
        for path in sorted(dist.rglob("*.py")):
            parts = list(path.relative_to(dist).with_suffix("").parts)
            if parts[-1] != "__main__":  # runs the program when imported (python -m); parsed above
                modules.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    importer = (
        "import importlib, json, sys, traceback\n"
        "failed = {}\n"
        "for name in json.loads(sys.argv[1]):\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except BaseException:\n"
        "        failed[name] = traceback.format_exc(limit=-3)\n"
        "print(json.dumps(failed))\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(str(d) for d in run.dists), "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run(
        [sys.executable, "-c", importer, json.dumps(modules)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    failed = json.loads(result.stdout.strip().splitlines()[-1])
    assert not failed, "\n".join(f"{name}:\n{trace}" for name, trace in failed.items())
    assert not run.sentinel.exists(), "importing the generated packages ran code taken from the spec"


def test_no_spec_text_became_a_call(run: Run) -> None:
    """The payloads call __import__, os.system and Path.touch; generated code never does."""
    found = []
    for path in python_files(run):
        for node in ast.walk(ast.parse(path.read_bytes(), filename=str(path))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if (isinstance(func, ast.Name) and func.id in {"__import__", "alert"}) or (
                isinstance(func, ast.Attribute) and func.attr in {"system", "touch"}
            ):
                found.append(f"{path.relative_to(run.out)}:{node.lineno}")
    assert not found, f"calls that came from spec text: {found}"


def test_pyproject_files_parse_and_keep_their_shape(run: Run) -> None:
    for dist in run.dists:
        data = tomllib.loads((dist / "pyproject.toml").read_text(encoding="utf-8"))
        assert data["project"]["name"] == dist.name
        assert "evil" not in data.get("tool", {}), f"{dist.name}/pyproject.toml gained a table from spec text"
        # The licence name is kept as one line of text; only the one well-formed http(s) URL is kept.
        assert data["project"]["license"] == {"text": 'MIT" } [tool.evil] x = 1'}
        assert data["project"]["urls"] == {"Documentation": "https://docs.example.test/guide?a=1&b=%22x%22#part"}


def test_readme_has_no_live_html(run: Run) -> None:
    readme = (run.out / f"{NAME}-client" / "README.md").read_text(encoding="utf-8")
    assert "<script" not in readme.lower()
    assert "\x1b" not in readme


@pytest.mark.parametrize(
    "package",
    [
        f"{NAME}_client",
        f"{NAME}_mock",
    ],
)
def test_generated_names_do_not_shadow_the_runtime(run: Run, package: str, tmp_path: Path) -> None:
    """A tag or operation named like a runtime attribute (close, request, ...) must not replace it.

    For every class of the generated packages that derives from another class of the same package,
    no public name it defines may already be defined by that base (a resource property called
    `close` would replace the client's close()).
    """
    checker = (
        "import importlib, inspect, json, pkgutil, sys\n"
        "clashes = []\n"
        "for top in sys.argv[1:]:\n"
        "    package = importlib.import_module(top)\n"
        "    names = [top] + [m.name for m in pkgutil.walk_packages(package.__path__, top + '.')]\n"
        "    for name in names:\n"
        "        if name.endswith('__main__'):\n"
        "            continue\n"
        "        module = importlib.import_module(name)\n"
        "        for cls in vars(module).values():\n"
        "            if not inspect.isclass(cls) or cls.__module__ != name:\n"
        "                continue\n"
        "            for base in cls.__mro__[1:]:\n"
        "                if not base.__module__.startswith(top + '.'):\n"
        "                    continue\n"
        "                for attr in vars(cls):\n"
        "                    if not attr.startswith('_') and attr in vars(base):\n"
        "                        clashes.append(f'{cls.__qualname__}.{attr} replaces {base.__qualname__}.{attr}')\n"
        "print(json.dumps(sorted(set(clashes))))\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(str(d) for d in run.dists), "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run(
        [sys.executable, "-c", checker, package],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    clashes = json.loads(result.stdout.strip().splitlines()[-1])
    assert not clashes, "\n".join(clashes)
