"""Names in the generated client: reserved words, unique and class names, and spec prose made safe."""

from __future__ import annotations

import keyword
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from codegen.naming import unique_name
from codegen.operation_names import RESOURCE_RESERVED

IDEMPOTENT_METHODS = frozenset({"get", "head", "options", "put", "delete", "trace"})

# Public names of the generated runtime's client classes (and their constructor's own arguments);
# a resource or credential named like one gets a suffix instead of replacing it.
CLIENT_RESERVED = RESOURCE_RESERVED
METHOD_RESERVED = frozenset({"body", "extra_headers", "extra_query", "timeout", "self"})
MODEL_RESERVED = frozenset({"to_dict", "from_dict", "additional_properties"})
# Names a model, enum or resource module imports for itself; a class of the same name would shadow one.
CLASS_RESERVED = frozenset(
    {
        "Any", "Enum", "Literal", "Mapping", "TypeVar", "TYPE_CHECKING", "UUID", "Unset", "UNSET", "File",
        "Iterator", "AsyncIterator", "Awaitable", "Callable", "Operation", "PageSpec", "T",
    }
)  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Names


def snake(text: str) -> str:
    """A snake_case identifier by the generator's rules (sanitised, keywords and builtins suffixed)."""
    from openapi_python_client import strings

    return str(strings.PythonIdentifier(text, "field_"))


def pascal(text: str) -> str:
    from openapi_python_client import strings

    return str(strings.ClassName(text, "Field"))


def is_identifier(name: str) -> bool:
    return name.isidentifier() and not keyword.iskeyword(name)


def unique(name: str, taken: set[str], reserved: Iterable[str] = ()) -> str:
    """naming.unique_name: `name`, `name_`, then `name_2`…; records the result in `taken`."""
    return unique_name(name, taken, frozenset(reserved))


def unique_class(name: str, taken: set[str]) -> str:
    """A class name not taken and not shadowing what generated modules import."""
    candidate = name if is_identifier(name) else f"Model{name}"
    if candidate in CLASS_RESERVED:
        candidate = f"{candidate}Model"
    base, number = candidate, 2
    while candidate in taken:
        candidate = f"{base}{number}"
        number += 1
    taken.add(candidate)
    return candidate


def clean_text(value: Any) -> str:
    """Spec prose without control characters (a NUL is illegal even inside a docstring)."""
    if value is None:
        return ""
    raw = value.get_untrusted_value() if hasattr(value, "get_untrusted_value") else str(value)
    return "".join(c for c in raw if c in "\n\t" or (ord(c) >= 32 and ord(c) != 127)).strip()


def prose(value: Any) -> str:
    """A description, summary or title as readable text: clean_text, then HTML → Markdown (text.py)."""
    from codegen.text import description_text

    return description_text(clean_text(value))


def untrusted(value: Any) -> str:
    return str(value.get_untrusted_value() if hasattr(value, "get_untrusted_value") else value)


@contextmanager
def messages_with_values() -> Iterator[None]:
    """While the parser runs, a spec string it formats into a message shows its text, not its object repr.

    openapi-python-client wraps spec strings in UntrustedString, which has no `__format__` of its own, so
    its messages print `<…UntrustedString object at 0x…>`: unreadable, and different on every run. Our
    renderer never formats the parser's strings into code (it reads them with `untrusted()` and writes
    literals with py_str), so showing the text in messages, which are printed through `printable`, is safe.
    """
    from openapi_python_client.schema.untrusted_string import UntrustedString

    def as_text(self: UntrustedString, spec: str) -> str:
        return format(self.get_untrusted_value(), spec)

    UntrustedString.__format__ = as_text  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        del UntrustedString.__format__
