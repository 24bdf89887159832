"""What the sync and async transports share besides building requests: turning an answer into the
method's result or a typed error, following a redirect only within its origin, logging retries."""

from __future__ import annotations

import logging
from typing import Any, cast

import httpx

from ._auth import query_credential_names
from ._exceptions import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    CrossOriginRedirectError,
    status_error_class,
)
from ._names import PACKAGE
from ._request import Call, Operation, RequestBuilder
from ._response import error_body, request_id, summary
from ._retries import MAX_RETRY_AFTER, failure, retry_after
from ._urls import origin, safe_url, scrub
from .types import DecodeError, decoded

__all__ = ["BaseClient"]

log = logging.getLogger(PACKAGE)


class BaseClient(RequestBuilder):
    """What the sync and async transports share besides building requests: errors, parsing, logging."""

    def _headline(self, op: Operation, response: httpx.Response, what: str) -> str:
        """`POST /x returned 422 Unprocessable Entity (request id r1)`, with `what` after the status."""
        message = f"{op.method} {op.path} returned {response.status_code} {what}".rstrip()
        request = request_id(response.headers)
        return f"{message} (request id {request})" if request else message

    def _status_error(self, op: Operation, response: httpx.Response) -> APIStatusError:
        """The typed error for a read response outside 2xx; its message names the call, status, request id
        and a summary of the body, with credentials redacted."""
        body = error_body(response)
        parsed = None
        decode = op.errors.get(response.status_code)
        if decode is not None and body is not None:
            try:
                parsed = decode(body)
            except Exception:  # a malformed error body must not hide the error itself
                parsed = None
        message = self._headline(op, response, response.reason_phrase)
        detail = summary(body)
        if detail:
            message += f": {detail}"
        asked = retry_after(response.headers)
        if asked is not None and asked > MAX_RETRY_AFTER:
            limit = f"{MAX_RETRY_AFTER:g} s"
            message += f"; not retried: the server asks to wait {asked:g} s, more than the client waits ({limit})"
        return status_error_class(response.status_code)(
            self._redact(message), response=response, body=body, parsed=parsed
        )

    def _mismatch(self, op: Operation, response: httpx.Response, error: DecodeError) -> APIResponseValidationError:
        """APIResponseValidationError for a 2xx body that does not match the spec, saying where and what."""
        where = f" at {error.pointer}" if error.pointer else ""
        message = self._headline(op, response, f"with a body that does not match the spec{where}")
        problem = self._redact(error.problem)
        return APIResponseValidationError(
            self._redact(f"{message}: {problem}"),
            response=response,
            body=error_body(response),
            pointer=error.pointer,
            problem=problem,
        )

    def _redirect(self, op: Operation, response: httpx.Response, hops: int, limit: int) -> httpx.Request:
        """The request a read 3xx leads to, when the caller's http client follows redirects.

        Only a redirect within the origin (RFC 6454: scheme, host and port) is followed, so credentials
        and the body never reach another server: another origin raises CrossOriginRedirectError, and a
        redirect after `limit` hops the status error; nothing is sent in either case.
        """
        target = cast(httpx.Request, response.next_request)
        shown = safe_url(target.url, query_credential_names(self._schemes))
        message = self._headline(op, response, f"{response.reason_phrase}, a redirect to {shown}")
        body = error_body(response)
        if origin(target.url) != origin(response.request.url):
            message += (
                f": not followed, as it leads away from {origin(response.request.url)} and would take the"
                " credentials along; call that URL yourself if you trust it"
            )
            raise CrossOriginRedirectError(self._redact(message), response=response, body=body, location=shown)
        if hops >= limit:
            message += f": not followed, after {hops} redirects already"
            raise status_error_class(response.status_code)(self._redact(message), response=response, body=body)
        return target

    def _connection_error(
        self, request: httpx.Request, error: httpx.TransportError, retries: int = 0
    ) -> APIConnectionError:
        """APIConnectionError (APITimeoutError for a timeout) naming the method, the URL without
        secrets (`safe_url`: no password, secret-looking query values as `***`), and the cause; the
        caller raises it `from error`."""
        declared = query_credential_names(self._schemes)
        url = safe_url(request.url, declared)
        message = f"{request.method} {url}: {scrub(failure(error, request), request.url, declared)}"
        if retries:
            message += f"; gave up after {retries} {'retry' if retries == 1 else 'retries'}"
        kind = APITimeoutError if isinstance(error, httpx.TimeoutException) else APIConnectionError
        return kind(self._redact(message), request=request)

    def _parse(self, call: Call, response: httpx.Response, timeout: Any) -> Any:
        """The read body as the method returns it: None, bytes, text, a page, or decoded JSON.

        The one place bodies are decoded, for plain, raw, streamed and paginated calls alike: raises
        APIResponseValidationError when a JSON body does not match the spec.
        """
        op = call.op
        if op.response == "none":
            return None
        if op.response == "bytes":
            return response.content
        if op.response == "text":
            return response.text
        try:
            return self._decode(call, response, timeout)
        except DecodeError as error:
            raise self._mismatch(op, response, error) from error

    def _decode(self, call: Call, response: httpx.Response, timeout: Any) -> Any:
        """A JSON body as the method returns it; DecodeError where it does not match the spec."""
        op = call.op
        if not response.content:
            if op.nullable and op.page is None:
                return None
            raise DecodeError("the body is empty, but the operation returns JSON")
        try:
            data = response.json()
        except ValueError as error:  # not JSON, or not in the charset it claims
            kind = response.headers.get("content-type", "no content type")
            raise DecodeError(f"the body is not JSON ({kind}): {error}") from error
        if op.page is not None:
            return op.page.make(self, call, timeout, data)
        if data is None:
            if op.nullable:
                return None
            raise DecodeError("the body is null, but the operation returns a value")
        return data if op.parse is None else decoded(op.parse, data)

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
