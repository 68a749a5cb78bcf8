"""The checks of a form: a consistent one passes, each planted error is named with both
figures and its cell; the scores under the scheme, absent levels, actuals in the form's words."""

from __future__ import annotations

import pytest
from forms_support import Layout, good_form, without_level, write_form

from jixiao.analysis.checks import SEVERITIES, summarize
from jixiao.forms import TITLES, form_findings, goal_amounts, grade_of, read_form, score_form
from jixiao.paths import SCHEMES_DIR


def _form(tmp_path, form=None, layout=None):
    path, _ = write_form(tmp_path / "f.xlsx", form, layout)
    return read_form(path)[0]


def _findings(tmp_path, form=None, layout=None, scheme="national"):
    return form_findings(_form(tmp_path, form, layout), scheme)


def _only(findings, check_id, severity):
    hits = [f for f in findings if f.id == check_id and f.severity == severity]
    assert len(hits) == 1, [(f.id, f.severity, f.message) for f in findings if f.severity != "pass"]
    return hits[0]


def _change(form, index, **values):
    """The form with indicator ``index`` changed (fields by name)."""
    names = ("level1", "level2", "name", "target", "actual", "points", "score", "note")
    row = dict(zip(names, form["indicators"][index]))
    row.update(values)
    form["indicators"][index] = tuple(row[n] for n in names)
    return form


def test_a_consistent_form_passes_and_its_total_is_reproduced(tmp_path):
    form = _form(tmp_path)
    findings = form_findings(form, "national")
    counts = summarize(findings)
    assert counts["error"] == counts["warning"] == counts["info"] == 0
    assert counts["pass"] == len(findings) == 27
    assert {f.id for f in findings} == set(TITLES) - {"forms.absent_levels"}
    assert all(f.title == TITLES[f.id] for f in findings)
    sc = score_form(form, "national")
    assert sc.total_computed == pytest.approx(94.5, abs=1e-12) and sc.total_stated == 94.5 and sc.grade == "优"
    assert (sc.rate_computed, sc.execution_computed) == (95.0, 9.5)
    assert [r.computed for r in sc.indicators] == [20, 8, 10, 5, 5, 12, 15, 10]
    assert sc.absent_levels == () and sc.absent_rule is None and sc.notes == ()


def test_the_total_row_against_its_qizhong_rows(tmp_path):
    f = good_form()
    f["funds"]["fiscal"][1] = 90
    found = _only(_findings(tmp_path, f), "forms.funds_total", "error")
    assert found.message == (
        "全年预算数（年度资金总额 = 本年财政拨款 + 上年结转资金 + 其他资金）：明细合计110.00万元，"
        "所述120.00万元，相差10.00万元，超出舍入误差（±0.02万元）。"
    )
    assert found.cells == ["f.xlsx 自评表!E6", "f.xlsx 自评表!E7", "f.xlsx 自评表!E8", "f.xlsx 自评表!E9"]
    assert (found.stated, found.computed) == (120, 110)


def test_the_total_row_in_yuan_speaks_yuan(tmp_path):
    f = good_form()
    f["funds"]["carryover"][2] = 18.01  # 180100 元 against a total of 1140000 元
    found = _only(_findings(tmp_path, f, Layout(yuan="note")), "forms.funds_total", "error")
    assert "明细合计1140100.00元，所述1140000.00元，相差-100.00元，超出舍入误差（±0.02元）" in found.message
    assert found.cells[0] == "f.xlsx 自评表!F7"  # the 单位：元 row pushes the form down one row


def test_spending_beyond_the_budget_is_a_warning(tmp_path):
    f = good_form()
    f["funds"]["carryover"] = [20, 20, 22]
    f["funds"]["total"] = [100, 120, 118]
    found = _only(_findings(tmp_path, f), "forms.funds_executed", "warning")
    assert found.message == "上年结转资金：全年执行数22.00万元，全年预算数20.00万元，执行数超过预算数，请核对。"
    assert found.cells == ["f.xlsx 自评表!F8", "f.xlsx 自评表!E8"]


def test_the_stated_rate_and_execution_score(tmp_path):
    f = good_form()
    f["exec"].update(rate="96%", score=10)
    f["total"] = [100, 95]
    findings = _findings(tmp_path, f)
    rate = _only(findings, "forms.execution_rate", "error")
    assert rate.message == (
        "执行率：全年执行数÷全年预算数 = 95.00%，所述96.00%，相差1.00个百分点，"
        "超出舍入误差（输入按两位小数舍入时可能为94.99%～95.01%）。"
    )
    assert rate.cells[0] == "f.xlsx 自评表!H6"
    score = _only(findings, "forms.execution_score", "error")
    assert score.message == (
        "预算执行率得分（分值10分×全年执行数÷全年预算数，最高为分值）：所述10分，按评分方案计算9.5分，"
        "相差0.5分，超出舍入误差（按两位小数舍入可能为9.49～9.51分）。"
    )
    assert score.cells[0] == "f.xlsx 自评表!I6"


