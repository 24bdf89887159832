"""The transport under both clients: building requests, credentials, retries, errors, raw responses."""

from __future__ import annotations

import base64
import copy
import logging
import math
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from enum import Enum
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast
from urllib.parse import quote

import httpx

from . import _serialization
from ._exceptions import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    MissingCredentialError,
    status_error_class,
)
from ._names import DISTRIBUTION, PACKAGE, VERSION, ErrorRoot
from .types import UNSET, Unset, to_json

if TYPE_CHECKING:
    from typing_extensions import ParamSpec

    from .pagination import AsyncPaginator, PageSpec

    P = ParamSpec("P")

T = TypeVar("T")
M = TypeVar("M")
C = TypeVar("C", bound="BaseClient")

log = logging.getLogger(PACKAGE)

DEFAULT_TIMEOUT = 60.0
DEFAULT_MAX_RETRIES = 2
INITIAL_RETRY_DELAY = 0.5  # seconds before the first retry; doubles each time
MAX_RETRY_DELAY = 8.0
MAX_RETRY_AFTER = 60.0  # a server's Retry-After is honoured up to this many seconds
USER_AGENT = f"{DISTRIBUTION}/{VERSION}"


class Operation:
    """What the transport needs to know about one API operation; one per operation, built at import."""

    __slots__ = ("errors", "idempotent", "method", "name", "page", "parse", "path", "response", "security", "styles")

    def __init__(
        self,
        method: str,
        path: str,
        *,
        name: str,
        security: tuple[tuple[int, ...], ...] = (),
        idempotent: bool = False,
        response: str = "json",
        parse: Callable[[Any], Any] | None = None,
        page: PageSpec | None = None,
        errors: Mapping[int, Callable[[Any], Any]] | None = None,
        styles: Mapping[tuple[str, str], _serialization.Param] | None = None,
    ) -> None:
        self.method = method
        self.path = path  # template: "{name}" placeholders are filled from path parameters
        self.name = name
        self.security = security  # alternatives, each a tuple of scheme indices sent together
        self.idempotent = idempotent  # safe to retry after the server may have seen the request
        self.response = response  # json | bytes | text | none
        self.parse = parse  # decodes the JSON body; None keeps it as parsed
        self.page = page
        self.errors = errors or {}  # status → decoder of the error body the spec declares
        self.styles = styles  # (location, name) → how a parameter not sent the plain way is serialised


class Scheme:
    """A security scheme: where its credential goes and which constructor arguments fill it."""

    __slots__ = ("args", "envs", "key", "kind")

    def __init__(self, kind: str, key: str, args: tuple[str, ...], envs: tuple[str, ...]) -> None:
        self.kind = kind  # header | query | cookie | bearer (any `Authorization: <key> …` scheme) | basic
        self.key = key
        self.args = args
        self.envs = envs


class Secret(Generic[T]):
    """A credential (or what is built from credentials) that never shows in repr, str or logs."""

    __slots__ = ("_value",)

    def __init__(self, value: T) -> None:
        self._value = value

    def get(self) -> T:
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__


class APIResponse(Generic[T]):
    """An HTTP response with its body parsed on demand, from `.with_raw_response.<method>(...)`."""

    def __init__(self, http_response: httpx.Response, parse: Callable[[httpx.Response], T]) -> None:
        self.http_response = http_response
        self._parse = parse
        self._parsed: tuple[T] | None = None

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def request_id(self) -> str | None:
        return request_id(self.headers)

    @property
    def content(self) -> bytes:
        return self.http_response.content

    def json(self) -> Any:
        return self.http_response.json()

    def parse(self) -> T:
        """The body as the method would have returned it (parsed once, then cached)."""
        if self._parsed is None:
            self._parsed = (self._parse(self.http_response),)
        return self._parsed[0]

    @property
    def parsed(self) -> T:
        return self.parse()

    def __repr__(self) -> str:
        return f"<APIResponse {self.status_code} {self.http_response.request.method} {self.http_response.url.path}>"


