#!/usr/bin/env bash
# Makes a Python virtualenv holding the given requirements, once, and prints its python as the LAST
# line of stdout. Every script here that needs Python packages gets them through this one.
#   infra/python-venv.sh <venv dir> <requirement>...     (requirements as pip takes them: mlflow==3.17.2)
#
# A marker file in the virtualenv, written last, lists the requirements it was made with:
#   - the same list: up to date, nothing is done or printed but the python;
#   - no marker (a first install, or one that was interrupted): the virtualenv is made afresh, so a
#     half-made one never passes for complete;
#   - another list: the virtualenv was complete, so the new list is installed into it (a changed pin
#     costs that package, not all of them again, and a server running from it keeps its files; a
#     requirement dropped from the list stays installed).
set -euo pipefail
if [ $# -lt 2 ]; then
  sed -n '2,4p' "$0" >&2
  exit 2
fi
VENV="$1"
shift
MARKER="$VENV/.installed"
REQUIREMENTS="$(printf '%s\n' "$@")"
up_to_date() { [ -f "$MARKER" ] && [ "$(cat "$MARKER")" = "$REQUIREMENTS" ]; }

if ! up_to_date; then
  mkdir -p "$(dirname "$VENV")"
  # Two callers at once (a test starting MLflow's client while start.sh installs) would otherwise
  # install over each other; the second waits, then finds the virtualenv up to date.
  exec 9>"$VENV.lock"
  flock 9
  if ! up_to_date; then
    if [ -f "$MARKER" ]; then
      echo "python-venv: installing $* into $VENV ..." >&2
      rm "$MARKER"
    else
      echo "python-venv: making $VENV with $* (once) ..." >&2
      rm -rf "$VENV"
      python3 -m venv "$VENV"
    fi
    "$VENV/bin/pip" install -q --disable-pip-version-check "$@" >&2
    echo "$REQUIREMENTS" > "$MARKER"
  fi
fi
echo "$VENV/bin/python"
