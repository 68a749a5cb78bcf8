"""Key-project evaluation (重点评价): format, scores, validation, the example, the report.

The crafted workbooks are written with the key-project template writer from data, so a
case reads as the sheet an assessor would fill in. Scores are asserted against values
worked out by hand in the comments.
"""

from __future__ import annotations

import html as htmllib
import json
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
import yaml

from support import ROOT
from jixiao import cli
from jixiao.keyproject import (SAMPLE_LABEL, key_project_links, key_project_spec, load_key_params,
                               load_key_project, satisfaction_rate, score_indicator,
                               write_key_project_template)
from jixiao.exceptions import ParametersError, WorkbookError
from jixiao.analysis.scoring import grade
from jixiao.workbook.template import read_transcription

EXAMPLE_DIR = ROOT / "examples" / "nanhuqu-road-2023"
EXAMPLE_XLSX = EXAMPLE_DIR / "nanhuqu-road-2023.xlsx"
EXAMPLE_PARAMS = ROOT / "params" / "nanhuqu-road-2023.yaml"
TOWNSHIP_PARAMS = ROOT / "params" / "dongshiduan-2023.yaml"
NOTEBOOKS = ROOT / "notebooks" / "key_project"

# Columns of 评价指标 (the template writes the header in row 2, data from row 3).
COL = {"分值": "E", "计分方式": "H", "数据项": "I", "目标值": "J", "实际值": "K", "得分": "M", "扣分原因": "N"}


def run_cli(argv, capsys):
    code = cli.main([str(a) for a in argv])
    cap = capsys.readouterr()
    return code, cap.out, cap.err


# -- a crafted project: every scoring method once ----------------------------------------

def ind(no, level1, name, weight, method="评分", **more) -> dict:
    row = {"序号": no, "一级指标": level1, "二级指标": more.pop("level2", None), "三级指标": name, "分值": weight,
           "计分方式": method}
    row.update(more)
    return row


def good_data() -> dict:
    """A valid workbook: weights 100, 产出 35 + 效益 25 = 60 (the boundary), total 93.74."""
    return {
        "项目概况": {"项目名称": "测试村道路工程", "所属单位": "测试镇人民政府", "评价年度": 2024,
                 "所述综合得分": 93.74, "所述评价等级": "优"},
        "资金来源": [
            {"资金来源": "省级补助", "预算金额": 80, "到位金额": 76, "实际支出": 72},
            {"资金来源": "县级配套", "预算金额": 20, "到位金额": 19, "实际支出": 18},
            {"资金来源": "合计", "预算金额": 100, "到位金额": 95, "实际支出": 90},
        ],
        "工程量": [
            {"序号": 1, "建设内容": "路面", "计量单位": "m2", "计划数量": 100, "实际完成数量": 90, "验收合格数量": 90},
            {"序号": 2, "建设内容": "路肩", "计量单位": "m2", "计划数量": 50, "实际完成数量": 60, "验收合格数量": 57},
        ],
        "满意度调查": [
            {"调查对象": "村民", "选项": "满意", "人数": 40},
            {"调查对象": "村民", "选项": "基本满意", "人数": 10},
            {"调查对象": "村民", "选项": "不满意", "人数": 0},
        ],
        "评价指标": [
            ind(1, "决策", "立项依据充分性", 10, 得分=10),
            ind(2, "决策", "绩效目标合理性", 10, 得分=8, 扣分原因="目标未细化"),
            ind(3, "过程", "资金到位率", 5, "资金到位率"),                       # 95 ÷ 100 → 4.75
            ind(4, "过程", "预算执行率", 5, "预算执行率", 目标值="100%"),         # 90 ÷ 95 → 4.7368 → 4.74
            ind(5, "过程", "管理制度健全性", 10, 得分=10),
            ind(6, "产出", "实际完成率", 10, "实际完成率"),                       # mean(90%, 100% capped) → 9.5
            ind(7, "产出", "质量达标率", 10, "质量达标率"),                       # mean(100%, 95%) → 9.75
            ind(8, "产出", "路面完成率", 5, "实际完成率", 数据项="路面"),          # 90% → 4.5
            ind(9, "产出", "完成及时性", 5, "反向比率", 目标值=90, 实际值=100, 计量单位="天"),  # 5 × 90/100 → 4.5
            ind(10, "产出", "成本节约率", 5, "反向比率", 目标值=100, 实际值=90, 计量单位="万元"),  # under → 5
            ind(11, "效益", "受益人口", 10, "正向比率", 目标值=1000, 实际值=800, 计量单位="人"),  # 80% → 8
            ind(12, "效益", "服务对象满意度", 15, "满意度", 目标值="90%"),          # (40 + 0.6×10)/50 = 92% ≥ 90% → 15
        ],
        "存在问题": [{"序号": 1, "问题": "目标未细化"}],
        "意见建议": [{"序号": 1, "建议": "细化绩效目标", "对应问题": 1}],
    }


