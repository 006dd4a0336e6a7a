"""`pip install .` ships the default rules, facts and templates: factcheck works from any folder."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile

import pytest

from conftest import ROOT

pytest.importorskip("hatchling")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "--wheel-dir", str(out), str(ROOT)], check=True, capture_output=True)
    (path,) = out.glob("factcheck-*.whl")
    return path


def test_the_wheel_contains_the_rule_pack_facts_templates_and_schemas(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in ("factcheck/_data/rules/dates.yaml", "factcheck/_data/rules/facts/ukraine-war.yaml",
                     "factcheck/_data/templates/report.html.j2", "factcheck/schema/rules.schema.json"):
        assert expected in names, expected


def test_an_installed_factcheck_run_from_another_folder_finds_its_rules(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "a.txt").write_text("The war began in February 2022.\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(target)}
    run = subprocess.run([sys.executable, "-m", "factcheck", "extract", "--published", "2025-05-11", "a.txt"],
                         cwd=elsewhere, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert '"value": "2022-02"' in run.stdout and '"verdict": "verified"' in run.stdout
    where = subprocess.run([sys.executable, "-c", "import factcheck.rules as r; print(r.default_rules_dir())"],
                           cwd=elsewhere, env=env, capture_output=True, text=True)
    assert where.stdout.strip() == str(target / "factcheck" / "_data" / "rules")
