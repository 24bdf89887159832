"""Mock distribution: our own Jinja renderer over templates/mock/ (`name.jinja` renders `name`).

The templates lay out what mock_model.py decides; the answers (examples, minimal instances) and the
served OpenAPI document are written as JSON files next to the app, so spec text never becomes code.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from codegen.document import canonical_json
from codegen.mock_model import MockView, build_operations
from codegen.render import TemplateContext, template_environment
from codegen.spec_model import SpecModel

DATA_FILE = "mock_data.json"  # read by the generated runtime.py
SPEC_FILE = "openapi.json"  # served at /openapi.json
NOTICE_KEY = "x-codegen-notice"
README_TEMPLATE = "README.md.jinja"  # rendered by mock_readme.py, after the client


def render_tree(folder: Path, out: Path, variables: dict[str, Any], skip: frozenset[str] = frozenset()) -> list[Path]:
    """Render every `*.jinja` under folder (not `_*` macro files, not the relative paths in `skip`) to out,
    keeping relative paths.

    A path part named `__package__` becomes the package name given in variables.
    """
    env = template_environment(folder)
    written: list[Path] = []
    for template in sorted(folder.rglob("*.jinja")):
        relative = template.relative_to(folder)
        if template.name.startswith("_") and not template.name.startswith("__"):
            continue  # `_macros.jinja` files hold shared macros, not output
        if relative.as_posix() in skip:
            continue
        parts = [variables["package"] if part == "__package__" else part for part in relative.parts]
        target = out.joinpath(*parts).with_suffix("")
        target.parent.mkdir(parents=True, exist_ok=True)
        text = env.get_template(relative.as_posix()).render(**variables)
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written


def read_class_names(metadata: Path | None) -> dict[str, str]:
    """Schema `$ref` → class name in models.py, from datamodel-code-generator's model metadata.

    Models placed in other modules (never, with one output file) are left out: their refs then
    get the permissive fallback instead of a wrong class.
    """
    if metadata is None or not metadata.is_file():
        return {}
    data = json.loads(metadata.read_text(encoding="utf-8"))
    models = data.get("models") if isinstance(data, dict) else None
    names: dict[str, str] = {}
    for model in models if isinstance(models, list) else []:
        ref, name = model.get("source_ref"), model.get("class_name")
        if isinstance(ref, str) and isinstance(name, str) and name.isidentifier() and not model.get("module"):
            # `document.json#/components/…`: the generator names the file it read, and there is only that one
            names.setdefault("#" + ref.partition("#")[2], name)
    return names


def _json_text(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def generate_mock_package(
    out: Path,
    templates: Path,
    context: TemplateContext,
    model: SpecModel,
    models_metadata: Path | None = None,
) -> MockView:
    """Render templates/mock/ into `out` from the spec model, and write the runtime's data files (the
    handler table and the effective document) into the package. The README, which names the client's
    calls, is left to mock_readme.write_readme once the client is built; the view returned is its input."""
    view = MockView(build_operations(model, read_class_names(models_metadata)), model.version, model.request_id_header)
    package = context.names.mock_package
    render_tree(
        templates, out, {"codegen": context, "package": package, "mock": view}, skip=frozenset({README_TEMPLATE})
    )
    data = {
        NOTICE_KEY: context.header,
        "request_id_header": view.request_id_header,
        "operations": {operation.name: operation.as_json() for operation in view.operations},
    }
    (out / package / DATA_FILE).write_text(_json_text(data), encoding="utf-8")
    (out / package / SPEC_FILE).write_bytes(canonical_json({NOTICE_KEY: context.header, **model.resolver.doc}))
    return view