def test_an_execution_score_within_rounding_is_information(tmp_path):
    f = good_form()
    f["funds"] = {"total": [100, 120.57, 114.03], "fiscal": [100, 120.57, 114.03]}
    f["exec"].update(rate="94.58%", score=9.46)  # 114.03 ÷ 120.57 = 94.5757…%: 9.4576 → 9.46
    f["goal_actual"] = "全年支出114.03万元。"
    f["total"] = [100, 94.46]
    findings = _findings(tmp_path, f)
    assert summarize(findings)["error"] == 0
    assert _only(findings, "forms.execution_score", "pass").computed == pytest.approx(9.4576, abs=1e-4)


def test_an_indicator_score_that_does_not_follow_from_target_and_actual(tmp_path):
    f = _change(good_form(), 1, score=10)
    f["total"] = [100, 96.5]
    found = _only(_findings(tmp_path, f), "forms.indicator_score", "error")
    assert found.message == (
        "指标“受益村数”（≥5个，实际4个，分值10分）：所述10分，按评分方案计算8分，相差2分，超出舍入误差（±0.005分）。"
    )
    assert found.cells == ["f.xlsx 自评表!H14", "f.xlsx 自评表!E14", "f.xlsx 自评表!F14", "f.xlsx 自评表!G14"]


def test_a_qualitative_score_inside_its_band_passes_outside_fails(tmp_path):
    f = _change(good_form(), 5, score=10)  # 基本达成 → 部分达成: 60 %–80 % of 15 = 9–12
    f["total"] = [100, 92.5]
    findings = _findings(tmp_path, f)
    inside = [x for x in findings if x.id == "forms.indicator_score" and "群众出行条件" in x.message][0]
    assert inside.severity == "pass"
    assert "所述10分，按评分方案计算12分，在“部分达成”的区间内。（“基本达成”按“部分达成”计）" in inside.message
    assert _only(findings, "forms.total_score", "info").message.startswith(
        "总分（评分方案“national”）：所述92.5分，按评分方案计算94.5分，相差-2分，在评分方案允许的范围内"
    )
    f = _change(good_form(), 5, score=14)
    f["total"] = [100, 96.5]
    found = _only(_findings(tmp_path, f), "forms.indicator_score", "error")
    assert "所述14分，按评分方案计算12分，相差2分，超出该区间（“部分达成”的区间为9.00～12.00分）" in found.message


def test_level_points_against_the_label_and_the_points_total(tmp_path):
    f = good_form()
    f["indicators"] = [("产出指标（60分）", *t[1:]) if t[0].startswith("产出") else t for t in f["indicators"]]
    f["total"] = [90, 94.5]
    findings = _findings(tmp_path, f)
    level = _only(findings, "forms.level_points", "error")
    assert level.message == "产出指标各指标分值（所标60分）：明细合计50分，所述60分，相差10分。"
    assert level.cells[:2] == ["f.xlsx 自评表!B13", "f.xlsx 自评表!G13"]
    total = _only(findings, "forms.points_total", "error")
    assert total.message == "预算执行率与各指标分值合计：明细合计100分，所述90分，相差-10分。"
    assert total.cells[0] == "f.xlsx 自评表!G21"


def test_the_total_against_the_scores_and_the_scheme(tmp_path):
    f = good_form()
    f["total"] = [100, 95]
    findings = _findings(tmp_path, f)
    total_sum = _only(findings, "forms.total_sum", "error")
    assert (
        total_sum.message
        == "总分（预算执行率得分 + 各指标得分）：明细合计94.5分，所述95分，相差0.5分，超出舍入误差（±0.05分）。"
    )
    assert total_sum.cells[:2] == ["f.xlsx 自评表!H21", "f.xlsx 自评表!I6"]
    total = _only(findings, "forms.total_score", "error")
    assert total.message.startswith(
        "总分（评分方案“national”）：所述95分，按评分方案计算94.5分，相差0.5分，超出评分方案允许的范围"
    )
    assert total.cells == ["f.xlsx 自评表!H21"]


def test_goal_texts_parts_and_completion(tmp_path):
    f = good_form()
    f["goal_expected"] = "共120万元，其中：100万元用于道路建设；30万元用于配套设施。"
    f["goal_actual"] = "全年支出115万元，其中：96万元用于道路建设；19万元用于配套设施。"
    findings = _findings(tmp_path, f)
    parts = _only(findings, "forms.goal_parts", "error")
    assert parts.message == (
        "年度总体目标（预期目标）所述金额（共120万元，其中100万元、30万元）：明细合计130万元，所述120万元，"
        "相差-10万元，超出舍入误差（±0.02万元）。"
    )
    assert parts.cells == ["f.xlsx 自评表!B11"]
    done = _only(findings, "forms.goal_executed", "error")
    assert done.message == "实际完成情况所述115万元，全年执行数114.00万元，相差1.00万元。"
    assert done.cells == ["f.xlsx 自评表!F11", "f.xlsx 自评表!F6"]


def test_goal_amounts_in_yuan_and_without_parts():
    total, parts = goal_amounts("项目总投资1,200,000元，其中：财政资金1000000元，自筹200000.5元。")
    assert total == (120.0, "元", 0) and [p[0] for p in parts] == [100.0, 20.00005]
    assert goal_amounts("共完成投资114.5万元。") == ((114.5, "万元", 1), [])
    assert goal_amounts("道路3.2公里，按期完工。") == (None, [])


