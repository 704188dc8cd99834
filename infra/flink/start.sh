#!/usr/bin/env bash
# Starts a standalone Flink session cluster on this machine, bound to 127.0.0.1: one JobManager
# and N TaskManagers, each its own JVM, from Flink's Maven Central jars (flink-dist is not there).
#
#   infra/flink/start.sh [--taskmanagers N] [--slots S] [--port REST_PORT] [--rpc-port RPC_PORT]
#
# Idempotent: with the cluster already up it prints the URL and only starts TaskManagers that are
# missing to reach N (so it also brings back a TaskManager that died). Returns once the REST API
# lists N TaskManagers. Stop with infra/flink/stop.sh. --slots: task slots of each TaskManager started
# (default config.yaml's 1); one slot keeps one core busy, so one TaskManager on a 2-core machine
# wants --slots 2.
#
# Config: infra/flink/conf/config.yaml. Jars in <repo>/.cache/flink/lib; the cluster's state in
# <repo>/.cache/flink/{log,run,tmp} (run: PID files, ports). GZ_FLINK_HOME moves the state, so a
# second cluster (e.g. the one a test starts, with other ports) does not touch the first.
# Environment: FLINK_REST_PORT, FLINK_RPC_PORT, FLINK_TASKMANAGERS, FLINK_TASK_SLOTS, FLINK_START_TIMEOUT (s, 120).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
CONF="$HERE/conf"
HOME_DIR="${GZ_FLINK_HOME:-$ROOT/.cache/flink}"
LIB="$ROOT/.cache/flink/lib" LOG="$HOME_DIR/log" RUN="$HOME_DIR/run" TMP="$HOME_DIR/tmp"
TASKMANAGERS="${FLINK_TASKMANAGERS:-1}"
SLOTS="${FLINK_TASK_SLOTS:-}"
REST_PORT="${FLINK_REST_PORT:-8081}"
RPC_PORT="${FLINK_RPC_PORT:-6123}"
TIMEOUT="${FLINK_START_TIMEOUT:-120}"
JM_CLASS=org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint
TM_CLASS=org.apache.flink.runtime.taskexecutor.TaskManagerRunner
BASH_JAVA_UTILS=org.apache.flink.runtime.util.bash.BashJavaUtils

usage() { sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --taskmanagers) TASKMANAGERS="$2"; shift 2 ;;
    --slots) SLOTS="$2"; shift 2 ;;
    --port) REST_PORT="$2"; shift 2 ;;
    --rpc-port) RPC_PORT="$2"; shift 2 ;;
    -h|--help) usage 0 ;;
    *) echo "start.sh: unknown argument '$1'" >&2; usage 2 >&2 ;;
  esac
done
[[ "$TASKMANAGERS" =~ ^[1-9][0-9]*$ ]] || { echo "start.sh: --taskmanagers needs a number >= 1" >&2; exit 2; }
[[ -z "$SLOTS" || "$SLOTS" =~ ^[1-9][0-9]*$ ]] || { echo "start.sh: --slots needs a number >= 1" >&2; exit 2; }
mkdir -p "$LOG" "$RUN" "$TMP"
touch "$TMP/.gz-flink-scratch" # stop.sh removes only a folder marked so

# A PID file is trusted only while that PID still runs the expected Flink class (PIDs get reused).
running() { # pidfile class
  local pid
  [ -f "$1" ] && pid="$(cat "$1")" && kill -0 "$pid" 2>/dev/null &&
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "$2"
}

version_of() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$ROOT/pom.xml"; }

