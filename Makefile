# The command surface. Each target is one line into scripts/; `make help` lists them.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Bytecode caching stays on for our own modules even where the environment turns it off:
# a no-op regenerate is mostly interpreter start-up and imports.
CODEGEN := PYTHONPATH=scripts PYTHONDONTWRITEBYTECODE= $(PY) -m codegen
STAMP := $(VENV)/.lock-sha256
WORKERS ?= 2  # pytest-xdist processes for `make test`: CI has two cores
# Hand-written Python: the pipeline, its tests, and the runtime copied into every generated client.
LINTED := scripts tests templates/client/runtime

.DEFAULT_GOAL := help
.PHONY: help bootstrap regenerate test check-drift update-spec snapshots corpus peer-specs corpus-table lint fmt lock bench mock build publish

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

# pyproject.toml: the editable installs follow its names and version (scripts/editables.py).
$(STAMP): requirements.lock scripts/bootstrap.sh scripts/editables.py pyproject.toml
	@PYTHON=$(PYTHON) scripts/bootstrap.sh

bootstrap: $(STAMP) ## create .venv from requirements.lock, install codegen and generated/ editable (every target does it)

regenerate: $(STAMP) ## regenerate generated/ from spec/ + overlays + templates (FORCE=1 even if unchanged)
	@$(CODEGEN) regenerate

test: $(STAMP) ## run every test (pytest on WORKERS=2 processes; PYTEST_ARGS="-k name -x" passes options)
	@PYTHONPATH=scripts $(PY) -m pytest -n $(WORKERS) $(PYTEST_ARGS)

check-drift: $(STAMP) ## fail if generated/ differs from what the pinned inputs generate
	@$(CODEGEN) check-drift

update-spec: $(STAMP) ## pin a new spec (SPEC_URL=... or SPEC_FILE=...), validate, regenerate
	@$(CODEGEN) update-spec $(if $(SPEC_FILE),--file "$(SPEC_FILE)") $(if $(SPEC_URL),--url "$(SPEC_URL)")

snapshots: $(STAMP) ## rewrite the golden snapshots under tests/snapshots (review the diff)
	@PYTHONPATH=scripts $(PY) -m pytest tests/test_snapshots.py --update-snapshots -q

corpus: $(STAMP) ## the corpus test on all 140 real-world specs (make test runs 40 of them), WORKERS processes
	@PYTHONPATH=scripts $(PY) -m pytest tests/test_corpus.py --corpus-all -n $(WORKERS) -q $(PYTEST_ARGS)

peer-specs: $(STAMP) ## the 289 peer generators' test documents: valid ones generate in full, invalid ones get one clear error
	@PYTHONPATH=scripts $(PY) -m pytest tests/test_peer_specs.py --peer-specs -n $(WORKERS) -q $(PYTEST_ARGS)

corpus-table: $(STAMP) ## README's real-world table: bare openapi-python-client beside this pipeline on the 140 specs
	@PYTHONPATH=scripts $(PY) scripts/corpus_table.py --workers $(WORKERS)

bench: $(STAMP) ## benchmarks as ratios: client import and per-request overhead vs httpx, pipeline speed
	@PYTHONPATH=scripts $(PY) scripts/bench.py

lint: $(STAMP) ## ruff and mypy --strict over scripts/, tests/ and the client runtime (templates/client/runtime)
	@$(PY) -m ruff check $(LINTED) && $(PY) -m ruff format --check $(LINTED) && $(PY) -m mypy

fmt: $(STAMP) ## ruff format and fix scripts/, tests/ and the client runtime
	@$(PY) -m ruff check --fix $(LINTED); $(PY) -m ruff format $(LINTED)

lock: ## re-lock requirements.lock from pyproject.toml (needs uv on PATH)
	uv pip compile pyproject.toml --generate-hashes --universal --python-version 3.11 -o requirements.lock -q --custom-compile-command "make lock"

mock: $(STAMP) ## serve the generated mock on 127.0.0.1:4010 (PORT= to change); Ctrl-C, or killing make, stops it
	@exec $(PY) scripts/mock_server.py $(if $(PORT),--port "$(PORT)")

build: $(STAMP) ## sdist + wheel of the client into dist/, twine check, then the wheel installed and called in a fresh venv
	@$(PY) scripts/release.py build && PYTHONPATH=scripts $(PY) -m pytest tests/test_release.py -q -k wheel

publish: $(STAMP) ## build and upload to TWINE_REPOSITORY_URL (default: the public index; token in TWINE_PASSWORD); refuses a dirty tree or a released version
	@$(PY) scripts/release.py publish
