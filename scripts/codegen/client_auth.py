"""Security schemes → the client's credentials: constructor arguments and how each is sent."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from codegen.client_names import CLIENT_RESERVED, snake, unique
from codegen.client_options import ClientOptions
from codegen.config import Names
from codegen.errors import CodegenError
from codegen.spec_model import SecurityRequirement, SecurityScheme, SpecModel

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


def _default_auth_args(scheme: SecurityScheme) -> tuple[str, tuple[str, ...], str]:
    """(kind, argument names, key) for one scheme, named from what the user sees on the wire.

    kind is the transport the spec model decided (header, query, cookie), `basic`, or `bearer` for
    every other `Authorization` scheme, whose key is the scheme's token (Bearer, Token, …): the client
    sends `Authorization: <key> <credential>`, exactly what the mock checks.
    """
    if scheme.transport in ("header", "query", "cookie"):
        stem = re.sub(r"^x[-_]", "", scheme.key, flags=re.I)
        return scheme.transport, (snake(stem),), scheme.key
    if scheme.is_basic:
        return "basic", ("username", "password"), ""
    # The Authorization prefix is the spec model's (one rule for client and mock); only the argument's
    # name is the client's own choice.
    if scheme.type == "http" and scheme.scheme == "bearer":
        arg = "bearer_token"
    elif scheme.type in ("oauth2", "openIdConnect"):
        arg = "access_token"
    else:
        arg = snake(scheme.name)
    return "bearer", (arg,), scheme.key or "Bearer"


def build_credentials(
    model: SpecModel, options: ClientOptions, names: Names, taken: set[str]
) -> dict[str, CredentialView]:
    found: dict[str, CredentialView] = {}
    for scheme_name, scheme in sorted(model.security_schemes.items()):
        kind, args, key = _default_auth_args(scheme)
        override = options.auth_names.get(scheme_name)
        if override is not None:
            if len(override) != len(args):
                raise CodegenError(
                    f"auth.{scheme_name} needs {len(args)} argument name(s) for a {kind} scheme",
                    where="[tool.codegen.client]",
                )
            args = override
        args = tuple(unique(arg, taken, CLIENT_RESERVED) for arg in args)
        envs = tuple(f"{names.env_prefix}{arg.upper()}" for arg in args)
        found[scheme_name] = CredentialView(len(found), scheme_name, kind, key, args, envs)
    return found


def security_alternatives(
    requirements: Sequence[SecurityRequirement], credentials: Mapping[str, CredentialView]
) -> tuple[tuple[int, ...], ...]:
    """Each alternative is the set of schemes that must all be sent; `()` means "no credentials"."""
    alternatives: list[tuple[int, ...]] = []
    for requirement in requirements:
        if not all(str(name) in credentials for name in requirement):
            continue  # names a scheme the spec does not define: this alternative cannot be met
        alternative = tuple(sorted(credentials[str(name)].index for name in requirement))
        if alternative not in alternatives:
            alternatives.append(alternative)
    return tuple(alternatives)
