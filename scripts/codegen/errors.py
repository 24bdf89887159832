"""Expected failures: what failed, where, and what to do next (printed without a traceback)."""

from __future__ import annotations


class CodegenError(Exception):
    """A failure the user can act on. `where` names a file, JSON pointer or operation."""

    def __init__(self, what: str, *, where: str | None = None, hint: str | None = None) -> None:
        super().__init__(what)
        self.what = what
        self.where = where
        self.hint = hint

    def __str__(self) -> str:
        lines = [f"error: {self.what}"]
        if self.where:
            lines.append(f"  where: {self.where}")
        if self.hint:
            lines.append(f"  next:  {self.hint}")
        return "\n".join(lines)
