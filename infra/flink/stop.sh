#!/usr/bin/env bash
# Stops the Flink cluster that infra/flink/start.sh started: TaskManagers first, then the
# JobManager, each by the PID in its PID file (and only if that PID still runs Flink). SIGTERM,
# then SIGKILL after FLINK_STOP_TIMEOUT seconds (default 20). Then removes the cluster's scratch
# folder. Safe to run when nothing runs. Give it the GZ_FLINK_HOME that start.sh was given.
#
#   infra/flink/stop.sh
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
HOME_DIR="${GZ_FLINK_HOME:-$ROOT/.cache/flink}"
RUN="$HOME_DIR/run"
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
# A cluster started with another GZ_FLINK_HOME keeps its PID files there: say where we looked.
[ $stopped -eq 1 ] || echo "stop.sh: no Flink cluster of $HOME_DIR was running (no PID files in $RUN; a cluster started with another GZ_FLINK_HOME needs that one here too)"
# The processes' scratch (job jars in each TaskManager's blob cache, working folders; about 200 MB
# a job): a killed TaskManager cannot clean its own, and with every process stopped nothing uses it.
[ -f "$HOME_DIR/tmp/.gz-flink-scratch" ] && rm -rf "$HOME_DIR/tmp"
exit 0
