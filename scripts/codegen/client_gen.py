"""Client generation: openapi-python-client's parser, then our own renderer over templates/client/ alone.

The parser gives sanitised names, property types and models; client_model.py turns them (and the raw
document) into the view the templates lay out. No template of the generator's package is used.
"""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from codegen.client_causes import explain, schema_causes
from codegen.client_model import ClientView, build_client_view
from codegen.client_names import messages_with_values
from codegen.client_options import ClientOptions
from codegen.client_reference import build_reference
from codegen.client_wire_names import spell_colliding_properties
from codegen.config import Names
from codegen.document import iter_operations, path_shape
from codegen.errors import CodegenError, without_addresses
from codegen.render import TemplateContext, py_str, template_environment
from codegen.spec_model import SpecModel

ITEM_TEMPLATES = "items"  # per-model, per-enum and per-resource templates, rendered once per item
MACROS = "_macros.jinja"
# Hand-written runtime (transport, errors, pagination, types), copied byte for byte beside the rendered
# `_names.py` that holds the spec-dependent names. It lives in templates/client/runtime/ rather than in
# scripts/codegen/ because it is part of what the package looks like, not pipeline code: it sits beside
# the templates that import it, is hashed with them into MANIFEST.json, and targets the client's
# Python (3.9+), not the pipeline's. ruff and mypy check it where it lives (pyproject.toml, Makefile).
RUNTIME = "runtime"
RUNTIME_REPO_ONLY = frozenset({"__init__.py"})  # makes the folder a package for mypy; the package's own is rendered


@dataclass
class LeftOut:
    operation: str  # "POST /invoices/generate_invoice"
    reason: str


@dataclass
class ClientResult:
    operations_total: int
    operations_generated: int
    left_out: list[LeftOut] = field(default_factory=list)
    narrowed: list[LeftOut] = field(default_factory=list)  # generated without an encoding or a response
    warnings: list[str] = field(default_factory=list)
    view: ClientView | None = None  # what was generated (the mock's README names its calls)


def _collect_narrowed(openapi: Any) -> list[LeftOut]:
    """Operations generated without part of what the document describes (a body encoding, a response), and why."""
    prefix = "WARNING parsing "
    found: list[LeftOut] = []
    for collection in openapi.endpoint_collections_by_tag.values():
        for error in collection.parse_errors:
            header = str(error.header)
            if not header.startswith(prefix) or "Endpoint will not be generated" in header:
                continue
            operation = header[len(prefix) :].rsplit(" within ", 1)[0]
            detail = (str(error.detail or "").strip().splitlines() or ["part of it is unsupported by the generator"])[0]
            found.append(LeftOut(operation, without_addresses(detail)))
    return found


def _left_out_reasons(openapi: Any, doc: dict[str, Any]) -> dict[tuple[str, str], str]:
    """(method, path) → the first line of the generator's reason for leaving the operation out."""
    paths_by_method: dict[str, list[str]] = {}
    for path, method, _op in iter_operations(doc):
        paths_by_method.setdefault(method.upper(), []).append(path)
    reasons: dict[tuple[str, str], str] = {}
    prefix = "WARNING parsing "
    for collection in openapi.endpoint_collections_by_tag.values():
        for error in collection.parse_errors:
            header = str(error.header)
            if not header.startswith(prefix) or "Endpoint will not be generated" not in header:
                continue
            # header: "WARNING parsing POST /path within tag. Endpoint will not be generated."
            method, _, rest = header[len(prefix) :].partition(" ")
            detail = without_addresses(str(error.detail or "")).strip().splitlines()
            for path in paths_by_method.get(method, []):
                if rest.startswith(f"{path} within "):
                    reasons[(method.lower(), path)] = detail[0] if detail else "unsupported by the generator"
    return reasons


def _collect_left_out(openapi: Any, doc: dict[str, Any]) -> list[LeftOut]:
    """Operations of `doc` for which the generator made no endpoint, with its reason."""
    made = Counter(
        (endpoint.method.lower(), path_shape(endpoint.path.get_untrusted_value()))
        for collection in openapi.endpoint_collections_by_tag.values()
        for endpoint in collection.endpoints
    )
    reasons = _left_out_reasons(openapi, doc)
    left: list[LeftOut] = []
    for path, method, _op in iter_operations(doc):
        key = (method, path_shape(path))
        if made[key] > 0 and (method, path) not in reasons:
            made[key] -= 1
            continue
        reason = reasons.get((method, path), "left out by the generator without a reason")
        left.append(LeftOut(f"{method.upper()} {path}", reason))
    return left


