"""The one naming function: the Python name of every operation, resource, parameter and handler.

The SDK's methods, the mock's handler keys, the changelog and the READMEs all take their names from
here (through the spec model), so a test author scripting the mock or a reader of the changelog
meets the names the SDK has. Spec text is untrusted: whatever it holds, the result is an ASCII
identifier that is not a keyword.
"""

from __future__ import annotations

import keyword
import re
import unicodedata

# Word boundaries in camelCase text. An upper-case run ends before a capital that starts a word of
# two or more lower-case letters (`HTTPServer` → HTTP Server), but not before a short tail such as
# `IPv4` or `IDs`, which a Python developer writes as one word (`get_ipv4_address`, `user_ids`).
_LOWER_TO_UPPER = re.compile(r"([a-z0-9])([A-Z])")
_ACRONYM_END = re.compile(r"([A-Z]+)([A-Z][a-z]{2,})")
_NOT_WORD = re.compile(r"[^0-9A-Za-z]+")

# What a leading digit is prefixed with, per kind of name (`2fa-verify` → `op_2fa_verify`).
_DIGIT_PREFIX = {"operation": "op", "parameter": "param", "resource": "tag", "property": "field"}


def words(text: str) -> list[str]:
    """Lower-case words of any text: `getIPv4Address` → [get, ipv4, address]; non-ASCII letters are
    reduced to their ASCII base (`Übersicht` → ubersicht), anything else separates words."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    spaced = _ACRONYM_END.sub(r"\1 \2", _LOWER_TO_UPPER.sub(r"\1 \2", ascii_text))
    return [word.lower() for word in _NOT_WORD.split(spaced) if word]


def snake_name(text: str, kind: str = "operation") -> str:
    """A snake_case Python identifier for `text`: never empty, never a keyword, never starting with a digit.

    `kind` is one of operation, parameter, resource, property; it names the prefix a leading digit
    gets and the fallback for text without a single ASCII letter or digit.
    """
    prefix = _DIGIT_PREFIX.get(kind, "n")
    name = "_".join(words(text)) or prefix
    if name[0].isdigit():
        name = f"{prefix}_{name}"
    if keyword.iskeyword(name):
        name += "_"
    return name


def pascal_name(text: str) -> str:
    """A PascalCase class name for `text` (`invoice-items` → InvoiceItems; a leading digit gets `N`)."""
    name = "".join(word[:1].upper() + word[1:] for word in words(text)) or "Model"
    return f"N{name}" if name[0].isdigit() else name


def operation_stem(operation_id: str | None, method: str, path: str) -> str:
    """The text an operation's name is made from: its operationId, else `<method> <path>`."""
    return operation_id if operation_id else f"{method} {path}"


def unique_name(name: str, taken: set[str], reserved: frozenset[str] = frozenset()) -> str:
    """`name`, else `name_` (the convention for a name that shadows another), else `name_2`, `name_3`…;
    records the result in `taken`."""
    blocked = taken | reserved
    candidate = name if name not in blocked else f"{name}_"
    number = 2
    while candidate in blocked:
        candidate = f"{name}_{number}"
        number += 1
    taken.add(candidate)
    return candidate
