#!/usr/bin/env bash
# Starts a local MLflow tracking server (SQLite backend, artifacts served through the server's
# proxy) and prints its URL as the LAST line of stdout, so scripts can do
#   export MLFLOW_TRACKING_URI="$(infra/mlflow/start.sh | tail -n 1)"
# Idempotent: with the server already up it only prints the URL.
#
# Environment (all optional):
#   GZ_CACHE_DIR            where the virtualenv and server state live (default <repo>/.cache)
#   GZ_MLFLOW_PORT          port on 127.0.0.1 (default: the port this state folder's server was
#                           last started on, else 5000)
#   GZ_MLFLOW_STATE_DIR     database, artifacts, PID file and log (default $GZ_CACHE_DIR/mlflow/state)
#   GZ_MLFLOW_START_TIMEOUT seconds to wait for the server to answer (default 120)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${GZ_CACHE_DIR:-$ROOT/.cache}"
STATE="${GZ_MLFLOW_STATE_DIR:-$CACHE/mlflow/state}"
PORT_FILE="$STATE/server.port"
# One server per state folder, on the port it was last started on unless told otherwise: the URL
# that ./gz demo printed stays right across a stop and a start.
RECORDED_PORT="$(cat "$PORT_FILE" 2>/dev/null || true)"
PORT="${GZ_MLFLOW_PORT:-${RECORDED_PORT:-5000}}"
TIMEOUT="${GZ_MLFLOW_START_TIMEOUT:-120}"
PID_FILE="$STATE/server.pid"
LOG="$STATE/server.log"
URL="http://127.0.0.1:$PORT"

log() { echo "mlflow: $*" >&2; }
healthy() { curl -sf -m 5 "$URL/health" >/dev/null 2>&1; }
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }
our_server_running() { [ -s "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; }

# Waits until the server answers; fails with the log tail if it dies or stays silent.
wait_until_healthy() {
  local deadline=$((SECONDS + TIMEOUT))
  until healthy; do
    if ! our_server_running; then
      log "the server exited; last lines of $LOG:"
      tail -n 30 "$LOG" >&2
      exit 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "the server (PID $(cat "$PID_FILE")) did not answer $URL/health within ${TIMEOUT}s; last lines of $LOG:"
      tail -n 30 "$LOG" >&2
      log "stop it with infra/mlflow/stop.sh and start again"
      exit 1
    fi
    sleep 0.5
  done
}

# Already running (perhaps busy on a loaded machine): wait for it to answer, print the URL.
if our_server_running; then
  if [ -n "$RECORDED_PORT" ] && [ "$RECORDED_PORT" != "$PORT" ]; then
    log "this checkout's server (PID $(cat "$PID_FILE"), state in $STATE) already runs on port $RECORDED_PORT, not $PORT;"
    log "use GZ_MLFLOW_PORT=$RECORDED_PORT, or stop it with infra/mlflow/stop.sh first"
    exit 1
  fi
  wait_until_healthy
  echo "$URL"
  exit 0
fi
if port_in_use; then
  log "port $PORT on 127.0.0.1 is already used by another program; stop it or choose another port with GZ_MLFLOW_PORT=<port>"
  ss -ltnp 2>/dev/null | grep -E "(127\.0\.0\.1|\*|0\.0\.0\.0):$PORT " >&2 || true
  exit 1
fi

# Install once into a versioned virtualenv under $CACHE (install.sh, which prints its path).
VENV="$(GZ_CACHE_DIR="$CACHE" "$ROOT/infra/mlflow/install.sh" | tail -n 1)"

mkdir -p "$STATE/artifacts"
rm -f "$PID_FILE"
echo "$PORT" > "$PORT_FILE"
log "starting the tracking server on $URL (state in $STATE) ..."
# setsid: the server (uvicorn and its worker) gets its own process group, which stop.sh kills as a whole.
# One worker: the machine has two cores. Telemetry off: nothing may leave the machine. Job
# execution off: MLflow 3's GenAI job runner and its 7 huey consumers hold ~1.8 GB while idle (2.3
# GB in 9 processes vs 0.5 GB in 2, docs/BENCHMARKS.md), and nothing this project does uses them.
MLFLOW_DISABLE_TELEMETRY=true DO_NOT_TRACK=true \
  MLFLOW_SERVER_ENABLE_JOB_EXECUTION=false MLFLOW_SERVER_JOB_ENABLE_PERIODIC_TASKS=false \
  setsid bash -c 'echo $$ > "$0"; exec "$@"' "$PID_FILE" \
  "$VENV/bin/mlflow" server \
    --host 127.0.0.1 --port "$PORT" --workers 1 \
    --backend-store-uri "sqlite:///$STATE/mlflow.db" \
    --serve-artifacts --artifacts-destination "$STATE/artifacts" \
    >"$LOG" 2>&1 < /dev/null &

# The PID file appears once setsid has run; the wait needs it.
for _ in $(seq 1 100); do [ -s "$PID_FILE" ] && break; sleep 0.1; done
wait_until_healthy
log "up (PID $(cat "$PID_FILE"), log $LOG)"
echo "$URL"
