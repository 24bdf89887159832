"""The pinned spec and its lock file: fetch or read, validate, write both atomically, verify.

Two environment variables tune fetching (tests use them to stay fast):
CODEGEN_FETCH_TIMEOUT  seconds for the whole fetch, connect to last byte (default 30);
CODEGEN_MAX_SPEC_BYTES size limit of a fetched or read document in bytes (default 64 MiB).
"""

from __future__ import annotations

import datetime
import functools
import importlib.util
import json
import math
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from codegen.checks import check_refs
from codegen.document import MAX_DOCUMENT_BYTES, canonical_json, openapi_version, parse_document, pointer
from codegen.errors import CodegenError
from codegen.fingerprint import TOOL_ROOT, sha256_bytes
from codegen.fsutil import kill_for_test, sync_folder, write_synced

FETCH_TIMEOUT_SECONDS = 30.0
FETCH_TIMEOUT_ENV = "CODEGEN_FETCH_TIMEOUT"
MAX_BYTES_ENV = "CODEGEN_MAX_SPEC_BYTES"
# Test hook: SIGKILL the process inside write_pin (see test_pin.py): "1" right after the commit point (the
# lock's rename), "before-commit" just before it, "after-first-extra" once the first extra file is in place.
KILL_HOOK_ENV = "CODEGEN_TEST_KILL_BETWEEN_PIN_RENAMES"


def _test_kill(point: str) -> None:
    kill_for_test(KILL_HOOK_ENV, point)


