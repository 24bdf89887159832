"""Mock-side models: datamodel-code-generator (pydantic v2) rendered through templates/models/."""

from __future__ import annotations

import contextlib
import io
import json
import warnings
from pathlib import Path
from typing import Any

from codegen.errors import CodegenError
from codegen.mock_patterns import LeftOutPattern, fit_patterns

# String formats generated as plain `str`, because pydantic's types for them need optional extras.
PLAIN_STRING_FORMATS = ("email=string", "idn-email=string")

EMPTY_MODELS = '"""No models: the document defines no schemas."""\n'


def has_schemas(doc: dict[str, Any]) -> bool:
    components = doc.get("components")
    return isinstance(components, dict) and isinstance(components.get("schemas"), dict) and bool(components["schemas"])


def as_request_schemas(doc: dict[str, Any]) -> int:
    """Shape the mock's models for what they validate, request bodies, by the spec model's schema facts:
    a readOnly property is never required in a request (responses are sampled from the document
    itself, where it stays required), and a property whose `$ref` target is nullable (3.0 `nullable`
    on the target) accepts null, as the client does. Returns how many properties changed."""
    from codegen.schema_facts import Resolver
    from codegen.spec_walk import iter_schemas

    resolver = Resolver(doc)
    changed = 0
    for schema in iter_schemas(doc):
        properties = schema.get("properties")
        if not isinstance(properties, dict):
            continue
        required = schema.get("required")
        if isinstance(required, list):
            kept = [n for n in required if not (n in properties and resolver.facts(properties[n]).read_only)]
            changed += len(required) - len(kept)
            schema["required"] = kept
            if not kept:
                del schema["required"]
        for key, prop in list(properties.items()):
            if isinstance(prop, dict) and "$ref" in prop and resolver.nullable(prop):
                # 3.0 ignores siblings of `$ref`, and the model generator drops `nullable` beside a
                # one-member anyOf: a null member is the form it honours (`Owner | None`).
                properties[key] = {"anyOf": [prop, {"type": "null"}]}
                changed += 1
    return changed


def readable_descriptions(doc: dict[str, Any]) -> int:
    """Schema descriptions as readable text (text.description_text: HTML → Markdown), since the model
    generator writes them into docstrings and `Field(description=…)`. Returns how many changed."""
    from codegen.spec_walk import iter_schemas
    from codegen.text import description_text

    changed = 0
    for schema in iter_schemas(doc):
        description = schema.get("description")
        if isinstance(description, str) and (text := description_text(description)) != description:
            schema["description"] = text
            changed += 1
    return changed


def generate_models(
    doc: dict[str, Any], output: Path, templates: Path, header: str, source: str, scratch: Path
) -> tuple[Path | None, list[LeftOutPattern]]:
    """Write one pydantic v2 module for every schema of `doc` to `output`; returns the path of the generator's
    model metadata (each class with its schema's `$ref`, which the mock uses to find a request body's class),
    or None when the document has no schemas, and the patterns left out of the models
    (mock_patterns.fit_patterns), for the run's `narrowed:` lines.

    `scratch` is an empty folder of this run's own (inside its staging folder). The generator reads the document
    from a file there, with remote references off: a reference it would resolve outside the document (which
    checks.find_bad_references refuses before any generator runs) can reach neither a URL nor a file outside
    that folder, which holds nothing else. Raises CodegenError when the generator rejects the document.
    """
    from datamodel_code_generator import generate
    from datamodel_code_generator.enums import DataModelType, InputFileType
    from datamodel_code_generator.format import PythonVersion

    output.parent.mkdir(parents=True, exist_ok=True)
    if not has_schemas(doc):  # the generator refuses a document without schemas; the mock still imports models
        output.write_text(f"# {header}\n{EMPTY_MODELS}", encoding="utf-8")
        return None, []
    left_out = fit_patterns(doc)
    as_request_schemas(doc)
    readable_descriptions(doc)
    document = scratch / "document.json"
    document.write_text(json.dumps(doc), encoding="utf-8")
    metadata = scratch / "models-metadata.json"
    try:
        with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
            warnings.simplefilter("ignore")
            generate(
                document,
                input_file_type=InputFileType.OpenAPI,
                output=output,
                output_model_type=DataModelType.PydanticV2BaseModel,
                custom_template_dir=templates,
                custom_file_header=f"# {header}",
                disable_timestamp=True,
                formatters=[],
                use_union_operator=True,
                target_python_version=PythonVersion.PY_310,
                use_schema_description=True,
                field_constraints=True,
                use_title_as_name=False,
                capitalise_enum_members=True,
                set_default_enum_member=True,  # `unit: Unit | None = Unit.CM`, not the raw "cm" mypy rejects
                treat_dot_as_module=False,  # `com.example.Foo` is one schema name, not a module path
                type_mappings=list(PLAIN_STRING_FORMATS),  # EmailStr needs email-validator, not a mock dependency
                emit_model_metadata=metadata,
                allow_remote_refs=False,  # no URL, and no file outside `scratch`, is ever read
                allow_private_network=False,
            )
    except Exception as exc:  # the generator signals every input problem with its own exception types
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise CodegenError(
            f"datamodel-code-generator failed: {message}",
            where=source,
            hint="fix the schema named above, or add a transform in scripts/codegen/transforms.py",
        ) from None
    return metadata, left_out
