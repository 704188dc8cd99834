#!/usr/bin/env bash
# Installs MLflow (the server and its Python client) into a versioned virtualenv, once
# (infra/python-venv.sh), and prints the virtualenv's path as the LAST line of stdout. start.sh
# runs it before starting the server; tests that check runs with MLflow's own Python client run it
# to find that client.
#
# Environment (optional):
#   GZ_CACHE_DIR  where the virtualenv lives (default <repo>/.cache)
set -euo pipefail

MLFLOW_VERSION=3.17.2   # the full server package; mlflow-skinny has no server
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="${GZ_CACHE_DIR:-$ROOT/.cache}/mlflow/venv-$MLFLOW_VERSION"
"$ROOT/infra/python-venv.sh" "$VENV" "mlflow==$MLFLOW_VERSION" >/dev/null
echo "$VENV"
