"""Client generation: openapi-python-client's parser, rendered through templates/client/."""

from __future__ import annotations

import contextlib
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from codegen.config import Names
from codegen.document import iter_operations
from codegen.errors import CodegenError
from codegen.render import TemplateContext, code_filters

# Sample literals for the README example, by the generator's Python type of a property.
_SAMPLES = {
    "str": '"string"',
    "int": "1",
    "float": "1.0",
    "bool": "True",
    "UUID": 'UUID("00000000-0000-0000-0000-000000000000")',
    "datetime.datetime": "datetime.datetime(2024, 3, 1, tzinfo=datetime.timezone.utc)",
    "datetime.date": "datetime.date(2024, 3, 1)",
}


@dataclass
class LeftOut:
    operation: str  # "POST /invoices/generate_invoice"
    reason: str


@dataclass
class ClientResult:
    operations_total: int
    operations_generated: int
    left_out: list[LeftOut] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _readme_example(openapi: Any) -> dict[str, Any] | None:
    """The first operation, with its required arguments filled with sample values."""
    for tag, collection in openapi.endpoint_collections_by_tag.items():
        for endpoint in collection.endpoints:
            arguments: list[str] = []
            imports: set[str] = set()
            for prop in [*endpoint.path_parameters, *endpoint.query_parameters, *endpoint.header_parameters]:
                if prop.required:
                    arguments.append(f"{prop.python_name}={_sample(prop, imports)}")
            for body in endpoint.bodies[:1]:
                if body.prop.required:
                    arguments.append(f"body={_sample(body.prop, imports)}")
            return {
                "tag": str(tag),
                "module": _module_name(endpoint),
                "arguments": arguments,
                "imports": sorted(imports),
                "summary": str(endpoint.summary.get_untrusted_value() if endpoint.summary else ""),
            }
    return None


def _module_name(endpoint: Any) -> str:
    from openapi_python_client import strings

    return str(strings.PythonIdentifier(endpoint.name, "field_"))


def _sample(prop: Any, imports: set[str]) -> str:
    base = str(prop.get_base_type_string())
    if base in _SAMPLES:
        if base == "UUID":
            imports.add("from uuid import UUID")
        if base.startswith("datetime."):
            imports.add("import datetime")
        return _SAMPLES[base]
    class_info = getattr(prop, "class_info", None)
    required = getattr(prop, "required_properties", None)
    if class_info is not None and required is not None:
        imports.add(f"from {{package}}.models import {class_info.name}")
        inner = ", ".join(f"{p.python_name}={_sample(p, imports)}" for p in required)
        return f"{class_info.name}({inner})"
    return "..."


def _path_shape(path: str) -> str:
    """A path with its template names blanked: the generator renames `{keyName}` to `{key_name}`."""
    return re.sub(r"\{[^}/]*\}", "{}", path)


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
            detail = str(error.detail or "").strip().splitlines()
            for path in paths_by_method.get(method, []):
                if rest.startswith(f"{path} within "):
                    reasons[(method.lower(), path)] = detail[0] if detail else "unsupported by the generator"
    return reasons


def _collect_left_out(openapi: Any, doc: dict[str, Any]) -> list[LeftOut]:
    """Operations of `doc` for which the generator made no endpoint, with its reason."""
    made = Counter(
        (endpoint.method.lower(), _path_shape(endpoint.path.get_untrusted_value()))
        for collection in openapi.endpoint_collections_by_tag.values()
        for endpoint in collection.endpoints
    )
    reasons = _left_out_reasons(openapi, doc)
    left: list[LeftOut] = []
    for path, method, _op in iter_operations(doc):
        key = (method, _path_shape(path))
        if made[key] > 0 and (method, path) not in reasons:
            made[key] -= 1
            continue
        reason = reasons.get((method, path), "left out by the generator without a reason")
        left.append(LeftOut(f"{method.upper()} {path}", reason))
    return left


def content_type_overrides(doc: dict[str, Any]) -> dict[str, str]:
    """Media types the generator cannot read whose schema is bytes, read as `application/octet-stream`."""
    from codegen.transforms import is_binary_string, iter_bodies, media_kind

    return {
        str(content_type): "application/octet-stream"
        for _side, content in iter_bodies(doc)
        for content_type, media in content.items()
        if media_kind(str(content_type)) in {None, "text"}
        and isinstance(media, dict)
        and is_binary_string(media.get("schema"))
    }


def generate_client(
    doc: dict[str, Any],
    spec_path: Path,
    out_dir: Path,
    templates: Path,
    names: Names,
    version: str,
    context: TemplateContext,
) -> ClientResult:
    """Render the client distribution into out_dir (which must not exist)."""
    from openapi_python_client import Project
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
    openapi = GeneratorData.from_dict(doc, config=config)
    if isinstance(openapi, GeneratorError):
        raise CodegenError(
            f"openapi-python-client cannot read the document: {openapi.header}",
            where=str(spec_path),
            hint=str(openapi.detail or "fix the document or add a transform"),
        )
    project = Project(openapi=openapi, config=config, custom_template_path=templates)
    example = _readme_example(openapi)
    project.env.filters.update(code_filters())
    project.env.globals.update(codegen=context, readme_example=example)
    with contextlib.redirect_stdout(io.StringIO()):
        errors = project.build()
    fatal = [e for e in errors if e.level.value == "ERROR"]
    if fatal:
        raise CodegenError(
            f"openapi-python-client failed: {fatal[0].header}",
            where=str(spec_path),
            hint=str(fatal[0].detail or ""),
        )
    left_out = _collect_left_out(openapi, doc)
    warnings = [f"{e.header} {e.detail or ''}".strip() for e in openapi.errors]
    total = len(iter_operations(doc))
    return ClientResult(
        operations_total=total,
        operations_generated=total - len(left_out),
        left_out=left_out,
        warnings=warnings,
    )
