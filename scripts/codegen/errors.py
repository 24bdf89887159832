"""Expected failures: what failed, where, and what to do next (printed without a traceback)."""

from __future__ import annotations

import re
import unicodedata

# Characters that would act on a terminal rather than show (ESC, CR, BEL, bidi overrides, line separators).
_UNPRINTABLE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})


# `<module.Class object at 0x7f…>`: a default repr, whose address differs on every run.
_OBJECT_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+(?=>)")


def without_addresses(text: str) -> str:
    """Text with the memory address of any default object repr taken out, so reports are deterministic."""
    return _OBJECT_ADDRESS.sub("", text)


def printable(text: str, *, keep_newlines: bool = True) -> str:
    """Text safe to print: unprintable characters from a spec or file are shown as `\\xNN`/`\\uNNNN` escapes,
    and object addresses are taken out (without_addresses)."""
    kept = "\n\t" if keep_newlines else "\t"
    text = without_addresses(text)
    return "".join(
        c
        if c in kept or unicodedata.category(c) not in _UNPRINTABLE_CATEGORIES
        else (f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}")
        for c in text
    )


class CodegenError(Exception):
    """A failure the user can act on. `where` names a file, JSON pointer or operation."""

    def __init__(self, what: str, *, where: str | None = None, hint: str | None = None) -> None:
        super().__init__(what)
        self.what = what
        self.where = where
        self.hint = hint

    def __reduce__(self) -> tuple[object, ...]:
        # Keep `where` and `hint` when the error crosses a process boundary (the parallel mock stage).
        return (_rebuild_error, (self.what, self.where, self.hint))

    def __str__(self) -> str:
        lines = [f"error: {self.what}"]
        if self.where:
            lines.append(f"  where: {self.where}")
        if self.hint:
            lines.append(f"  next:  {self.hint}")
        return printable("\n".join(lines))


def _rebuild_error(what: str, where: str | None, hint: str | None) -> CodegenError:
    return CodegenError(what, where=where, hint=hint)
