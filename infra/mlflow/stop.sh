#!/usr/bin/env bash
# Stops the MLflow tracking server started by start.sh (same GZ_CACHE_DIR / GZ_MLFLOW_STATE_DIR),
# with its uvicorn workers: start.sh puts them in one process group, killed here as a whole.
# Idempotent: with no server running it does nothing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${GZ_CACHE_DIR:-$ROOT/.cache}"
STATE="${GZ_MLFLOW_STATE_DIR:-$CACHE/mlflow/state}"
PID_FILE="$STATE/server.pid"

if [ ! -f "$PID_FILE" ]; then
  # Idempotent, but not silent: a server started with another GZ_MLFLOW_STATE_DIR is not this one.
  echo "mlflow: no server started by start.sh is recorded in $STATE (give GZ_MLFLOW_STATE_DIR / GZ_CACHE_DIR as when it was started)" >&2
  exit 0
fi
PID="$(cat "$PID_FILE")"
if kill -0 "$PID" 2>/dev/null; then
  kill -TERM -- "-$PID" 2>/dev/null || kill -TERM "$PID" 2>/dev/null || true
  for _ in $(seq 1 50); do
    kill -0 "$PID" 2>/dev/null || break
    sleep 0.2
  done
  # Still there after 10 s: force it, workers included.
  kill -KILL -- "-$PID" 2>/dev/null || true
  echo "mlflow: stopped the server (PID $PID)" >&2
else
  echo "mlflow: the server recorded in $STATE (PID $PID) is not running; forgot it" >&2
fi
rm -f "$PID_FILE"   # server.port stays: the next start.sh comes back on the same port