class Call:
    """One call's inputs, kept so a page can repeat it with another cursor."""

    __slots__ = ("content", "data", "extra_headers", "extra_query", "files", "headers", "json", "op", "path", "query")

    def __init__(
        self,
        op: Operation,
        path: Mapping[str, Any] | None,
        query: Mapping[str, Any] | None,
        headers: Mapping[str, Any] | None,
        json: Any,
        data: Any,
        files: Any,
        content: Any,
        extra_headers: Mapping[str, str] | None,
        extra_query: Mapping[str, Any] | None,
    ) -> None:
        self.op = op
        self.path = path
        self.query = query
        self.headers = headers
        self.json = json
        self.data = data
        self.files = files
        self.content = content
        self.extra_headers = extra_headers
        self.extra_query = extra_query

    def with_query(self, name: str, value: Any) -> Call:
        other = copy.copy(self)
        other.query = {**(self.query or {}), name: value}
        return other


def request_id(headers: httpx.Headers) -> str | None:
    """The id the server gave this request, to quote when asking for support."""
    value = headers.get("x-request-id") or headers.get("request-id")
    return str(value) if value else None


def _text(value: Any) -> str:
    """A parameter value as it appears in a path, a query string or a header."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return _text(value.value)
    if isinstance(value, (list, tuple)):
        return ",".join(_text(item) for item in value)
    encoded = to_json(value)
    return encoded if isinstance(encoded, str) else str(encoded)


def _query_value(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [_text(item) for item in value]  # repeated: ?id=1&id=2
    return _text(value)


def _fill_path(template: str, values: Mapping[str, Any]) -> str:
    for name, value in values.items():
        template = template.replace("{" + name + "}", quote(_text(value), safe=""))
    return template


def _header_value(value: Any) -> str:
    return _text(value)


def retry_after(headers: httpx.Headers) -> float | None:
    """Seconds the server asked us to wait (Retry-After as seconds or an HTTP date, or retry-after-ms)."""
    millis = headers.get("retry-after-ms")
    if millis:
        try:
            seconds = float(millis) / 1000
        except ValueError:
            seconds = math.nan
        if math.isfinite(seconds):
            return max(seconds, 0.0)
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        import datetime
        from email.utils import parsedate_to_datetime

        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=datetime.timezone.utc)
        seconds = (when - datetime.datetime.now(datetime.timezone.utc)).total_seconds()
    return max(seconds, 0.0) if math.isfinite(seconds) else None


def retry_delay(retry: int, response: httpx.Response | None) -> float:
    """Seconds before retry number `retry` (1, 2, …): the server's Retry-After, capped, else backoff."""
    if response is not None:
        asked = retry_after(response.headers)
        if asked is not None:
            return min(asked, MAX_RETRY_AFTER)
    backoff = min(INITIAL_RETRY_DELAY * 2.0 ** (retry - 1), MAX_RETRY_DELAY)
    return backoff * (1 - 0.25 * random.random())  # jitter spreads out clients that failed together


def _never_sent(error: httpx.TransportError) -> bool:
    """The request provably did not reach the server: safe to retry even a POST."""
    return isinstance(error, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout))


def should_retry_status(op: Operation, status_code: int) -> bool:
    """429 was not processed, so any method retries; 408 and 5xx only where repeating is harmless."""
    if status_code == 429:
        return True
    return op.idempotent and (status_code == 408 or status_code >= 500)


def should_retry_error(op: Operation, error: httpx.TransportError) -> bool:
    if isinstance(error, (httpx.UnsupportedProtocol, httpx.LocalProtocolError)):
        return False  # a bad URL or header: sending it again cannot help
    return _never_sent(error) or op.idempotent


def _error_body(response: httpx.Response) -> Any:
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return response.text


def _summary(body: Any) -> str:
    """A short human reading of an error body (FastAPI's validation list as `where: what`)."""
    if isinstance(body, dict):
        for key in ("detail", "message", "error", "error_description"):
            value = body.get(key)
            if isinstance(value, str) and value:
                return value[:300]
            if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
                found = [
                    ".".join(str(part) for part in item.get("loc") or []) + ": " + str(item.get("msg", ""))
                    for item in value[:3]
                ]
                return "; ".join(found)[:300] + ("; …" if len(value) > 3 else "")
    if isinstance(body, str) and body.strip():
        return " ".join(body.split())[:300]
    return ""


