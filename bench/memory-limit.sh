#!/usr/bin/env bash
# Runs a command as if on a machine with LIMIT of memory (e.g. the 8 GB laptop of DESIGN.md), in a
# memory cgroup, and says whether it fitted: how often the kernel's OOM killer struck inside the
# group, and the peak of the group's process memory (anonymous memory, sampled every second; the
# page cache counts against a cgroup's limit too, but the kernel drops it under pressure, so it is
# not what decides whether a job fits). Every process the command starts (an MLflow server, gz's
# JVMs) is inside the group.
#
# Written by hand: no packaged tool both limits a process tree's memory and reports its peak and
# OOM kills, on cgroup v1 and v2 alike.
#
# Usage: bench/memory-limit.sh 8G COMMAND [ARGS...]
#   e.g. bench/memory-limit.sh 8G env GZ_BEAM_HEAP=-Xmx6g GZ_TRAIN_HEAP=-Xmx6g bench/full-scale.sh
# On cgroup v2 systemd-run makes the group (any user); on cgroup v1 it needs root. Tried here on
# cgroup v1 only (the 2-core machine of docs/BENCHMARKS.md).
set -euo pipefail
if [ $# -lt 2 ]; then
  sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
  exit 2
fi
LIMIT="$1"
shift
BYTES="$(numfmt --from=iec "$LIMIT")"

ORIGINAL=""
if [ -f /sys/fs/cgroup/cgroup.controllers ]; then # cgroup v2: systemd makes and removes the group
  if [ -z "${GZ_MEMORY_LIMIT_SCOPE:-}" ]; then
    user=(--user)
    [ "$(id -u)" = 0 ] && user=()
    exec systemd-run "${user[@]}" --scope --quiet -p MemoryMax="$BYTES" -p MemorySwapMax=0 \
      env GZ_MEMORY_LIMIT_SCOPE=1 "$0" "$LIMIT" "$@"
  fi
  GROUP="/sys/fs/cgroup$(cut -d: -f3- /proc/self/cgroup | head -n 1)"
else
  [ "$(id -u)" = 0 ] || { echo "memory-limit: on cgroup v1 this needs root" >&2; exit 2; }
  ORIGINAL="/sys/fs/cgroup/memory$(awk -F: '$2 == "memory" {print $3}' /proc/self/cgroup)"
  GROUP="/sys/fs/cgroup/memory/gz-memory-limit-$$"
  mkdir "$GROUP"
  echo "$BYTES" >"$GROUP/memory.limit_in_bytes"
  echo $$ >"$GROUP/cgroup.procs"
fi

if [ -f "$GROUP/memory.events" ]; then
  anon() { awk '$1 == "anon" {print $2}' "$GROUP/memory.stat"; }
  oom_kills() { awk '$1 == "oom_kill" {print $2}' "$GROUP/memory.events"; }
else
  anon() { awk '$1 == "total_rss" {print $2}' "$GROUP/memory.stat"; }
  oom_kills() { awk '$1 == "oom_kill" {print $2}' "$GROUP/memory.oom_control"; }
fi

PEAK_FILE="$(mktemp)"
echo 0 >"$PEAK_FILE"
touch "$PEAK_FILE.sampling"
while [ -e "$PEAK_FILE.sampling" ]; do
  a="$(anon)"
  [ "$a" -gt "$(cat "$PEAK_FILE")" ] && echo "$a" >"$PEAK_FILE"
  sleep 1
done &
SAMPLER=$!
set +e
"$@"
rc=$?
set -e
rm -f "$PEAK_FILE.sampling"
wait "$SAMPLER"
echo "memory-limit: '$*' exited $rc in a $LIMIT memory limit: peak process memory $(numfmt --to=iec "$(cat "$PEAK_FILE")")," \
  "OOM kills $(oom_kills)" >&2
rm -f "$PEAK_FILE"
if [ -n "$ORIGINAL" ]; then
  echo $$ >"$ORIGINAL/cgroup.procs"
  rmdir "$GROUP" 2>/dev/null || echo "memory-limit: $GROUP kept: processes the command started still run in it" >&2
fi
exit "$rc"
