#!/usr/bin/env bash
# Fidelity to PyTorch (issue 12, item 6): trains the demo CNN (and ResNet-18) on the same ingested
# shards with the same settings in DJL (`gz train`) and in PyTorch itself (bench/fidelity_train.py),
# for several seeds each, and prints the validation RMSE at each evaluation point side by side, with
# each framework's mean and seed-to-seed spread of the final RMSE. The settings are written once,
# here, into both the gz config and the PyTorch flags. Results go to docs/BENCHMARKS.md by hand.
# By default PyTorch gets DJL's random streams for each seed (initial weights, batch order, dropout
# seeds: bench/FidelityStreams.java), so the two sides differ only in the framework; --streams own
# gives it its own (PyTorch's initialisation, shuffle and masks), which only more seeds can compare.
# --steps N: instead, the step-by-step comparison: the loss of each of the first N optimiser steps
# on both sides, same weights, batches and dropout masks.
# Runs PyTorch in the virtualenv of bench/pytorch-venv.sh (made on first use, about 5 GB).
# Usage: bench/fidelity.sh [--seeds 1,2,3] [--architectures custom-cnn,resnet18] [--count 2000]
#                          [--max-images 5120] [--resnet-max-images 2560] [--eval-every 1024]
#                          [--dropout 0.25] [--streams djl|own] [--steps N]
#                          (FIDELITY_WORK=<dir>: work there, reusing its data/ when present)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SEEDS=1,2,3 ARCHS=custom-cnn,resnet18 COUNT=2000 MAX_IMAGES=5120 RESNET_MAX_IMAGES=2560 EVAL_EVERY=1024 DROPOUT=0.25
STREAMS=djl STEPS=0
while [ $# -gt 0 ]; do
  case "$1" in
    --seeds) SEEDS="$2" ;; --architectures) ARCHS="$2" ;; --count) COUNT="$2" ;;
    --max-images) MAX_IMAGES="$2" ;; --resnet-max-images) RESNET_MAX_IMAGES="$2" ;; --eval-every) EVAL_EVERY="$2" ;;
    --dropout) DROPOUT="$2" ;; --streams) STREAMS="$2" ;; --steps) STEPS="$2" ;;
    *) echo "fidelity: unknown option $1" >&2; exit 2 ;;
  esac
  shift 2
done
case "$STREAMS" in djl | own) ;; *) echo "fidelity: --streams is djl or own, not $STREAMS" >&2; exit 2 ;; esac
# The settings both frameworks get: the demo CNN (configs/demo.yaml), Adam at a constant rate.
BATCH=64 LR=0.001 THREADS=2 FILTERS=16,32,64 DENSE=64

PYTHON="$("$ROOT/bench/pytorch-venv.sh" | tail -n 1)"
WORK="${FIDELITY_WORK:-$(mktemp -d)}"
echo "fidelity: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), work $WORK" >&2
# Offline tracking: each run's history is read from its local run folder.
unset MLFLOW_TRACKING_URI
export OMP_NUM_THREADS=$THREADS

# A synthetic set as the demo makes it, ingested at the default 69x69.
cat > "$WORK/data.yaml" <<YAML
extends: $ROOT/configs/base.yaml
experiment: gz-fidelity
stages: [synth, ingest]
synth:
  out: $WORK/synth
  count: $COUNT
  test-count: 10
  seed: 7
ingest:
  out: $WORK/data
YAML
if [ ! -f "$WORK/data/manifest.json" ]; then
  (cd "$ROOT" && GZ_RUNS_DIR="$WORK/runs-data" ./gz run --config "$WORK/data.yaml" >"$WORK/data.log" 2>&1) \
    || { tail -20 "$WORK/data.log" >&2; exit 1; }
fi

