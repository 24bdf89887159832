"""Bad input to `python -m codegen generate`: one clear message, exit 1, no traceback, --out untouched.

Each case runs the real CLI twice: once with --out an existing folder holding a sentinel file (it must
be left byte for byte as it was) and once with --out a folder that does not exist (it must stay absent).
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import FIXTURES, minimal_spec, run_codegen

VALID = FIXTURES / "inventory_30_params.json"


def with_ref(ref: str) -> dict[str, object]:
    doc = minimal_spec(components={"schemas": {"Thing": {"type": "object", "properties": {"id": {"type": "string"}}}}})
    doc["paths"]["/things"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] = {"$ref": ref}
    return doc


def duplicate_ids() -> dict[str, object]:
    doc = minimal_spec()
    doc["paths"]["/other"] = {"post": {"operationId": "list_things", "responses": {"204": {"description": "none"}}}}
    return doc


def python_name_clash() -> dict[str, object]:
    """`get-thing` and `GetThing`, chosen with `x-codegen-name`, are different names but the same Python
    method name: a clash of operationIds is renamed (tests/test_names.py), one of chosen names is refused."""
    doc = minimal_spec()
    doc["paths"]["/things"]["get"]["x-codegen-name"] = "get-thing"
    other = {"operationId": "other", "x-codegen-name": "GetThing", "responses": {"204": {"description": "none"}}}
    doc["paths"]["/things/other"] = {"get": other}  # one resource (`things`, by path segment): one namespace
    return doc


@dataclass(frozen=True)
class Case:
    """One bad invocation: the files it needs, the CLI arguments, and what stderr must name."""

    files: dict[str, bytes]  # written under the case folder before the run
    args: Callable[[Path], list[str]]  # case folder → arguments after `generate`
    expect: list[str]  # substrings of stderr, with {dir} standing for the case folder


def spec_args(spec: str, *more: str, name: str = "acme") -> Callable[[Path], list[str]]:
    return lambda d: ["--spec", str(d / spec), "--name", name, *(m.replace("{dir}", str(d)) for m in more)]


def as_json(doc: object) -> bytes:
    return json.dumps(doc).encode()


YAML_HEAD = b"openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n"


def alias_bomb() -> bytes:
    """Under 1 KiB of YAML whose aliases expand to 9**9 (387 million) values."""
    lines = ["x-bomb:", "  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"  a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
    return YAML_HEAD + "\n".join(lines).encode() + b"\n"


def overlay(actions: str) -> bytes:
    """An Overlay 1.0 document in YAML with the given `actions:` block."""
    return f"overlay: 1.0.0\ninfo: {{title: x, version: 1.0.0}}\nactions:{actions}\n".encode()


CASES: dict[str, Case] = {
    "missing-file": Case({}, spec_args("nope.yaml"), ["cannot read", "{dir}/nope.yaml"]),
    "spec-is-a-folder": Case({"folder/keep": b""}, spec_args("folder"), ["cannot read", "{dir}/folder"]),
    "not-utf8": Case({"s.json": b"\xff\xfe\x00{"}, spec_args("s.json"), ["not UTF-8", "{dir}/s.json"]),
    "invalid-json": Case(
        {"s.json": b'{"openapi": "3.1.0",'}, spec_args("s.json"), ["invalid JSON", "line 1", "{dir}/s.json"]
    ),
    "invalid-yaml": Case(
        {"s.yaml": b"openapi: 3.1.0\ninfo: [unclosed\n"}, spec_args("s.yaml"), ["YAML", "{dir}/s.yaml"]
    ),
    "plain-text": Case(
        {"s.txt": b"just some words\n"}, spec_args("s.txt"), ["not a JSON or YAML object", "{dir}/s.txt"]
    ),
    "empty-file": Case({"s.yaml": b""}, spec_args("s.yaml"), ["not a JSON or YAML object", "{dir}/s.yaml"]),
    "json-array": Case({"s.json": b"[1, 2]"}, spec_args("s.json"), ["not a JSON or YAML object", "{dir}/s.json"]),
    "swagger-2": Case(
        {"s.json": as_json({"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {}})},
        spec_args("s.json"),
        ["not an OpenAPI 3.0/3.1 document", "{dir}/s.json #/openapi", "Swagger 2.0"],
    ),
    "missing-openapi": Case(
        {"s.json": as_json({"info": {"title": "t", "version": "1"}, "paths": {}})},
        spec_args("s.json"),
        ["openapi field is missing", "{dir}/s.json #/openapi"],
    ),
    "no-info": Case(
        {"s.json": as_json({k: v for k, v in minimal_spec().items() if k != "info"})},
        spec_args("s.json"),
        ["no info object", "{dir}/s.json #/info"],
    ),
    "components-only-30": Case(
        {"s.yaml": b"openapi: 3.0.3\ninfo: {title: t, version: '1'}\ncomponents: {schemas: {A: {type: object}}}\n"},
        spec_args("s.yaml"),
        ["no paths object", "OpenAPI 3.0", "{dir}/s.yaml #/paths"],
    ),
    "paths-null-31": Case(
        {"s.json": as_json({**minimal_spec(), "paths": None})},
        spec_args("s.json"),
        ["no paths object", "3.1 §4.8.1", "{dir}/s.json #/paths"],
    ),
    "openapi-4": Case({"s.json": as_json({**minimal_spec(), "openapi": "4.0.0"})}, spec_args("s.json"), ["'4.0.0'"]),
    "broken-local-ref": Case(
        {"s.json": as_json(with_ref("#/components/schemas/Missing"))},
        spec_args("s.json"),
        [
            "'#/components/schemas/Missing' does not resolve",
            "{dir}/s.json #/paths/~1things/get/responses/200/content/application~1json/schema/$ref",
        ],
    ),
    "external-ref": Case(
        {"s.json": as_json(with_ref("other.yaml#/components/schemas/Thing"))},
        spec_args("s.json"),
        ["'other.yaml#/components/schemas/Thing' does not resolve", "{dir}/s.json #/paths/~1things", "bundle"],
    ),
    "duplicate-operation-id": Case(
        {"s.json": as_json(duplicate_ids())},
        spec_args("s.json"),
        [
            "operationId 'list_things' is used twice",
            "#/paths/~1things/get/operationId",
            "#/paths/~1other/post/operationId",
        ],
    ),
    "yaml-python-tag": Case(
        {"s.yaml": YAML_HEAD + b'x: !!python/object/apply:os.system ["true"]\n'},
        spec_args("s.yaml"),
        ["python/object/apply:os.system", "{dir}/s.yaml"],
    ),
    "yaml-alias-bomb": Case({"s.yaml": alias_bomb()}, spec_args("s.yaml"), ["YAML aliases", "{dir}/s.yaml #/x-bomb/"]),
    "yaml-alias-refers-to-itself": Case(
        {"s.yaml": YAML_HEAD + b"x-loop: &loop [1, *loop]\n"},
        spec_args("s.yaml"),
        ["contains itself", "{dir}/s.yaml #/x-loop/1"],
    ),
    "json-nested-too-deep": Case(
        {"s.json": b'{"openapi": "3.1.0", "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"},
        spec_args("s.json"),
        ["nests more than", "{dir}/s.json"],
    ),
    "json-nested-deeper-than-generators-go": Case(
        {"s.json": b'{"openapi": "3.1.0", "x": ' + b"[" * 400 + b"]" * 400 + b"}"},
        spec_args("s.json"),
        ["nests more than", "{dir}/s.json #/x/0/0"],
    ),
    "same-python-name": Case(
        {"s.json": as_json(python_name_clash())},
        spec_args("s.json"),
        ["both become the Python name 'get_thing'", "#/paths/~1things/get and", "#/paths/~1things~1other/get"],
    ),
    "unknown-overlay": Case(
        {"s.json": as_json(minimal_spec())},
        spec_args("s.json", "--overlay", "{dir}/missing-overlay.yaml"),
        ["overlay", "{dir}/missing-overlay.yaml"],
    ),
    "overlay-without-actions": Case(
        {"s.json": as_json(minimal_spec()), "o.yaml": overlay(" []")},
        spec_args("s.json", "--overlay", "{dir}/o.yaml"),
        ["actions", "{dir}/o.yaml #/actions"],
    ),
    "overlay-bad-jsonpath": Case(
        {
            "s.json": as_json(minimal_spec()),
            "o.yaml": b"overlay: 1.0.0\ninfo: {title: x, version: 1.0.0}\n"
            b'actions:\n  - target: "$.paths[?(@.x =="\n    update: {x: 1}\n',
        },
        spec_args("s.json", "--overlay", "{dir}/o.yaml"),
        ["invalid JSONPath", "{dir}/o.yaml #/actions/0"],
    ),
    "overlay-not-an-overlay": Case(
        {"s.json": as_json(minimal_spec()), "o.json": as_json(minimal_spec())},
        spec_args("s.json", "--overlay", "{dir}/o.json"),
        ["not an Overlay 1.x document", "{dir}/o.json #/overlay"],
    ),
    "overlay-action-without-update": Case(
        {"s.json": as_json(minimal_spec()), "o.yaml": overlay("\n  - target: \"$.paths['/things'].get\"")},
        spec_args("s.json", "--overlay", "{dir}/o.yaml"),
        ["update", "{dir}/o.yaml #/actions/0"],
    ),
    "overlay-action-without-target": Case(
        {"s.json": as_json(minimal_spec()), "o.yaml": overlay("\n  - update: {x: 1}")},
        spec_args("s.json", "--overlay", "{dir}/o.yaml"),
        ["target", "{dir}/o.yaml #/actions/0"],
    ),
    "overlay-is-a-folder": Case(
        {"s.json": as_json(minimal_spec()), "o.yaml/keep": b""},
        spec_args("s.json", "--overlay", "{dir}/o.yaml"),
        ["overlay", "{dir}/o.yaml"],
    ),
    "overlay-invalid-yaml": Case(
        {"s.json": as_json(minimal_spec()), "o.yaml": b"overlay: 1.0.0\nactions: [\n"},
        spec_args("s.json", "--overlay", "{dir}/o.yaml"),
        ["YAML", "{dir}/o.yaml"],
    ),
    "version-breaks-toml": Case(
        {"s.json": as_json(minimal_spec())},
        spec_args("s.json", "--version", '1.0"\n[tool.evil]\nx = "'),
        ["is not a usable package version"],
    ),
    "version-not-pep440": Case(
        {"s.json": as_json(minimal_spec())}, spec_args("s.json", "--version", "latest"), ["'latest' is not a usable"]
    ),
    "name-with-hyphen": Case(
        {"s.json": as_json(minimal_spec())}, spec_args("s.json", name="Acme-Corp"), ["'Acme-Corp'"]
    ),
    "name-is-keyword": Case({"s.json": as_json(minimal_spec())}, spec_args("s.json", name="class"), ["'class'"]),
    "name-empty": Case({"s.json": as_json(minimal_spec())}, spec_args("s.json", name=""), ["''"]),
}


def write_files(folder: Path, files: dict[str, bytes]) -> None:
    for relative, data in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def listing(folder: Path) -> dict[str, bytes | None]:
    """Every entry under folder (files with their bytes, folders as None)."""
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else None) for p in sorted(folder.rglob("*"))
    }


def check_failure(result: subprocess.CompletedProcess[str], expect: list[str], case_dir: Path) -> None:
    err = result.stderr
    assert result.returncode == 1, f"exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{err}"
    assert "Traceback" not in err, err
    starts = [i for i, line in enumerate(err.splitlines()) if line.startswith("error:")]
    assert len(starts) == 1, f"expected exactly one error message:\n{err}"
    error_block = "\n".join(err.splitlines()[starts[0] :])
    for text in expect:
        assert text.replace("{dir}", str(case_dir)) in error_block, f"{text!r} not in:\n{err}"
    assert "\n  next:" in error_block, f"no next: hint in:\n{err}"
    assert "nothing was changed" in err


@pytest.mark.parametrize("case_name", sorted(CASES))
@pytest.mark.parametrize("out_kind", ["existing", "absent"])
def test_bad_input_fails_cleanly_and_leaves_out_alone(case_name: str, out_kind: str, tmp_path: Path) -> None:
    case = CASES[case_name]
    case_dir = tmp_path / "case"
    case_dir.mkdir()
    write_files(case_dir, case.files)
    parent = tmp_path / "parent"
    parent.mkdir()
    out = parent / "out"
    if out_kind == "existing":
        write_files(
            out,
            {
                "sentinel.txt": b"keep me\n",
                "acme-client/old.py": "# generated by codegen from s.json — do not edit\n".encode(),
            },
        )
    before_parent = listing(parent)
    before_case = listing(case_dir)

    result = run_codegen("generate", *case.args(case_dir), "--out", str(out))

    check_failure(result, case.expect, case_dir)
    assert listing(parent) == before_parent, "the --out folder (or its parent) changed"
    assert listing(case_dir) == before_case, "the input folder changed"
    if out_kind == "absent":
        assert not out.exists()


def test_out_that_is_a_file_fails_cleanly(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    out.write_bytes(b"not a folder\n")
    result = run_codegen("generate", "--spec", str(VALID), "--out", str(out), "--name", "acme")
    check_failure(result, ["not a folder", str(out)], tmp_path)
    assert out.read_bytes() == b"not a folder\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_out_below_a_file_fails_cleanly(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_bytes(b"x")
    out = blocker / "out"
    result = run_codegen("generate", "--spec", str(VALID), "--out", str(out), "--name", "acme")
    check_failure(result, ["not a folder", str(blocker)], tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_a_valid_run_still_succeeds_after_a_failed_one(tmp_path: Path) -> None:
    """The negative cases above fail for their input, not because the CLI cannot run at all."""
    out = tmp_path / "out"
    write_files(out, {"sentinel.txt": b"keep me\n"})
    bad = run_codegen("generate", "--spec", str(tmp_path / "missing.json"), "--out", str(out), "--name", "acme")
    assert bad.returncode == 1
    good = run_codegen("generate", "--spec", str(VALID), "--out", str(out), "--name", "acme")
    assert good.returncode == 0, good.stderr
    assert (out / "sentinel.txt").read_bytes() == b"keep me\n"
    assert (out / "acme-client" / "acme_client" / "__init__.py").is_file()


def test_names_too_long_for_a_file_name_never_crash(tmp_path: Path) -> None:
    """A 300-character title or operationId becomes a file name longer than file systems allow.

    Generating may succeed (if a transform shortens it) or fail with one clear message; never a traceback,
    and a failure leaves --out as it was.
    """
    long = "Very" + "long" * 75
    doc = minimal_spec(components={"schemas": {long: {"type": "object", "title": long, "properties": {"a": {}}}}})
    doc["paths"]["/things"]["get"]["operationId"] = long.lower()
    response = doc["paths"]["/things"]["get"]["responses"]["200"]
    response["content"]["application/json"]["schema"] = {"$ref": f"#/components/schemas/{long}"}
    spec = tmp_path / "long.json"
    spec.write_bytes(as_json(doc))
    out = tmp_path / "out"
    write_files(out, {"sentinel.txt": b"keep me\n"})
    result = run_codegen("generate", "--spec", str(spec), "--out", str(out), "--name", "acme")
    assert result.returncode in (0, 1), result.stderr
    if result.returncode == 1:
        check_failure(result, ["File name too long"], tmp_path)
        assert listing(out) == {"sentinel.txt": b"keep me\n"}
    else:
        assert (out / "acme-client" / "acme_client" / "__init__.py").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["long.json", "out"]


def test_an_overlay_can_fix_what_the_checks_reject(tmp_path: Path) -> None:
    """The hints say "an overlay can do it": checks run after overlays, so it can."""
    spec = tmp_path / "s.json"
    spec.write_bytes(as_json(duplicate_ids()))
    fix = tmp_path / "fix.yaml"
    fix.write_bytes(overlay("\n  - target: \"$.paths['/other'].post\"\n    update: {operationId: create_other}"))
    out = tmp_path / "out"
    result = run_codegen("generate", "--spec", str(spec), "--out", str(out), "--name", "acme", "--overlay", str(fix))
    assert result.returncode == 0, result.stderr
    assert "generated 2 of 2 operations" in result.stderr
    # the renamed operation is `client.other.create()`, and the mock's handler `create_other`
    assert "def create(" in (out / "acme-client" / "acme_client" / "resources" / "other.py").read_text(encoding="utf-8")
    assert "create_other" in json.loads((out / "acme-mock" / "acme_mock" / "mock_data.json").read_bytes())["operations"]


def test_generate_refuses_to_replace_a_package_folder_holding_files_it_did_not_write(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = run_codegen("generate", "--spec", str(VALID), "--out", str(out), "--name", "acme")
    assert first.returncode == 0, first.stderr
    mine = out / "acme-client" / "tests" / "test_mine.py"
    mine.parent.mkdir()
    mine.write_text("def test_mine() -> None: ...\n", encoding="utf-8")
    beside = out / "notes.txt"  # beside the packages: not codegen's, never touched
    beside.write_text("mine\n", encoding="utf-8")
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    again = run_codegen("generate", "--spec", str(VALID), "--out", str(out), "--name", "acme")
    assert again.returncode == 1
    assert "acme-client/tests/test_mine.py" in again.stderr and "Traceback" not in again.stderr
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    mine.unlink()
    assert run_codegen("generate", "--spec", str(VALID), "--out", str(out), "--name", "acme").returncode == 0
    assert beside.read_text(encoding="utf-8") == "mine\n"
    assert sorted(p.name for p in out.iterdir()) == ["acme-client", "acme-mock", "acme.openapi.json", "notes.txt"]


def test_a_name_clash_is_cured_by_an_overlay_naming_one_operation(tmp_path: Path) -> None:
    """The README's rename (`x-codegen-name` from an overlay) settles a clash the checks refuse."""
    (tmp_path / "s.json").write_bytes(as_json(python_name_clash()))
    actions = "\n  - target: \"$.paths['/things/other'].get\"\n    update: {x-codegen-name: get_other_thing}"
    (tmp_path / "rename.yaml").write_bytes(overlay(actions))
    out = tmp_path / "out"
    args = ["generate", "--spec", str(tmp_path / "s.json"), "--out", str(out), "--name", "acme"]
    refused = run_codegen(*args)
    assert refused.returncode == 1 and "x-codegen-name" in refused.stderr
    result = run_codegen(*args, "--overlay", str(tmp_path / "rename.yaml"))
    assert result.returncode == 0, result.stderr
    # untagged: both in `client.things` (by path segment), as `get-thing` and the overlay's `get_other_thing`
    resource = (out / "acme-client" / "acme_client" / "resources" / "things.py").read_text(encoding="utf-8")
    assert "def get_thing(" in resource and "def get_other_thing(" in resource
