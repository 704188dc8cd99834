#!/usr/bin/env bash
# Does domain-adversarial training (Ganin et al. 2016, DANN; used for simulated-to-real merger
# classifiers by Ciprijanovic et al. 2021, DeepMerge II) carry a synthetic-trained CNN over to real
# galaxies better than synthetic training alone? The demo CNN is trained on the demo's synthetic
# set (configs/demo.yaml's synth and ingest) while a domain classifier behind a gradient-reversal
# layer learns to tell its features of synthetic images from those of the real tune half's images
# (their pixels only; no real label is read in training), for each weight of the reversed gradient
# given (0 = synthetic training alone). Each model is scored like gz real-sample: the AUC of
# 'spiral: yes' / 'features or disk' on the tune and held-out halves, and the share of the real
# galaxies called mergers (Class8.6 >= 0.4). PyTorch (bench/pytorch-venv.sh, about 5 GB on first
# use) rather than gz train: the domain head and the second input stream are a research probe, and
# DJL and PyTorch train this CNN identically ("Fidelity to PyTorch"). About 3 minutes a weight on
# 2 cores. Results go to docs/BENCHMARKS.md by hand.
# Options after the first three arguments go to bench/domain_adversarial.py, which says what they
# do: --batch-norm (and AdaBN), --fourier-beta B (Fourier domain adaptation). About 30 s a weight
# and seed with weight 0.
# Usage: bench/domain-adversarial.sh [real folder] [weights, default "0 0.1 0.3 1"] [seeds, default 42] [options]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REAL="$(cd "${1:-$ROOT/../shared/data/gz2-real-unlabelled}" && pwd)"
WEIGHTS="${2:-0 0.1 0.3 1}"
SEEDS="${3:-42}"
OPTIONS=("${@:4}")
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
PYTHON="$("$ROOT/bench/pytorch-venv.sh" | tail -n 1)"

cd "$ROOT"
./gz --version >/dev/null   # builds the project when needed
echo "domain-adversarial: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), real images $REAL" >&2
cat > "$WORK/synth.yaml" <<YAML
extends: $ROOT/configs/demo.yaml
experiment: gz-domain-adversarial
stages: [synth, ingest]
synth:
  out: $WORK/synth
ingest:
  out: $WORK/synthetic
YAML
./gz run --config "$WORK/synth.yaml" > "$WORK/synth.log" 2>&1 || { tail -20 "$WORK/synth.log" >&2; exit 1; }
for half in tune held-out; do
  java -cp "$(cat pipelines/target/gz.classpath):pipelines/target/classes" bench/RealTuneSet.java "$REAL" "$WORK/$half-images" "$half"
  ./gz ingest --images "$WORK/$half-images/images_training_rev1" --labels "$WORK/$half-images/training_solutions_rev1.csv" \
    --out "$WORK/$half" > "$WORK/$half.log" 2>&1 || { tail -20 "$WORK/$half.log" >&2; exit 1; }
done
for weight in $WEIGHTS; do
  for seed in $SEEDS; do
    "$PYTHON" bench/domain_adversarial.py --synthetic "$WORK/synthetic" --tune "$WORK/tune" --held-out "$WORK/held-out" \
      --weight "$weight" --seed "$seed" "${OPTIONS[@]}"
  done
done
