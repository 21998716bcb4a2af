#!/usr/bin/env bash
# Build the book's JupyterLab extension (bookkit/lab) and install it into the project's .venv.
#
#   bash tools/build_labextension.sh        (or: make labextension)
#
# 1. `npm ci` in bookkit/lab: the exact packages of bookkit/lab/package-lock.json, from the npm
#    registry only (no install scripts run).
# 2. `jupyter labextension build bookkit/lab` with the venv's JupyterLab: a prebuilt (federated)
#    extension in bookkit/lab/labextension (git-ignored).
# 3. Copies it to .venv/share/jupyter/labextensions/bookkit-lab, where `.venv/bin/jupyter lab` finds it.
# 4. Writes .venv/share/jupyter/lab/settings/overrides.json: every notebook cell rendered
#    (windowingMode "none"), no news, no update checks, no extension manager (no outside requests).
#    Keys already in that file that this script does not set are kept.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
EXT=bookkit/lab
NAME=bookkit-lab

[ -x "$VENV/bin/jupyter" ] || { echo "no $VENV/bin/jupyter: run \`make install\` first" >&2; exit 1; }
command -v npm >/dev/null || { echo "npm not found: Node.js 20 (or newer) and npm are needed to build $EXT" >&2; exit 1; }

# jupyter labextension build runs `jupyter-builder` from PATH: use the venv's.
export PATH="$(cd "$VENV" && pwd)/bin:$PATH"

start=$(date +%s)
(cd "$EXT" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
"$VENV/bin/jupyter" labextension build "$EXT"

dest="$VENV/share/jupyter/labextensions/$NAME"
rm -rf "$dest"
mkdir -p "$(dirname "$dest")"
cp -R "$EXT/labextension" "$dest"

settings="$VENV/share/jupyter/lab/settings"
mkdir -p "$settings"
"$VENV/bin/python" - "$settings/overrides.json" <<'PY'
import json
import sys
from pathlib import Path

path = Path(sys.argv[1])
overrides = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
wanted = {
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension:notification": {"checkForUpdates": False, "fetchNews": "false"},
    "@jupyterlab/extensionmanager-extension:plugin": {"enabled": False},
}
for plugin, values in wanted.items():
    overrides.setdefault(plugin, {}).update(values)
path.write_text(json.dumps(overrides, indent=2, sort_keys=True) + "\n", encoding="utf-8")
PY

size=$(du -sk "$dest" | cut -f1)
echo "bookkit-lab: installed in $dest (${size} KiB) in $(( $(date +%s) - start )) s; settings in $settings/overrides.json"
