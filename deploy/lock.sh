#!/usr/bin/env bash
# Remake deploy/requirements.lock: requirements.txt's runtime packages, pinned at the versions
# installed in the environment the tests ran in (PYTHON, default python3), with the sha256 of
# every file PyPI holds for each version, so that the image installs them with --require-hashes.
#
#   . .venv/bin/activate && python -m pytest && deploy/lock.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
python="${PYTHON:-python3}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The project itself (`-e .`) is not locked: the image runs it from its source.
grep -v '^-e ' requirements.txt >"$work/requirements.txt"
"$python" -m pip freeze --exclude-editable >"$work/tested.txt"
"$python" -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet pip-tools
(
  cd "$work"
  # Custom header so the file says how it was made; tested.txt's lines are left out of "via".
  venv/bin/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe --no-header \
    --no-emit-index-url --no-emit-find-links --constraint tested.txt \
    --output-file requirements.lock requirements.txt
)
{
  echo "# Runtime packages for the container image, pinned with hashes. Made by deploy/lock.sh"
  echo "# from requirements.txt at the versions the tests ran against; do not edit by hand."
  grep -v -e '^    #   -c tested.txt$' -e '^    # via -c tested.txt$' "$work/requirements.lock"
} >deploy/requirements.lock
echo "deploy/requirements.lock: $(grep -c '==' deploy/requirements.lock) packages"
