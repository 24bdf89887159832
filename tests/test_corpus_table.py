"""scripts/corpus_table.py (`make corpus-table`) counts what each generator really made, in one run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import REPO


def test_the_table_counts_each_generators_operations_and_imports(tmp_path: Path) -> None:
    """Two operations whose names clash in one tag: bare openapi-python-client keeps one, the pipeline both."""
    ok = {"204": {"description": "done"}}
    doc = {
        "openapi": "3.0.3",
        "info": {"title": "rules", "version": "1"},
        "paths": {
            "/fax/receipts": {"get": {"operationId": "List Rules", "tags": ["rules"], "responses": ok}},
            "/sms/inbound": {"get": {"operationId": "List rules", "tags": ["rules"], "responses": ok}},
        },
    }
    spec = tmp_path / "rules.json"
    spec.write_text(json.dumps(doc), encoding="utf-8")
    rows_file = tmp_path / "rows.json"
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "corpus_table.py"), "--spec", str(spec), "--json", str(rows_file)],
        env={**os.environ, "PYTHONPATH": str(REPO / "scripts")},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    [row] = json.loads(rows_file.read_text(encoding="utf-8"))
    assert row["spec"] == "rules.json" and row["operations"] == 2
    assert {k: row["bare"][k] for k in ("exit_ok", "generated", "imports", "ruff_clean")} == {
        "exit_ok": True,
        "generated": 1,
        "imports": True,
        "ruff_clean": True,
    }
    assert {k: row["ours"][k] for k in ("exit_ok", "generated", "imports", "ruff_clean")} == {
        "exit_ok": True,
        "generated": 2,
        "imports": True,
        "ruff_clean": True,
    }
    assert "| operations generated | 1 of 2 (1 left out) | 2 of 2 (0 left out) |" in result.stdout
    assert "| every operation, every module imports | 0 of 1 | 1 of 1 |" in result.stdout
