"""The consistency checker (勾稽校验): the seed's known findings, what must pass, and for
every check a synthetic case where it fires and one where it does not."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pandas as pd
import pytest

from jixiao.analysis import checks as C
from jixiao.analysis.checks import REGISTRY, Finding, compare_sum, run_check, run_checks, summarize
from jixiao.params import load_params
from jixiao.rounding import round_half_up, sum_tolerance

from support import EXAMPLE_PARAMS, blanked, emptied


@pytest.fixture(scope="module")
def params():
    return load_params(EXAMPLE_PARAMS)


@pytest.fixture(scope="module")
def findings(example_ds, params):
    return run_checks(example_ds, params, raise_errors=True)


def of(findings, check_id):
    found = [f for f in findings if f.id == check_id]
    assert found, f"no finding for {check_id}"
    return found


def one(findings, check_id):
    found = of(findings, check_id)
    assert len(found) == 1, [f.message for f in found]
    return found[0]


# -- the seed's known findings (a)–(f) ------------------------------------------------------
def test_a_assessment_total_is_an_error(findings):
    f = one(findings, "assessment.total")
    assert f.severity == "error"
    assert (f.stated, f.computed, f.difference) == (91.0, 89.0, 2.0)
    assert f.cells == ["考核得分!D3:D10", "考核得分!D11", "填报数据!B3"]
    # Which converted score each total implies, with the applicable maximum 92 of the params.
    assert "89分 → 96.74分" in f.message and "91分 → 98.91分" in f.message
    assert "92" in f.message


def test_a_converted_score_passes_within_rounding(findings):
    f = one(findings, "assessment.converted")
    assert f.severity == "pass"  # 91 ÷ 92 × 100 = 98.913 → 98.91 as printed
    assert f.stated == pytest.approx(98.91)
    assert round_half_up(f.computed) == 98.91
    assert f.computed == pytest.approx(91 / 92 * 100)
    assert f.cells == ["填报数据!B4", "填报数据!B3"]


def test_a_blank_category_is_not_provable(example_ds):
    ds = copy.deepcopy(example_ds)
    ds.tables["assessment"].loc[0, "score"] = None  # 78 given, 91 stated, one category blank
    f = one(run_check("assessment.total", ds), "assessment.total")
    assert f.severity == "info" and C.NOT_PROVIDED in f.message


def test_a_applicable_max_from_workbook_when_filled(example_ds):
    ds = copy.deepcopy(example_ds)
    ds.facts["stated"]["applicable_max"] = 92
    f = one(run_check("assessment.total", ds), "assessment.total")
    assert "89分 → 96.74分" in f.message
    assert "填报数据!B5" in f.cells


def test_b_not_achieved_projects(findings):
    f = one(findings, "projects.not_achieved")
    assert f.severity == "error"
    assert (f.stated, f.computed, f.difference) == (8.0, 4.0, 4.0)
    assert "填报数据!B36" in f.cells and "项目!H3:H41" in f.cells
    assert "监控情况!D3:D10" in f.cells
    # Projects 4, 5, 11, 22: 已完成 in the table, not achieved in monitoring.
    for cell in ("项目!H6", "项目!H7", "项目!H13", "项目!H24"):
        assert cell in f.cells
    assert "序号4、5、11、22" in f.message
    assert "监控情况" in f.message and "8个，与所述一致" in f.message
    assert "序号35、37、38、39" in f.message


def test_b_counts_that_hold(findings):
    f = one(findings, "projects.count")  # 31 + 8 = 39 projects
    assert f.severity == "pass" and (f.stated, f.computed) == (39.0, 39.0)
    assert f.cells == ["填报数据!B34", "填报数据!B36", "项目!A3:A41"]
    f = one(findings, "monitoring.not_achieved_count")
    assert f.severity == "pass" and (f.stated, f.computed) == (8.0, 8.0)
    f = one(findings, "monitoring.status")
    assert f.severity == "warning"
    assert "序号4" in f.message and "序号22" in f.message


@pytest.mark.parametrize("check_id, stated_cell, cells", [
    ("financial.cash_ratio", "填报数据!B16", ["资产负债!D4", "资产负债!D9"]),
    ("financial.current_ratio", "填报数据!B17", ["资产负债!D4", "资产负债!D5", "资产负债!D9"]),
])
def test_c_ratios_within_rounding(findings, check_id, stated_cell, cells):
    f = one(findings, check_id)
    assert f.severity == "info"
    assert C.WITHIN_ROUNDING in f.message
    assert f.stated == pytest.approx(107.27)
    assert round_half_up(f.computed) == 107.26
    assert f.computed == pytest.approx(11.67 / 10.88 * 100)
    assert f.cells == [stated_cell] + cells
    assert "107.26%" in f.message and "107.27%" in f.message
    assert abs(f.difference) <= f.tolerance


def test_d_fixed_assets_added_equals_stock(findings):
    f = one(findings, "fixed_assets.added_equals_stock")
    assert f.severity == "warning"
    assert (f.stated, f.computed) == pytest.approx((426.26, 426.26))
    assert "固定资产!C9" in f.cells and "固定资产!B9" in f.cells
    assert "426.26" in f.message and "逐项相同" in f.message


def test_e_cip_date_in_wrong_year(findings):
    f = one(findings, "assets.cip_date")
    assert f.severity == "warning"
    assert (f.stated, f.computed) == (2022.0, 2023.0)
    assert f.cells == ["填报数据!B53", "基本信息!B5"]
    assert "2022-12-31" in f.message


def test_f_meeting_and_training_are_not_three_public(findings):
    f = one(findings, "three_public.classification")
    assert f.severity == "warning"
    assert f.cells == ["三公经费!A5", "三公经费!A6"]
    assert "会议费" in f.message and "培训费" in f.message


def test_example_has_exactly_the_known_problems(findings):
    counts = summarize(findings)
    assert counts["error"] == 2
    assert {f.id for f in findings if f.severity == "error"} == {"assessment.total", "projects.not_achieved"}
    assert {f.id for f in findings if f.severity == "warning"} == {
        "fixed_assets.added_equals_stock", "assets.cip_date", "three_public.classification", "monitoring.status"}


# -- what must pass on the example ----------------------------------------------------------
def _find(findings, check_id, cell):
    hits = [f for f in of(findings, check_id) if cell in f.cells]
    assert len(hits) == 1, (check_id, cell, [f.cells for f in of(findings, check_id)])
    return hits[0]


@pytest.mark.parametrize("check_id, cell, stated", [
    ("special_funds.total", "专项资金!D9", 101.77),
    ("budget_revenue.total", "预算收入!B7", 1976.56),
    ("functions.budget_total", "预算收入!B7", 1976.56),
    ("functions.final_total", "填报数据!B12", 2607.15),
    ("functions.final_total", "总决算!B5", 2607.15),
    ("functions.final_total", "总决算!C5", 2607.15),
    ("fund_types.totals", "总决算!B5", 2607.15),  # 1921.79 + 685.36
    ("final_revenue.parts", "填报数据!B12", 2607.15),
    ("balance.parts", "资产负债!D3", 7054.63),  # 11.67 + 0 + 135.48 + 6907.48
    ("balance.parts", "资产负债!D8", 10.88),
    ("balance.net_assets", "资产负债!E10", 7028.6),  # 7038.18 − 9.58
    ("fixed_assets.stock_total", "固定资产!B9", 426.26),
    ("fixed_assets.added_total", "固定资产!C9", 426.26),
    ("three_guarantees.detail", "三保支出!C3", 134.16),
    ("three_public.budget_total", "三公经费!B7", 14.63),
    ("three_public.change", "填报数据!B7", 0.78),  # 4.64 − 3.86
    ("nontax.total", "非税收入!C6", 25.37),
    ("financial.debt_ratio", "填报数据!B15", 0.15),
    ("financial.other_payables_share", "填报数据!B19", 100.0),
    ("procurement.shares", "填报数据!B24", 100.0),
    ("procurement.shares", "填报数据!B26", 100.0),
    ("procurement.shares", "填报数据!B29", 153.85),
    ("projects.count", "填报数据!B34", 39),
    ("last_eval.counts", "填报数据!B40", 38),  # 27 + 0 + 0 + 11
    ("unit.office_count", "基本信息!B9", 8),
    ("key_evaluation.grade", "填报数据!B47", 97.9),
])
def test_passes(findings, check_id, cell, stated):
    f = _find(findings, check_id, cell)
    assert f.severity == "pass", f.message
    assert f.stated == pytest.approx(stated)


@pytest.mark.parametrize("row, share", [(3, 48.14), (4, 0.03), (5, 0.19), (6, 10.30), (7, 1.63), (8, 26.29),
                                        (9, 9.05), (10, 4.09), (11, 0.27)])
def test_each_stated_share_is_reproduced(findings, row, share):
    f = _find(findings, "functions.final_share", f"支出功能分类!E{row}")
    assert f.severity in ("pass", "info")
    assert f.stated == pytest.approx(share)
    assert f"支出功能分类!D{row}" in f.cells and "填报数据!B12" in f.cells


@pytest.mark.parametrize("row, rate", [(3, -0.23), (8, -11.95), (10, -0.22)])
def test_balance_changes_pass(findings, row, rate):
    f = _find(findings, "balance.change", f"资产负债!F{row}")
    assert f.severity == "pass", f.message
    assert f.stated == pytest.approx(rate)


def test_net_asset_change_uses_derived_previous(findings):
    f = _find(findings, "balance.change", "资产负债!F10")
    assert "7043.75" in f.message  # 7054.63 − 10.88
    assert "资产负债!D3" in f.cells and "资产负债!D8" in f.cells
    g = _find(findings, "balance.net_assets", "资产负债!D3")
    assert g.severity == "info" and "推算" in g.message and g.computed == pytest.approx(7043.75)


def test_staff_checks(findings):
    f = one(findings, "unit.staff")
    assert f.severity == "pass" and "169.09%" in f.message
    assert f.cells == ["基本信息!B10", "基本信息!B11"]
    f = one(findings, "unit.fiscal_staff")
    assert f.severity == "info" and (f.stated, f.computed) == (93.0, 93.0)


def test_direct_fund_dates_pass(findings):
    f = one(findings, "direct_funds.dates")
    assert f.severity == "pass" and f.cells == ["直达资金!D3:D6"]


def test_nontax_variance_consistent_with_text(findings):
    fs = of(findings, "nontax.variance")
    f = next(f for f in fs if "生态环境罚没收入" in f.message and "变动幅度" in f.message)
    assert f.severity == "info"
    assert round_half_up(f.computed) == -90.0
    assert "一致" in f.message
    assert f.cells == ["非税收入!B4", "非税收入!C4", "非税收入!D4"]


def test_share_sum_is_within_rounding(findings):
    f = one(findings, "functions.share_sum")  # the nine printed shares add to 99.99
    assert f.severity == "info" and f.stated == pytest.approx(99.99)


def test_fixed_asset_newness_not_provided(findings):
    f = one(findings, "financial.fixed_asset_newness")
    assert f.severity == "info" and C.NOT_PROVIDED in f.message and f.stated == pytest.approx(33.96)


# -- tolerance behaviour -------------------------------------------------------------------
def test_compare_sum_with_blank_parts():
    # A gap the blank parts could hold is not provable; an excess over the total is.
    assert compare_sum("x", 10.0, [4.0, None, 5.0], ["A1"]).severity == "info"
    assert C.NOT_PROVIDED in compare_sum("x", 10.0, [4.0, None, 5.0], ["A1"]).message
    assert compare_sum("x", 8.0, [4.0, None, 5.0], ["A1"]).severity == "error"
    assert compare_sum("x", 9.0, [4.0, None, 5.0], ["A1"]).severity == "pass"


def test_compare_sum_tolerance_over_nine_parts():
    parts = [1.11] * 9  # 9.99
    assert compare_sum("x", 9.99, parts, ["A1"]).severity == "pass"
    f = compare_sum("x", 10.00, parts, ["A1"])
    assert f.severity == "info" and C.WITHIN_ROUNDING in f.message
    assert f.tolerance == sum_tolerance(9) == pytest.approx(0.05)
    assert compare_sum("x", 10.09, parts, ["A1"]).severity == "error"


@pytest.mark.parametrize("stated, severity", [(2607.15, "pass"), (2607.16, "info"), (2607.14, "info"),
                                              (2607.25, "error"), (2607.05, "error")])
def test_final_total_tolerance_on_example(example_ds, stated, severity):
    ds = copy.deepcopy(example_ds)
    ds.facts["stated"]["final_revenue_total"] = stated
    f = _find(run_check("functions.final_total", ds), "functions.final_total", "填报数据!B12")
    assert f.severity == severity, f.message
    assert f.tolerance == pytest.approx(sum_tolerance(9))


def test_ratio_tolerance_widened_by_stated_rounding(example_ds):
    ds = copy.deepcopy(example_ds)
    # 11.665 ÷ 10.885 = 107.1658 % … 11.675 ÷ 10.875 = 107.3563 %, ±0.005 for the stated figure.
    for stated, sev in ((107.26, "pass"), (107.36, "info"), (107.37, "error"), (107.17, "info"), (107.16, "error")):
        ds.facts["stated"]["cash_ratio"] = stated
        assert one(run_check("financial.cash_ratio", ds), "financial.cash_ratio").severity == sev, stated


# -- every check: a synthetic case where it fires and one where it does not -----------------
def _set(sheet, col, idx, value):
    def mutate(ds):
        ds.tables[sheet].loc[idx, col] = value
    return mutate


def _total(sheet, col, value):
    def mutate(ds):
        ds.totals[sheet][col] = value
    return mutate


def _fact(key, value, sheet="stated"):
    def mutate(ds):
        ds.facts[sheet][key] = value
    return mutate


def _drop(sheet, idx):
    def mutate(ds):
        ds.tables[sheet] = ds.tables[sheet].drop(index=idx).reset_index(drop=True)
    return mutate


def _all(*mutations):
    def mutate(ds):
        for m in mutations:
            m(ds)
    return mutate


def _status(nos, status):
    def mutate(ds):
        df = ds.tables["projects"]
        df.loc[df["no"].isin(nos), "status"] = status
    return mutate


def _add_balance_row(item, previous):
    def mutate(ds):
        df = ds.tables["balance_sheet"]
        row = {c: None for c in df.columns}
        row.update(item=item, kind="资产", level="明细", previous=previous, _row=int(df["_row"].max()) + 1)
        ds.tables["balance_sheet"] = pd.concat([df, pd.DataFrame([row])], ignore_index=True)
    return mutate


def _columns(sheet, **values):
    def mutate(ds):
        for col, v in values.items():
            ds.tables[sheet][col] = v
    return mutate


def _noop(ds):
    pass


# (check id, mutation, expected severity, text the finding must contain)
FIRES = [
    ("unit.office_count", _fact("office_count", 9, "unit"), "error", "相差1个"),
    ("unit.staff", _fact("authorized_staff", 55.5, "unit"), "error", "非负整数"),
    ("unit.fiscal_staff", _fact("fiscal_staff", 95, "unit"), "info", "相差2人"),
    ("unit.finance_office_staff", _fact("finance_office_staff", 100, "unit"), "error", "多于"),
    ("goal_framework.projects", _set("goal_framework", "projects", 1, "安全生产经费"), "warning", "安全生产经费"),
    ("assessment.total", _noop, "error", "相差2分"),
    ("assessment.converted", _fact("converted_score", 99.5), "error", "相差"),
    ("assessment.applicable_max", _fact("applicable_max", 100), "warning", "不一致"),
    ("assessment.points", _columns("assessment", points=[10, 12, 24, 22, 5, 7, 10, 0]), "error", "超过"),
    ("assessment.grade", _fact("assessment_grade", "良"), "error", "不一致"),
    ("key_evaluation.grade", _fact("key_project_grade", "良"), "error", "不一致"),
    ("special_funds.total", _set("special_funds", "amount", 0, 0.6), "error", "超出舍入误差"),
    ("special_funds.direct", _drop("direct_funds", 0), "warning", "没有其支出记录"),
    ("direct_funds.dates", _set("direct_funds", "date", 1, dt.date(2024, 1, 5)), "warning", "2024-01-05"),
    ("three_guarantees.detail", _set("three_guarantees_detail", "amount", 0, 76.0), "error", "超出舍入误差"),
    ("three_guarantees.coverage", _set("three_guarantees", "actual", 1, 1200.0), "warning", "低于安排资金"),
    ("three_public.classification", _all(_drop("three_public", [2, 3]), _set("three_public", "item", 1, "差旅费")),
     "warning", "差旅费"),
    ("three_public.budget_total", _total("three_public", "budget", 15.0), "error", "超出舍入误差"),
    ("three_public.actual_totals", _columns("three_public", actual=[3.0, 1.0, 0.0, 0.0]), "error", "超出舍入误差"),
    ("three_public.change", _fact("three_public_change", 0.87), "error", "不一致"),
    ("three_public.within_budget", _total("three_public", "actual", 15.0), "warning", "超过预算"),
    ("nontax.total", _total("nontax", "actual", 25.47), "error", "超出舍入误差"),
    ("nontax.variance", _all(_set("nontax", "reason", 1, None), _fact("nontax_budgeting", None, "texts")),
     "warning", "未说明"),
    ("budget_revenue.total", _set("budget_revenue", "amount", 0, 1934.76), "error", "超出舍入误差"),
    ("functions.budget_total", _set("functions", "budget", 0, 1370.99), "error", "超出舍入误差"),
    ("functions.final_total", _set("functions", "final", 0, 1256.13), "error", "超出舍入误差"),
    ("functions.final_share", _set("functions", "final_share", 0, 48.24), "error", "超出舍入误差"),
    ("functions.share_sum", _set("functions", "final_share", 0, 48.24), "error", "超出舍入误差"),
    ("functions.code_names", _set("functions", "name", 0, "教育支出"), "warning", "教育支出"),
    ("final_revenue.parts", _fact("final_revenue_other", 1.0), "error", "超出舍入误差"),
    ("fund_types.totals", _set("fund_types", "revenue", 0, 1920.0), "error", "超出舍入误差"),
    ("fund_types.balance", _total("fund_types", "expenditure", 2600.0), "error", "应相等"),
    ("budget_revenue.other_income", _noop, "info", "相差0.64万元"),
    ("balance.classification", _set("balance_sheet", "item", 1, "现金"), "warning", "现金"),
    ("balance.parts", _set("balance_sheet", "previous", 1, 12.67), "error", "超出舍入误差"),
    ("balance.net_assets", _set("balance_sheet", "current", 7, 7030.0), "error", "超出舍入误差"),
    ("balance.change", _set("balance_sheet", "change_stated", 0, -0.33), "error", "超出舍入误差"),
    ("financial.report_year", _fact("financial_report_year", 2020), "warning", "2020"),
    ("financial.debt_ratio", _fact("debt_ratio", 0.25), "error", "超出舍入误差"),
    ("financial.cash_ratio", _fact("cash_ratio", 110.0), "error", "超出舍入误差"),
    ("financial.current_ratio", _fact("current_ratio", 110.0), "error", "超出舍入误差"),
    ("financial.fixed_asset_newness", _add_balance_row("固定资产原值", 400.0), "error", "超出舍入误差"),
    ("financial.other_payables_share", _fact("other_payables_share", 90.0), "error", "超出舍入误差"),
    # 0.20 ÷ 0.13 from printed inputs may be anywhere in 144.44 %–164.01 %: 150 is within rounding.
    ("procurement.shares", _fact("poverty_ratio", 170.0), "error", "超出舍入误差"),
    ("procurement.amounts", _fact("sme_contracts", 30.0), "error", "超过"),
    ("projects.count", _fact("achieved_count", 30), "error", "所述38个，计算39个"),
    ("projects.not_achieved", _noop, "error", "相差4个"),
    ("monitoring.not_achieved_count", _drop("monitoring", 0), "error", "相差1个"),
    ("monitoring.names", _set("monitoring", "name", 0, "别的项目"), "warning", "别的项目"),
    ("monitoring.status", _noop, "warning", "已完成"),
    ("projects.amounts", _set("projects", "budget", 34, 30.0), "error", "超出舍入误差"),
    ("projects.ex_ante_count", _fact("ex_ante_count", 40), "info", "相差1个"),
    ("projects.zero_spending", _set("projects", "spent", 24, 0.0), "warning", "执行数为0"),
    ("projects.execution_rate", _columns("projects", budget=100.0, spent=90.0), "error", "超出舍入误差"),
    ("monitoring.midyear_counts", _fact("midyear_over_50", 40), "error", "超过项目总数"),
    ("last_eval.counts", _fact("last_eval_full", 28), "error", "所述38个，计算39个"),
    # 特种动植物 has no stock figure, so only a total *below* the given parts is provably wrong.
    ("fixed_assets.stock_total", _total("fixed_assets", "stock", 426.16), "error", "超出舍入误差"),
    ("fixed_assets.added_total", _total("fixed_assets", "added", 430.0), "error", "超出舍入误差"),
    ("fixed_assets.added_equals_stock", _noop, "warning", "疑为"),
    ("fixed_assets.added_le_stock", _set("fixed_assets", "added", 1, 300.0), "error", "超过年末原值"),
    ("physical_assets.usage", _set("physical_assets", "in_use", 0, 6000.0), "error", "超出舍入误差"),
    ("physical_assets.net_le_original", _set("physical_assets", "net_value", 2, 80.0), "error", "超过账面原值"),
    ("physical_assets.building_area", _fact("office_area", 2000.0), "error", "超出舍入误差"),
    ("assets.cip_date", _noop, "warning", "疑为笔误"),
]

# (check id, mutation, severities allowed, text that must not appear)
HOLDS = [
    ("unit.office_count", _noop, {"pass"}, None),
    ("unit.staff", _noop, {"pass"}, None),
    ("unit.fiscal_staff", _noop, {"info"}, "相差"),
    ("unit.finance_office_staff", _noop, {"pass"}, None),
    ("goal_framework.projects", _noop, {"pass"}, None),
    ("assessment.total", _set("assessment", "score", 0, 13.0), {"pass"}, None),
    ("assessment.converted", _noop, {"pass"}, None),
    ("assessment.applicable_max", _fact("applicable_max", 92), {"pass"}, None),
    ("assessment.points", _columns("assessment", points=[12, 12, 24, 22, 5, 7, 10, 0]), {"pass"}, None),
    ("assessment.grade", _fact("assessment_grade", "优"), {"pass"}, None),
    ("key_evaluation.grade", _noop, {"pass"}, None),
    ("special_funds.total", _noop, {"pass"}, None),
    ("special_funds.direct", _noop, {"pass"}, None),
    ("direct_funds.dates", _noop, {"pass"}, None),
    ("three_guarantees.detail", _noop, {"pass", "info"}, "超出"),
    ("three_guarantees.coverage", _noop, {"pass"}, None),
    ("three_public.classification", _drop("three_public", [2, 3]), {"pass"}, None),
    ("three_public.budget_total", _noop, {"pass"}, None),
    ("three_public.actual_totals", _columns("three_public", actual=[2.16, 2.48, 0.0, 0.0]), {"pass", "info"}, "超出"),
    ("three_public.change", _noop, {"pass"}, None),
    ("three_public.within_budget", _noop, {"pass"}, None),
    ("nontax.total", _noop, {"pass"}, None),
    ("nontax.variance", _all(_set("nontax", "actual", 1, 1.9), _set("nontax", "reason", 1, None)), {"pass", "info"},
     "未说明"),
    ("budget_revenue.total", _noop, {"pass"}, None),
    ("functions.budget_total", _noop, {"pass"}, None),
    ("functions.final_total", _noop, {"pass"}, None),
    ("functions.final_share", _noop, {"pass", "info"}, None),
    ("functions.share_sum", _set("functions", "final_share", 1, 0.04), {"pass"}, None),
    ("functions.code_names", _noop, {"pass"}, None),
    ("final_revenue.parts", _noop, {"pass"}, None),
    ("fund_types.totals", _set("fund_types", "expenditure", 0, 1921.79), {"pass", "info"}, "超出"),
    ("fund_types.balance", _noop, {"pass"}, None),
    ("budget_revenue.other_income", _fact("other_income_pooled", 0.15), {"pass"}, None),
    ("balance.classification", _noop, {"pass"}, None),
    ("balance.parts", _noop, {"pass", "info"}, "超出"),
    ("balance.net_assets", _noop, {"pass", "info"}, "超出"),
    ("balance.change", _noop, {"pass"}, None),
    ("financial.report_year", _noop, {"pass"}, None),
    ("financial.debt_ratio", _noop, {"pass"}, None),
    ("financial.cash_ratio", _fact("cash_ratio", 107.26), {"pass"}, None),
    ("financial.current_ratio", _fact("current_ratio", 107.26), {"pass"}, None),
    ("financial.fixed_asset_newness", _add_balance_row("固定资产原值", 398.94), {"pass"}, None),
    ("financial.other_payables_share", _noop, {"pass"}, None),
    ("procurement.shares", _noop, {"pass"}, None),
    ("procurement.amounts", _noop, {"pass"}, None),
    ("projects.count", _noop, {"pass"}, None),
    ("projects.not_achieved", _status([4, 5, 11, 22], "未完成"), {"pass"}, None),
    ("monitoring.not_achieved_count", _noop, {"pass"}, None),
    ("monitoring.names", _noop, {"pass"}, None),
    ("monitoring.status", _status([4, 5, 11, 22], "部分完成"), {"pass"}, None),
    ("projects.amounts", _set("projects", "budget", 34, 31.69), {"pass", "info"}, "超出"),
    ("projects.ex_ante_count", _noop, {"pass"}, None),
    ("projects.zero_spending", _noop, {"pass"}, None),
    ("projects.execution_rate", _columns("projects", budget=100.0, spent=97.47), {"pass"}, None),
    ("monitoring.midyear_counts", _noop, {"pass"}, None),
    ("last_eval.counts", _noop, {"pass"}, None),
    ("fixed_assets.stock_total", _noop, {"pass"}, None),
    ("fixed_assets.added_total", _noop, {"pass"}, None),
    ("fixed_assets.added_equals_stock",
     _all(_columns("fixed_assets", added=[0.0, 3.0, 0.0, 0.0, 0.0, 0.0]), _total("fixed_assets", "added", 3.0)),
     {"pass"}, None),
    ("fixed_assets.added_le_stock", _noop, {"pass"}, None),
    ("physical_assets.usage", _noop, {"pass"}, None),
    ("physical_assets.net_le_original", _noop, {"pass"}, None),
    ("physical_assets.building_area", _noop, {"pass"}, None),
    ("assets.cip_date", _fact("cip_date", dt.date(2023, 12, 31)), {"pass"}, None),
]


def test_every_check_has_a_firing_and_a_holding_case():
    assert {c for c, *_ in FIRES} == set(REGISTRY)
    assert {c for c, *_ in HOLDS} == set(REGISTRY)


def _run(example_ds, params, check_id, mutate):
    ds = copy.deepcopy(example_ds)
    mutate(ds)
    return run_checks(ds, params, only=[check_id], raise_errors=True)


@pytest.mark.parametrize("check_id, mutate, severity, text", FIRES, ids=[c[0] for c in FIRES])
def test_check_fires(example_ds, params, check_id, mutate, severity, text):
    fs = _run(example_ds, params, check_id, mutate)
    hits = [f for f in fs if f.severity == severity and text in f.message]
    assert hits, [(f.severity, f.message) for f in fs]
    for f in hits:
        assert f.cells, f.message


@pytest.mark.parametrize("check_id, mutate, allowed, forbidden", HOLDS, ids=[c[0] for c in HOLDS])
def test_check_holds(example_ds, params, check_id, mutate, allowed, forbidden):
    fs = _run(example_ds, params, check_id, mutate)
    assert fs
    for f in fs:
        assert f.severity in allowed, (f.severity, f.message)
        assert forbidden is None or forbidden not in f.message, f.message


# -- blanks, registry, serialisation ----------------------------------------------------------
@pytest.mark.parametrize("make", [blanked, emptied], ids=["blank-cells", "no-rows"])
def test_blank_data_is_reported_not_skipped(example_ds, make):
    fs = run_checks(make(example_ds), None, raise_errors=True)
    assert {f.id for f in fs} == set(REGISTRY)  # every check says something
    for f in fs:
        assert f.severity == "info" and C.NOT_PROVIDED in f.message, (f.id, f.message)
        assert f.cells, f.id


def test_every_example_finding_names_cells(findings):
    assert {f.id for f in findings} == set(REGISTRY)
    for f in findings:
        assert f.cells and all("!" in c for c in f.cells), (f.id, f.cells)
        assert "?" not in "".join(f.cells), (f.id, f.cells)


def test_findings_serialise(findings):
    data = json.loads(json.dumps([f.to_dict() for f in findings], ensure_ascii=False))
    assert set(data[0]) == {"id", "title", "severity", "message", "stated", "computed", "difference",
                            "tolerance", "cells"}
    assert Finding("x", "t", "info", "m", stated=float("nan")).to_dict()["stated"] is None


def test_bad_severity_rejected():
    with pytest.raises(ValueError):
        Finding("x", "t", "fatal", "m")


def test_registry_rejects_duplicates_and_contains_the_failure(example_ds):
    with pytest.raises(ValueError):
        C.check("assessment.total", "重复")(lambda ctx: [])

    @C.check("test.broken", "故意出错")
    def _broken(ctx):
        raise RuntimeError("boom")
        yield  # pragma: no cover

    try:
        fs = run_checks(example_ds, None, only=["test.broken"])
        assert fs[0].severity == "warning" and "boom" in fs[0].message and fs[0].id == "test.broken"
        with pytest.raises(RuntimeError):
            run_checks(example_ds, None, only=["test.broken"], raise_errors=True)
    finally:
        del REGISTRY["test.broken"]


def test_without_params_the_applicable_max_is_not_provided(example_ds):
    fs = run_checks(example_ds, None)
    assert one(fs, "assessment.converted").severity == "info"
    assert C.NOT_PROVIDED in one(fs, "assessment.total").message
    assert one(fs, "assessment.total").severity == "error"


def test_checks_do_not_change_the_data(example_ds, params):
    before = copy.deepcopy(example_ds)
    run_checks(example_ds, params)
    for k, df in before.tables.items():
        pd.testing.assert_frame_equal(df, example_ds.tables[k])
    assert before.totals == example_ds.totals and before.facts == example_ds.facts


# -- command line -------------------------------------------------------------------------
def test_cli_check_json(capsys):
    from jixiao.cli import main

    code = main(["check", str(EXAMPLE_PARAMS), "--format", "json"])
    captured = capsys.readouterr()
    assert code == 1
    data = json.loads(captured.out)
    assert {"id", "severity", "message", "stated", "computed", "difference", "tolerance", "cells"} <= set(data[0])
    by_id = {}
    for d in data:
        by_id.setdefault(d["id"], []).append(d)
    assert by_id["assessment.total"][0]["severity"] == "error"
    assert by_id["projects.not_achieved"][0]["severity"] == "error"
    assert by_id["financial.cash_ratio"][0]["severity"] == "info"
    assert by_id["financial.current_ratio"][0]["severity"] == "info"
    assert by_id["fixed_assets.added_equals_stock"][0]["severity"] == "warning"
    assert by_id["assets.cip_date"][0]["severity"] == "warning"
    assert by_id["three_public.classification"][0]["severity"] == "warning"
    assert "2 个错误" in captured.err


def test_cli_check_table(capsys):
    from jixiao.cli import main

    code = main(["check", str(EXAMPLE_PARAMS)])
    out = capsys.readouterr().out
    assert code == 1
    assert "错误" in out and "通过" in out and "assessment.total" in out
    assert "错误 2" in out


def test_cli_check_exits_0_without_errors(example_copy, capsys):
    from openpyxl import load_workbook

    from jixiao.cli import main

    # Fix the two errors in a copy of the workbook: the 合计 rows and the project statuses.
    wb = load_workbook(example_copy)
    ws = wb["考核得分"]
    ws["D11"] = 89
    wb["填报数据"]["B3"] = 89
    wb["填报数据"]["B4"] = None  # 换算得分 no longer 98.91
    ws = wb["项目"]
    for row in (6, 7, 13, 24):
        ws[f"H{row}"] = "未完成"
    wb.save(example_copy)
    code = main(["check", str(example_copy), "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert not [d for d in data if d["severity"] == "error"]


def test_cli_check_rejects_unknown_format(capsys):
    from jixiao.cli import main

    assert main(["check", str(EXAMPLE_PARAMS), "--format", "xml"]) == 2
