#!/usr/bin/env bash
# Do the features a model learned on synthetic galaxies tell real spirals from non-spirals better
# than those of the same network untrained? A linear probe (bench/feature_probe.py) fitted on the
# tune half of a real sample's folder labels and scored on the held-out half, on the features of a
# saved custom-cnn model (bench/FeatureProbe.java) at its flattened convolutions and at its last
# hidden layer, and on the convolutions of the same network freshly initialised with three seeds.
# numpy and scikit-learn go into a virtualenv under $GZ_CACHE_DIR (default <repo>/.cache). About
# two minutes on 2 cores. Results go to docs/BENCHMARKS.md by hand.
# Usage: bench/feature-probe.sh <run folder or saved model folder> [real folder]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODEL="${1:?usage: bench/feature-probe.sh <run folder or saved model folder> [real folder]}"
REAL="$(cd "${2:-$ROOT/../shared/data/gz2-real-unlabelled}" && pwd)"
for candidate in "$MODEL" "$MODEL/artifacts/best-model" "$MODEL/artifacts/model"; do
  [ -f "$candidate/config.yaml" ] && MODEL="$(cd "$candidate" && pwd)" && break
done
[ -f "$MODEL/config.yaml" ] || { echo "no saved model (config.yaml) in $1 or its artifacts/best-model" >&2; exit 2; }
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
PYTHON="$("$ROOT/infra/python-venv.sh" "${GZ_CACHE_DIR:-$ROOT/.cache}/feature-probe/venv" numpy scikit-learn | tail -1)"

echo "feature-probe: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), model $MODEL, real images $REAL" >&2
cd "$ROOT"
./gz --version >/dev/null   # builds the project when needed
features() {
  java -cp "$(cat pipelines/target/gz.classpath):pipelines/target/classes" bench/FeatureProbe.java "$MODEL" "$REAL" "$@"
}
features conv trained "$WORK/trained-conv.csv"
features penultimate trained "$WORK/trained-penultimate.csv"
args=("trained, convolutions" "$WORK/trained-conv.csv" "trained, last hidden layer" "$WORK/trained-penultimate.csv")
for seed in 1 2 3; do
  features conv "$seed" "$WORK/untrained-$seed.csv"
  args+=("untrained (seed $seed), convolutions" "$WORK/untrained-$seed.csv")
done
"$PYTHON" bench/feature_probe.py "${args[@]}" 2> >(grep -v -i "warn" >&2)
