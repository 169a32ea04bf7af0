#!/usr/bin/env bash
# Serve the dashboard: REPLICAS Streamlit processes on loopback ports behind Caddy on PORT.
#
#   deploy/run.sh PORT [REPLICAS] [-- APP_OPTIONS...]
#
# Runs in the foreground. SIGTERM or SIGINT stops every part and exits 0. When any part dies on
# its own, the others are stopped and the script exits 1, so that a supervisor (systemd, Docker's
# restart policy) starts it all afresh.
# APP_OPTIONS go to every app process, e.g. `-- --stations my.csv --responses my_responses.csv`.
#
# Environment (all optional):
#   DEPLOY_DOMAIN           a domain name: serve HTTPS on PORT with a certificate Caddy obtains
#                           (PORT 443, ports 80 and 443 reachable); default plain HTTP on PORT
#   DEPLOY_FRAME_ANCESTORS  who may embed the explorer (CSP frame-ancestors); default 'self'
#   DEPLOY_EMBED_ANCESTORS  who may embed the published edition's embed pages; default *
#   DEPLOY_PUBLIC_URL       the public address of this deployment (e.g. https://example.org/):
#                           the published pages' canonical, preview and feed links are then
#                           absolute (<DEPLOY_PUBLIC_URL>published/...); default relative
#   DEPLOY_PUBLISHED_DIR    where the published edition is built at start; default a new
#                           temporary folder
#   DEPLOY_BIND             the proxy's listen address; default every interface
#   DEPLOY_LOCAL_HTTPS      1: HTTPS on https://localhost:PORT with Caddy's own (untrusted)
#                           certificate, for benchmarks and tests of an HTTPS deployment
#   PYTHON                  the Python with the requirements installed; default python3
#   CADDY                   the caddy binary; default caddy
# Anything else in the environment (DASHBOARD_OFFLINE, DASHBOARD_NOMINATIM_URL) reaches the app.
set -euo pipefail

usage() {
  echo "usage: deploy/run.sh PORT [REPLICAS] [-- APP_OPTIONS...]" >&2
  exit 2
}

port="${1:-}"
if ! [[ $port =~ ^[0-9]+$ ]] || ((port < 1 || port > 65535)); then
  usage