EXPECTED = {1: 10, 2: 8, 3: 4.75, 4: 4.74, 5: 10, 6: 9.5, 7: 9.75, 8: 4.5, 9: 4.5, 10: 5, 11: 8, 12: 15}
EXPECTED_RATES = {3: 95.0, 4: 90 / 95 * 100, 6: 95.0, 7: 97.5, 8: 90.0, 9: 100 / 90 * 100, 10: 90.0, 11: 80.0, 12: 92.0}


def write(tmp_path: Path, data: dict, name: str = "kp.xlsx") -> Path:
    return write_key_project_template(tmp_path / name, data)


def params_file(tmp_path: Path, workbook: Path, *, year=2024, name=None, out=None, **more) -> Path:
    raw = {"kind": "key-project", "township": "ceshi", "year": year, "project": "road", "workbook": str(workbook),
           "output_dir": str(out or tmp_path / "reports"), **more}
    if name:
        raw["name"] = name
    p = tmp_path / "kp.yaml"
    p.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return p


@pytest.fixture(scope="module")
def good_kp(tmp_path_factory):
    path = write_key_project_template(tmp_path_factory.mktemp("kp") / "good.xlsx", good_data())
    return load_key_project(path, year=2024)


# -- the format ------------------------------------------------------------------------

def test_the_format_is_consistent():
    spec = key_project_spec()
    assert spec.kind == "key-project" and spec.cross_checks == "jixiao.keyproject:cross_checks"
    assert spec.scoring.dimensions == ("决策", "过程", "产出", "效益")
    assert spec.scoring.output_benefit.min_points == 60 and spec.scoring.total_points == 100
    assert [g for g, _ in spec.scoring.grade_bands] == ["优", "良", "中", "差"]
    names = {s.name for s in spec.sheets}
    assert {"项目概况", "资金来源", "工程量", "满意度调查", "评价指标", "评价发现", "存在问题", "意见建议"} <= names
    for s in spec.report.sections:
        assert (NOTEBOOKS / s.notebook).is_file()


def test_township_workbooks_keep_their_cross_checks(example_copy):
    """The township spec still runs its own cross-sheet rules (a project number that does not exist)."""
    from jixiao.workbook.load import load_workbook

    wb = openpyxl.load_workbook(example_copy)
    ws = wb["项目指标"]
    ws.cell(row=3, column=1, value=999)
    wb.save(example_copy)
    with pytest.raises(WorkbookError) as exc:
        load_workbook(example_copy, year=2023)
    assert any("999" in str(p) for p in exc.value.problems)