def content_type_overrides(doc: dict[str, Any]) -> dict[str, str]:
    """Media types the generator cannot read whose schema is bytes, read as `application/octet-stream`."""
    from codegen.media_types import media_kind
    from codegen.spec_walk import is_binary_string, iter_bodies

    return {
        str(content_type): "application/octet-stream"
        for _side, content in iter_bodies(doc)
        for content_type, media in content.items()
        if media_kind(str(content_type)) in {None, "text"}
        and isinstance(media, dict)
        and is_binary_string(media.get("schema"))
    }


def py_tuple(values: Iterable[Any]) -> str:
    """A one-line tuple of string literals (a trailing comma only where Python needs one)."""
    items = [py_str(value) for value in values]
    return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"


def copy_runtime(folder: Path, package_dir: Path) -> list[Path]:
    """Copy every runtime module (`.py`; the `.pyi` stand-ins stay here) into the package, unchanged."""
    written: list[Path] = []
    for source in sorted((folder / RUNTIME).glob("*.py")):
        if source.name in RUNTIME_REPO_ONLY:
            continue
        target = package_dir / source.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        written.append(target)
    return written


def render_client(folder: Path, out_dir: Path, view: ClientView, context: TemplateContext) -> list[Path]:
    """Render templates/client/ into out_dir: the tree once (`__package__` → the package), then items."""
    env = template_environment(folder, {"py_tuple": py_tuple})
    package = context.names.client_package
    reference = build_reference(view, package)  # api.md
    variables: dict[str, Any] = {"codegen": context, "client": view, "package": package, "reference": reference}
    written: list[Path] = []

    def write(target: Path, template: str, **extra: Any) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(env.get_template(template).render(**variables, **extra), encoding="utf-8")
        written.append(target)

    for template in sorted(folder.rglob("*.jinja")):
        relative = template.relative_to(folder)
        if template.name == MACROS or relative.parts[0] in {ITEM_TEMPLATES, RUNTIME}:
            continue
        parts = [package if part == "__package__" else part for part in relative.parts]
        write(out_dir.joinpath(*parts).with_suffix(""), relative.as_posix())
    root = out_dir / package
    written += copy_runtime(folder, root)
    for model in view.models:
        write(root / "models" / f"{model.ref.module}.py", f"{ITEM_TEMPLATES}/model.py.jinja", model=model)
    for enum in view.enums:
        write(root / "models" / f"{enum.ref.module}.py", f"{ITEM_TEMPLATES}/enum.py.jinja", enum=enum)
    for resource in view.resources:
        write(root / "resources" / f"{resource.attribute}.py", f"{ITEM_TEMPLATES}/resource.py.jinja", resource=resource)
    return written


def generate_client(
    doc: dict[str, Any],
    model: SpecModel,
    spec_path: Path,
    out_dir: Path,
    templates: Path,
    names: Names,
    version: str,
    context: TemplateContext,
    options: ClientOptions | None = None,
    source: str = "the effective document",
) -> ClientResult:
    """Render the client distribution into out_dir (which must not exist). `doc` is the parser's own copy
    of the effective document; `model` is the spec model read from it."""
    from openapi_python_client.config import Config, ConfigFile, MetaType
    from openapi_python_client.parser import GeneratorData
    from openapi_python_client.parser.errors import GeneratorError

    config = Config.from_sources(
        ConfigFile(
            project_name_override=names.client_dist,
            package_name_override=names.client_package,
            package_version_override=version,
            post_hooks=[],
            content_type_overrides=content_type_overrides(doc),
        ),
        MetaType.UV,
        document_source=spec_path,
        file_encoding="utf-8",
        overwrite=False,
        output_path=out_dir,
    )
    with messages_with_values():
        wire_names = spell_colliding_properties(doc)  # the parser's copy only: the client writes the real names
        openapi = GeneratorData.from_dict(doc, config=config)
    if isinstance(openapi, GeneratorError):
        from codegen.parser_errors import parser_refusal

        raise parser_refusal(doc, source)
    view = build_client_view(openapi, model, names, options or ClientOptions(), wire_names)
    try:
        render_client(templates, out_dir, view, context)
    except jinja2.TemplateError as exc:
        raise CodegenError(
            f"client template failed: {exc}",
            where=str(templates),
            hint="fix the template (or client_model.py) and regenerate",
        ) from None
    causes = schema_causes(openapi)  # a dropped schema's own failure, told where only its absence shows
    left_out = [explain(item, doc, causes) for item in _collect_left_out(openapi, doc)]
    warnings = [f"{e.header} {e.detail or ''}".strip() for e in openapi.errors]
    total = len(iter_operations(doc))
    return ClientResult(
        operations_total=total,
        operations_generated=total - len(left_out),
        left_out=left_out,
        narrowed=[explain(item, doc, causes) for item in _collect_narrowed(openapi)],
        warnings=warnings,
        view=view,
    )