# DJL's random streams of a seed's config (and, for --steps, its first losses): FidelityStreams.java.
djl_streams() { # arch seed images steps
  (cd "$ROOT" && ./gz --version >/dev/null && export DJL_OFFLINE=true OPT_OUT_TRACKING=true \
    && java -Dai.djl.offline=true -cp "pipelines/target/classes:$(cat pipelines/target/gz.classpath)" \
      bench/FidelityStreams.java "$WORK/$1-$2.yaml" "$WORK/streams-$1-$2" "$3" "$4" >"$WORK/streams-$1-$2.log" 2>&1) \
    || { tail -20 "$WORK/streams-$1-$2.log" >&2; exit 1; }
}
pytorch() { # arch seed flags...
  local arch=$1 seed=$2
  shift 2
  "$PYTHON" "$ROOT/bench/fidelity_train.py" --data "$WORK/data" --architecture "$arch" \
    --filters "$FILTERS" --dense "$DENSE" --dropout "$DROPOUT" --batch-size "$BATCH" --lr "$LR" \
    --seed "$seed" --threads "$THREADS" "$@" 2>"$WORK/pytorch-$arch-$seed.log" \
    || { tail -20 "$WORK/pytorch-$arch-$seed.log" >&2; exit 1; }
}

for arch in ${ARCHS//,/ }; do
  budget=$MAX_IMAGES
  [ "$arch" = resnet18 ] && budget=$RESNET_MAX_IMAGES
  for seed in ${SEEDS//,/ }; do
    rm -rf "$WORK/runs-$arch-$seed"
    cat > "$WORK/$arch-$seed.yaml" <<YAML
extends: $ROOT/configs/base.yaml
experiment: gz-fidelity
train:
  data: $WORK/data
  run-name: fidelity-$arch-$seed
  architecture: $arch
  custom-cnn: {filters: [${FILTERS}], dense: [$DENSE], dropout: $DROPOUT}
  optimizer: {name: adam, lr: $LR}
  schedule: {name: constant}
  batch-size: $BATCH
  epochs: 1000
  max-images: $budget
  eval-every: $EVAL_EVERY
  val-max-images: 0
  seed: $seed
  device: cpu
YAML
    streams="$WORK/streams-$arch-$seed"
    if [ "$STEPS" -gt 0 ]; then
      djl_streams $arch $seed $(( STEPS * BATCH )) "$STEPS"
      pytorch $arch $seed --streams "$streams" --steps "$STEPS" > "$WORK/pytorch-steps-$arch-$seed.csv"
      echo; echo "$arch, seed $seed: training loss of each step, same weights, batches and dropout masks"; echo
      paste -d, "$streams/djl-steps.csv" "$WORK/pytorch-steps-$arch-$seed.csv" | awk -F, '
        NR == 1 { print "| step | DJL | PyTorch | PyTorch / DJL - 1 |"; print "| ---: | ---: | ---: | ---: |"; next }
        { printf "| %d | %.6f | %.6f | %+.1e |\n", $1, $2, $4, $4 / $2 - 1 }'
      continue
    fi
    start=$(date +%s)
    (cd "$ROOT" && GZ_RUNS_DIR="$WORK/runs-$arch-$seed" ./gz train --config "$WORK/$arch-$seed.yaml" \
      >"$WORK/djl-$arch-$seed.log" 2>&1) || { tail -20 "$WORK/djl-$arch-$seed.log" >&2; exit 1; }
    history="$(find "$WORK/runs-$arch-$seed" -name history.csv | head -n 1)"
    cut -d, -f1-3 "$history" > "$WORK/djl-$arch-$seed.csv"
    echo "fidelity: DJL $arch seed $seed: $(( $(date +%s) - start )) s" >&2
    flags=()
    if [ "$STREAMS" = djl ]; then
      djl_streams $arch $seed "$budget" 0
      flags=(--streams "$streams")
    fi
    start=$(date +%s)
    pytorch $arch $seed --max-images "$budget" --eval-every "$EVAL_EVERY" "${flags[@]}" > "$WORK/pytorch-$arch-$seed.csv"
    echo "fidelity: PyTorch $arch seed $seed: $(( $(date +%s) - start )) s" >&2
  done
done
[ "$STEPS" -gt 0 ] || "$PYTHON" "$ROOT/bench/fidelity_table.py" "$WORK" "$ARCHS" "$SEEDS"
