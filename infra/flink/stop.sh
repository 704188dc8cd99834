#!/usr/bin/env bash
# Stops the Flink cluster that infra/flink/start.sh started: TaskManagers first, then the
# JobManager, each by the PID in its PID file (and only if that PID still runs Flink). SIGTERM,
# then SIGKILL after FLINK_STOP_TIMEOUT seconds (default 20). Safe to run when nothing runs.
#
#   infra/flink/stop.sh
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
RUN="${GZ_FLINK_HOME:-$ROOT/.cache/flink}/run"
TIMEOUT="${FLINK_STOP_TIMEOUT:-20}"

running() { # pid
  kill -0 "$1" 2>/dev/null && tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -q 'org\.apache\.flink\.runtime\.'
}

stop_one() { # pidfile
  local name pid
  name="$(basename "$1" .pid)"
  pid="$(cat "$1")"
  if running "$pid"; then
    kill "$pid"
    for ((t = 0; t < TIMEOUT * 10; t++)); do running "$pid" || break; sleep 0.1; done
    if running "$pid"; then
      echo "stop.sh: $name (PID $pid) ignored SIGTERM for ${TIMEOUT}s; killing it" >&2
      kill -9 "$pid"
    fi
    echo "stop.sh: stopped $name (PID $pid)"
  fi
  rm -f "$1" "${1%.pid}.id"
}

shopt -s nullglob
stopped=0
for f in "$RUN"/taskmanager-*.pid "$RUN"/jobmanager.pid; do
  [ -f "$f" ] || continue
  stop_one "$f"
  stopped=1
done
[ $stopped -eq 1 ] || echo "stop.sh: no Flink cluster was running"