def build_body(
    model: Callable[..., M],
    body: M | Unset,
    fields: Mapping[str, Any],
    *,
    required: tuple[str, ...],
    method: str,
    body_required: bool,
) -> M | None:
    """The request body: `body=` as given, or the model built from the keyword arguments (never both)."""
    given = {name: value for name, value in fields.items() if not isinstance(value, Unset)}
    if not isinstance(body, Unset):
        if given:
            raise TypeError(f"{method}() takes body= or the keyword arguments {', '.join(sorted(given))}, not both")
        return body
    if not given and not body_required:
        return None
    missing = [name for name in required if name not in given]
    if missing:
        names = ", ".join(repr(name) for name in missing)
        raise TypeError(f"{method}() missing required keyword argument{'s' if len(missing) > 1 else ''}: {names}")
    return model(**given)


def multipart(fields: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """multipart/form-data parts from a body's to_dict(): files as they are, other values as text."""
    import json

    parts: list[tuple[str, Any]] = []
    for name, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, tuple):
                parts.append((name, item))
            elif isinstance(item, (dict, list)):
                parts.append((name, (None, json.dumps(item).encode(), "application/json")))
            else:
                parts.append((name, (None, _text(item).encode(), "text/plain")))
    return parts


def cookie_header(values: Mapping[str, Any]) -> str | Unset:
    """A Cookie header from cookie parameters; UNSET when none was given."""
    pairs = [
        f"{name}={_text(value)}" for name, value in values.items() if value is not None and not isinstance(value, Unset)
    ]
    return "; ".join(pairs) if pairs else UNSET


def raw_content(body: Any) -> Any:
    """The bytes (or stream) of a non-JSON body given as bytes, text or File."""
    payload = getattr(body, "payload", body)
    return payload.encode() if isinstance(payload, str) else payload


