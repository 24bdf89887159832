"""The mock's README, rendered after both sides are generated: it names the client call of each route.

The mock side (models + app) runs beside the client on the second core and never sees the client view;
the README is the one file that needs both. Its calls are rendered by client_reference.call_text (the
function api.md's calls come from), and its `Prefer` example calls a real operation with the sample
values of the client's README (client_examples.example_call).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from codegen.client_examples import ExampleCall, Samples, example_call
from codegen.client_model import ClientView
from codegen.client_reference import written_calls
from codegen.mock_gen import README_TEMPLATE
from codegen.mock_model import MockView, Operation
from codegen.render import TemplateContext, template_environment


@dataclass(frozen=True)
class PreferExample:
    """`client.<resource>.<method>(..., extra_headers={"Prefer": "code=<code>"})` for one real operation."""

    call: ExampleCall
    code: str  # a status the operation documents besides its default answer


@dataclass(frozen=True)
class ClientCalls:
    """What the mock's README shows of the client: each route's call, and one `Prefer` example."""

    calls: dict[str, str] = field(default_factory=dict)  # `client.<resource>.<name>` → call with its arguments
    prefer: PreferExample | None = None
    credential_args: tuple[str, ...] = ()  # the client's credential arguments: the mock takes any non-empty value


def _other_code(operation: Operation) -> str | None:
    """A documented numeric status other than the default answer: 422 (a validation error, what tests most
    often script), else the lowest 4xx/5xx, else any other."""
    codes = sorted(r.key for r in operation.responses if r.key.isdigit() and r.key != operation.default_response)
    if "422" in codes:
        return "422"
    return next((code for code in codes if code >= "400"), codes[0] if codes else None)


def client_calls(mock: MockView, client: ClientView | None) -> ClientCalls:
    """The client's side of the mock's README; empty when no client was generated."""
    if client is None:
        return ClientCalls()
    methods = {(r.attribute, op.name): (r, op) for r in client.resources for op in r.operations}
    showcase = (client.example.resource, client.example.method) if client.example else None
    candidates = sorted(
        (o for o in mock.operations if (o.resource, o.method_name) in methods and _other_code(o)),
        key=lambda o: (o.resource, o.method_name) != showcase,  # the client README's own example first
    )
    prefer = None
    if candidates:
        chosen = candidates[0]
        samples = Samples({m.ref.name: m for m in client.models}, {e.ref.name: e for e in client.enums})
        call = example_call(*methods[(chosen.resource, chosen.method_name)], samples)
        prefer = PreferExample(call, _other_code(chosen) or "")
    credential_args = tuple(arg for credential in client.credentials for arg in credential.args)
    return ClientCalls(written_calls(client), prefer, credential_args)


def write_readme(out: Path, templates: Path, context: TemplateContext, mock: MockView, client: ClientCalls) -> Path:
    """Render templates/mock/README.md.jinja into `out` (the mock's distribution folder)."""
    env = template_environment(templates)
    target = out / README_TEMPLATE.removesuffix(".jinja")
    variables = {"codegen": context, "package": context.names.mock_package, "mock": mock, "client": client}
    target.write_text(env.get_template(README_TEMPLATE).render(**variables), encoding="utf-8")
    return target