def test_a_missing_level_redistributed_and_forfeited(tmp_path):
    f = without_level(good_form(), "满意度")
    f["total"] = [90, 84.5]
    form = _form(tmp_path, f)
    sc = score_form(form, "national")
    assert sc.absent_levels == ("满意度指标",) and sc.absent_rule == "redistribute"
    assert sc.level_targets == {"产出指标": 56.25, "效益指标": 33.75}
    assert sc.total_computed == pytest.approx(9.5 + 75 * 1.125)
    findings = form_findings(form, "national", sc)
    absent = _only(findings, "forms.absent_levels", "info")
    assert "absent_levels: redistribute" in absent.message and "按比例分配" in absent.message
    # the form kept 50/30: the scheme's total differs by the redistribution, a warning
    assert _only(findings, "forms.total_score", "warning").message.startswith(
        "总分（评分方案“national”）：所述84.5分，按评分方案计算93.88分"
    )
    forfeit = tmp_path / "forfeit.yaml"
    text = (SCHEMES_DIR / "national.yaml").read_text(encoding="utf-8")
    forfeit.write_text(text.replace("absent_levels: redistribute", "absent_levels: forfeit"), encoding="utf-8")
    sc = score_form(form, str(forfeit))
    assert sc.absent_rule == "forfeit" and sc.total_computed == pytest.approx(84.5)
    findings = form_findings(form, str(forfeit), sc)
    assert "absent_levels: forfeit" in _only(findings, "forms.absent_levels", "info").message
    assert {f.severity for f in findings if f.id == "forms.total_score"} == {"pass"}


def test_an_indicator_the_scheme_cannot_score_is_a_warning(tmp_path):
    f = _change(good_form(), 6, actual="较好")
    findings = _findings(tmp_path, f)
    found = _only(findings, "forms.indicator_score", "warning")
    assert found.message == (
        "指标“道路使用年限”（≥10年，实际较好，分值15分）：无法按评分方案计分：年度指标值为“≥10年”，"
        "实际完成值“较好”既不是数字也不是 达成、部分达成 或 未达成；所述得分15分未能核对。"
    )
    assert found.cells[0] == "f.xlsx 自评表!H19"
    assert _only(findings, "forms.total_score", "info").message.startswith(
        "总分（评分方案“national”）：所述94.5分，无法计算"
    )


@pytest.mark.parametrize(
    ("target", "actual", "points", "score", "reading"),
    [
        ("效果明显", "效果明显", 15, 15, "“效果明显”按“达成”计"),
        ("有效改善", "达成预期指标", 15, 15, "“达成预期指标”按“达成”计"),
        ("有效改善", "有效改善", 15, 15, "“有效改善”按“达成”计"),
        ("及时", "未达成", 15, 9, ""),
        ("≥30个", "达成预期指标", 15, 15, "实际完成值为定性表述，“达成预期指标”按“达成”以定性规则计分"),
        ("≤150万元", "148.6万元", 15, 15, ""),
        ("≤5天", "3日内", 15, 15, "“3日内”按3日计"),
        ("≥95%", "95%以上", 15, 15, "“95%以上”按95%计"),
    ],
)
def test_actuals_in_the_forms_words(tmp_path, target, actual, points, score, reading):
    from jixiao.analysis.scoring import load_scheme
    from jixiao.forms import score_form_indicator
    from jixiao.forms.model import FormIndicator

    ind = FormIndicator("效益指标", "社会效益指标", "测试", target, actual, points, score)
    r = score_form_indicator(ind, load_scheme("national"))
    assert r.problem is None
    assert r.computed == pytest.approx(score) and r.reading == reading


def test_grade_words_come_from_config():
    assert grade_of("有效改善") == "达成" and grade_of("基本达成") == "部分达成"
    assert grade_of("部分达成年度指标并具有一定效果") == "部分达成"  # the scoring rules' own words
    assert grade_of("较好") is None
    assert grade_of("较好", target="较好") == "达成"  # repeats its target: same_as_target


def test_severities_are_the_checks_ones(tmp_path):
    f = good_form()
    f["total"] = [100, 95]
    assert {x.severity for x in _findings(tmp_path, f)} <= set(SEVERITIES)


def test_levels_repeated_on_every_row_are_one_block(tmp_path):
    form = _form(tmp_path, layout=Layout(repeat_levels=True))
    assert [i.cells["level1"] for i in form.indicators][:2] == ["B13", "B14"]
    findings = form_findings(form, "national")
    assert summarize(findings)["error"] == 0
    levels = [f for f in findings if f.id == "forms.level_points"]
    assert [f.message for f in levels] == [
        "产出指标各指标分值（所标50分）：明细合计50分，所述50分，一致。",
        "效益指标各指标分值（所标30分）：明细合计30分，所述30分，一致。",
        "满意度指标各指标分值（所标10分）：明细合计10分，所述10分，一致。",
    ]
