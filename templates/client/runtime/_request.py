"""Building requests: operations, call arguments, parameter values as text, bodies, credentials, the URL.

`RequestBuilder` holds a client's settings (base URL, timeout, retries, credentials, default headers)
and turns a `Call` into an `httpx.Request`; `_base_client.py` sends it. Nothing here does I/O.
"""

from __future__ import annotations

import copy
import importlib
import os
import uuid
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

import httpx

from . import _serialization
from ._auth import Scheme, Secret, credentials_for, missing_message, query_credential_names
from ._exceptions import MissingCredentialError
from ._logs import redact_http_logs
from ._names import DISTRIBUTION, VERSION, ErrorRoot
from ._urls import checked_base_url, safe_url
from .types import UNSET, InvalidValueError, NaiveDatetimeError, Unset, to_json

if TYPE_CHECKING:
    from .pagination import PageSpec

M = TypeVar("M")
R = TypeVar("R", bound="RequestBuilder")

USER_AGENT = f"{DISTRIBUTION}/{VERSION}"


class Operation:
    """What the transport needs to know about one API operation; one per operation, built at import."""

    __slots__ = (
        "errors", "idempotency_header", "idempotent", "method", "name", "nullable", "page", "parse", "path",
        "response", "security", "styles",
    )  # fmt: skip

    def __init__(
        self,
        method: str,
        path: str,
        *,
        name: str,
        security: tuple[tuple[int, ...], ...] = (),
        idempotent: bool = False,
        idempotency_header: str | None = None,
        response: str = "json",
        parse: Callable[[Any], Any] | None = None,
        nullable: bool = True,
        page: PageSpec | None = None,
        errors: Mapping[int, Callable[[Any], Any]] | None = None,
        styles: Mapping[tuple[str, str], _serialization.Param] | None = None,
    ) -> None:
        self.method = method
        self.path = path  # template: "{name}" placeholders are filled from path parameters
        self.name = name
        self.security = security  # alternatives, each a tuple of scheme indices sent together
        # Safe to retry after the server may have seen the request: the method is idempotent, or the
        # operation takes an idempotency key, which the client fills in once per call when not given.
        self.idempotent = idempotent or idempotency_header is not None
        self.idempotency_header = idempotency_header.lower() if idempotency_header and not idempotent else None
        self.response = response  # json | bytes | text | none
        self.parse = parse  # decodes the JSON body; None keeps it as parsed
        self.nullable = nullable  # an empty or null JSON body is a result (None), not a mismatch
        self.page = page
        self.errors = errors or {}  # status → decoder of the error body the spec declares
        self.styles = styles  # (location, name) → how a parameter not sent the plain way is serialised


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


