"""Credentials: the spec's security schemes, secrets that never print, and how a request carries them."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from typing_extensions import TypeAlias

    # What one security alternative adds to a request: (headers, query parameters).
    Credentials: TypeAlias = tuple[dict[str, str], dict[str, str]]

T = TypeVar("T")


class Scheme:
    """A security scheme: where its credential goes and which constructor arguments fill it."""

    __slots__ = ("args", "envs", "key", "kind")

    def __init__(self, kind: str, key: str, args: tuple[str, ...], envs: tuple[str, ...]) -> None:
        self.kind = kind  # header | query | cookie | bearer (any `Authorization: <key> …` scheme) | basic
        self.key = key  # the header, query parameter or cookie name; for bearer, the scheme word
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


def apply(scheme: Scheme, values: list[str], headers: dict[str, str], params: dict[str, str]) -> None:
    """Put one scheme's credential `values` (one per `scheme.args`) where the scheme says."""
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


def credentials_for(
    security: tuple[tuple[int, ...], ...], schemes: tuple[Scheme, ...], given: Mapping[str, Secret[str]]
) -> Credentials | None:
    """The headers and query parameters of the first alternative `given` fills completely.

    ({}, {}) when credentials are optional (an empty alternative) and none fits; None when an
    alternative is required and none can be filled (the caller raises MissingCredentialError).
    """
    anonymous = False
    for alternative in security:
        if not alternative:
            anonymous = True  # `{}` in the spec: credentials are optional
            continue
        chosen = [schemes[index] for index in alternative]
        if all(arg in given for scheme in chosen for arg in scheme.args):
            headers: dict[str, str] = {}
            params: dict[str, str] = {}
            for scheme in chosen:
                apply(scheme, [given[arg].get() for arg in scheme.args], headers, params)
            return headers, params
    return ({}, {}) if anonymous else None


def missing_message(
    client: str,
    method: str,
    path: str,
    security: tuple[tuple[int, ...], ...],
    schemes: tuple[Scheme, ...],
    given: Mapping[str, object],
) -> str:
    """`POST /x needs credentials: pass Client(api_key=...) or set X_API_KEY; or …` (names only, no values)."""
    options = []
    for alternative in security:
        chosen = [schemes[index] for index in alternative]
        missing = [(arg, env) for s in chosen for arg, env in zip(s.args, s.envs) if arg not in given]
        if missing:
            arguments = ", ".join(f"{arg}=..." for arg, _ in missing)
            variables = ", ".join(env for _, env in missing)
            options.append(f"pass {client}({arguments}) or set {variables}")
    return f"{method} {path} needs credentials: " + "; or ".join(options)


def query_credential_names(schemes: tuple[Scheme, ...]) -> frozenset[str]:
    """Query parameter names that carry a credential (apiKey `in: query`), kept out of error messages."""
    return frozenset(scheme.key for scheme in schemes if scheme.kind == "query")
