"""Several assessors (``assessors:``): their sheets read, consolidated, the spread flagged."""

from __future__ import annotations

import pytest
from keyproject_support import EXAMPLE_PARAMS, good_data, params_file, run_cli, write
from openpyxl import Workbook

from jixiao.exceptions import InputError
from jixiao.keyproject import load_key_params, load_key_project
from jixiao.keyproject.assessors import consolidate

# good_data()'s indicators scored 评分: 1 立项依据充分性 (10 points, workbook 10),
# 2 绩效目标合理性 (10, workbook 8), 5 管理制度健全性 (10, workbook 10). The others are scored
# from data: a sheet may list them (their score is ignored) or not.
# 丙 is the outlier on 绩效目标合理性: 8, 7, 4 → range 4 > 20% of 10.
SHEETS = {
    "甲": [("立项依据充分性", 10, None), ("绩效目标合理性", 8, "目标未细化"), ("管理制度健全性", 9, "制度不全")],
    "乙": [("立项依据充分性", 9.5, "依据不充分"), ("绩效目标合理性", 7, "目标未细化"), ("管理制度健全性", 10, None)],
    "丙": [("立项依据充分性", 10, None), ("绩效目标合理性", 4, "目标与预算不匹配"), ("管理制度健全性", 10, None)],
}


def write_sheet(path, rows, *, title="评价人员评分表", header=("序号", "三级指标", "分值", "得分", "扣分理由")):
    wb = Workbook()
    ws = wb.active
    ws.title = "评分"
    ws.append([title])
    ws.append(list(header))
    for k, (name, score, reason) in enumerate(rows, 1):
        ws.append([k, name, 10, score, reason])
    ws.append([])
    ws.append(["注：测试数据"])
    wb.save(path)
    return path


def setup(tmp_path, sheets=SHEETS, **more):
    wb = write(tmp_path, good_data())
    entries = []
    for name, rows in sheets.items():
        write_sheet(tmp_path / f"{name}.xlsx", rows)
        entries.append({"path": f"{name}.xlsx", "name": name})
    return params_file(tmp_path, wb, assessors=entries, **more)


def scores(kp):
    return {i.no: i.score for i in kp.evaluation.indicators}


def test_three_assessors_mean_with_an_outlier(tmp_path):
    kp = load_key_project(load_key_params(setup(tmp_path)))
    panel = kp.assessors
    assert panel is not None and panel.names == ["甲", "乙", "丙"] and panel.method == "mean"
    s = scores(kp)
    assert (s[1], s[2], s[5]) == (9.83, 6.33, 9.67)
    assert kp.evaluation.total == 91.57  # 93.74 − (10 + 8 + 10) + (9.83 + 6.33 + 9.67)
    ind2 = panel.get(2)
    assert ind2 is not None
    assert ind2.scores == [8, 7, 4] and (ind2.spread.min, ind2.spread.max, ind2.spread.range) == (4, 8, 4)
    assert [i.no for i in panel.flags] == [2]
    basis = {i.no: i.basis for i in kp.evaluation.indicators}
    assert basis[2] == "3 位评价人员评分的平均值（8、7、4），扣3.67分"
    assert basis[1] == "3 位评价人员评分的平均值（10、9.5、10），扣0.17分"
    # the workbook has no 扣分原因 for indicator 1: the assessors' 扣分理由 stand in
    reasons = {i.no: i.reason for i in kp.evaluation.indicators}
    assert reasons[1] == "乙：依据不充分" and reasons[2] == "目标未细化"
    spread = [f for f in kp.findings if f.id == "keyproject.assessors.spread"]
    assert [f.severity for f in spread] == ["warning"]
    assert spread[0].message == (
        "指标“绩效目标合理性”（分值10分）：甲8分、乙7分、丙4分，最高与最低相差4分，超过分值的20%（2分）；"
        "采用平均值6.33分，请核实评分依据。"
    )
    assert spread[0].cells == ["[甲.xlsx]评分!D4", "[乙.xlsx]评分!D4", "[丙.xlsx]评分!D4"]
    stated = [f for f in kp.findings if f.id == "keyproject.assessors.stated"]
    assert {f.severity for f in stated} == {"warning"} and len(stated) == 3  # the workbook's 10, 8, 10


@pytest.mark.parametrize(
    ("method", "expected", "total", "label"),
    [
        ("median", (10, 7, 10), 92.74, "3 位评价人员评分的中位数（8、7、4），扣3分"),
        ("trimmed", (10, 7, 10), 92.74, "3 位评价人员评分的去掉一个最高分和一个最低分后的平均值（8、7、4），扣3分"),
    ],
)
def test_median_and_trimmed(tmp_path, method, expected, total, label):
    kp = load_key_project(load_key_params(setup(tmp_path, consolidate=method)))
    s = scores(kp)
    assert (s[1], s[2], s[5]) == expected and kp.evaluation.total == total
    assert next(i.basis for i in kp.evaluation.indicators if i.no == 2) == label


def test_consolidate_function():
    assert consolidate([8, 7, 4], "mean")[0] == pytest.approx(19 / 3)
    assert consolidate([8, 7, 4], "median") == (7, "median")
    assert consolidate([8, 7, 4, 9], "trimmed") == (7.5, "trimmed")
    assert consolidate([8, 4], "trimmed") == (6, "mean")  # too few to trim


def test_evaluate_check_through_cli(tmp_path, capsys):
    code, out, _ = run_cli(["evaluate", setup(tmp_path), "--check"], capsys)
    assert code == 0 and "综合得分 91.57 分" in out