def _query_value(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [_serialization.text(item) for item in value]  # repeated: ?id=1&id=2
    return _serialization.text(value)


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
                parts.append((name, (None, _serialization.text(item).encode(), "text/plain")))
    return parts


def cookie_header(values: Mapping[str, Any]) -> str | Unset:
    """A Cookie header from cookie parameters; UNSET when none was given."""
    pairs = []
    for name, value in values.items():
        if value is None or isinstance(value, Unset):
            continue
        try:
            pairs.append(f"{name}={_serialization.text(value)}")
        except NaiveDatetimeError as error:
            raise error.within(f"cookie parameter {name}") from None
    return "; ".join(pairs) if pairs else UNSET


def raw_content(body: Any) -> Any:
    """The bytes (or stream) of a non-JSON body given as bytes, text or File."""
    payload = getattr(body, "payload", body)
    return payload.encode() if isinstance(payload, str) else payload


class RequestBuilder:
    """Settings, credentials and request building shared by the sync and async clients."""

    _schemes: tuple[Scheme, ...] = ()  # set by the generated client
    # Set by the generated client: resource attribute → (module under resources/, sync class, async class).
    # A resource is made when first read (`__getattr__`), so the client's size is a table, not code.
    _resources: Mapping[str, tuple[str, str, str]] = {}
    _is_async = False

    if not TYPE_CHECKING:  # type checkers see the generated client's annotated attributes instead

        def __getattr__(self, name: str) -> Any:
            """`client.<resource>`: its module imported on first use, the resource kept on the client."""
            found = type(self)._resources.get(name)
            if found is None:
                raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
            module = importlib.import_module(f"{__package__}.resources.{found[0]}")
            resource = getattr(module, found[2] if self._is_async else found[1])(self)
            self.__dict__[name] = resource
            return resource

        def __dir__(self) -> list[str]:
            return sorted({*super().__dir__(), *type(self)._resources})

    def __init__(
        self,
        *,
        base_url: str | None,
        base_url_env: str,
        base_url_default: str | None,
        credentials: Mapping[str, Any],
        header_defaults: Mapping[str, Any],
        timeout: float | httpx.Timeout | None,
        max_retries: int,
        default_headers: Mapping[str, str] | None,
    ) -> None:
        if max_retries < 0:
            raise InvalidValueError(f"max_retries must be 0 or more, not {max_retries}")
        self.base_url = self._resolve_base_url(base_url, base_url_env, base_url_default)
        self.timeout = timeout
        self.max_retries = max_retries
        self._credentials: dict[str, Secret[str]] = {
            name: Secret(str(value)) for name, value in credentials.items() if value
        }
        headers = {"user-agent": USER_AGENT}
        headers.update({name.lower(): _serialization.text(v) for name, v in header_defaults.items() if v is not None})
        headers.update({name.lower(): value for name, value in (default_headers or {}).items()})
        self._base_headers = headers
        self._auth_cache: dict[tuple[tuple[int, ...], ...], Secret[tuple[dict[str, str], dict[str, str]]]] = {}
        self._raw = False  # answer with an APIResponse (`with_raw_response`)
        redact_http_logs(query_credential_names(self._schemes))  # httpx logs each URL, query included
        self._stream = False  # answer with a streamed response, body unread (`with_streaming_response`)

    def _resolve_base_url(self, given: str | None, env: str, default: str | None) -> str:
        """`base_url=`, else the `env` variable, else the spec's server (empty counts as unset), checked.

        Raises ErrorRoot when there is none; InvalidValueError (a ValueError) when it is not an absolute
        http(s) URL or has a query string or fragment, naming where it came from.
        """
        from_env = os.environ.get(env)
        if not (given or from_env or default):
            return self._no_base_url(env)
        try:
            if given:
                return checked_base_url(given, "base_url")
            if from_env:
                return checked_base_url(from_env, f"base URL from ${env}")
            return checked_base_url(cast(str, default), "the spec's server URL")
        except ValueError as error:  # _urls.py is standard library only: the client's own class is given here
            raise InvalidValueError(str(error)) from None

    def _no_base_url(self, env: str) -> str:
        raise ErrorRoot(f"{type(self).__name__} has no base URL: pass base_url=... or set {env}")

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={safe_url(self.base_url)!r})"

    def _copy(self: R, **changes: Any) -> R:
        other = copy.copy(self)
        for name in (*self._resources, "with_streaming_response"):
            other.__dict__.pop(name, None)  # cached resources hold the old client
        for name, value in changes.items():
            setattr(other, name, value)
        return other

    def with_options(
        self: R, *, timeout: float | httpx.Timeout | None | Unset = UNSET, max_retries: int | Unset = UNSET
    ) -> R:
        """A client sharing this one's connection pool and credentials, with other timeout or retries."""
        changes: dict[str, Any] = {}
        if not isinstance(timeout, Unset):
            changes["timeout"] = timeout
        if not isinstance(max_retries, Unset):
            changes["max_retries"] = max_retries
        return self._copy(**changes)

    def _raw_copy(self: R) -> R:
        return self._copy(_raw=True, _stream=False)

    def _streaming_copy(self: R) -> R:
        return self._copy(_raw=False, _stream=True)

    # -- credentials

    def _authenticate(self, op: Operation, headers: dict[str, str], params: dict[str, Any]) -> None:
        """Add the credentials `op` needs; worked out once per security requirement, then reused.

        Raises MissingCredentialError naming the arguments and environment variables that would fill one.
        """
        if not op.security:
            return
        found = self._auth_cache.get(op.security)
        if found is None:
            chosen = credentials_for(op.security, self._schemes, self._credentials)
            if chosen is None:
                client = type(self).__name__
                given = self._credentials
                raise MissingCredentialError(
                    missing_message(client, op.method, op.path, op.security, self._schemes, given)
                )
            found = self._auth_cache[op.security] = Secret(chosen)
        auth_headers, auth_params = found.get()
        if "cookie" in auth_headers and headers.get("cookie"):
            headers["cookie"] = f"{headers['cookie']}; {auth_headers['cookie']}"
            headers.update({k: v for k, v in auth_headers.items() if k != "cookie"})
        else:
            headers.update(auth_headers)
        if auth_params:
            params.update(auth_params)

    def _redact(self, text: str) -> str:
        """`text` with every credential value (4 characters or more) replaced by `***`."""
        for secret in self._credentials.values():
            if len(secret.get()) >= 4:
                text = text.replace(secret.get(), "***")
        return text

    # -- requests

    @staticmethod
    def _add_query(
        name: str, value: Any, styles: Mapping[tuple[str, str], Any] | None, params: dict[str, Any], styled: list[str]
    ) -> None:
        """One query parameter: styled text into `styled`, an object's members or the value into `params`."""
        param = styles.get(("query", name)) if styles else None
        if param is not None:
            styled.append(_serialization.query(name, value, param))
        elif isinstance(value, Mapping) or hasattr(value, "to_dict"):
            params.update({k: _query_value(v) for k, v in to_json(value).items() if v is not None})
        else:
            params[name] = _query_value(value)

    def _build(self, http: httpx.Client | httpx.AsyncClient, call: Call, timeout: Any) -> httpx.Request:
        """The request for `call`: URL, parameters, credentials, headers, body.

        Raises NaiveDatetimeError (naming the parameter) for a naive datetime, MissingCredentialError
        when the operation needs credentials the client lacks; nothing is sent in either case.
        """
        op = call.op
        styles = op.styles  # None for operations whose parameters all take the plain path
        if call.path:
            url = self.base_url + (_serialization.fill_path(op.path, call.path, styles or {}))
        else:
            url = self.base_url + op.path
        headers = dict(self._base_headers)
        params: dict[str, Any] = {}
        styled: list[str] = []
        if call.query:
            for name, value in call.query.items():
                if value is None or isinstance(value, Unset):
                    continue
                try:
                    self._add_query(name, value, styles, params, styled)
                except NaiveDatetimeError as error:
                    raise error.within(f"query parameter {name}") from None
        if call.headers:
            for name, value in call.headers.items():
                if isinstance(value, Unset):
                    continue  # the client-wide default, if any, stays
                if value is None:
                    headers.pop(name, None)
                    continue
                param = styles.get(("header", name)) if styles else None
                try:
                    headers[name] = _serialization.header(value, param) if param else _serialization.text(value)
                except NaiveDatetimeError as error:
                    raise error.within(f"header parameter {name}") from None
        self._authenticate(op, headers, params)
        if call.extra_headers:
            headers.update({name.lower(): value for name, value in call.extra_headers.items()})
        if op.idempotency_header and not headers.get(op.idempotency_header):
            # One key per call, built before the first attempt: every retry repeats it, so the server
            # applies the request at most once (as Stripe's and OpenAI's SDKs do).
            headers[op.idempotency_header] = str(uuid.uuid4())
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


class StreamingResources:
    """`client.with_streaming_response`: each resource's `with_streaming_response`, by the same attribute."""

    def __init__(self, client: RequestBuilder) -> None:
        self._client = client

    if not TYPE_CHECKING:  # the generated subclass annotates one attribute per resource

        def __getattr__(self, name: str) -> Any:
            if name.startswith("_") or name not in type(self._client)._resources:
                raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
            value = getattr(self._client, name).with_streaming_response
            self.__dict__[name] = value
            return value
