#!/usr/bin/env bash
# A labelled ingest input of any size from the real Galaxy Zoo JPEGs: the benchmark input of
# docs/BENCHMARKS.md, "Ingest at scale" (61,578 images, the Kaggle training set's size). The pixels
# are real, the labels synthetic: the real folder (spirals/ and non_spirals/, 1,400 images) has no
# vote fractions, and ingest's cost does not depend on their values, only on the images it decodes
# and the rows it joins. With R real images, GalaxyID 100000 + i is real image i mod R (in path
# order) with label row i mod R of an R-galaxy `gz synth` set (seed 42; its own images are not
# used), which takes seconds where a 61,578-image synthetic set takes 25 minutes to generate.
#
# Hard links, not copies or symbolic links: 61,578 copies would take about 1 GB of disk for 22 MB
# of distinct pixels, and a hard link is an ordinary file to every reader (ingest, and
# `gz bench ingest --sizes`, which hard-links its inputs per size in turn). The real images are
# hard-linked into <out dir>/real (copied there where the file system refuses a link to them:
# another file system, or protected hard links), and every GalaxyID is a hard link to one of them.
# The same real folder and count give the same input.
#
# Usage: bench/real-at-scale.sh [real folder, default ../shared/data/gz2-real-unlabelled]
#                               [count, default 61578] [out dir, default /var/tmp/gz-real-at-scale]
# Then, e.g.:
#   GZ_JAVA_OPTS=-Xmx1g ./gz bench ingest --images <out dir>/images_training_rev1 \
#       --labels <out dir>/training_solutions_rev1.csv --sizes 10000,61578 --runs 1
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REAL="${1:-$ROOT/../shared/data/gz2-real-unlabelled}"
COUNT="${2:-61578}"
OUT="${3:-/var/tmp/gz-real-at-scale}"
FIRST_ID=100000   # Kaggle's GalaxyIDs have 6 digits: ingest takes <GalaxyID>.jpg, gz synth writes them so

fail() { echo "real-at-scale.sh: $*" >&2; exit 2; }

[ -d "$REAL" ] || fail "no folder $REAL of real Galaxy Zoo JPEGs; give the folder of the 1,400 real images" \
  "(spirals/ and non_spirals/, ../shared/data/gz2-real-unlabelled beside this checkout) as the first argument"
REAL="$(cd "$REAL" && pwd)"
[[ "$COUNT" =~ ^[1-9][0-9]*$ ]] && [ "$COUNT" -le 900000 ] \
  || fail "count '$COUNT' is not a whole number from 1 to 900,000 (the 6-digit GalaxyIDs)"
if [ -e "$OUT" ] && [ -n "$(ls -A "$OUT")" ]; then
  fail "$OUT is not empty; delete it (rm -r $OUT) or give another out dir as the third argument"
fi

# Built in a sibling folder and renamed at the end, so an interrupted build leaves no half input.
mkdir -p "$(dirname "$OUT")"
WORK="$(mktemp -d "$(dirname "$OUT")/.real-at-scale.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

(cd "$REAL" && find . -type f \( -iname '*.jpg' -o -iname '*.jpeg' \) | LC_ALL=C sort | sed 's|^\./||') > "$WORK/real.txt"
REAL_COUNT="$(wc -l < "$WORK/real.txt")"
[ "$REAL_COUNT" -gt 0 ] || fail "no *.jpg under $REAL; give the folder of the real Galaxy Zoo JPEGs"
while read -r f; do
  mkdir -p "$WORK/out/real/$(dirname "$f")"
  ln "$REAL/$f" "$WORK/out/real/$f" 2>/dev/null || cp "$REAL/$f" "$WORK/out/real/$f"
done < "$WORK/real.txt"

# The label rows: a throw-away set, tracked offline in the temporary folder, never on a server.
echo "real-at-scale.sh: $REAL_COUNT label rows from gz synth (seconds; a first run builds the project) ..." >&2
(cd "$ROOT" && env -u MLFLOW_TRACKING_URI GZ_RUNS_DIR="$WORK/runs" ./gz synth --out "$WORK/synth" \
  --count "$REAL_COUNT" --size 32 --seed 42 >"$WORK/synth.log" 2>&1) \
  || { cat "$WORK/synth.log" >&2; fail "gz synth failed (above)"; }

# One process for all the links: a shell loop forks ln once per image (about 2 ms each).
python3 - "$WORK/out" "$WORK/real.txt" "$WORK/synth/training_solutions_rev1.csv" "$COUNT" "$FIRST_ID" <<'PY'
import os, sys
out, listing, synth_labels, count, first_id = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
with open(listing) as f:
    real = [line.rstrip("\n") for line in f]
with open(synth_labels) as f:
    header = f.readline()
    rows = [line.rstrip("\n").split(",", 1)[1] for line in f]
images = os.path.join(out, "images_training_rev1")
os.mkdir(images)
with open(os.path.join(out, "training_solutions_rev1.csv"), "w") as labels:
    labels.write(header)
    for i in range(count):
        galaxy_id = first_id + i
        os.link(os.path.join(out, "real", real[i % len(real)]), os.path.join(images, f"{galaxy_id}.jpg"))
        labels.write(f"{galaxy_id},{rows[i % len(rows)]}\n")
PY

rmdir "$OUT" 2>/dev/null || true
mv "$WORK/out" "$OUT"
echo "real-at-scale.sh: $COUNT labelled images ($REAL_COUNT real JPEGs of $REAL, synthetic labels) in $OUT" >&2
echo "  (hard links to the real files: do not edit them in place). Benchmark ingest on them with:" >&2
echo "  GZ_JAVA_OPTS=-Xmx1g ./gz bench ingest --images $OUT/images_training_rev1 \\" >&2
echo "      --labels $OUT/training_solutions_rev1.csv --sizes $COUNT --runs 1" >&2
