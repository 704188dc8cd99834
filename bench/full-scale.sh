#!/usr/bin/env bash
# The whole lab at the real dataset's size: a synthetic set of exactly the Kaggle size (61,578
# labelled + 79,975 test images, 424x424), generated once, then ingest, explore, the mean baseline,
# a custom-CNN training on a fixed image budget (configs/demo.yaml's network, 20,000 images),
# evaluate, mergers over all the test images and gz predict, on the Direct runner, then the same as
# one `gz run` of a config (one JVM, as a user runs a study). Beam stages run with
# GZ_JAVA_OPTS=-Xmx1g, training and the study with -Xmx2g (tensors are native memory, counted in the
# RSS), so the lab fits an 8 GB machine; bench/memory-limit.sh runs it inside a real 8 GB limit, e.g.
# with gz's default heap:
#   bench/memory-limit.sh 8G env GZ_BEAM_HEAP=-Xmx6g GZ_TRAIN_HEAP=-Xmx6g bench/full-scale.sh
#
# For each stage it records wall time, CPU time (user + sys), peak RSS (/usr/bin/time) and images/s,
# and prints a markdown table (also written to $GZ_FULL_SCALE_DIR/table.md) with the machine's load,
# plus the projected training time of configs/resnet18-best.yaml for its epochs on this machine,
# from a short ResNet-18 probe's images/s.
#
# Resumable: a stage that finished is not run again (its measurement is kept in
# $GZ_FULL_SCALE_DIR/stages/<stage>.time); delete that file to redo a stage. A killed run continues
# from the stage it was in.
#
# Usage: bench/full-scale.sh            (needs ~45 GB of disk under $GZ_FULL_SCALE_DIR)
#   GZ_FULL_SCALE_DIR  data and outputs (default /var/tmp/gz-full-scale)
#   GZ_BEAM_HEAP       heap of the Beam stages (default -Xmx1g)
#   GZ_TRAIN_HEAP      heap of training and of the study (default -Xmx2g)
#   GZ_FULL_SCALE_SKIP stages not to run, e.g. "bench-predict" (listed as not run in the table)
#   GZ_BENCH_SIZES     sizes of gz bench predict (default 10000,79975)
#   GZ_EVALUATE_SIZES  validation records gz evaluate is measured on (default 2000,1000000: about the
#                      validation split of a 10,000-image set, and the whole split)
#   MLFLOW_TRACKING_URI  tracked in experiment "full-scale" when set
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${GZ_FULL_SCALE_DIR:-/var/tmp/gz-full-scale}"
BEAM_HEAP="${GZ_BEAM_HEAP:--Xmx1g}"
TRAIN_HEAP="${GZ_TRAIN_HEAP:--Xmx2g}"
BENCH_SIZES="${GZ_BENCH_SIZES:-10000,79975}"
EVALUATE_SIZES="${GZ_EVALUATE_SIZES:-2000,1000000}"
LABELLED=61578
TEST=79975
SYNTH="$DIR/synth"
DATA="$DIR/data"
STAGES="$DIR/stages"
export GZ_RUNS_DIR="${GZ_RUNS_DIR:-$DIR/runs}"
mkdir -p "$STAGES" "$GZ_RUNS_DIR"
EXPERIMENT=(--experiment full-scale)

"$ROOT/gz" --version >/dev/null   # build outside the measured part

count_images() { find "$1" -type f \( -name '*.jpg' -o -name '*.png' \) 2>/dev/null | wc -l; }

# stage NAME IMAGES HEAP COMMAND...: runs COMMAND under /usr/bin/time unless NAME is done; the
# measurement line is "wall user sys maxrss_kb images".
stage() {
  local name="$1" images="$2" heap="$3"
  shift 3
  if [[ " ${GZ_FULL_SCALE_SKIP:-} " == *" $name "* ]]; then
    echo "full-scale: $name not run (GZ_FULL_SCALE_SKIP)" >&2
    return
  fi
  if [ -s "$STAGES/$name.time" ]; then
    echo "full-scale: $name already done ($(cat "$STAGES/$name.time")), skipped" >&2
    return
  fi
  echo "full-scale: $name ($(date -u +%H:%M:%S) UTC, load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  GZ_JAVA_OPTS="$heap" /usr/bin/time -f '%e %U %S %M' -o "$STAGES/$name.measure" "$@" 2>&1 | tee "$STAGES/$name.log"
  echo "$(cat "$STAGES/$name.measure") $images" >"$STAGES/$name.time"
  rm -f "$STAGES/$name.measure"
}

