#!/usr/bin/env bash
# One TaskManager on a 2-core, 8 GB machine (docs/FLINK.md's advice): one task slot, Flink's default,
# or two (infra/flink/start.sh --slots 2)? For each, inside an 8 GiB memory limit
# (bench/memory-limit.sh) with the cluster started in it: gz ingest and gz predict of N raw test
# images on the cluster, and the peak memory of every process together. Run it on an otherwise idle
# machine; the load is printed with each line.
#
#   bench/flink-slots.sh [--count N (20000)] [--port P (8093)]
#
# The images (synthetic, seed 9) and a model (the demo CNN, one epoch over 2,000 labelled images)
# are made once under .cache/bench/slots and reused.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
COUNT=20000 PORT=8093
while [ $# -gt 0 ]; do
  case "$1" in
    --count) COUNT="$2"; shift 2 ;;
    --port) PORT="$2"; shift 2 ;;
    *) echo "usage: $0 [--count N] [--port P]" >&2; exit 2 ;;
  esac
done
cd "$ROOT"
WORK="$ROOT/.cache/bench/slots"
DATA="$WORK/synth$COUNT"
mkdir -p "$WORK"
export GZ_RUNS_DIR="$WORK/runs" # a local run folder of its own: no MLflow server needed
unset MLFLOW_TRACKING_URI
if [ ! -f "$DATA/truth.json" ]; then
  ./gz synth --out "$DATA" --count 2000 --test-count "$COUNT" --seed 9 --experiment gz-bench-slots >"$WORK/synth.log"
fi
if [ ! -s "$WORK/model-run" ]; then
  ./gz ingest --images "$DATA/images_training_rev1" --labels "$DATA/training_solutions_rev1.csv" --out "$WORK/labelled" \
    --experiment gz-bench-slots >"$WORK/ingest-labelled.log" 2>&1
  ./gz train --config configs/demo.yaml --data "$WORK/labelled" --set train.epochs=1 --experiment gz-bench-slots \
    >"$WORK/train.log" 2>&1
  sed -n 's/^run \([0-9a-f]*\): model in .*/\1/p' "$WORK/train.log" >"$WORK/model-run"
fi
MODEL="$(cat "$WORK/model-run")"
./gz ingest --runner flink --flink-master "127.0.0.1:$PORT" --help >/dev/null # builds the job jar outside the timings

# One cluster size, all inside the memory limit: start, ingest, predict, stop.
cat >"$WORK/one.sh" <<EOF
#!/usr/bin/env bash
set -euo pipefail
cd "$ROOT"
export GZ_FLINK_HOME="$WORK/flink-\$1"
trap 'infra/flink/stop.sh >/dev/null' EXIT
infra/flink/start.sh --taskmanagers 1 --slots "\$1" --port $PORT --rpc-port $((PORT + 1000)) >/dev/null
for stage in ingest predict; do
  rm -rf "$WORK/out-\$1-\$stage"*
  t=\$(date +%s.%N)
  if [ \$stage = ingest ]; then
    ./gz ingest --images "$DATA/images_test_rev1" --out "$WORK/out-\$1-ingest" --runner flink \
      --flink-master 127.0.0.1:$PORT --experiment gz-bench-slots >"$WORK/\$stage-\$1.log" 2>&1
  else
    ./gz predict --model $MODEL --images "$DATA/images_test_rev1" --out "$WORK/out-\$1-predict.csv" --runner flink \
      --flink-master 127.0.0.1:$PORT --experiment gz-bench-slots >"$WORK/\$stage-\$1.log" 2>&1
  fi
  printf '%-5s %-8s %6d %8.1f %8.1f   %s\n' "\$1" \$stage $COUNT "\$(echo "\$(date +%s.%N) - \$t" | bc)" \
    "\$(echo "$COUNT / (\$(date +%s.%N) - \$t)" | bc -l)" "\$(cut -d' ' -f1-3 /proc/loadavg)"
done
EOF
chmod +x "$WORK/one.sh"

echo "slots stage    images  seconds images/s   load"
for slots in 1 2; do
  bench/memory-limit.sh 8G "$WORK/one.sh" "$slots" 2>&1 | grep -v '^start.sh\|^stop.sh'
done
if cmp -s <(sort "$WORK/out-1-predict.csv") <(sort "$WORK/out-2-predict.csv"); then
  echo "predictions: the same rows with 1 and 2 slots"
else
  echo "predictions differ between 1 and 2 slots: compare $WORK/out-1-predict.csv and out-2-predict.csv"
fi