def test_empty_template_has_every_sheet_and_reports_required_fields(tmp_path, capsys):
    path = write_key_project_template(tmp_path / "empty.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["填写说明", *[s.name for s in key_project_spec().sheets]]
    assert "重点项目绩效评价" in wb["填写说明"]["A1"].value
    assert wb["评价指标"]["H2"].value == "计分方式"
    wb.close()
    code, _, err = run_cli(["evaluate", params_file(tmp_path, path), "--check"], capsys)
    assert code == 2 and "Traceback" not in err
    assert "项目概况!" in err and "“项目名称”为必填项" in err and "评价指标" in err


# -- scores ------------------------------------------------------------------------------

def test_indicator_scores(good_kp):
    ev = good_kp.evaluation
    assert {i.no: i.score for i in ev.indicators} == EXPECTED
    for no, rate in EXPECTED_RATES.items():
        got = next(i for i in ev.indicators if i.no == no)
        assert got.rate == pytest.approx(rate), got.name
    assert all(i.method == "评分" or i.basis.startswith(("资金", "预算", "实际", "质量", "满意度")) for i in ev.indicators)
    assert next(i for i in ev.indicators if i.no == 2).deducted == 2


def test_dimension_scores_total_and_grade(good_kp):
    ev = good_kp.evaluation
    dims = {d.name: (d.weight, d.score, d.indicators) for d in ev.dimensions}
    assert dims == {"决策": (20, 18, 2), "过程": (20, 19.49, 3), "产出": (35, 33.25, 5), "效益": (25, 23, 2)}
    assert ev.total == 93.74 and ev.grade == "优"
    assert sum(d.score for d in ev.dimensions) == pytest.approx(ev.total)
    assert not ev.sample


def test_checks_agree_with_the_stated_result(good_kp):
    by = {}
    for f in good_kp.findings:
        by.setdefault(f.id, []).append(f)
    assert all(f.severity == "pass" for f in by["key.total"] + by["key.grade"] + by["key.weights"])
    funds = [f for f in by["key.funds"] if f.title == "资金来源合计"]
    assert len(funds) == 3 and all(f.severity == "pass" for f in funds)
    works = {f.message.split("”")[0].lstrip("“"): f.severity for f in by["key.works"]}
    assert works == {"路面": "info", "路肩": "pass"}


def test_negative_rule_linear(good_kp):
    scoring = key_project_spec().scoring.model_copy(update={"negative_rule": "linear"})
    rec = next(r for r in good_kp.ds.indicators.to_dict("records") if r["no"] == 9)
    # 5 × (1 − (100 − 90) ÷ 90) = 4.444… → 4.44
    assert score_indicator(good_kp.ds, rec, scoring, scoring.satisfaction_weights).score == 4.44


def test_satisfaction_weights_come_from_the_config_and_params(good_kp, tmp_path):
    ds = good_kp.ds
    weights = key_project_spec().scoring.satisfaction_weights
    assert satisfaction_rate(ds, weights) == (pytest.approx(92.0), 50)
    p = params_file(tmp_path, ds.path, satisfaction_weights={"基本满意": 0.8})
    params = load_key_params(p)
    assert satisfaction_rate(ds, params.option_weights())[0] == pytest.approx(96.0)
    # without a target rate the score is weight × rate
    data = good_data()
    data["评价指标"][11]["目标值"] = None
    kp = load_key_project(write(tmp_path, data), year=2024)
    assert next(i for i in kp.evaluation.indicators if i.no == 12).score == 13.8  # 15 × 92%


def test_a_score_typed_next_to_a_computed_one_is_checked(tmp_path):
    data = good_data()
    data["评价指标"][2]["得分"] = 5  # computed 4.75
    kp = load_key_project(write(tmp_path, data), year=2024)
    f = [f for f in kp.findings if f.id == "key.indicator_score"]
    assert len(f) == 1 and f[0].severity == "error" and f[0].cells == ["评价指标!M5"]
    assert kp.evaluation.total == 93.74  # the report uses the computed score


def test_stated_total_that_disagrees_is_an_error_finding(tmp_path):
    data = good_data()
    data["项目概况"]["所述综合得分"] = 95
    kp = load_key_project(write(tmp_path, data), year=2024)
    bad = [f for f in kp.findings if f.severity == "error"]
    assert [f.id for f in bad] == ["key.total"] and "95" in bad[0].message and "93.74" in bad[0].message


@pytest.mark.parametrize("scores, expected", [
    ((20, 20, 30, 20), "优"),       # 90
    ((20, 20, 30, 19.99), "良"),    # 89.99
    ((20, 20, 20, 20), "良"),       # 80
    ((20, 20, 19.99, 20), "中"),    # 79.99
    ((10, 10, 20, 20), "中"),       # 60
    ((10, 10, 19.99, 20), "差"),    # 59.99
    ((0, 0, 0, 0), "差"),
])
def test_grade_bands(tmp_path, scores, expected):
    weights = (20, 20, 30, 30)
    rows = [ind(i + 1, d, f"指标{i + 1}", w, 得分=s, 扣分原因="示例扣分" if s < w else None)
            for i, (d, w, s) in enumerate(zip(("决策", "过程", "产出", "效益"), weights, scores))]
    data = {"项目概况": {"项目名称": "等级测试", "评价年度": 2024}, "评价指标": rows}
    ev = load_key_project(write(tmp_path, data), year=2024).evaluation
    assert ev.total == pytest.approx(sum(scores))
    assert ev.grade == expected == grade(sum(scores), key_project_spec().scoring.grade_bands)


# -- validation: every rule fires, with sheet and cell, exit 2 ------------------------------

def _mutate(fn):
    data = good_data()
    fn(data)
    return data


def _set(sheet, index, **values):
    def fn(data):
        data[sheet][index].update(values)
    return fn


BAD = {
    "weights_sum": (_set("评价指标", 0, 分值=12), "评价指标!E3:E14", "分值合计应为 100，实为 102"),
    "output_benefit": (_set("评价指标", 10, 一级指标="决策"), "评价指标!E8:E14", "产出与效益指标分值合计应不低于 60，实为 50"),
    "score_above_weight": (_set("评价指标", 0, 得分=12), "评价指标!M3", "得分 12 超过其分值 10"),
    "deduction_without_reason": (_set("评价指标", 1, 扣分原因=None), "评价指标!N4", "扣2分（得分 8，分值 10），必须说明扣分原因"),
    "assessor_without_score": (_set("评价指标", 4, 得分=None), "评价指标!M7", "必须填写得分"),
    "negative_score": (_set("评价指标", 0, 得分=-1), "评价指标!M3", "不能为负数"),
    "weight_zero": (_set("评价指标", 4, 分值=0, 得分=0), "评价指标!E7", "分值应大于0"),
    "computed_score_above_weight": (_set("评价指标", 2, 得分=6), "评价指标!M5", "得分 6 超过其分值 5"),
    "missing_dimension": (lambda d: [r.update(一级指标="过程") for r in d["评价指标"][:2]], "评价指标!B",
                          "缺少一级指标“决策”"),
    "funds_missing": (lambda d: d.pop("资金来源"), "评价指标!H5", "需要“资金来源”表的预算金额和到位金额"),
    "delivered_blank": (_set("工程量", 1, 实际完成数量=None), "工程量!E4", "“路肩”的实际完成数量为空"),
    "item_unknown": (_set("评价指标", 7, 数据项="桥梁"), "评价指标!I10", "数据项“桥梁”在“工程量”表的建设内容中不存在"),
    "target_not_percent": (_set("评价指标", 3, 目标值=1), "评价指标!J6", "不像百分比"),
    "ratio_without_actual": (_set("评价指标", 10, 实际值=None), "评价指标!K13", "需要实际值"),
    "ratio_text_target": (_set("评价指标", 10, 目标值="很多"), "评价指标!J13", "目标值应为数字"),
    "survey_missing": (lambda d: d.pop("满意度调查"), "评价指标!H14", "需要“满意度调查”表的回答人数"),
    "unknown_problem": (_set("意见建议", 0, 对应问题=3), "意见建议!C3", "“对应问题” 3 在“存在问题”表中不存在"),
    "unknown_method": (_set("评价指标", 0, 计分方式="打分"), "评价指标!H3", "以下之一：评分"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_workbook(case, tmp_path, capsys):
    mutate, where, message = BAD[case]
    wb = write(tmp_path, _mutate(mutate))
    code, out, err = run_cli(["evaluate", params_file(tmp_path, wb), "--check"], capsys)
    assert code == 2, out + err
    assert "Traceback" not in err
    line = next((l for l in err.splitlines() if where in l), None)
    assert line is not None, f"{where} not in:\n{err}"
    assert message in line, line


def test_every_problem_is_reported_at_once(tmp_path):
    data = good_data()
    data["评价指标"][0]["得分"] = 12                 # above its weight
    data["评价指标"][1]["扣分原因"] = None           # deduction without reason
    data["评价指标"][2]["分值"] = 7                  # weights 102
    data.pop("资金来源")                             # 资金到位率 / 预算执行率 without data
    with pytest.raises(WorkbookError) as exc:
        load_key_project(write(tmp_path, data), year=2024)
    where = sorted(p.where for p in exc.value.problems)
    assert where == ["评价指标!E3:E14", "评价指标!H5", "评价指标!H6", "评价指标!M3", "评价指标!N4"]
    assert all(p.file.endswith("kp.xlsx") for p in exc.value.problems)


def test_year_and_name_must_match_the_parameters(tmp_path, capsys):
    wb = write(tmp_path, good_data())
    code, _, err = run_cli(["evaluate", params_file(tmp_path, wb, year=2023), "--check"], capsys)
    assert code == 2 and "项目概况!B5" in err and "评价年度 2024 与参数文件年度 2023 不一致" in err
    code, _, err = run_cli(["evaluate", params_file(tmp_path, wb, name="别的工程"), "--check"], capsys)
    assert code == 2 and "项目概况!B3" in err and "项目名称与参数文件 name 不一致" in err


@pytest.mark.parametrize("change, message", [
    ({"kind": None}, "kind: key-project"),
    ({"project": "南胡渠"}, "参数“project”不正确"),
    ({"colour": "red"}, "未知的参数“colour”"),
    ({"satisfaction_weights": {"还行": 0.5}}, "未知的满意度选项：还行"),
    ({"satisfaction_weights": {"满意": 2}}, "选项权重应在 0～1 之间"),
    ({"workbook": "nowhere.xlsx"}, "指向的工作簿不存在"),
])
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


def test_bad_workbook_writes_nothing(tmp_path, capsys):
    data = good_data()
    data["评价指标"][0]["分值"] = 50
    p = params_file(tmp_path, write(tmp_path, data))
    code, _, err = run_cli(["evaluate", p], capsys)
    assert code == 2 and "分值合计应为 100" in err
    assert not (tmp_path / "reports").exists()


# -- the example ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def example():
    return load_key_project(load_key_params(EXAMPLE_PARAMS))


def test_example_scores_97_9_excellent(example):
    ev = example.evaluation
    assert ev.total == 97.9 and ev.grade == "优" and ev.sample
    assert {d.name: (d.weight, d.score) for d in ev.dimensions} == {
        "决策": (15, 14.5), "过程": (20, 19.4), "产出": (35, 34.5), "效益": (30, 29.5)}
    names = [i.name for i in ev.indicators]
    for required in ("立项依据充分性", "绩效目标合理性", "资金到位率", "预算执行率", "资金使用合规性", "管理制度健全性",
                     "实际完成率", "质量达标率", "完成及时性", "成本节约率", "社会效益", "可持续影响", "服务对象满意度"):
        assert required in names
    assert all(i.reason and i.reason.startswith("（示例）") for i in ev.indicators if i.deducted > 0)
    assert not [f for f in example.findings if f.severity in ("error", "warning")]


def test_example_is_faithful_to_the_seed(example):
    """Only what the seed says; everything else blank (未提供)."""
    from support import SEED

    seed = SEED.read_text(encoding="utf-8")
    facts = example.ds.facts["project"]
    assert facts["name"] == "东史端镇南胡渠村道路改造工程" and facts["name"] in seed
    assert facts["scope"] in seed
    assert facts["score_stated"] == 97.9 and facts["grade_stated"] == "优"
    for blank in ("implementer", "supervisor", "planned_start", "planned_end", "start", "end", "acceptance_date",
                  "acceptance_by", "acceptance_result", "assessor", "method", "report_date"):
        assert facts[blank] is None, blank
    works = example.ds.works
    assert list(works["planned"]) == [7205, 9155]
    assert works["delivered"].isna().all() and works["accepted"].isna().all()
    assert example.ds.funds.empty and example.ds.survey.empty
    assert example.ds.problems.empty and example.ds.recommendations.empty
    assert example.ds.facts["texts"]["conclusion"] in seed


def test_example_workbook_is_labelled_sample():
    wb = openpyxl.load_workbook(EXAMPLE_XLSX)
    try:
        ws = wb["评价指标"]
        assert SAMPLE_LABEL in ws["A1"].value
        assert any(isinstance(c.value, str) and c.value.startswith(f"注：本表为{SAMPLE_LABEL}")
                   for row in ws.iter_rows() for c in row)
        assert any(SAMPLE_LABEL in str(r[0]) for r in wb["填写说明"].iter_rows(values_only=True) if r[0])
        kv = {r[0]: r[1] for r in wb["项目概况"].iter_rows(min_row=3, values_only=True)}
        assert kv["示例数据"] == "是" and "示例数据" in kv["示例数据说明"]
    finally:
        wb.close()


def test_example_workbook_is_built_from_its_transcription(tmp_path):
    fresh = write_key_project_template(tmp_path / "fresh.xlsx", read_transcription(EXAMPLE_DIR / "transcription"),
                                       label="数据来源：examples/nanhuqu-road-2023/transcription")
    a, b = openpyxl.load_workbook(EXAMPLE_XLSX), openpyxl.load_workbook(fresh)
    try:
        assert a.sheetnames == b.sheetnames
        for name in a.sheetnames:
            wa, wb_ = a[name], b[name]
            assert (wa.max_row, wa.max_column) == (wb_.max_row, wb_.max_column), name
            for ra, rb in zip(wa.iter_rows(), wb_.iter_rows()):
                for ca, cb in zip(ra, rb):
                    assert (ca.value, ca.number_format) == (cb.value, cb.number_format), f"{name}!{ca.coordinate}"
    finally:
        a.close()
        b.close()


def test_check_command_on_the_example(capsys):
    code, out, err = run_cli(["evaluate", EXAMPLE_PARAMS, "--check"], capsys)
    assert code == 0, err
    assert "97.9" in out and "优" in out and SAMPLE_LABEL in out


# -- the township link --------------------------------------------------------------------

def _township_setup(tmp_path: Path):
    """Copies of the township and example key-project parameters in one folder, outputs in tmp."""
    folder = tmp_path / "params"
    folder.mkdir()
    out = tmp_path / "reports"
    t = yaml.safe_load(TOWNSHIP_PARAMS.read_text(encoding="utf-8"))
    t["workbook"] = str((TOWNSHIP_PARAMS.parent / t["workbook"]).resolve())
    t["output_dir"] = str(out)
    (folder / "dongshiduan-2023.yaml").write_text(yaml.safe_dump(t, allow_unicode=True), encoding="utf-8")
    k = yaml.safe_load(EXAMPLE_PARAMS.read_text(encoding="utf-8"))
    k["workbook"] = str(EXAMPLE_XLSX)
    k["output_dir"] = str(out)
    (folder / "nanhuqu-road-2023.yaml").write_text(yaml.safe_dump(k, allow_unicode=True), encoding="utf-8")
    other = dict(k, year=2022, project="other")
    (folder / "other-2022.yaml").write_text(yaml.safe_dump(other, allow_unicode=True), encoding="utf-8")
    (folder / "notes.yaml").write_text("just: notes\n", encoding="utf-8")
    from jixiao.params import load_params

    return load_params(folder / "dongshiduan-2023.yaml"), folder / "nanhuqu-road-2023.yaml"


def test_township_links_only_built_reports(tmp_path, example_ds):
    township, key_params = _township_setup(tmp_path)
    assert key_project_links(township, example_ds) == []  # not evaluated yet
    kp = load_key_params(key_params)
    kp.out_dir.mkdir(parents=True)
    (kp.out_dir / "report.html").write_text("<html></html>", encoding="utf-8")
    (kp.out_dir / "manifest.json").write_text(json.dumps(
        {"result": {"name": "东史端镇南胡渠村道路改造工程", "score": 97.9, "grade": "优", "sample": True}},
        ensure_ascii=False), encoding="utf-8")
    links = key_project_links(township, example_ds)
    assert links == [{"name": "东史端镇南胡渠村道路改造工程", "score": 97.9, "grade": "优",
                      "href": "key-nanhuqu-road/report.html", "sample": True, "params": str(key_params),
                      "stated_score": 97.9, "stated_grade": "优"}]


# -- end to end ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def evaluated(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("e2e")
    township, key_params = _township_setup(tmp)
    from jixiao.keyproject import evaluate

    result = evaluate(key_params)
    return township, result, result.report.read_text(encoding="utf-8")


def _text(page: str) -> str:
    body = page.split("<body", 1)[1]
    return htmllib.unescape(re.sub(r"<[^>]+>", "", body))


@pytest.mark.slow
def test_e2e_report(evaluated):
    _, result, page = evaluated
    text = _text(page)
    assert result.out_dir.name == "key-nanhuqu-road" and result.out_dir.parent.name == "2023"
    assert result.out_dir.parent.parent.name == "dongshiduan"
    assert "97.9" in text and "“优”" in text
    assert 'class="cover-note"' in page and SAMPLE_LABEL in page.split('class="cover-note"', 1)[1][:200]
    assert text.count(SAMPLE_LABEL) >= 5  # cover, note and captions of the table and chart, the score
    assert "绩效评价指标体系及得分（示例数据）" in text
    for name in ("立项依据充分性", "资金到位率", "实际完成率", "服务对象满意度", "7205", "9155"):
        assert name in text
    assert page.count("data:image/png;base64,") >= 1 and "各一级指标分值与得分" in text
    for heading in ("一、项目概况", "二、绩效评价指标与得分", "三、评价发现与存在问题", "四、意见建议", "附录 数据校验"):
        assert heading in text
    assert "未提供" in text
    assert "open_report" not in page and "params_path" not in page and "<script" not in page
    for target in re.findall(r'<a href="#([^"]+)"', page):
        assert f'id="{target}"' in page


@pytest.mark.slow
def test_e2e_outputs_and_manifest(evaluated):
    _, result, _ = evaluated
    names = {p.name for p in result.out_dir.iterdir()}
    assert {"report.html", "scores.xlsx", "manifest.json", "sections"} <= names
    m = json.loads((result.out_dir / "manifest.json").read_text(encoding="utf-8"))
    assert m["result"]["score"] == 97.9 and m["result"]["grade"] == "优" and m["result"]["sample"] is True
    assert [s["status"] for s in m["sections"]] == ["ok"] * 4 and m["checks"]["error"] == 0
    wb = openpyxl.load_workbook(result.out_dir / "scores.xlsx", read_only=True)
    rows = list(wb["维度得分"].iter_rows(values_only=True))
    wb.close()
    assert rows[0][:4] == ("一级指标", "指标数", "分值", "得分") and len(rows) == 5


@pytest.mark.slow
def test_e2e_township_link(evaluated, example_ds):
    township, result, _ = evaluated
    links = key_project_links(township, example_ds)
    assert [(l["score"], l["grade"], l["href"], l["sample"]) for l in links] == [
        (97.9, "优", "key-nanhuqu-road/report.html", True)]
    assert (township.out_dir / links[0]["href"]).resolve() == result.report.resolve()


@pytest.mark.slow
def test_e2e_cli_and_failing_section(tmp_path, capsys):
    _, key_params = _township_setup(tmp_path)
    code, out, err = run_cli(["evaluate", key_params], capsys)
    assert code == 0, err
    assert "key-nanhuqu-road" in out and "97.9" in out and "优" in out
    final = load_key_params(key_params).out_dir
    before = (final / "report.html").read_text(encoding="utf-8")

    import nbformat

    broken = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOKS, broken)
    nb = nbformat.read(broken / "02_indicators.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("raise RuntimeError('故意的失败')"))
    nbformat.write(nb, broken / "02_indicators.ipynb")
    code, _, err = run_cli(["evaluate", key_params, "--notebooks", broken], capsys)
    assert code == 1 and "二、绩效评价指标与得分" in err and "故意的失败" in err and "Traceback" not in err
    assert (final / "report.html").read_text(encoding="utf-8") == before
    kept = final.with_name("key-nanhuqu-road.failed") / "sections" / "02_indicators.ipynb"
    assert kept.is_file()
    # The message points at the notebook kept for inspection, not into the discarded staging folder.
    assert str(kept) in err.replace("\n", "")


@pytest.mark.slow
@pytest.mark.parametrize("notebook", sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")))
def test_notebook_runs_on_its_own(notebook, tmp_path):
    """Each key-project notebook runs as is with its default parameters (as in JupyterLab)."""
    import papermill as pm

    pm.execute_notebook(str(NOTEBOOKS / notebook), str(tmp_path / notebook), cwd=str(NOTEBOOKS),
                        kernel_name="python3", progress_bar=False)


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


def test_bad_format_is_refused_before_anything_runs(tmp_path, capsys):
    p = params_file(tmp_path, write(tmp_path, good_data()))
    code, _, err = run_cli(["evaluate", p, "--format", "html,xls"], capsys)
    assert code == 2 and "xls" in err and "Traceback" not in err
    assert not (tmp_path / "reports").exists()
