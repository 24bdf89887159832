"""Mock distribution: our own Jinja renderer over templates/mock/ (`name.jinja` renders `name`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

from codegen.render import TemplateContext, code_filters


def template_environment(folder: Path) -> jinja2.Environment:
    """Strict environment: an undefined variable is an error, nothing is auto-escaped (we emit code)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,  # noqa: S701 - output is Python/TOML, escaped by our filters
    )
    env.filters.update(code_filters())
    return env


def render_tree(folder: Path, out: Path, variables: dict[str, Any]) -> list[Path]:
    """Render every `*.jinja` under folder (not `_*` macro files) to out, keeping relative paths.

    A path part named `__package__` becomes the package name given in variables.
    """
    env = template_environment(folder)
    written: list[Path] = []
    for template in sorted(folder.rglob("*.jinja")):
        relative = template.relative_to(folder)
        if template.name.startswith("_") and not template.name.startswith("__"):
            continue  # `_macros.jinja` files hold shared macros, not output
        parts = [variables["package"] if part == "__package__" else part for part in relative.parts]
        target = out.joinpath(*parts).with_suffix("")
        target.parent.mkdir(parents=True, exist_ok=True)
        text = env.get_template(relative.as_posix()).render(**variables)
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written


def generate_mock_package(out: Path, templates: Path, context: TemplateContext) -> None:
    render_tree(templates, out, {"codegen": context, "package": context.names.mock_package})
