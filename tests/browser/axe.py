"""axe-core, the accessibility rules engine, fetched from the npm registry on first use (never
committed) and run in the page and in the map's frame."""

from __future__ import annotations

import shutil
import subprocess
from functools import cache
from pathlib import Path

AXE_VERSION = "4.14.1"
AXE_DIR = Path(__file__).resolve().parents[2] / ".cache" / f"axe-core-{AXE_VERSION}"
AXE_FILE = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0, 2.1 and 2.2, levels A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
SERIOUS = ("critical", "serious", "moderate")

RUN = """async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: 'tag', values: tags}, iframes: false,
    resultTypes: ['violations', 'incomplete']});
  const brief = (list) => list.map(r => ({id: r.id, impact: r.impact, help: r.help,
    nodes: r.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 160),
      summary: (n.failureSummary || '').slice(0, 300)}))}));
  return {violations: brief(result.violations), incomplete: brief(result.incomplete)};
}"""


@cache
def axe_source() -> str:
    """The axe-core script, installed into .cache/ with npm the first time."""
    if not AXE_FILE.exists():
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError("npm is needed to fetch axe-core for the accessibility tests")
        subprocess.run(
            [npm, "install", "--no-save", "--no-audit", "--no-fund", "--no-package-lock",
             "--prefix", str(AXE_DIR), f"axe-core@{AXE_VERSION}"],
            check=True, capture_output=True, timeout=300,
        )  # fmt: skip
    return AXE_FILE.read_text(encoding="utf-8")


def audit(frame) -> dict:
    """axe's violations and needs-review results for one document (a page or a frame)."""
    if not frame.evaluate("() => typeof window.axe !== 'undefined'"):
        frame.add_script_tag(content=axe_source())
    return frame.evaluate(RUN, WCAG_TAGS)


def serious(results: dict) -> list[dict]:
    return [v for v in results["violations"] if v["impact"] in SERIOUS]