fetch_lib() {
  # Versions live only in the root pom.xml; infra/flink/pom.xml takes them as properties. The
  # folder is fetched again when they or the jar list change (.complete holds what it was made from).
  local flink log4j djl pytorch made_from
  flink="$(version_of flink.version)" log4j="$(version_of flink.log4j.version)"
  djl="$(version_of djl.version)" pytorch="$(version_of pytorch.native.version)"
  made_from="$(cat "$HERE/pom.xml" <(echo "$flink $log4j $djl $pytorch") | sha256sum | cut -d' ' -f1)"
  [ "$(cat "$LIB/.complete" 2>/dev/null)" = "$made_from" ] && return 0
  echo "start.sh: fetching Flink $flink and DJL $djl jars from Maven Central into $LIB ..."
  rm -rf "$LIB.tmp"
  mkdir -p "$(dirname "$LIB")"
  mvn -B -q -f "$HERE/pom.xml" dependency:copy-dependencies -Dflink.version="$flink" \
    -Dflink.log4j.version="$log4j" -Ddjl.version="$djl" -Dpytorch.native.version="$pytorch" -DoutputDirectory="$LIB.tmp" \
    2>&1 | sed -u $'s/\e\\[0m//g' # Debian's Maven writes colour resets even in batch mode (see gz)
  echo "$made_from" > "$LIB.tmp/.complete"
  rm -rf "$LIB" && mv "$LIB.tmp" "$LIB"
}

# Per-run settings that config.yaml cannot know (ports chosen on the command line, folders).
set_dynamic() {
  DYNAMIC=(-D "rest.port=$REST_PORT" -D "jobmanager.rpc.port=$RPC_PORT" -D "io.tmp.dirs=$TMP" -D "web.tmpdir=$TMP")
}
set_dynamic

