"""The 289 test documents of peer generators (../shared/peer-specs) through the generic CLI: `make peer-specs`.

Which documents are valid is decided by a rule, not a list: openapi-spec-validator (the validator
`make update-spec` records in the lock) accepts the document as our loader reads it. A valid document
must generate in full (tests/corpus_helpers.py: every operation, every module imports, ruff E9/F clean).
An invalid one may generate in full too (the pipeline mends some kinds of invalid input, such as a
default that does not fit its type); otherwise it must be refused with one clear error: exit 1, no
traceback, exactly one `error:` line, and a `where:` naming the user's file and a JSON pointer in it
(or, for text that is not JSON or YAML, the line and column in the error).

Runs only with --peer-specs; EXPECTED_FAILURES are strict xfails, so that a fix shows up.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import SHARED
from corpus_helpers import assert_generated_in_full, generate, read_list

PEERS = SHARED / "peer-specs"
LIST_FILE = PEERS / "list.txt"
PEER_LIST = read_list(LIST_FILE)

# Documents that fail today, with the reason (issue 13's numbering of kinds): strict xfail, so that a fix
# shows up. None today: the 28 that failed before issue 13 (boolean schemas, 3.1 without `paths`, object
# `const`, raw parser text, an allOf cycle, unfit defaults, `content` parameters) now pass.
EXPECTED_FAILURES: dict[str, str] = {}


def verdict(path: Path) -> str | None:
    """None if the document is valid, else why not: openapi-spec-validator rejects it, or a `$ref` in it
    does not resolve (the validator does not follow every one)."""
    from codegen.document import parse_document
    from codegen.errors import CodegenError
    from openapi_spec_validator import validate
    from openapi_spec_validator.validation.exceptions import OpenAPIValidationError
    from referencing.exceptions import Unresolvable

    try:
        doc = parse_document(path.read_bytes(), str(path))
        validate(doc)
    except CodegenError as exc:
        return exc.what
    except (OpenAPIValidationError, Unresolvable) as exc:
        return f"{type(exc).__name__}: {str(getattr(exc, 'message', exc)).splitlines()[0]}"
    except RecursionError:
        pass  # the validator recurses without end on some valid 3.1 cycles (issue 13, kind 11)
    broken = broken_reference(doc)
    return f"$ref {broken!r} does not resolve to an object" if broken else None


def broken_reference(doc: dict[str, Any]) -> str | None:
    """The first `$ref` that is not a local reference resolving in `doc` (RFC 6901, percent-decoded as its
    §6 says for URI fragments, by the `referencing` library the validator uses), or that starts a chain
    of bare references that comes back to itself (it never reaches an object), if any."""
    from referencing import Registry, Resource
    from referencing.exceptions import Unresolvable
    from referencing.jsonschema import DRAFT202012

    resource = Resource.from_contents(doc, default_specification=DRAFT202012)
    resolver = Registry().with_resource("urn:document", resource).resolver(base_uri="urn:document")
    stack: list[Any] = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref, seen = node.get("$ref"), set()
            while isinstance(ref, str) and ref not in seen:
                seen.add(ref)
                try:
                    target = resolver.lookup(ref if ref.startswith("#") else f"#{ref}-is-not-local").contents
                except Unresolvable:
                    return str(ref)
                bare = isinstance(target, dict) and set(target) <= {"$ref", "summary", "description"}
                ref = target.get("$ref") if bare else None
            if isinstance(ref, str):
                return str(node["$ref"])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return None


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "peer" not in metafunc.fixturenames:
        return
    if not metafunc.config.getoption("--peer-specs"):
        skip = pytest.mark.skip(reason="the 289 peer documents run with --peer-specs (make peer-specs)")
        metafunc.parametrize("peer", [pytest.param("", id="peer-specs", marks=skip)])
        return
    params = []
    for name in PEER_LIST:
        marks: list[Any] = []
        if name in EXPECTED_FAILURES:
            marks.append(pytest.mark.xfail(reason=EXPECTED_FAILURES[name], strict=True))
        params.append(pytest.param(name, id=name, marks=marks))
    metafunc.parametrize("peer", params)


@pytest.mark.skipif(not LIST_FILE.is_file(), reason=f"no peer documents at {PEERS}")
def test_peer_list_names_289_readable_files() -> None:
    assert len(PEER_LIST) == len(set(PEER_LIST)) == 289
    assert all((PEERS / name).is_file() for name in PEER_LIST)
    assert set(EXPECTED_FAILURES) <= set(PEER_LIST)


def test_peer_document(peer: str, tmp_path: Path) -> None:
    path, out = PEERS / peer, tmp_path / "out"
    invalid = verdict(path)
    result = generate(path, peer, out)
    if invalid is None or result.returncode == 0:
        assert_generated_in_full(result, peer, out)
    else:
        assert_one_clear_error(result, path, invalid)


def assert_one_clear_error(result: subprocess.CompletedProcess[str], path: Path, invalid: str) -> None:
    """Exit 1, no traceback, one `error:` line, and `where:` naming `path` and a JSON pointer in it."""
    lines = result.stderr.splitlines()
    context = f"invalid ({invalid}); stderr:\n{result.stderr[-3000:]}"
    assert result.returncode == 1 and "Traceback" not in result.stderr, context
    errors = [line for line in lines if line.startswith("error:")]
    assert len(errors) == 1, context
    where = [line.removeprefix("  where: ") for line in lines if line.startswith("  where: ")]
    assert len(where) == 1, context
    pointed = re.fullmatch(re.escape(str(path)) + r"( \(after [a-z ]+\))? #/.*", where[0])
    at_line = where[0] == str(path) and re.search(r"\(line \d+, column \d+\)", errors[0])
    assert pointed or at_line, context
