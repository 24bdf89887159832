"""Mock-side models: datamodel-code-generator (pydantic v2) rendered through templates/models/."""

from __future__ import annotations

import contextlib
import io
import warnings
from pathlib import Path
from typing import Any

from codegen.errors import CodegenError


def generate_models(doc: dict[str, Any], output: Path, templates: Path, header: str, source: str) -> None:
    """Write one pydantic v2 module for every schema of `doc` to `output`."""
    from datamodel_code_generator import DataModelType, InputFileType, generate

    output.parent.mkdir(parents=True, exist_ok=True)
    try:
        with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
            warnings.simplefilter("ignore")
            generate(
                doc,
                input_file_type=InputFileType.OpenAPI,
                output=output,
                output_model_type=DataModelType.PydanticV2BaseModel,
                custom_template_dir=templates,
                custom_file_header=f"# {header}",
                disable_timestamp=True,
                formatters=[],
                use_union_operator=True,
                target_python_version="3.10",
                use_schema_description=True,
                field_constraints=True,
                use_title_as_name=False,
                capitalise_enum_members=True,
            )
    except Exception as exc:  # the generator signals every input problem with its own exception types
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise CodegenError(
            f"datamodel-code-generator failed: {message}",
            where=source,
            hint="fix the schema named above, or add a transform in scripts/codegen/transforms.py",
        ) from None
