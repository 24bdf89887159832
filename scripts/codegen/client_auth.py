"""Security schemes → the client's credentials: constructor arguments and how each is sent."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from codegen.client_names import CLIENT_RESERVED, snake, unique
from codegen.client_options import ClientOptions
from codegen.config import Names
from codegen.errors import CodegenError

# ---------------------------------------------------------------------------------------------
# Security schemes → credentials


@dataclass(frozen=True)
class CredentialView:
    """One security scheme: how it is sent and the constructor arguments that fill it."""

    index: int
    scheme: str  # the scheme's name in the spec (untrusted; comments and messages only)
    kind: str  # header | query | cookie | bearer | basic
    key: str  # header / query / cookie name (untrusted); empty for bearer and basic
    args: tuple[str, ...]  # constructor arguments (basic: username, password)
    envs: tuple[str, ...]


def _default_auth_args(scheme: Mapping[str, Any], scheme_name: str) -> tuple[str, tuple[str, ...], str]:
    """(kind, argument names, key) for one scheme, named from what the user sees on the wire."""
    kind = str(scheme.get("type", "")).lower()
    if kind == "apikey":
        location = str(scheme.get("in", "header")).lower()
        key = str(scheme.get("name") or scheme_name)
        stem = re.sub(r"^x[-_]", "", key, flags=re.I)
        return (location if location in ("header", "query", "cookie") else "header"), (snake(stem),), key
    if kind == "http" and str(scheme.get("scheme", "")).lower() == "basic":
        return "basic", ("username", "password"), ""
    if kind == "http" and str(scheme.get("scheme", "")).lower() == "bearer":
        return "bearer", ("bearer_token",), ""
    if kind in ("oauth2", "openidconnect"):
        return "bearer", ("access_token",), ""
    return "bearer", (snake(scheme_name),), ""  # other http schemes: the token is sent as a bearer


def build_credentials(
    doc: Mapping[str, Any], options: ClientOptions, names: Names, taken: set[str]
) -> dict[str, CredentialView]:
    schemes = (doc.get("components") or {}).get("securitySchemes") or {}
    found: dict[str, CredentialView] = {}
    for scheme_name, scheme in sorted(schemes.items()):
        if not isinstance(scheme, Mapping):
            continue
        kind, args, key = _default_auth_args(scheme, str(scheme_name))
        override = options.auth_names.get(str(scheme_name))
        if override is not None:
            if len(override) != len(args):
                raise CodegenError(
                    f"auth.{scheme_name} needs {len(args)} argument name(s) for a {kind} scheme",
                    where="[tool.codegen.client]",
                )
            args = override
        args = tuple(unique(arg, taken, CLIENT_RESERVED) for arg in args)
        envs = tuple(f"{names.env_prefix}{arg.upper()}" for arg in args)
        found[str(scheme_name)] = CredentialView(len(found), str(scheme_name), kind, key, args, envs)
    return found


def security_alternatives(requirements: Any, credentials: Mapping[str, CredentialView]) -> tuple[tuple[int, ...], ...]:
    """Each alternative is the set of schemes that must all be sent; `()` means "no credentials"."""
    if not isinstance(requirements, list):
        return ()
    alternatives: list[tuple[int, ...]] = []
    for requirement in requirements:
        if not isinstance(requirement, Mapping):
            continue
        if not all(str(name) in credentials for name in requirement):
            continue  # names a scheme the spec does not define: this alternative cannot be met
        alternative = tuple(sorted(credentials[str(name)].index for name in requirement))
        if alternative not in alternatives:
            alternatives.append(alternative)
    return tuple(alternatives)