# Runs Flink's BashJavaUtils as Flink's own scripts do and prints its result lines.
bash_java_utils() { # command [args...]
  local out
  out="$(java -cp "$LIB/*" "$BASH_JAVA_UTILS" "$1" --configDir "$CONF" "${@:2}" "${DYNAMIC[@]}" 2>&1)" || {
    echo "start.sh: $BASH_JAVA_UTILS $1 failed:" >&2; echo "$out" >&2; exit 1; }
  echo "$out" | sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p'
}

config_value() { # key -> value from config.yaml (flattened by Flink itself)
  echo "$FLAT_CONFIG" | sed -n "s/^$1: //p" | head -n 1
}

rest_get() { curl -fsS --max-time 2 "http://127.0.0.1:$REST_PORT$1" 2>/dev/null; }

# Starts one Flink process in the background with the JVM arguments Flink's scripts would use.
launch() { # name class jvm_params dynamic_params [more Flink arguments...]
  local name="$1" class="$2" log="$LOG/flink-$1.log"
  # DJL inside tasks: never download, never phone home (see docs/FLINK.md).
  DJL_OFFLINE=true OPT_OUT_TRACKING=true FLINK_CONF_DIR="$CONF" FLINK_LIB_DIR="$LIB" \
    FLINK_PLUGINS_DIR="$HOME_DIR/plugins" \
    nohup java $3 $JAVA_OPTS -Dai.djl.offline=true \
      -Dlog.file="$log" -Dlog4j.configuration="file:$CONF/log4j.properties" \
      -Dlog4j.configurationFile="file:$CONF/log4j.properties" \
      -cp "$LIB/*" "$class" --configDir "$CONF" "${DYNAMIC[@]}" $4 "${@:5}" \
      >"$LOG/flink-$name.out" 2>&1 </dev/null &
  echo $! >"$RUN/$name.pid"
}

START=$(date +%s.%N)
START_MARK="$RUN/.start-mark"
touch -d "@${START%.*}" "$START_MARK"
fetch_lib
mkdir -p "$HOME_DIR/plugins"

if running "$RUN/jobmanager.pid" "$JM_CLASS"; then
  if [ "$(cat "$RUN/rest.port")" != "$REST_PORT" ]; then
    echo "start.sh: the running cluster uses REST port $(cat "$RUN/rest.port"), not $REST_PORT; stop.sh first to change it" >&2
  fi
  REST_PORT="$(cat "$RUN/rest.port")"
  RPC_PORT="$(cat "$RUN/rpc.port")"
  set_dynamic
  echo "start.sh: Flink JobManager already running (PID $(cat "$RUN/jobmanager.pid"))"
else
  if rest_get /overview >/dev/null || (echo >"/dev/tcp/127.0.0.1/$REST_PORT") 2>/dev/null; then
    echo "start.sh: port $REST_PORT is taken by a process this script did not start; pick another with --port" >&2
    exit 1
  fi
  rm -f "$RUN"/*.pid
  echo "$REST_PORT" >"$RUN/rest.port"
  echo "$RPC_PORT" >"$RUN/rpc.port"
fi

FLAT_CONFIG="$(bash_java_utils UPDATE_AND_GET_FLINK_CONFIGURATION -flatten)"
JAVA_OPTS="$(config_value env.java.opts.all)"

if ! running "$RUN/jobmanager.pid" "$JM_CLASS"; then
  mapfile -t JM_PARAMS < <(bash_java_utils GET_JM_RESOURCE_PARAMS | tail -n 2)
  launch jobmanager "$JM_CLASS" "${JM_PARAMS[0]}" "${JM_PARAMS[1]}"
  echo "start.sh: started JobManager (PID $(cat "$RUN/jobmanager.pid")), log $LOG/flink-jobmanager.log"
fi

# TaskManager i keeps its number (log file) across restarts; each start gets a fresh Flink resource
# id, so waiting for it below cannot be fooled by the registration of a killed predecessor.
started=0
TM_PARAMS=()
for ((i = 1; i <= TASKMANAGERS; i++)); do
  running "$RUN/taskmanager-$i.pid" "$TM_CLASS" && continue
  [ ${#TM_PARAMS[@]} -gt 0 ] || mapfile -t TM_PARAMS < <(bash_java_utils GET_TM_RESOURCE_PARAMS | tail -n 2)
  id="taskmanager-$i-$(date +%s)"
  launch "taskmanager-$i" "$TM_CLASS" "${TM_PARAMS[0]}" "${TM_PARAMS[1]}" -D "taskmanager.resource-id=$id" \
    ${SLOTS:+-D "taskmanager.numberOfTaskSlots=$SLOTS"}
  echo "$id" >"$RUN/taskmanager-$i.id"
  echo "start.sh: started TaskManager $i (PID $(cat "$RUN/taskmanager-$i.pid")), log $LOG/flink-taskmanager-$i.log"
  started=$((started + 1))
done

# Up means: the REST API answers and lists every TaskManager this script runs.
registered() {
  local listed f
  listed="$(rest_get /taskmanagers)" || return 1
  for f in "$RUN"/taskmanager-*.pid; do
    running "$f" "$TM_CLASS" || continue
    grep -q "\"id\":\"$(cat "${f%.pid}.id")\"" <<<"$listed" || return 1
  done
}
deadline=$(($(date +%s) + TIMEOUT))
until registered; do
  for f in "$RUN"/jobmanager.pid "$RUN"/taskmanager-*.pid; do
    class="$TM_CLASS"; [[ "$f" == *jobmanager.pid ]] && class="$JM_CLASS"
    name="$(basename "$f" .pid)"
    # Only processes this run started can fail start-up; an older dead one is restarted above.
    if [ "$f" -nt "$START_MARK" ] && ! running "$f" "$class"; then
      echo "start.sh: $name exited during start-up; last lines of $LOG/flink-$name.log:" >&2
      tail -n 20 "$LOG/flink-$name.log" "$LOG/flink-$name.out" >&2 2>/dev/null || true
      exit 1
    fi
  done
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "start.sh: the REST API on 127.0.0.1:$REST_PORT did not list the TaskManagers within ${TIMEOUT}s; see $LOG" >&2
    exit 1
  fi
  sleep 0.5
done

live=0
for f in "$RUN"/taskmanager-*.pid; do running "$f" "$TM_CLASS" && live=$((live + 1)); done
slots="$(rest_get /overview | sed -n 's/.*"slots-total":\([0-9]*\).*/\1/p')"
printf 'start.sh: Flink %s up in %.1fs: %s TaskManager(s), %s slot(s)%s\n' \
  "$(rest_get /config | sed -n 's/.*"flink-version":"\([^"]*\)".*/\1/p')" \
  "$(echo "$(date +%s.%N) - $START" | bc)" "$live" "$slots" \
  "$([ $started -eq 0 ] && echo ', nothing to start' || true)"
echo "start.sh: web UI and REST API: http://127.0.0.1:$REST_PORT  (--runner flink --flink-master 127.0.0.1:$REST_PORT)"
