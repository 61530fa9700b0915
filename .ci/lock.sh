#!/usr/bin/env bash
# Regenerate requirements.lock: every runtime dependency of the container image (pi-scanner with the
# postgres, mysql, s3, formats and dask extras: Dask workers run from the same image), pinned with
# hashes. Commit the result with the change that needed it; the image installs with `pip install --require-hashes -r requirements.lock`.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
"$PY" -m uv pip compile pyproject.toml \
    --extra postgres --extra mysql --extra s3 --extra formats --extra dask \
    --python-version 3.11 --python-platform linux --generate-hashes \
    --custom-compile-command ".ci/lock.sh" -o requirements.lock "$@"
