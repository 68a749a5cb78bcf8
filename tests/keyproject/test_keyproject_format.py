"""Key-project format: the workbook spec, the parameters file and the example's data.

Mirrors :mod:`jixiao.keyproject.format` (and :func:`jixiao.keyproject.load_key_project`
on the example).
"""

from __future__ import annotations

import pytest
import yaml
from keyproject_support import TOWNSHIP_PARAMS, good_data, params_file, run_cli, write

from jixiao.exceptions import ParametersError
from jixiao.keyproject import cross_checks, key_project_spec, load_key_params
from jixiao.workbook.load import _spec_cross_checks

from support import ROOT

# -- the format ------------------------------------------------------------------------


def test_the_format_is_consistent():
    spec = key_project_spec()
    assert spec.kind == "key-project" and spec.cross_checks == "jixiao.keyproject.checks:cross_checks"
    assert spec.scoring.dimensions == ("决策", "过程", "产出", "效益")
    assert spec.scoring.output_benefit.min_points == 60 and spec.scoring.total_points == 100
    assert [g for g, _ in spec.scoring.grade_bands] == ["优", "良", "中", "差"]
    names = {s.name for s in spec.sheets}
    assert {"项目概况", "资金来源", "工程量", "满意度调查", "评价指标", "评价发现", "存在问题", "意见建议"} <= names
    # the loader resolves the name to the function this package exports
    assert _spec_cross_checks(spec) is cross_checks


def test_docs_cover_the_format():
    """docs/key-project.md names every sheet, every scoring method and the survey options."""
    from jixiao.keyproject import METHODS

    doc = (ROOT / "docs" / "key-project.md").read_text(encoding="utf-8")
    spec = key_project_spec()
    for s in spec.sheets:
        assert s.name in doc, s.name
    for m in METHODS:
        assert f"| {m} |" in doc, m
    for option, weight in spec.scoring.satisfaction_weights.items():
        assert f"{option} {weight:g}" in doc, option


# -- the parameters --------------------------------------------------------------------


@pytest.mark.parametrize(
    "change, message",
    [
        ({"kind": None}, "kind: key-project"),
        ({"project": "南胡渠"}, "参数“project”不正确"),
        ({"colour": "red"}, "未知的参数“colour”"),
        ({"satisfaction_weights": {"还行": 0.5}}, "未知的满意度选项：还行"),
        ({"satisfaction_weights": {"满意": 2}}, "选项权重应在 0～1 之间"),
        ({"workbook": "nowhere.xlsx"}, "指向的工作簿不存在"),
    ],
)
def test_bad_parameters(tmp_path, capsys, change, message):
    wb = write(tmp_path, good_data())
    p = params_file(tmp_path, wb)
    raw = yaml.safe_load(p.read_text(encoding="utf-8"))
    for k, v in change.items():
        if v is None:
            raw.pop(k)
        else:
            raw[k] = v
    p.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ParametersError) as exc:
        load_key_params(p)
    assert message in str(exc.value)
    code, _, err = run_cli(["evaluate", p], capsys)
    assert code == 2 and message in err and "Traceback" not in err


def test_township_params_are_not_key_project_params(capsys):
    code, _, err = run_cli(["evaluate", TOWNSHIP_PARAMS, "--check"], capsys)
    assert code == 2 and "kind: key-project" in err


# -- the example -----------------------------------------------------------------------


def test_example_is_faithful_to_the_seed(example):
    """Only what the seed says; every other fact blank, every other text labelled （示例）."""
    from support import SEED

    seed = SEED.read_text(encoding="utf-8")
    facts = example.ds.facts["project"]
    assert facts["name"] == "东史端镇南胡渠村道路改造工程" and facts["name"] in seed
    assert facts["scope"] in seed
    assert facts["score_stated"] == 97.9 and facts["grade_stated"] == "优"
    for blank in (
        "implementer",
        "supervisor",
        "planned_start",
        "planned_end",
        "start",
        "end",
        "acceptance_date",
        "acceptance_by",
        "acceptance_result",
        "assessor",
        "method",
        "report_date",
    ):
        assert facts[blank] is None, blank
    works = example.ds.works
    assert list(works["planned"]) == [7205, 9155]
    assert works["delivered"].isna().all() and works["accepted"].isna().all()
    assert example.ds.funds.empty and example.ds.survey.empty
    texts = example.ds.facts["texts"]
    assert texts["conclusion"] in seed
    # the report's other text is illustrative: each piece says so where it stands
    written = [v for k, v in texts.items() if k != "conclusion" and v is not None]
    assert texts["scope"] is None  # generated from the indicator system
    for sheet, col in (("findings", "text"), ("problems", "text"), ("problems", "cause"), ("recommendations", "text")):
        written += list(example.ds.tables[sheet][col])
    written += list(example.ds.indicators["evidence"]) + list(example.ds.indicators["materials"])
    assert len(written) == 13 + 2 + 3 + 3 + 3 + 18 + 18
    assert all(isinstance(t, str) and t.startswith("（示例）") for t in written), written


def test_a_workbook_in_the_old_format_is_told_the_new_sheet_name(tmp_path):
    """评价结论 became 报告正文 (the outline's parts): a workbook still using the old sheet is
    refused at that sheet, not read with its texts silently dropped."""
    from keyproject_support import EXAMPLE_XLSX
    from openpyxl import load_workbook as open_xlsx

    from jixiao.exceptions import InputError
    from jixiao.workbook.load import load_workbook

    wb = open_xlsx(EXAMPLE_XLSX)
    wb["报告正文"].title = "评价结论"
    old = tmp_path / "old.xlsx"
    wb.save(old)
    with pytest.raises(InputError) as exc:
        load_workbook(old, spec=key_project_spec())
    (p,) = [p for p in exc.value.problems if p.sheet == "评价结论"]
    assert p.message.startswith("工作表“评价结论”是旧版格式的表名，现为“报告正文”")
