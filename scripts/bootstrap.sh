#!/usr/bin/env bash
# Make .venv from requirements.lock (exact versions, hash-checked). Needs only python3 >= 3.11.
# Then install the pipeline (the `codegen` command) and the generated distributions editable into it
# (scripts/editables.py: offline, --no-deps, with the pinned hatchling).
# .venv/.tools-sha256 holds the lock's hash once the tools are installed (without it the venv is rebuilt);
# .venv/.lock-sha256, make's stamp, is written last, when everything is in place.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
venv=.venv
stamp=$venv/.lock-sha256
tools=$venv/.tools-sha256
want=$("$PYTHON" -c 'import hashlib,sys;print(hashlib.sha256(open("requirements.lock","rb").read()).hexdigest())')
if [ ! -f "$tools" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  cp "$stamp" "$tools"  # a venv made before the tools had their own stamp
fi
if [ ! -f "$tools" ] || [ "$(cat "$tools")" != "$want" ]; then
  if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "bootstrap: $PYTHON is $("$PYTHON" -V 2>&1); Python 3.11 or newer is needed (set PYTHON=/path/to/python3.11)." >&2
    exit 1
  fi
  echo "bootstrap: creating $venv from requirements.lock (first run only; takes a minute)"
  rm -rf "$venv"
  "$PYTHON" -m venv "$venv"
  # pip's notes about this machine's unused local indexes are noise; real errors still reach stderr.
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps \
    -r requirements.lock 2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
  echo "$want" > "$tools"
  echo "bootstrap: $venv ready"
fi
"$venv/bin/python" scripts/editables.py 2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
echo "$want" > "$stamp"  # newer than every input: make stops asking until one changes