@pytest.mark.parametrize(
    ("change", "where", "message"),
    [
        (lambda s: s["丙"].pop(1), "丙.xlsx 评分!B3:B6", "评价人员“丙”的评分表缺少指标“绩效目标合理性”（序号2）"),
        (
            lambda s: s["丙"].append(("不存在的指标", 3, None)),
            "丙.xlsx 评分!B6",
            "评价人员“丙”的评分表中的指标“不存在的指标”不在评价指标体系中",
        ),
        (lambda s: s["乙"].__setitem__(0, ("立项依据充分性", 11, None)), "乙.xlsx 评分!D3", "得分 11 超过其分值 10"),
        (lambda s: s["乙"].__setitem__(0, ("立项依据充分性", -1, "x")), "乙.xlsx 评分!D3", "得分 -1 为负数"),
        (lambda s: s["乙"].__setitem__(0, ("立项依据充分性", None, None)), "乙.xlsx 评分!D3", "的得分为空"),
        (lambda s: s["乙"].__setitem__(0, ("立项依据充分性", "九", None)), "乙.xlsx 评分!D3", "的得分不是数字"),
        (
            lambda s: s["乙"].append(("立项依据充分性", 9, None)),
            "乙.xlsx 评分!B6",
            "评价人员“乙”的评分表中指标“立项依据充分性”重复（另见第3行）",
        ),
    ],
    ids=["missing", "unknown", "above-points", "negative", "blank", "not-a-number", "twice"],
)
def test_bad_sheets_exit_2_with_cell(tmp_path, capsys, change, where, message):
    sheets = {k: list(v) for k, v in SHEETS.items()}
    change(sheets)
    code, _, err = run_cli(["evaluate", setup(tmp_path, sheets), "--check"], capsys)
    assert code == 2
    assert where in err and message in err


def test_deduction_needs_a_reason(tmp_path):
    sheets = {k: [(n, s, None) for n, s, _ in v] for k, v in SHEETS.items()}
    with pytest.raises(InputError) as exc:
        load_key_project(load_key_params(setup(tmp_path, sheets)))
    # indicator 1 (row 3) and 5 (row 7) have no 扣分原因 in the workbook and none from the assessors
    where = [(p.sheet, p.cell) for p in exc.value.problems]
    assert where == [("评价指标", "N3"), ("评价指标", "N7")]
    assert "按 3 位评价人员评分的平均值（10、9.5、10） 得9.83分（分值 10），必须说明扣分原因" in str(exc.value)


def test_no_header_and_missing_file(tmp_path, capsys):
    p = setup(tmp_path)
    wb = Workbook()
    wb.active.append(["名称", "分数"])
    wb.save(tmp_path / "甲.xlsx")
    code, _, err = run_cli(["evaluate", p, "--check"], capsys)
    assert code == 2 and "甲.xlsx Sheet!1：评价人员“甲”的评分表在前12行中找不到表头（指标、得分）" in err
    (tmp_path / "乙.xlsx").unlink()
    code, _, err = run_cli(["evaluate", p, "--check"], capsys)
    assert code == 2 and "参数 assessors[1] 指向的评价人员评分表不存在" in err


def test_spread_threshold_from_config_is_strict(tmp_path):
    # 20% of 10 points is 2: a range of exactly 2 is not flagged
    sheets = {k: list(v) for k, v in SHEETS.items()}
    sheets["丙"][1] = ("绩效目标合理性", 6, "目标未细化")
    kp = load_key_project(load_key_params(setup(tmp_path, sheets)))
    assert kp.assessors is not None and kp.assessors.flags == []
    assert [f.severity for f in kp.findings if f.id == "keyproject.assessors.spread"] == ["pass"]


def test_example_evaluates(capsys):
    """The bundled example with its 示例数据 survey and two assessors still scores 97.9."""
    code, out, err = run_cli(["evaluate", EXAMPLE_PARAMS, "--check"], capsys)
    assert code == 0, err
    assert "综合得分 97.9 分" in out
    kp = load_key_project(load_key_params(EXAMPLE_PARAMS))
    assert kp.survey is not None and kp.survey.n_rows == 320
    o = kp.survey.overall  # the figures examples/nanhuqu-road-2023/README.md states
    assert (round(o.satisfaction_rate, 2), round(o.score, 2), round(o.margin_of_error, 2)) == (93.68, 92.75, 2.67)
    assert kp.assessors is not None and kp.assessors.names == ["评价人员甲", "评价人员乙"]
    assert [i.name for i in kp.assessors.flags] == ["绩效指标明确性"]


def test_trimmed_with_two_assessors_is_the_mean(tmp_path):
    sheets = {k: SHEETS[k] for k in ("甲", "乙")}
    kp = load_key_project(load_key_params(setup(tmp_path, sheets, consolidate="trimmed")))
    basis = next(i.basis for i in kp.evaluation.indicators if i.no == 2)
    assert basis == "2 位评价人员评分的平均值（8、7）（评价人员不足 3 位，取平均值），扣2.5分"


def test_example_survey_is_reproducible(tmp_path):
    """scripts/make_example_survey.py writes the bundled export byte for byte."""
    import importlib.util

    from support import ROOT

    spec = importlib.util.spec_from_file_location("make_example_survey", ROOT / "scripts" / "make_example_survey.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.write_survey(tmp_path / "s.xlsx").read_bytes() == module.SURVEY.read_bytes()
