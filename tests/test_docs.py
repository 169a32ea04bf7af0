"""Docs and published schema stay in step with `dashboard/schema.py`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from dashboard import schema

ROOT = Path(__file__).resolve().parent.parent


def test_datapackage_json_is_generated_from_schema():
    committed = (ROOT / "data" / "datapackage.json").read_text(encoding="utf-8")
    assert committed == schema.datapackage_json(), (
        "data/datapackage.json is stale: run `python -m dashboard.schema > data/datapackage.json`"
    )


def test_datapackage_lists_every_column_in_order():
    resources = {r["name"]: r for r in schema.datapackage("0.0.0")["resources"]}
    for table in schema.TABLES:
        fields = [f["name"] for f in resources[table.name]["schema"]["fields"]]
        assert fields == table.names


def test_data_readme_holds_the_generated_dictionary():
    readme = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    assert schema.data_dictionary_markdown() in readme, (
        "data/README.md's dictionary is stale: paste `schema.data_dictionary_markdown()`"
    )


def test_readme_names_the_two_quick_start_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "pip install -r requirements.txt && python -m streamlit run dashboard/app.py" in readme
    assert "pip install -r requirements-dev.txt && python -m pytest" in readme


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install -r requirements-dev.txt && python -m pytest" in ci


def test_code_is_formatted_and_lint_clean():
    for args in (["check", "."], ["format", "--check", "."]):
        result = subprocess.run(
            [sys.executable, "-m", "ruff", *args], cwd=ROOT, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_the_type_checker_is_clean():
    result = subprocess.run(
        [sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_readme_link_table_is_made_from_the_declared_parameters():
    from dashboard.urlstate import link_table_markdown

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert link_table_markdown() in readme, (
        "README.md's link table is stale: paste `dashboard.urlstate.link_table_markdown()`"
    )


def test_tests_named_in_the_security_page_exist():
    import re

    text = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    named = re.findall(r"`(tests/[\w/]+\.py)(?:::(\w+))?`", text)
    assert named
    for path, test in named:
        source = (ROOT / path).read_text(encoding="utf-8")
        if test:
            assert f"def {test}(" in source, f"{path}::{test} is named in docs/security.md"


def test_data_review_date_matches_the_data_readme():
    from dashboard.data import DATA_REVIEWED

    readme = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    assert f"**Last reviewed: {DATA_REVIEWED}.**" in readme


def test_data_version_is_the_changelogs_newest_everywhere():
    """datapackage.json, the data README and the review date all follow data/CHANGELOG.md."""
    from dashboard.data import DATA_REVIEWED, STATIONS_PATH
    from dashboard.versions import latest, version_beside

    newest = latest()
    assert version_beside(STATIONS_PATH) == newest.version
    assert newest.date == DATA_REVIEWED, "the newest changelog entry is the last review"
    readme = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    assert f"Version **{newest.version}**" in readme


def test_no_function_of_the_package_is_over_fifty_lines():
    import ast

    long = []
    for path in sorted((ROOT / "dashboard").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > 50:
                    long.append(f"{path.name}:{node.name} ({lines} lines)")
    assert long == []
