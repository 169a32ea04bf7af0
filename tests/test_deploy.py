"""The deployment's files stay in step with the app: lock file, proxy configuration, image."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import streamlit
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
LOCK = DEPLOY / "requirements.lock"


def locked() -> dict[str, tuple[str, list[str]]]:
    """{package: (version, hashes)} from the lock file."""
    out: dict[str, tuple[str, list[str]]] = {}
    for block in re.split(r"\n(?=\S)", LOCK.read_text(encoding="utf-8")):
        pin = re.match(r"([A-Za-z0-9_.\-]+)==(\S+)", block)
        if pin:
            hashes = re.findall(r"--hash=sha256:([0-9a-f]{64})", block)
            out[canonicalize_name(pin.group(1))] = (pin.group(2), hashes)
    return out


def runtime_requirements() -> list[Requirement]:
    lines = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    return [Requirement(line) for line in lines if line.strip() and line[0] not in "#-"]


@pytest.mark.parametrize("requirement", runtime_requirements(), ids=str)
def test_every_requirement_is_locked_at_a_version_in_its_range(requirement):
    pins = locked()
    name = canonicalize_name(requirement.name)
    assert name in pins, f"{name} is not in {LOCK.name}: run deploy/lock.sh"
    version, _ = pins[name]
    assert requirement.specifier.contains(version, prereleases=True), (
        f"{LOCK.name} pins {name}=={version}, outside requirements.txt's {requirement}: "
        "run deploy/lock.sh"
    )


# Packages whose private or undocumented parts the app relies on (requirements.txt says which).
PINNED = ("streamlit", "streamlit-folium", "folium")


@pytest.mark.parametrize("name", PINNED)
def test_packages_the_app_reaches_into_are_pinned_to_the_locked_version(name):
    # CI installs the lock and tests only those versions; a range would let Streamlit Community
    # Cloud install an untested one.
    [requirement] = [r for r in runtime_requirements() if canonicalize_name(r.name) == name]
    version, _ = locked()[name]
    assert [(s.operator, s.version) for s in requirement.specifier] == [("==", version)], (
        f"requirements.txt has {requirement}; {LOCK.name} tests {name}=={version}"
    )


def test_every_locked_package_has_hashes_and_the_project_is_not_locked():
    pins = locked()
    assert len(pins) >= len(runtime_requirements())
    assert [name for name, (_, hashes) in pins.items() if not hashes] == []
    assert "-e " not in LOCK.read_text(encoding="utf-8")


def test_the_image_installs_only_the_lock_file_with_hashes():
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text(encoding="utf-8")
    installs = re.findall(r"pip install[^\n]*", dockerfile)
    assert installs, "the Dockerfile installs no Python packages"
    for line in installs:
        assert "--require-hashes" in line
        assert "--no-deps" in line
        assert "requirements.lock" in line
    assert "COPY deploy/requirements.lock" in dockerfile
    # The proxy and Python come from the same Debian release as the tested caddy (bookworm).
    assert re.search(r"^FROM python:3\.11-slim-bookworm", dockerfile, re.MULTILINE)
    assert re.search(r"^USER (?!root)\S+", dockerfile, re.MULTILINE)
    assert "HEALTHCHECK" in dockerfile
    assert 'CMD ["deploy/run.sh", "8080", "2"]' in dockerfile


def test_compose_runs_the_image_read_only_with_a_restart_policy():
    compose = (ROOT / "deploy" / "compose.yaml").read_text(encoding="utf-8")
    # Built from the repository root, with the Dockerfile and its ignore file beside this one.
    assert (ROOT / "deploy" / ".." / "deploy" / "Dockerfile").exists()
    assert (ROOT / "deploy" / "Dockerfile.dockerignore").exists()
    for line in (
        "context: ..",
        "dockerfile: deploy/Dockerfile",
        '- "8080:8080"',
        "restart: unless-stopped",
        "read_only: true",
        "DEPLOY_FRAME_ANCESTORS:",
        "- ALL",
    ):
        assert line in compose


def test_the_csp_hash_is_of_streamlits_inline_script():
    """A Streamlit upgrade that changes its page's one inline script must update the CSP."""
    index = Path(streamlit.__file__).parent / "static" / "index.html"
    scripts = re.findall(r"<script>(.*?)</script>", index.read_text(encoding="utf-8"), re.S)
    caddyfile = (DEPLOY / "Caddyfile").read_text(encoding="utf-8")
    for script in scripts:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in caddyfile, (
            f"Streamlit's index.html has an inline script not allowed by deploy/Caddyfile's CSP: "
            f"add 'sha256-{digest}' (and remove the old hash) in deploy/Caddyfile and "
            "docs/security.md"
        )


def caddy() -> str:
    found = shutil.which("caddy")
    if not found:
        pytest.fail(
            "caddy is not installed: apt-get install -y caddy (Debian's package; .ci/run does "
            "this)",
            pytrace=False,
        )
    return found


@pytest.mark.parametrize("site", ["http://:8080", "map.example.org:443"])
def test_caddy_accepts_the_configuration(site, tmp_path):
    env = {
        **os.environ,
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path),
        "DEPLOY_SITE": site,
        "DEPLOY_UPSTREAMS": "127.0.0.1:9001 127.0.0.1:9002",
        "DEPLOY_COOKIE_SECRET": "0123456789abcdef",
        "DEPLOY_FRAME_ANCESTORS": "'self' https://news.example.org",
        "DEPLOY_FRAME_PREFIX": "/component/streamlit_folium.st_folium",
        "DEPLOY_FRAME_ROOT": "/srv/frame",
        "DEPLOY_FONT_ROOT": "/srv/font",
        "DEPLOY_PUBLISHED_ROOT": "/srv/published",
    }
    result = subprocess.run(
        [caddy(), "adapt", "--adapter", "caddyfile", "--config", "deploy/Caddyfile"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    config = result.stdout
    assert '"127.0.0.1:9001"' in config
    assert '"127.0.0.1:9002"' in config
    assert "frame-ancestors 'self' https://news.example.org" in config
    assert '"policy":"cookie"' in config
    assert '"uri":"/_stcore/health"' in config
    assert '"root":"/srv/published"' in config
    assert "frame-ancestors *" in config  # the published edition's embed pages
    assert '"root":"/srv/frame"' in config
    assert '"root":"/srv/font"' in config


@pytest.mark.parametrize("args", [[], ["http"], ["0"], ["8080", "0"], ["8080", "2", "x"]])
def test_run_sh_refuses_bad_arguments_with_its_usage(args):
    result = subprocess.run(
        ["bash", "deploy/run.sh", *args], cwd=ROOT, capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 2
    assert "usage: deploy/run.sh PORT [REPLICAS]" in result.stderr
