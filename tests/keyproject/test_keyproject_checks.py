"""Key-project checks: the loader's rules (every one fires, with sheet and cell, exit 2)
and the report's findings (stated vs computed).

Mirrors :mod:`jixiao.keyproject.checks`.
"""

from __future__ import annotations

import openpyxl
import pytest
from keyproject_support import good_data, params_file, run_cli, write

from jixiao.exceptions import WorkbookError
from jixiao.keyproject import load_key_project

# -- findings --------------------------------------------------------------------------


def test_checks_agree_with_the_stated_result(good_kp):
    by = {}
    for f in good_kp.findings:
        by.setdefault(f.id, []).append(f)
    assert all(f.severity == "pass" for f in by["key.total"] + by["key.grade"] + by["key.weights"])
    funds = [f for f in by["key.funds"] if f.title == "资金来源合计"]
    assert len(funds) == 3 and all(f.severity == "pass" for f in funds)
    works = {f.message.split("”")[0].lstrip("“"): f.severity for f in by["key.works"]}
    assert works == {"路面": "info", "路肩": "pass"}


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


# -- validation: every rule fires, with sheet and cell, exit 2 -------------------------


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
    "output_benefit": (
        _set("评价指标", 10, 一级指标="决策"),
        "评价指标!E8:E14",
        "产出与效益指标分值合计应不低于 60，实为 50",
    ),
    "score_above_weight": (_set("评价指标", 0, 得分=12), "评价指标!M3", "得分 12 超过其分值 10"),
    "deduction_without_reason": (
        _set("评价指标", 1, 扣分原因=None),
        "评价指标!N4",
        "扣2分（得分 8，分值 10），必须说明扣分原因",
    ),
    "assessor_without_score": (_set("评价指标", 4, 得分=None), "评价指标!M7", "必须填写得分"),
    "negative_score": (_set("评价指标", 0, 得分=-1), "评价指标!M3", "不能为负数"),
    "weight_zero": (_set("评价指标", 4, 分值=0, 得分=0), "评价指标!E7", "分值应大于0"),
    "computed_score_above_weight": (_set("评价指标", 2, 得分=6), "评价指标!M5", "得分 6 超过其分值 5"),
    "missing_dimension": (
        lambda d: [r.update(一级指标="过程") for r in d["评价指标"][:2]],
        "评价指标!B",
        "缺少一级指标“决策”",
    ),
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
    line = next((ln for ln in err.splitlines() if where in ln), None)
    assert line is not None, f"{where} not in:\n{err}"
    assert message in line, line


def test_every_problem_is_reported_at_once(tmp_path):
    data = good_data()
    data["评价指标"][0]["得分"] = 12  # above its weight
    data["评价指标"][1]["扣分原因"] = None  # deduction without reason
    data["评价指标"][2]["分值"] = 7  # weights 102
    data.pop("资金来源")  # 资金到位率 / 预算执行率 without data
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