fi
shift
replicas=2
if [[ $# -gt 0 && $1 != "--" ]]; then
  replicas="$1"
  shift
fi
if ! [[ $replicas =~ ^[0-9]+$ ]] || ((replicas < 1 || replicas > 64)); then
  usage
fi
if [[ $# -gt 0 ]]; then
  [[ $1 == "--" ]] || usage
  shift
fi
app_options=("$@")

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# From the repository root, so that .streamlit/config.toml applies.
cd "$root"
python="${PYTHON:-python3}"
caddy="${CADDY:-caddy}"

say() { echo "deploy/run.sh: $*" >&2; }

if ! command -v "$caddy" >/dev/null 2>&1; then
  say "caddy is not installed: apt-get install -y caddy (Debian's package)"
  exit 1
fi

pids=()
names=()

stop_all() {
  trap '' TERM INT
  local pid
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  # Give them 20 s to finish, then kill whatever is left.
  local deadline=$((SECONDS + 20))
  for pid in "${pids[@]}"; do
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
      sleep 0.2
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
}

# shellcheck disable=SC2317 # called by the traps below
on_signal() {
  say "$1: stopping ${#pids[@]} processes"
  stop_all
  exit 0
}
trap 'on_signal SIGTERM' TERM
trap 'on_signal SIGINT' INT

# Ports for the replicas (bound all at once so that they differ, then released for the apps),
# then a random key for the sticky-session cookie.
mapfile -t found < <("$python" - "$replicas" <<'PY'
import secrets
import socket
import sys

socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks:
    s.bind(("127.0.0.1", 0))
print("\n".join(str(s.getsockname()[1]) for s in socks))
print(secrets.token_hex(16))
PY
)
app_ports=("${found[@]:0:replicas}")
cookie_secret="${found[replicas]}"

upstreams=""
for app_port in "${app_ports[@]}"; do
  "$python" -m streamlit run dashboard/app.py \
    --server.port "$app_port" \
    --server.address 127.0.0.1 \
    --server.headless true \
    --server.fileWatcherType none \
    --server.runOnSave false \
    --browser.gatherUsageStats false \
    ${app_options[@]+-- "${app_options[@]}"} &
  pids+=("$!")
  names+=("app on 127.0.0.1:$app_port")
  upstreams+="127.0.0.1:$app_port "
done

# Meanwhile, the published edition (python -m dashboard.publish) of the same data, served by the
# proxy under /published/: static pages for readers, previews, search engines and archives.
published_dir="${DEPLOY_PUBLISHED_DIR:-$(mktemp -d)/published}"
publish_log="$(mktemp)"
publish_options=(--explorer-url "${DEPLOY_PUBLIC_URL:-/}")
[[ -n ${DEPLOY_PUBLIC_URL:-} ]] && publish_options+=(--base-url "${DEPLOY_PUBLIC_URL%/}/published/")
"$python" -m dashboard.publish "$published_dir" "${publish_options[@]}" \
  ${app_options[@]+"${app_options[@]}"} >"$publish_log" 2>&1 &
publish_pid=$!

# Meanwhile, the smaller copy of Streamlit's icon font (dashboard/icon_font.py); without it the
# proxy passes Streamlit's own font through.
font_log="$(mktemp)"
"$python" -m dashboard.icon_font >"$font_log" 2>&1 &
font_pid=$!

# True when 127.0.0.1:$1 answers its health check with 200.
healthy() {
  local status
  { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  printf 'GET /_stcore/health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
  read -r -t 5 _ status _ <&3 || status=""
  exec 3>&-
  [[ $status == 200 ]]
}

deadline=$((SECONDS + ${DEPLOY_START_TIMEOUT:-180}))
for i in "${!app_ports[@]}"; do
  until healthy "${app_ports[$i]}"; do
    if ! kill -0 "${pids[$i]}" 2>/dev/null || ((SECONDS >= deadline)); then
      say "${names[$i]} did not become healthy; stopping"
      stop_all
      exit 1
    fi
    sleep 0.5
  done
done
say "${#app_ports[@]} app processes healthy: $upstreams"

if [[ ${DEPLOY_LOCAL_HTTPS:-} == 1 ]]; then
  # HTTPS (and so HTTP/2) on localhost with a certificate from Caddy's own authority, which
  # no browser trusts: for measuring and testing what an HTTPS deployment serves.
  site="https://localhost:$port"
  export DEPLOY_GLOBAL_OPTIONS=$'auto_https disable_redirects\n\tskip_install_trust'
  export DEPLOY_SITE_OPTIONS="tls internal"
elif [[ -n ${DEPLOY_DOMAIN:-} ]]; then
  site="${DEPLOY_DOMAIN}:$port"
else
  site="http://${DEPLOY_BIND:-}:$port"
fi
# What the page's Link header preloads (the browser fetches it early), where the map frame's
# files are (the proxy serves them itself), and where the icon font's copy goes.
# (Read from a variable: the Python process has ended before the proxy starts.)
frame_info="$("$python" -c '
from dashboard.assets import preload_links
from dashboard.compat import FRAME_PREFIX, frame_root
from dashboard.icon_font import FONT_ROOT
print(preload_links(), FRAME_PREFIX, frame_root(), FONT_ROOT, sep="\n")')"
{ read -r preload; read -r frame_prefix; read -r frame_root; read -r font_root; } <<<"$frame_info"
if wait "$font_pid"; then
  say "icon font: $(tail -n 1 "$font_log")"
else
  font_root=""
  say "icon font: Streamlit's own ($(tail -n 1 "$font_log"))"
fi
rm -f "$font_log"
if wait "$publish_pid"; then
  say "published edition: $(tail -n 1 "$publish_log")"
else
  say "the published edition could not be built: $(tail -n 3 "$publish_log")"
  rm -f "$publish_log"
  stop_all
  exit 1
fi
rm -f "$publish_log"
DEPLOY_SITE="$site" DEPLOY_UPSTREAMS="$upstreams" DEPLOY_COOKIE_SECRET="$cookie_secret" \
  DEPLOY_PRELOAD="$preload" DEPLOY_FRAME_PREFIX="$frame_prefix" DEPLOY_FRAME_ROOT="$frame_root" \
  DEPLOY_FONT_ROOT="${font_root:-/nonexistent}" DEPLOY_PUBLISHED_ROOT="$published_dir" \
  "$caddy" run --adapter caddyfile --config deploy/Caddyfile &
pids+=("$!")
names+=("caddy on $site")
say "serving $site (pid $$)"

# Wait for the first part to end on its own: that is a failure, whatever its exit status.
status=0
wait -n -p ended "${pids[@]}" || status=$?
for i in "${!pids[@]}"; do
  if [[ ${pids[$i]} == "${ended:-}" ]]; then
    say "${names[$i]} exited with status $status; stopping the rest"
  fi
done
stop_all
exit 1