def _env_number(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise CodegenError(
            f"{name}={raw!r} is not a positive number", hint=f"set a positive number or unset it (default {default:g})"
        )
    return value


def fetch_timeout() -> float:
    """Seconds allowed for a whole fetch: CODEGEN_FETCH_TIMEOUT, else 30."""
    return _env_number(FETCH_TIMEOUT_ENV, FETCH_TIMEOUT_SECONDS)


def max_spec_bytes() -> int:
    """Size limit of a spec document: CODEGEN_MAX_SPEC_BYTES, else 64 MiB."""
    return int(_env_number(MAX_BYTES_ENV, MAX_DOCUMENT_BYTES))


@functools.cache
def _url_rules() -> Any:
    """The generated client's URL rules (templates/client/runtime/_urls.py, standard library only), loaded
    from their file: one rule decides which query values are secret, in the lock file and in every message
    an SDK prints (`?token=…`, `api_key`, a signed URL's `X-Amz-Signature`)."""
    path = Path(TOOL_ROOT) / "templates" / "client" / "runtime" / "_urls.py"
    spec = importlib.util.spec_from_file_location("codegen_runtime_urls", path)
    assert spec is not None and spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def public_url(url: str) -> str:
    """The URL without user:password or secret query values, for messages and the lock file (which is committed)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    host = parts.netloc.rpartition("@")[2]
    query = "&".join(_redacted(pair) for pair in parts.query.split("&")) if parts.query else ""
    if host == parts.netloc and query == parts.query:
        return url
    return urlunsplit(parts._replace(netloc=host, query=query))


def _redacted(pair: str) -> str:
    name, equals, value = pair.partition("=")
    secret = equals and value and _url_rules().secret_query_name(unquote(name))
    return f"{name}=REDACTED" if secret else pair


@dataclass(frozen=True)
class Lock:
    source: str
    sha256: str
    size: int
    fetched_at: str
    validator: dict[str, str]

    def as_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "sha256": self.sha256,
            "size": self.size,
            "fetched_at": self.fetched_at,
            "validator": self.validator,
        }


def read_lock(lock_path: Path) -> Lock:
    try:
        data = json.loads(lock_path.read_text(encoding="utf-8"))
        return Lock(
            source=str(data["source"]),
            sha256=str(data["sha256"]),
            size=int(data["size"]),
            fetched_at=str(data["fetched_at"]),
            validator=dict(data["validator"]),
        )
    except FileNotFoundError:
        raise CodegenError(
            "the spec has no lock file",
            where=str(lock_path),
            hint="pin the spec with `make update-spec SPEC_FILE=...` or `SPEC_URL=...`",
        ) from None
    except (ValueError, KeyError, TypeError) as exc:
        raise CodegenError(
            f"the lock file is damaged ({exc})",
            where=str(lock_path),
            hint="restore it with `git checkout spec/`, or re-pin from the same source with `make update-spec`",
        ) from None


def _matches(data: bytes, lock: Lock) -> bool:
    return len(data) == lock.size and sha256_bytes(data) == lock.sha256


def pending_path(path: Path, folder: Path | None = None) -> Path:
    """Where write_pin puts the new bytes of `path` before renaming them into place (in `folder`, default beside it)."""
    return (folder or path.parent) / f".{path.name}.pending"


def write_pin(
    spec_path: Path, lock_path: Path, data: bytes, lock: bytes, extras: dict[Path, bytes] | None = None
) -> None:
    """Write the pin, its lock and `extras` (the changelog, pyproject.toml) so that a crash leaves all old or all new.

    Every file is written in full (and synced) under a pending name in the spec's folder, the lock last;
    then the lock is renamed into place, which is the commit point, then the extras, then the spec. A crash
    before the commit leaves the old files and stray pending ones; a crash after it leaves the new lock with
    the new spec (and any extras not yet renamed) waiting beside it. recover_pin discards the first and
    completes the second: the spec matches its lock only once everything is in place.
    """
    extras = extras or {}
    folder = spec_path.parent
    for path, content in extras.items():
        write_synced(pending_path(path, folder), content)
    pending_spec, pending_lock = pending_path(spec_path), pending_path(lock_path)
    write_synced(pending_spec, data)
    write_synced(pending_lock, lock)
    _test_kill("before-commit")
    os.replace(pending_lock, lock_path)
    _test_kill("1")
    for path in extras:
        os.replace(pending_path(path, folder), path)
        sync_folder(path.parent)
        _test_kill("after-first-extra")
    os.replace(pending_spec, spec_path)
    sync_folder(folder)


def recover_pin(spec_path: Path, lock_path: Path, extras: tuple[Path, ...] = ()) -> str | None:
    """Finish or discard what an interrupted write_pin left behind; a line saying which, or None."""
    folder = spec_path.parent
    pending_spec, pending_lock = pending_path(spec_path), pending_path(lock_path)
    pending_extras = {path: pending_path(path, folder) for path in extras}
    if not any(p.exists() for p in (pending_spec, pending_lock, *pending_extras.values())):
        return None
    try:
        lock: Lock | None = read_lock(lock_path)
    except CodegenError:
        lock = None
    if lock is None:
        return None  # verify_pin explains
    current = spec_path.read_bytes() if spec_path.exists() else None
    if current is not None and _matches(current, lock):
        for stray in (pending_spec, pending_lock, *pending_extras.values()):
            stray.unlink(missing_ok=True)
        return f"codegen: removed the unfinished files of an interrupted update-spec; {spec_path.name} is unchanged"
    if not pending_lock.exists() and pending_spec.exists() and _matches(pending_spec.read_bytes(), lock):
        for path, pending in pending_extras.items():
            if pending.exists():
                os.replace(pending, path)
                sync_folder(path.parent)
        os.replace(pending_spec, spec_path)
        sync_folder(folder)
        return f"codegen: completed an interrupted update-spec: {spec_path.name} now matches its lock"
    return None


def verify_pin(spec_path: Path, lock_path: Path) -> bytes:
    """The pinned bytes, after checking them against the lock's sha256 and size."""
    lock = read_lock(lock_path)
    try:
        data = spec_path.read_bytes()
    except FileNotFoundError:
        raise CodegenError(
            "the pinned spec is missing", where=str(spec_path), hint="restore it with `git checkout spec/`"
        ) from None
    actual = sha256_bytes(data)
    if actual != lock.sha256 or len(data) != lock.size:
        raise CodegenError(
            f"the pinned spec does not match its lock (sha256 {actual[:12]}…, lock says {lock.sha256[:12]}…)",
            where=str(spec_path),
            hint="never edit the pin by hand: restore it with `git checkout spec/`, put fixes in spec/overlays/, "
            "or re-pin with `make update-spec`",
        )
    return data


def fetch(url: str, timeout: float | None = None, max_bytes: int | None = None) -> bytes:
    """GET url with TLS verified, a timeout for the whole fetch and a size limit; every failure is a CodegenError.

    httpx's timeouts bound each network operation, not the total (a server sending a byte a second, or a
    hanging DNS lookup, would never trip them), so the fetch runs in a daemon thread joined with a deadline.
    """
    timeout = fetch_timeout() if timeout is None else timeout
    max_bytes = max_spec_bytes() if max_bytes is None else max_bytes
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["data"] = _fetch(url, timeout, max_bytes)
        except BaseException as exc:  # handed to the caller's thread below
            outcome["error"] = exc

    worker = threading.Thread(target=work, name="codegen-fetch", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise _timed_out(url, timeout)
    if "error" in outcome:
        raise outcome["error"]
    data: bytes = outcome["data"]
    return data


def _timed_out(url: str, timeout: float) -> CodegenError:
    return CodegenError(
        f"no complete answer within {timeout:g} s", where=public_url(url), hint="try again later, or use SPEC_FILE="
    )


def _fetch(url: str, timeout: float, max_bytes: int) -> bytes:
    import httpx

    where = public_url(url)
    chunks: list[bytes] = []
    received = 0
    try:
        with httpx.stream("GET", url, timeout=timeout, follow_redirects=True, verify=True) as response:
            if urlsplit(url).scheme.lower() == "https" and response.url.scheme != "https":
                raise CodegenError(
                    f"redirected from https to {public_url(str(response.url))}: refusing to fetch without TLS",
                    where=where,
                    hint="use the https address the document really lives at, or use SPEC_FILE=",
                )
            if response.status_code >= 400:
                raise CodegenError(
                    f"the server answered HTTP {response.status_code}",
                    where=where,
                    hint="check SPEC_URL, or pin from a file with SPEC_FILE=",
                )
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise _too_large(where, int(declared), max_bytes)
            for chunk in response.iter_bytes():
                received += len(chunk)
                if received > max_bytes:
                    raise _too_large(where, received, max_bytes)
                chunks.append(chunk)
    except httpx.TimeoutException:
        raise _timed_out(url, timeout) from None
    except httpx.InvalidURL as exc:
        raise CodegenError(f"not a usable URL: {exc}", where=where, hint="check SPEC_URL") from None
    except httpx.HTTPError as exc:
        if "CERTIFICATE_VERIFY_FAILED" in str(exc):
            raise CodegenError(
                f"the server's TLS certificate could not be verified: {exc}",
                where=where,
                hint="TLS is always verified: fix the server's certificate, add its CA to SSL_CERT_FILE, "
                "or download the document and use SPEC_FILE=",
            ) from None
        raise CodegenError(
            f"cannot fetch the spec: {exc}", where=where, hint="check the URL and network, or use SPEC_FILE="
        ) from None
    return b"".join(chunks)


def _too_large(where: str, size: int, limit: int) -> CodegenError:
    return CodegenError(
        f"the document is over the {limit:,}-byte limit ({size:,} bytes)",
        where=where,
        hint=f"raise the limit with {MAX_BYTES_ENV}=<bytes> if the document is genuine",
    )


def _refuse_retrieval(uri: str) -> Any:
    """The validator's only way to read a referenced resource: it reads none (codegen fetches no file or URL)."""
    from referencing.exceptions import NoSuchResource

    raise NoSuchResource(uri)


def offline_validate(doc: dict[str, Any]) -> None:
    """openapi-spec-validator over `doc` with a reference registry that holds the document alone and retrieves
    nothing: a reference outside it raises referencing's Unresolvable instead of being fetched (the library's
    default handlers would read `file:` and `http(s):` URLs). Raises the validator's own errors."""
    from jsonschema_path import SchemaPath
    from jsonschema_path.accessors import SchemaAccessor
    from openapi_spec_validator.settings import OpenAPISpecValidatorSettings
    from openapi_spec_validator.shortcuts import get_validator_cls
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    registry: Registry[Any] = Registry(retrieve=_refuse_retrieval)  # type: ignore[call-arg]
    registry = registry.with_resource("", DRAFT202012.create_resource(doc))
    cache = OpenAPISpecValidatorSettings().resolved_cache_maxsize  # as the library's own validate() sizes it
    accessor = SchemaAccessor(doc, registry.resolver(base_uri=""), resolved_cache_maxsize=cache)
    get_validator_cls(doc)(SchemaPath(accessor)).validate()


def validate_openapi(doc: dict[str, Any], source: str) -> dict[str, str]:
    """Full validation with openapi-spec-validator, which reads nothing outside the document (offline_validate);
    the verdict recorded in the lock."""
    from importlib.metadata import version

    from openapi_spec_validator.validation.exceptions import OpenAPIValidationError
    from referencing.exceptions import Unresolvable

    openapi_version(doc, source)
    check_refs(doc, source)  # the validator cannot say where a reference points outside the document
    try:
        offline_validate(doc)
    except RecursionError:  # its property checks follow allOf/oneOf through $ref without noticing a cycle
        return _validate_against_schema(doc, source)
    except Unresolvable as exc:
        raise CodegenError(
            f"not a valid OpenAPI document: a reference does not resolve within it ({exc})",
            where=source,
            hint="every reference must be a `#/…` JSON pointer into the document; codegen reads no file or URL",
        ) from None
    except OpenAPIValidationError as exc:
        where = pointer(*(getattr(exc, "absolute_path", None) or []))
        raise CodegenError(
            f"not a valid OpenAPI document: {getattr(exc, 'message', str(exc)).splitlines()[0]}",
            where=f"{source} {where}",
            hint="ask the vendor to fix it, or pin a corrected copy with SPEC_FILE=",
        ) from None
    return {"name": "openapi-spec-validator", "version": version("openapi-spec-validator"), "verdict": "valid"}


SCHEMA_ONLY_VERDICT = (
    "valid against the OpenAPI schema (schema-level checks skipped: a cycle through allOf/anyOf/oneOf)"
)


def _validate_against_schema(doc: dict[str, Any], source: str) -> dict[str, str]:
    """The document checked against the JSON Schema of its OpenAPI version (3.0 or 3.1) alone, for documents
    whose schemas cycle through allOf/anyOf/oneOf, where the validator's own schema checks recurse without end."""
    from importlib.metadata import version

    from jsonschema.exceptions import best_match  # type: ignore[import-untyped]
    from openapi_spec_validator.schemas import openapi_v30_schema_validator, openapi_v31_schema_validator

    is_31 = openapi_version(doc, source).startswith("3.1")
    error = best_match((openapi_v31_schema_validator if is_31 else openapi_v30_schema_validator).iter_errors(doc))
    if error is not None:
        raise CodegenError(
            f"not a valid OpenAPI document: {error.message.splitlines()[0]}",
            where=f"{source} {pointer(*error.absolute_path)}",
            hint="ask the vendor to fix it, or pin a corrected copy with SPEC_FILE=",
        )
    verdict = SCHEMA_ONLY_VERDICT
    return {"name": "openapi-spec-validator", "version": version("openapi-spec-validator"), "verdict": verdict}


def pin_bytes(raw: bytes, doc: dict[str, Any]) -> bytes:
    """JSON input is pinned byte for byte; YAML (or a page embedding it) is pinned as its JSON form."""
    try:
        json.loads(raw.decode("utf-8-sig"))
        return raw
    except ValueError:
        return canonical_json(doc)


def read_source(url: str | None, file: Path | None) -> tuple[bytes, str]:
    """The new document's bytes and its name for messages (the path as given, or the URL without credentials)."""
    if file is not None:
        limit = max_spec_bytes()
        try:
            size = file.stat().st_size
            if size > limit:
                raise _too_large(str(file), size, limit)
            return file.read_bytes(), str(file)
        except OSError as exc:
            raise CodegenError(f"cannot read {file}: {exc.strerror}", where=str(file)) from None
    if not url:
        raise CodegenError(
            "no spec source", hint="pass SPEC_URL=... or SPEC_FILE=... (or set spec_url in [tool.codegen])"
        )
    return fetch(url), public_url(url)


LOCAL_FILE = "local file: "


def recorded_source(url: str | None, file: Path | None, root: Path) -> str:
    """What the lock says the spec came from, meaningful to the next reader of the repository.

    A URL without its credentials; a file inside the project as its path relative to the project
    (`spec/incoming/openapi.json`); any other file as `local file: NAME`, since a path on the machine
    that ran the update (a temporary folder, a home directory) tells nobody anything.
    """
    if file is None:
        return public_url(url or "")
    try:
        return file.resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError):
        return LOCAL_FILE + file.name


@dataclass(frozen=True)
class PinResult:
    changed: bool
    data: bytes
    lock: Lock


def prepare_pin(raw: bytes, source: str, spec_path: Path, lock_path: Path, record_as: str | None = None) -> PinResult:
    """Validate new input and decide whether it changes the pin; writes nothing.

    `source` names the input in messages; the lock records `record_as` (recorded_source), else `source`.
    """
    doc = parse_document(raw, source)
    validator = validate_openapi(doc, source)
    data = pin_bytes(raw, doc)
    digest = sha256_bytes(data)
    current = spec_path.read_bytes() if spec_path.exists() else None
    if current is not None and sha256_bytes(current) == digest:
        try:
            existing: Lock | None = read_lock(lock_path)
        except CodegenError:
            existing = None  # missing or damaged: re-pin, which repairs it
        if existing is not None and _matches(current, existing):
            return PinResult(changed=False, data=data, lock=existing)
    fetched_at = datetime.datetime.now(datetime.UTC).replace(microsecond=0).isoformat()
    lock = Lock(source=record_as or source, sha256=digest, size=len(data), fetched_at=fetched_at, validator=validator)
    return PinResult(changed=True, data=data, lock=lock)


def lock_bytes(lock: Lock) -> bytes:
    return (json.dumps(lock.as_json(), indent=2) + "\n").encode("utf-8")
