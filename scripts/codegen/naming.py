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


# ---------------------------------------------------------------------------------------------
# Operations without a tag: a resource per leading path segment, method names that do not repeat it

# A path segment that says which version of the API a path belongs to, not what it is about:
# v1, V2, v2beta, v1alpha1, v1.2, 2, 1.0, 2024-01-01. `api` is skipped with them (`/api/v1/users`).
_VERSION_SEGMENT = re.compile(r"v\d+(?:\.\d+)*(?:[a-z]+\d*)?|\d+(?:\.\d+)*|\d{4}-\d{2}-\d{2}", re.IGNORECASE)
PREFIX_WORDS = frozenset({"api"})
ROOT_RESOURCE = "root"  # the resource of paths without a literal segment: `/`, `/{id}`, `/v1`
# The CRUD verb an HTTP method stands for, on a path that ends in a literal segment (a collection) and
# on one that ends in a path parameter (one item); other methods keep their own name.
_VERBS = {
    "get": ("list", "retrieve"),
    "post": ("create", "update"),
    "put": ("update", "update"),
    "patch": ("update", "update"),
    "delete": ("delete", "delete"),
}


def path_segments(path: str) -> list[str]:
    """The segments of a path template, without any `#fragment` or `?query` the document writes into
    the key (RFC 3986 §3.3: neither is part of the path): `/v1/a/{id}#x` → [v1, a, {id}]."""
    bare = re.split(r"[#?]", path, maxsplit=1)[0]
    return [segment for segment in bare.split("/") if segment]


def is_parameter_segment(segment: str) -> bool:
    return "{" in segment


def is_prefix_segment(segment: str) -> bool:
    """A leading segment that names no resource: a version (v1, v2beta, 2024-01-01) or `api`."""
    return segment.lower() in PREFIX_WORDS or _VERSION_SEGMENT.fullmatch(segment) is not None


def resource_index(segments: list[str]) -> int | None:
    """Index of the segment an untagged operation is grouped by: the first one that is not a version,
    `api` or a path parameter; None when there is none (`/`, `/{id}`, `/v1`)."""
    return next(
        (i for i, s in enumerate(segments) if not (is_prefix_segment(s) or is_parameter_segment(s))),
        None,
    )


def path_resource(path: str) -> str:
    """The resource of an untagged operation: `/v1/customers/{id}/sources` → customers; `/` → root."""
    segments = path_segments(path)
    index = resource_index(segments)
    return snake_name(segments[index], "resource") if index is not None else ROOT_RESOURCE


def _without(needle: list[str], haystack: list[str]) -> list[str] | None:
    """`haystack` with the first contiguous run equal to `needle` taken out; None if it has none."""
    for start in range(len(haystack) - len(needle) + 1):
        if needle and haystack[start : start + len(needle)] == needle:
            return haystack[:start] + haystack[start + len(needle) :]
    return None


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 3:
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def path_method_name(stem: str, method: str, path: str) -> str:
    """The method name of an untagged operation inside its path resource (a candidate: clashes are
    settled by the caller). `stem` is the operationId, or `<method> <path>` when there is none.

    When the stem only spells the method and the path (`GetCustomersCustomer` for GET
    /v1/customers/{customer}, or no operationId), the name is the CRUD verb (_VERBS) followed by the
    literal segments after the resource: list, create, retrieve, update, delete, list_sources,
    retrieve_sources; a POST to a path ending in a literal segment is named by that segment alone
    (POST /v1/invoices/{invoice}/pay → pay).
    Otherwise the name is the stem without the resource's words (or their singular): `listCustomers`
    → list, `createCustomer` → create, `customers_search` → search; a stem that is nothing but the
    resource keeps all its words.
    """
    segments = path_segments(path)
    index = resource_index(segments)
    stem_words = words(stem)
    after_prefix = segments[next((i for i, s in enumerate(segments) if not is_prefix_segment(s)), len(segments)) :]
    spelled = {tuple(words(" ".join([method, *part]))) for part in (segments, after_prefix)}
    if tuple(stem_words) in spelled:
        tail = segments[index + 1 :] if index is not None else after_prefix
        literal = [word for segment in tail if not is_parameter_segment(segment) for word in words(segment)]
        collection, item = _VERBS.get(method, (method, method))
        verb = item if tail and is_parameter_segment(tail[-1]) else collection
        if method == "post" and literal and verb == collection:
            verb = ""  # POST to a named segment is an action on what precedes it: /invoices/{id}/pay → pay
        return snake_name(" ".join([verb, *literal]), "operation")
    if index is not None:
        resource_words = words(segments[index])
        singular = [*resource_words[:-1], _singular(resource_words[-1])] if resource_words else []
        for needle in (resource_words, singular):
            rest = _without(needle, stem_words)
            if rest:
                return snake_name(" ".join(rest), "operation")
    return snake_name(stem, "operation")
