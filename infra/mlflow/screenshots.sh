#!/usr/bin/env bash
# Screenshots of the MLflow UI as a user sees it after a `gz run` / `gz demo`, for the user guide:
#   mlflow-runs.png      the experiment's runs table (Model training view), the latest study expanded
#   mlflow-registry.png  the registered model's page with its versions
#   mlflow-val-rmse.png  the val_rmse curves of the latest study's training runs on one chart
#
#   infra/mlflow/screenshots.sh <tracking URL> <experiment> [<out dir, default docs/img>] [<registered model, default the experiment>]
#   e.g. infra/mlflow/screenshots.sh http://127.0.0.1:5000 gz-demo
#
# Needs chromium (Debian: apt-get install chromium), curl, jq and python3; ImageMagick's convert
# only where a picture comes out over 300 KB. The pages are driven by screenshot.py (beside this)
# with Playwright, installed from PyPI on first use into $GZ_CACHE_DIR/screenshots/venv
# (default <repo>/.cache) by infra/python-venv.sh.
set -euo pipefail

if [ $# -lt 2 ]; then
  sed -n '2,9p' "$0" >&2
  exit 2
fi
URL="${1%/}"
EXPERIMENT="$2"
OUT="${3:-docs/img}"
MODEL="${4:-$EXPERIMENT}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MAX_BYTES=$((300 * 1024))

for tool in chromium curl jq python3; do
  command -v "$tool" >/dev/null || { echo "screenshots.sh: $tool is not installed" >&2; exit 1; }
done

PYTHON="$("$HERE/../python-venv.sh" "${GZ_CACHE_DIR:-$HERE/../../.cache}/screenshots/venv" playwright | tail -n 1)"

api() { # GET <path?query>
  curl -sf -m 30 "$URL/api/2.0/mlflow/$1" || { echo "screenshots.sh: $URL did not answer GET $1" >&2; exit 1; }
}
search_runs() { # <filter> <max results>: run search, newest first
  curl -sf -m 30 -X POST "$URL/api/2.0/mlflow/runs/search" -H 'Content-Type: application/json' \
    -d "$(jq -n --arg e "$EXPERIMENT_ID" --arg f "$1" --argjson n "$2" \
      '{experiment_ids: [$e], filter: $f, max_results: $n, order_by: ["attributes.start_time DESC"]}')"
}
urlencode() { jq -rn --arg s "$1" '$s | @uri'; }

EXPERIMENT_ID="$(api "experiments/get-by-name?experiment_name=$(urlencode "$EXPERIMENT")" | jq -r '.experiment.experiment_id')"
PARENT="$(search_runs "tags.\`gz.stage\` = 'run'" 1 | jq -r '.runs[0].info.run_id // empty')"
[ -n "$PARENT" ] || { echo "screenshots.sh: experiment '$EXPERIMENT' has no gz run / gz demo parent run" >&2; exit 1; }
TRAIN="$(search_runs "tags.\`gz.stage\` = 'train' and tags.\`mlflow.parentRunId\` = '$PARENT'" 100)"
TRAIN_IDS="$(echo "$TRAIN" | jq -c '[.runs[].info.run_id]')"
TRAIN_NAME="$(echo "$TRAIN" | jq -r '.runs[0].info.run_name')"
VERSION="$(api "registered-models/get?name=$(urlencode "$MODEL")" | jq -r '[.registered_model.latest_versions[].version | tonumber] | max')"
echo "experiment $EXPERIMENT_ID, study $PARENT, training runs $TRAIN_IDS, model $MODEL version $VERSION"

# Model training view (MLflow 3 starts a browser on GenAI, where an experiment opens on its
# traces overview); the Assistant panel a local server opens on the first visit is closed.
ML="workflowType=machine_learning"
ASSISTANT='[data-component-id="mlflow.assistant.chat_panel.close"]'
mkdir -p "$OUT"
shot() { # <url> <file> <text to wait for> [screenshot.py options]
  local url="$1" file="$OUT/$2" text="$3"
  shift 3
  "$PYTHON" "$HERE/screenshot.py" "$url" "$file" --wait-for "$text" --dismiss "$ASSISTANT" "$@"
  if [ "$(stat -c %s "$file")" -gt "$MAX_BYTES" ]; then
    convert "$file" -strip -colors 256 "PNG8:$file"
  fi
  echo "$file: $(stat -c %s "$file") bytes"
}

# The expander of each top-level run with children (the studies), clicked once.
shot "$URL/#/experiments/$EXPERIMENT_ID?$ML" mlflow-runs.png "matching runs" \
  --click '[data-component-id*="runnamecellrenderer"]'
shot "$URL/#/models/$(urlencode "$MODEL")?$ML" mlflow-registry.png "Version $VERSION"
shot "$URL/#/metric?runs=$(urlencode "$TRAIN_IDS")&metric=$(urlencode '"val_rmse"')&experiments=$(urlencode "[\"$EXPERIMENT_ID\"]")&plot_metric_keys=$(urlencode '["val_rmse"]')&plot_layout=%7B%7D&x_axis=step&y_axis_scale=linear&line_smoothness=1&show_point=true&deselected_curves=%5B%5D&last_linear_y_axis_range=%5B%5D&$ML" \
  mlflow-val-rmse.png "$TRAIN_NAME"
