"""[tool.codegen.client]: credential argument names and pagination field names."""

from __future__ import annotations

import keyword
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from codegen.errors import CodegenError

# ---------------------------------------------------------------------------------------------
# Types: a small tree per property, rendered as annotations and decoding expressions

# ---------------------------------------------------------------------------------------------
# Options from [tool.codegen.client]


@dataclass(frozen=True)
class ClientOptions:
    """Auth argument names and pagination field names; the defaults fit Zenskar-shaped APIs."""

    auth_names: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # scheme → argument name(s)
    cursor_params: tuple[str, ...] = ("cursor",)
    limit_params: tuple[str, ...] = ("limit",)
    next_fields: tuple[str, ...] = ("next",)
    items_fields: tuple[str, ...] = ("data", "results")


def _names_list(value: Any, where: str) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items or not all(isinstance(x, str) and x for x in items):
        raise CodegenError(f"{where} must be a non-empty string or list of strings", where="[tool.codegen.client]")
    return tuple(items)


def client_options(section: Mapping[str, Any] | None) -> ClientOptions:
    """Read [tool.codegen.client]: `auth = {Scheme = "arg"}` and `[pagination]` cursor/limit/next/items."""
    if not section:
        return ClientOptions()
    auth: dict[str, tuple[str, ...]] = {}
    for scheme, names in dict(section.get("auth") or {}).items():
        args = _names_list(names, f"auth.{scheme}")
        for arg in args:
            if not arg.isidentifier() or keyword.iskeyword(arg) or arg.startswith("_"):
                raise CodegenError(f"auth.{scheme}: {arg!r} is not a usable argument name", where="[tool.codegen]")
        auth[str(scheme)] = args
    paging = dict(section.get("pagination") or {})
    defaults = ClientOptions()
    return ClientOptions(
        auth_names=auth,
        cursor_params=_names_list(paging.get("cursor", list(defaults.cursor_params)), "pagination.cursor"),
        limit_params=_names_list(paging.get("limit", list(defaults.limit_params)), "pagination.limit"),
        next_fields=_names_list(paging.get("next", list(defaults.next_fields)), "pagination.next"),
        items_fields=_names_list(paging.get("items", list(defaults.items_fields)), "pagination.items"),
    )
