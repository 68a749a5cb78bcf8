"""config/report.yaml: one definition per section, and the notebooks that follow it."""

from __future__ import annotations

import re

import nbformat
import pytest

from jixiao.exceptions import ConfigError
from jixiao.report import sections as S


@pytest.mark.parametrize("kind", ["township", "key-project"])
def test_every_section_has_its_notebook_calling_its_module(kind):
    """Each notebook exists, is named for its module, imports that module (and no other
    section module), opens its context with its own id, and prints its title from the
    definition (no title typed twice)."""
    folder = S.notebooks_dir(kind)
    on_disk = sorted(p.name for p in folder.glob("*.ipynb"))
    assert on_disk == sorted(s.notebook for s in S.sections(kind))  # no notebook outside the definition
    for s in S.sections(kind):
        nb = nbformat.read(folder / s.notebook, as_version=4)
        code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        leaf = s.module.rsplit(".", 1)[-1]
        parent = s.qualified_module.rsplit(".", 1)[0]
        assert re.search(rf"^from {re.escape(parent)} import {leaf} as S$", code, re.M), s.notebook
        imported = set(re.findall(r"^from jixiao\.report\.sections(?:\.\w+)* import (\w+) as S$", code, re.M))
        assert imported == {leaf}, (s.notebook, imported)
        assert f'section="{s.id}")' in code, s.notebook
        assert ("ctx.section_heading()" in code) != s.continues, s.notebook
        assert s.title not in code, f"{s.notebook} types its title: use ctx.section_heading()"


def test_module_names_match_notebook_names():
    assert [(s.notebook, s.module) for s in S.sections("township")] == [
        ("01_basic.ipynb", "basic"),
        ("02_assessment.ipynb", "assessment"),
        ("03_performance.ipynb", "performance"),
        ("04_goals.ipynb", "goals"),
        ("05_problems.ipynb", "problems"),
        ("06_measures.ipynb", "measures"),
        ("07_attachments.ipynb", "attachments"),
    ]
    assert all(s.module.startswith("key_project.") for s in S.sections("key-project"))


def test_a_notebook_not_named_for_its_module_is_refused():
    with pytest.raises(ValueError, match="应命名为 <序号>_goals.ipynb"):
        S.Section(id="04", title="三、目标", module="goals", notebook="04_targets.ipynb")


def test_bad_structure_file_names_the_field(tmp_path, monkeypatch):
    from jixiao.configfile import load_yaml_model

    bad = tmp_path / "report.yaml"
    bad.write_text(
        "kinds:\n  township:\n    folder: .\n    sections:\n      - {id: '01', title: 一, module: basic,"
        " notebook: 01_basic.ipynb, colour: red}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="colour"):
        load_yaml_model(bad, S.ReportStructure, "报告结构配置", "kinds")


def test_section_ids_are_unique_across_kinds():
    ids = [s.id for k in ("township", "key-project") for s in S.sections(k)]
    assert len(ids) == len(set(ids))
    assert S.section("03").continues and S.section("k2").title == "绩效评价工作开展情况"
