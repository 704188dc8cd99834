#!/usr/bin/env bash
# Installs MLflow (the server and its Python client) into a versioned virtualenv, once, and prints
# the virtualenv's path as the LAST line of stdout. start.sh runs it before starting the server;
# tests that check runs with MLflow's own Python client run it to find that client.
#
# Environment (optional):
#   GZ_CACHE_DIR  where the virtualenv lives (default <repo>/.cache)
set -euo pipefail

MLFLOW_VERSION=3.17.2   # the full server package; mlflow-skinny has no server
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${GZ_CACHE_DIR:-$ROOT/.cache}"
VENV="$CACHE/mlflow/venv-$MLFLOW_VERSION"

# The marker file is written last, so an interrupted install is redone instead of leaving a
# half-made environment that looks complete.
if [ ! -f "$VENV/.installed" ]; then
  echo "mlflow: installing mlflow $MLFLOW_VERSION into $VENV (first run, about a minute) ..." >&2
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check "mlflow==$MLFLOW_VERSION" >&2
  touch "$VENV/.installed"
fi
echo "$VENV"
