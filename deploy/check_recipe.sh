#!/usr/bin/env bash
# The container image's recipe (deploy/Dockerfile), step by step, on a machine without Docker:
#   deploy/check_recipe.sh [PORT]
# the runtime packages from deploy/requirements.lock (hashes checked, wheels only: the slim base
# image has no compiler) into a fresh venv; the app's files as COPY lays them out; the build
# step; the tree made read-only (compose.yaml runs the image so); then deploy/run.sh as the CMD,
# checked through the proxy (health, the smaller icon font, the map frame's preloaded script)
# and stopped with SIGTERM. Needs python3 (3.11, as the image), caddy, curl and PyPI.
set -euo pipefail
src="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
port="${1:-18080}"
work=$(mktemp -d /tmp/image.XXXX)
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q --no-cache-dir --no-deps --require-hashes --only-binary :all: -r "$src/deploy/requirements.lock"
mkdir -p "$work/app"
cd "$work/app"
for d in .streamlit dashboard data deploy; do cp -r "$src/$d" .; done
cp "$src/pyproject.toml" "$src/README.md" .
rm -rf dashboard/static dashboard/__pycache__
PATH="$work/venv/bin:$PATH" python -c "from dashboard.assets import ensure_static_assets; ensure_static_assets()"
PATH="$work/venv/bin:$PATH" python -m dashboard.icon_font
PATH="$work/venv/bin:$PATH" python -m compileall -q dashboard
chmod -R a-w "$work/app"   # read-only at run time, as compose.yaml runs it
PATH="$work/venv/bin:$PATH" PYTHON=python3 XDG_CONFIG_HOME=/tmp/caddy-config XDG_DATA_HOME=/tmp/caddy-data DASHBOARD_OFFLINE=1 \
  deploy/run.sh $port 2 > "$work/run.log" 2>&1 &
pid=$!
for i in $(seq 1 120); do
  if curl -fs http://127.0.0.1:$port/_stcore/health >/dev/null 2>&1 && grep -q 'serving' "$work/run.log"; then break; fi
  sleep 1
done
echo "health: $(curl -s http://127.0.0.1:$port/_stcore/health)"
font=$(ls "$work/app/dashboard/static/icon-font/static/media/")
echo "font through the proxy: $(curl -s -o /dev/null -w '%{http_code} %{size_download} bytes' http://127.0.0.1:$port/static/media/$font)"
echo "frame script: $(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:$port$(curl -sI http://127.0.0.1:$port/ | grep -i '^link' | grep -o '/component/[^>]*'))"
grep 'deploy/run.sh' "$work/run.log"
kill -TERM $pid; wait $pid; echo "run.sh exit $?"
chmod -R u+w "$work/app"; rm -rf "$work"