class BaseClient:
    """Settings, credentials and request building shared by the sync and async clients."""

    _schemes: tuple[Scheme, ...] = ()  # set by the generated client
    _resource_names: tuple[str, ...] = ()  # cached resource attributes, dropped when copying
    _is_async = False

    def __init__(
        self,
        *,
        base_url: str | None,
        base_url_env: str,
        credentials: Mapping[str, Any],
        header_defaults: Mapping[str, Any],
        timeout: float | httpx.Timeout | None,
        max_retries: int,
        default_headers: Mapping[str, str] | None,
    ) -> None:
        if not base_url:
            raise ErrorRoot(f"{type(self).__name__} has no base URL: pass base_url=... or set {base_url_env}")
        if max_retries < 0:
            raise ValueError("max_retries must be 0 or more")
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.max_retries = max_retries
        self._credentials: dict[str, Secret[str]] = {
            name: Secret(str(value)) for name, value in credentials.items() if value
        }
        headers = {"user-agent": USER_AGENT}
        headers.update({name.lower(): _header_value(v) for name, v in header_defaults.items() if v is not None})
        headers.update({name.lower(): value for name, value in (default_headers or {}).items()})
        self._base_headers = headers
        self._auth_cache: dict[tuple[tuple[int, ...], ...], Secret[tuple[dict[str, str], dict[str, str]]]] = {}
        self._raw = False

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    def _copy(self: C, **changes: Any) -> C:
        other = copy.copy(self)
        for name in self._resource_names:
            other.__dict__.pop(name, None)  # cached resources hold the old client
        for name, value in changes.items():
            setattr(other, name, value)
        return other

    def with_options(
        self: C, *, timeout: float | httpx.Timeout | None | Unset = UNSET, max_retries: int | Unset = UNSET
    ) -> C:
        """A client sharing this one's connection pool and credentials, with other timeout or retries."""
        changes: dict[str, Any] = {}
        if not isinstance(timeout, Unset):
            changes["timeout"] = timeout
        if not isinstance(max_retries, Unset):
            changes["max_retries"] = max_retries
        return self._copy(**changes)

    def _raw_copy(self: C) -> C:
        return self._copy(_raw=True)

    # -- credentials

    def _authenticate(self, op: Operation, headers: dict[str, str], params: dict[str, Any]) -> None:
        """Add the credentials `op` needs; worked out once per security requirement, then reused."""
        if not op.security:
            return
        found = self._auth_cache.get(op.security)
        if found is None:
            found = self._auth_cache[op.security] = Secret(self._credentials_for(op))
        auth_headers, auth_params = found.get()
        if "cookie" in auth_headers and headers.get("cookie"):
            headers["cookie"] = f"{headers['cookie']}; {auth_headers['cookie']}"
            headers.update({k: v for k, v in auth_headers.items() if k != "cookie"})
        else:
            headers.update(auth_headers)
        if auth_params:
            params.update(auth_params)

    def _credentials_for(self, op: Operation) -> tuple[dict[str, str], dict[str, str]]:
        """The headers and query parameters of the first security alternative the client can fill completely."""
        anonymous = False
        for alternative in op.security:
            if not alternative:
                anonymous = True  # `{}` in the spec: credentials are optional
                continue
            schemes = [self._schemes[index] for index in alternative]
            if all(arg in self._credentials for scheme in schemes for arg in scheme.args):
                headers: dict[str, str] = {}
                params: dict[str, str] = {}
                for scheme in schemes:
                    self._apply(scheme, headers, params)
                return headers, params
        if not anonymous:
            raise MissingCredentialError(self._missing_message(op))
        return {}, {}

    def _apply(self, scheme: Scheme, headers: dict[str, str], params: dict[str, str]) -> None:
        values = [self._credentials[arg].get() for arg in scheme.args]
        if scheme.kind == "header":
            headers[scheme.key.lower()] = values[0]
        elif scheme.kind == "query":
            params[scheme.key] = values[0]
        elif scheme.kind == "cookie":
            pair = f"{scheme.key}={values[0]}"
            headers["cookie"] = f"{headers['cookie']}; {pair}" if headers.get("cookie") else pair
        elif scheme.kind == "basic":
            token = base64.b64encode(f"{values[0]}:{values[1]}".encode()).decode("ascii")
            headers["authorization"] = f"Basic {token}"
        else:  # `Authorization: <scheme> <credential>`: Bearer, or the http scheme the spec names (Token, …)
            headers["authorization"] = f"{scheme.key or 'Bearer'} {values[0]}"

    def _missing_message(self, op: Operation) -> str:
        options = []
        for alternative in op.security:
            schemes = [self._schemes[index] for index in alternative]
            missing = [(arg, env) for s in schemes for arg, env in zip(s.args, s.envs) if arg not in self._credentials]
            if missing:
                arguments = ", ".join(f"{arg}=..." for arg, _ in missing)
                variables = ", ".join(env for _, env in missing)
                options.append(f"pass {type(self).__name__}({arguments}) or set {variables}")
        return f"{op.method} {op.path} needs credentials: " + "; or ".join(options)

    def _redact(self, text: str) -> str:
        for secret in self._credentials.values():
            if len(secret.get()) >= 4:
                text = text.replace(secret.get(), "***")
        return text

    # -- requests

    def _build(self, http: httpx.Client | httpx.AsyncClient, call: Call, timeout: Any) -> httpx.Request:
        op = call.op
        styles = op.styles  # None for operations whose parameters all take the plain path
        if call.path:
            url = self.base_url + (
                _serialization.fill_path(op.path, call.path, styles) if styles else _fill_path(op.path, call.path)
            )
        else:
            url = self.base_url + op.path
        headers = dict(self._base_headers)
        params: dict[str, Any] = {}
        styled: list[str] = []
        if call.query:
            for name, value in call.query.items():
                if value is None or isinstance(value, Unset):
                    continue
                param = styles.get(("query", name)) if styles else None
                if param is not None:
                    styled.append(_serialization.query(name, value, param))
                    continue
                if isinstance(value, Mapping) or hasattr(value, "to_dict"):
                    params.update({k: _query_value(v) for k, v in to_json(value).items() if v is not None})
                else:
                    params[name] = _query_value(value)
        if call.headers:
            for name, value in call.headers.items():
                if isinstance(value, Unset):
                    continue  # the client-wide default, if any, stays
                if value is None:
                    headers.pop(name, None)
                else:
                    param = styles.get(("header", name)) if styles else None
                    headers[name] = _serialization.header(value, param) if param else _header_value(value)
        self._authenticate(op, headers, params)
        if call.extra_headers:
            headers.update({name.lower(): value for name, value in call.extra_headers.items()})
        if call.extra_query:
            params.update(call.extra_query)
        if styled:  # httpx would re-encode the delimiters: the whole query string is built here
            url, params = _serialization.with_query(url, styled, params), {}
        return http.build_request(
            op.method,
            url,
            params=params or None,
            headers=headers,
            json=call.json,
            data=call.data,
            files=call.files,
            content=call.content,
            timeout=self.timeout if isinstance(timeout, Unset) else timeout,
        )

    def _status_error(self, op: Operation, response: httpx.Response) -> APIStatusError:
        body = _error_body(response)
        parsed = None
        decode = op.errors.get(response.status_code)
        if decode is not None and body is not None:
            try:
                parsed = decode(body)
            except Exception:  # a malformed error body must not hide the error itself
                parsed = None
        message = f"{op.method} {op.path} returned {response.status_code} {response.reason_phrase}".rstrip()
        request = request_id(response.headers)
        if request:
            message += f" (request id {request})"
        detail = _summary(body)
        if detail:
            message += f": {detail}"
        return status_error_class(response.status_code)(
            self._redact(message), response=response, body=body, parsed=parsed
        )

    def _parse(self, call: Call, response: httpx.Response, timeout: Any) -> Any:
        op = call.op
        if op.response == "none":
            return None
        if op.response == "bytes":
            return response.content
        if op.response == "text":
            return response.text
        data = response.json() if response.content else None
        if op.page is not None:
            return op.page.make(self, call, timeout, data)
        return data if op.parse is None or data is None else op.parse(data)

    def _log_retry(self, op: Operation, retry: int, delay: float, reason: str) -> None:
        if log.isEnabledFor(logging.INFO):
            log.info(
                "retrying %s %s in %.2fs (retry %d of %d): %s",
                op.method,
                op.path,
                delay,
                retry,
                self.max_retries,
                reason,
            )


