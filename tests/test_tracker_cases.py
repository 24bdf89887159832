"""Bug reports from the public trackers of openapi-python-client and datamodel-code-generator, as fixtures.

Each file of tests/fixtures/tracker/ restates one report's small spec in our own words and names the upstream
issue in `info.x-tracker` (file names start with the project and the issue number). Every one goes through
the real CLI: every operation generated, nothing left out, every module of client and mock imports, ruff
E9/F clean; where the report was about behaviour, the generated client or mock model is exercised too.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FIXTURES, run_codegen
from corpus_helpers import assert_generated_in_full
from mock_process import imported_package

CASES = sorted((FIXTURES / "tracker").glob("*.yaml"))
PROJECTS = {"opc": "openapi-python-client", "dmcg": "datamodel-code-generator"}


@contextmanager
def models(out: Path, stem: str, side: str) -> Iterator[Any]:
    """The `models` module of the generated client or mock, importable while the block runs (its models import
    each other lazily), forgotten afterwards."""
    package = f"{stem}_{side}"
    with imported_package(out / f"{stem.replace('_', '-')}-{side}", package):
        yield importlib.import_module(f"{package}.models")


def nullable_enum_reads_null(out: Path, stem: str) -> None:
    with models(out, stem, "client") as c:
        assert c.Alert.from_dict({"source": None}).to_dict() == {"source": None}
        assert c.Alert.from_dict({"source": "manual"}).to_dict() == {"source": "manual"}
    with models(out, stem, "mock") as m:
        assert m.Alert.model_validate({"source": None}).model_dump(mode="json") == {"source": None}


def null_only_enum_reads_null(out: Path, stem: str) -> None:
    with models(out, stem, "client") as c:
        assert c.Note.from_dict({"archived": None}).to_dict() == {"archived": None}


def digit_names_round_trip(out: Path, stem: str) -> None:
    wire = {"1Q": {"north": 1}, "2Q": {}, "24h_total": 2.5}
    with models(out, stem, "client") as c:
        assert c.Revenue.from_dict(wire).to_dict() == wire
    with models(out, stem, "mock") as m:
        assert m.Revenue.model_validate(wire).model_dump(by_alias=True, exclude_unset=True) == wire


def allof_alias_inherits(out: Path, stem: str) -> None:
    with models(out, stem, "client") as c:
        truck = c.Truck.from_dict({"serial": "T-1", "payload_kg": 900})
    assert (truck.serial, truck.payload_kg) == ("T-1", 900)


def allof_same_property_merges(out: Path, stem: str) -> None:
    wire = {"meta": {"revision": 3}, "brightness": 70, "volume": 11}
    with models(out, stem, "client") as c:
        assert c.GetSettingsResponse200.from_dict(wire).to_dict() == wire


def attribute_names_are_fields(out: Path, stem: str) -> None:
    wire = {"register": "a", "schema": "s", "copy": True, "json": "{}", "model_fields": 1}
    with models(out, stem, "mock") as m:
        assert m.Entry.model_validate(wire).model_dump(by_alias=True) == wire
    with models(out, stem, "client") as c:
        assert c.Entry.from_dict(wire).to_dict() == wire


def keyword_names_are_fields(out: Path, stem: str) -> None:
    wire = {"Global": {}, "from": "a", "class": "b", "None": True}
    with models(out, stem, "client") as c:
        assert c.Mode.from_dict(wire).to_dict() == wire
    with models(out, stem, "mock") as m:
        assert m.Mode.model_validate(wire).model_dump(by_alias=True, exclude_unset=True) == wire


def hostnames_validate(out: Path, stem: str) -> None:
    with models(out, stem, "mock") as m:
        host = m.Host.model_validate({"name": "api.example.com", "aliases": ["bücher.example"]})
    assert host.name == "api.example.com"


def keyword_schema_names_are_classes(out: Path, stem: str) -> None:
    with models(out, stem, "client") as c:
        assert {"None_", "False_", "True_"} <= set(dir(c))
        assert c.None_.from_dict({"why": "unset"}).to_dict() == {"why": "unset"}


def component_path_parameter_is_an_argument(out: Path, stem: str) -> None:
    package = f"{stem}_client"
    with imported_package(out / f"{stem.replace('_', '-')}-client", package):
        resources = importlib.import_module(f"{package}.resources.dongles")  # untagged: grouped by path segment
    source = Path(str(resources.__file__)).read_text(encoding="utf-8")
    assert re.search(r"def get\(\s*self,\s*mac_address: str,", source)  # getDongle in `dongles`: get


BEHAVIOUR: dict[str, Callable[[Path, str], None]] = {
    "opc_1405": nullable_enum_reads_null,
    "opc_500": null_only_enum_reads_null,
    "opc_203": digit_names_round_trip,
    "opc_1091": allof_alias_inherits,
    "opc_1083": allof_same_property_merges,
    "opc_1194": component_path_parameter_is_an_argument,
    "dmcg_455": attribute_names_are_fields,
    "dmcg_385": keyword_names_are_fields,
    "dmcg_1449": hostnames_validate,
    "dmcg_798": keyword_schema_names_are_classes,
}


def test_ten_reports_each_with_its_upstream_issue() -> None:
    assert len(CASES) >= 10
    for case in CASES:
        project, number = case.stem.split("_")[:2]
        info = yaml.safe_load(case.read_text(encoding="utf-8"))["info"]
        assert info["x-tracker"] == f"{PROJECTS[project]}#{number}", case.name
        assert f"{project}_{number}" in BEHAVIOUR, case.name


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_tracker_case_generates_imports_and_behaves(case: Path, tmp_path: Path) -> None:
    stem = "t_" + case.stem
    out = tmp_path / "out"
    result = run_codegen("generate", "--spec", str(case), "--out", str(out), "--name", stem, timeout=300)
    assert "Traceback" not in result.stderr
    assert_generated_in_full(result, stem, out)  # every operation, every module imports, ruff E9/F clean
    BEHAVIOUR["_".join(case.stem.split("_")[:2])](out, stem)
