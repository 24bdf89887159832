"""The pinned spec and its lock file: fetch or read, validate, write both atomically, verify."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from codegen.document import MAX_DOCUMENT_BYTES, canonical_json, openapi_version, parse_document
from codegen.errors import CodegenError
from codegen.hashing import sha256_bytes

FETCH_TIMEOUT_SECONDS = 30.0


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
            f"the lock file is damaged ({exc})", where=str(lock_path), hint="restore it with `git checkout spec/`"
        ) from None


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


def fetch(url: str, timeout: float = FETCH_TIMEOUT_SECONDS, max_bytes: int = MAX_DOCUMENT_BYTES) -> bytes:
    """GET url with TLS verified, a timeout and a size limit; every failure is a CodegenError."""
    import httpx

    chunks: list[bytes] = []
    received = 0
    try:
        with httpx.stream("GET", url, timeout=timeout, follow_redirects=True, verify=True) as response:
            if response.status_code >= 400:
                raise CodegenError(
                    f"the server answered HTTP {response.status_code}",
                    where=url,
                    hint="check SPEC_URL, or pin from a file with SPEC_FILE=",
                )
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise _too_large(url, int(declared), max_bytes)
            for chunk in response.iter_bytes():
                received += len(chunk)
                if received > max_bytes:
                    raise _too_large(url, received, max_bytes)
                chunks.append(chunk)
    except httpx.TimeoutException:
        raise CodegenError(f"no answer within {timeout:g} s", where=url, hint="try again later, or use SPEC_FILE=") from None
    except httpx.HTTPError as exc:
        raise CodegenError(
            f"cannot fetch the spec: {exc}", where=url, hint="check the URL and network, or use SPEC_FILE="
        ) from None
    return b"".join(chunks)


def _too_large(url: str, size: int, limit: int) -> CodegenError:
    return CodegenError(f"the document is over the {limit:,}-byte limit ({size:,} bytes)", where=url)


def validate_openapi(doc: dict[str, Any], source: str) -> dict[str, str]:
    """Full validation with openapi-spec-validator; the verdict recorded in the lock."""
    from importlib.metadata import version

    from openapi_spec_validator import validate
    from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

    openapi_version(doc, source)
    try:
        validate(doc)
    except OpenAPIValidationError as exc:
        where = "#/" + "/".join(str(p) for p in getattr(exc, "absolute_path", []) or [])
        raise CodegenError(
            f"not a valid OpenAPI document: {getattr(exc, 'message', str(exc)).splitlines()[0]}",
            where=f"{source} {where}",
            hint="ask the vendor to fix it, or pin a corrected copy with SPEC_FILE=",
        ) from None
    return {"name": "openapi-spec-validator", "version": version("openapi-spec-validator"), "verdict": "valid"}


def pin_bytes(raw: bytes, doc: dict[str, Any]) -> bytes:
    """JSON input is pinned byte for byte; YAML (or a page embedding it) is pinned as its JSON form."""
    try:
        json.loads(raw.decode("utf-8-sig"))
        return raw
    except ValueError:
        return canonical_json(doc)


def read_source(url: str | None, file: Path | None) -> tuple[bytes, str]:
    if file is not None:
        try:
            return file.read_bytes(), str(file)
        except OSError as exc:
            raise CodegenError(f"cannot read {file}: {exc.strerror}", where=str(file)) from None
    if not url:
        raise CodegenError("no spec source", hint="pass SPEC_URL=... or SPEC_FILE=... (or set spec_url in [tool.codegen])")
    return fetch(url), url


@dataclass(frozen=True)
class PinResult:
    changed: bool
    data: bytes
    lock: Lock


def prepare_pin(raw: bytes, source: str, spec_path: Path, lock_path: Path) -> PinResult:
    """Validate new input and decide whether it changes the pin; writes nothing."""
    doc = parse_document(raw, source)
    validator = validate_openapi(doc, source)
    data = pin_bytes(raw, doc)
    digest = sha256_bytes(data)
    current = spec_path.read_bytes() if spec_path.exists() else None
    if current is not None and sha256_bytes(current) == digest and lock_path.exists():
        return PinResult(changed=False, data=data, lock=read_lock(lock_path))
    fetched_at = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat()
    lock = Lock(source=source, sha256=digest, size=len(data), fetched_at=fetched_at, validator=validator)
    return PinResult(changed=True, data=data, lock=lock)


def lock_bytes(lock: Lock) -> bytes:
    return (json.dumps(lock.as_json(), indent=2) + "\n").encode("utf-8")