class SyncAPIClient(BaseClient):
    """The synchronous transport."""

    def __init__(self, *, http_client: httpx.Client | None = None, **settings: Any) -> None:
        super().__init__(**settings)
        self._owns_http_client = http_client is None
        self._http = http_client if http_client is not None else httpx.Client(timeout=self.timeout)

    def _sleep(self, seconds: float) -> None:
        time.sleep(seconds)

    def _send(self, call: Call, timeout: Any) -> httpx.Response:
        """Send with retries; the final response (any status) or a connection error."""
        request = self._build(self._http, call, timeout)
        op = call.op
        retry = 0
        while True:
            try:
                response = self._http.send(request)
            except httpx.TransportError as error:
                if retry < self.max_retries and should_retry_error(op, error):
                    retry += 1
                    delay = retry_delay(retry, None)
                    self._log_retry(op, retry, delay, type(error).__name__)
                    self._sleep(delay)
                    continue
                if isinstance(error, httpx.TimeoutException):
                    raise APITimeoutError(request=request) from error
                raise APIConnectionError(f"Connection error: {type(error).__name__}", request=request) from error
            if retry < self.max_retries and should_retry_status(op, response.status_code):
                retry += 1
                delay = retry_delay(retry, response)
                response.close()
                self._log_retry(op, retry, delay, f"status {response.status_code}")
                self._sleep(delay)
                continue
            return response

    def request(
        self,
        op: Operation,
        *,
        path: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any] | None = None,
        json: Any = None,
        data: Any = None,
        files: Any = None,
        content: Any = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | httpx.Timeout | None | Unset = UNSET,
    ) -> Any:
        """Call one operation: the parsed result, or an APIResponse on a `with_raw_response` client."""
        call = Call(op, path, query, headers, json, data, files, content, extra_headers, extra_query)
        return self._execute(call, timeout)

    def _execute(self, call: Call, timeout: Any) -> Any:
        response = self._send(call, timeout)
        if not 200 <= response.status_code < 300:
            raise self._status_error(call.op, response)
        if self._raw:
            return APIResponse(response, lambda r: self._parse(call, r, timeout))
        return self._parse(call, response, timeout)

    def _fetch(self, call: Call, timeout: Any) -> Any:
        """A further page: parsed, whether or not this client returns raw responses."""
        response = self._send(call, timeout)
        if not 200 <= response.status_code < 300:
            raise self._status_error(call.op, response)
        return self._parse(call, response, timeout)

    @property
    def is_closed(self) -> bool:
        return self._http.is_closed

    def close(self) -> None:
        """Close the connection pool (unless it came from http_client=)."""
        if self._owns_http_client:
            self._http.close()

    def __enter__(self: C) -> C:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncAPIClient(BaseClient):
    """The asynchronous transport."""

    _is_async = True

    def __init__(self, *, http_client: httpx.AsyncClient | None = None, **settings: Any) -> None:
        super().__init__(**settings)
        self._owns_http_client = http_client is None
        self._http = http_client if http_client is not None else httpx.AsyncClient(timeout=self.timeout)

    async def _sleep(self, seconds: float) -> None:
        import anyio  # works under asyncio and trio; only imported once a retry happens

        await anyio.sleep(seconds)

    async def _send(self, call: Call, timeout: Any) -> httpx.Response:
        request = self._build(self._http, call, timeout)
        op = call.op
        retry = 0
        while True:
            try:
                response = await self._http.send(request)
            except httpx.TransportError as error:
                if retry < self.max_retries and should_retry_error(op, error):
                    retry += 1
                    delay = retry_delay(retry, None)
                    self._log_retry(op, retry, delay, type(error).__name__)
                    await self._sleep(delay)
                    continue
                if isinstance(error, httpx.TimeoutException):
                    raise APITimeoutError(request=request) from error
                raise APIConnectionError(f"Connection error: {type(error).__name__}", request=request) from error
            if retry < self.max_retries and should_retry_status(op, response.status_code):
                retry += 1
                delay = retry_delay(retry, response)
                await response.aclose()
                self._log_retry(op, retry, delay, f"status {response.status_code}")
                await self._sleep(delay)
                continue
            return response

    async def request(
        self,
        op: Operation,
        *,
        path: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any] | None = None,
        json: Any = None,
        data: Any = None,
        files: Any = None,
        content: Any = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | httpx.Timeout | None | Unset = UNSET,
    ) -> Any:
        """Call one operation: the parsed result, or an APIResponse on a `with_raw_response` client."""
        call = Call(op, path, query, headers, json, data, files, content, extra_headers, extra_query)
        return await self._execute(call, timeout)

    def paginate(
        self,
        op: Operation,
        *,
        path: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | httpx.Timeout | None | Unset = UNSET,
    ) -> AsyncPaginator[Any]:
        """A paginated call, sent when awaited (the first page) or iterated with `async for` (every item)."""
        from .pagination import AsyncPaginator

        call = Call(op, path, query, headers, None, None, None, None, extra_headers, extra_query)
        return AsyncPaginator(self, call, timeout)

    async def _execute(self, call: Call, timeout: Any) -> Any:
        response = await self._send(call, timeout)
        if not 200 <= response.status_code < 300:
            raise self._status_error(call.op, response)
        if self._raw:
            return APIResponse(response, lambda r: self._parse(call, r, timeout))
        return self._parse(call, response, timeout)

    async def _fetch(self, call: Call, timeout: Any) -> Any:
        response = await self._send(call, timeout)
        if not 200 <= response.status_code < 300:
            raise self._status_error(call.op, response)
        return self._parse(call, response, timeout)

    @property
    def is_closed(self) -> bool:
        return self._http.is_closed

    async def close(self) -> None:
        """Close the connection pool (unless it came from http_client=)."""
        if self._owns_http_client:
            await self._http.aclose()

    async def __aenter__(self: C) -> C:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()


class SyncResource:
    """A group of operations (one tag of the spec) on a synchronous client."""

    def __init__(self, client: SyncAPIClient) -> None:
        self._client = client


class AsyncResource:
    """A group of operations (one tag of the spec) on an asynchronous client."""

    def __init__(self, client: AsyncAPIClient) -> None:
        self._client = client


def raw_response_wrapper(method: Callable[P, T]) -> Callable[P, APIResponse[T]]:
    """Types a method bound to a raw-response client, which already returns an APIResponse."""
    return cast("Callable[P, APIResponse[T]]", method)


def async_raw_response_wrapper(method: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[APIResponse[T]]]:
    """Types an async method bound to a raw-response client, which already returns an APIResponse."""
    return cast("Callable[P, Awaitable[APIResponse[T]]]", method)