# The newest run folder under GZ_RUNS_DIR whose training wrote its model, after FILE was made.
newest_model_run() {
  local d
  for d in $(ls -td "$GZ_RUNS_DIR"/*/ 2>/dev/null); do
    if [ -d "$d/train/model" ] && [ "$d/train/model" -nt "$1" ]; then
      echo "${d%/}"
      return
    fi
  done
  echo "full-scale: no trained model found under $GZ_RUNS_DIR" >&2
  return 1
}

# train_stage NAME CONFIG ARGS...: trains once and remembers the run folder in stages/NAME.run.
train_stage() {
  local name="$1"
  shift
  if [[ " ${GZ_FULL_SCALE_SKIP:-} " == *" $name "* ]]; then
    echo "full-scale: $name not run (GZ_FULL_SCALE_SKIP)" >&2
    return
  fi
  if [ ! -s "$STAGES/$name.time" ]; then
    touch "$STAGES/$name.started"
    sleep 1 # a model written in the same second as the marker must still be newer
  fi
  stage "$name" "$TRAIN_IMAGES" "$TRAIN_HEAP" "$ROOT/gz" train "${EXPERIMENT[@]}" --data "$DATA" "$@"
  [ -s "$STAGES/$name.run" ] || newest_model_run "$STAGES/$name.started" >"$STAGES/$name.run"
}

# 1. The data, generated once: exactly the folder and the command of the issue's run.
if [ -f "$SYNTH/truth.json" ] && [ "$(count_images "$SYNTH/images_training_rev1")" -eq "$LABELLED" ] \
    && [ "$(count_images "$SYNTH/images_test_rev1")" -eq "$TEST" ]; then
  echo "full-scale: $SYNTH is complete ($LABELLED + $TEST images), not generated again" >&2
else
  stage synth "$((LABELLED + TEST))" "$BEAM_HEAP" "$ROOT/gz" synth --out "$SYNTH" --count "$LABELLED" --test-count "$TEST" \
    --size 424 --seed 42
fi

stage ingest "$LABELLED" "$BEAM_HEAP" "$ROOT/gz" ingest "${EXPERIMENT[@]}" --images "$SYNTH/images_training_rev1" \
  --labels "$SYNTH/training_solutions_rev1.csv" --out "$DATA"
TRAIN_RECORDS="$(jq '.records.TRAIN' "$DATA/manifest.json")"
VAL_RECORDS="$(jq '.records.VAL' "$DATA/manifest.json")"
stage explore "$LABELLED" "$BEAM_HEAP" "$ROOT/gz" explore "${EXPERIMENT[@]}" --data "$DATA" --out "$DIR/explore"

TRAIN_IMAGES="$TRAIN_RECORDS"
train_stage baseline --config "$ROOT/configs/mean-baseline.yaml"
TRAIN_IMAGES=20000
train_stage cnn --config "$ROOT/configs/demo.yaml" --max-images 20000
MODEL="$(cat "$STAGES/cnn.run")"

stage evaluate "$VAL_RECORDS" "$BEAM_HEAP" "$ROOT/gz" evaluate "${EXPERIMENT[@]}" --model "$MODEL" --data "$DATA" \
  --output "$DIR/evaluate"
# mergers predicts the test images and, to calibrate its criterion, the validation split.
stage mergers "$((TEST + VAL_RECORDS))" "$BEAM_HEAP" "$ROOT/gz" mergers "${EXPERIMENT[@]}" --model "$MODEL" \
  --images "$SYNTH/images_test_rev1" --validation "$DATA" --output "$DIR/mergers"
stage predict "$TEST" "$BEAM_HEAP" "$ROOT/gz" predict "${EXPERIMENT[@]}" --model "$MODEL" \
  --images "$SYNTH/images_test_rev1" --out "$DIR/predictions.csv"

# The same lab as a user runs it from a config: one `gz run` (one JVM, training inside it, so with
# the training heap) of configs/demo.yaml's stages from ingest on, over this data and budget. Its
# images column is the labelled set's; its wall time and peak RSS are what to read.
cat >"$DIR/study.yaml" <<EOF
extends: $ROOT/configs/demo.yaml
experiment: full-scale
stages: [ingest, explore, train, evaluate, mergers, predict, real-sample, compare]
ingest: {images: $SYNTH/images_training_rev1, labels: $SYNTH/training_solutions_rev1.csv, out: $DIR/study/data}
explore: {out: $DIR/study/explore}
train: {max-images: 20000}
mergers: {images: $SYNTH/images_test_rev1, output: $DIR/study/mergers}
predict: {images: $SYNTH/images_test_rev1, out: $DIR/study/predictions.csv}
real-sample: {sample: $ROOT/samples/gz2-real}
EOF
stage study "$LABELLED" "$TRAIN_HEAP" "$ROOT/gz" run --config "$DIR/study.yaml"

# A short ResNet-18 run of the best recipe, for its training images/s on this machine.
PROBE_IMAGES=1280
TRAIN_IMAGES="$PROBE_IMAGES"
train_stage resnet18-probe --config "$ROOT/configs/resnet18-best.yaml" --max-images "$PROBE_IMAGES"

# gz predict and gz mergers against the bare predictor on the same images, in one process, and
# their CPU per image at the smallest and the largest size (linearity); gz evaluate against it on
# the validation records. Last, as the longest: each size is predicted three times (bare, predict,
# mergers), which is the images column of its row.
stage bench-predict "$((3 * ($(echo "$BENCH_SIZES" | tr ',' '+'))))" "$BEAM_HEAP" "$ROOT/gz" bench predict --model "$MODEL/train/best-model" \
  --images "$SYNTH/images_test_rev1" --sizes "$BENCH_SIZES" --data "$DATA" --evaluate-sizes "$EVALUATE_SIZES"

# The table.
{
  echo "Full scale on $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB RAM; load at the end: $(uptime | sed 's/.*load average/load average/')."
  echo "Beam stages with GZ_JAVA_OPTS=$BEAM_HEAP, training and the study with $TRAIN_HEAP; Direct runner; $(date -u +%Y-%m-%d)."
  echo
  echo "| stage | images | wall | CPU (user+sys) | CPU ms/image | images/s | peak RSS |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
  for s in synth ingest explore baseline cnn evaluate mergers predict bench-predict resnet18-probe study; do
    if [[ " ${GZ_FULL_SCALE_SKIP:-} " == *" $s "* ]]; then
      echo "| $s | not run (GZ_FULL_SCALE_SKIP) | | | | | |"
      continue
    fi
    [ -s "$STAGES/$s.time" ] || continue
    read -r wall user sys rss images <"$STAGES/$s.time"
    awk -v s="$s" -v w="$wall" -v u="$user" -v y="$sys" -v r="$rss" -v n="$images" 'BEGIN {
      printf "| %s | %\047d | %d:%02d | %d:%02d | %.1f | %.1f | %.2f GB |\n", s, n, int(w / 60), int(w) % 60,
        int((u + y) / 60), int(u + y) % 60, 1000 * (u + y) / n, n / w, r / 1048576 }'
  done
  if [ -s "$STAGES/bench-predict.log" ]; then
    echo
    echo "gz bench predict (sizes $BENCH_SIZES, one process; the bench-predict row above is its whole run):"
    echo
    grep -E '^[0-9,]+ (images|validation records):|CPU per image at' "$STAGES/bench-predict.log" | sed 's/^/    /'
  fi
  # Training's own images/s: the highest its progress bar showed (its last reports and the final
  # line include the closing validation pass over the whole validation split).
  rate="$(grep -so '[0-9.]* img/s' "$STAGES/resnet18-probe.log" | cut -d' ' -f1 | sort -n | tail -n 1 || true)"
  epochs="$(grep -E '^\s*epochs:' "$ROOT/configs/resnet18-plateau-augmented.yaml" | awk '{print $2}')"
  if [ -n "$rate" ] && [ -n "$TRAIN_RECORDS" ]; then
    awk -v r="$rate" -v e="$epochs" -v n="$TRAIN_RECORDS" 'BEGIN {
      h = e * n / r / 3600
      printf "\nProjected: configs/resnet18-best.yaml, %d epochs of %\047d training images at the probe\047s %.1f images/s:" \
        " %.1f hours of training on this machine (%.1f days), validation passes not counted.\n", e, n, r, h, h / 24 }'
  fi
} | tee "$DIR/table.md"
