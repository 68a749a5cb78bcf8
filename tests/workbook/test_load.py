"""The bundled example loads, and what it loads is what the report says.

Every figure below is checked twice:

* ``test_figure_loads``: the loaded value equals the expected value *exactly* (the
  workbook holds the report's decimals; the loader must not add float noise);
* ``test_figure_is_in_seed``: the figure, as printed, occurs inside a quotation of the
  seed report (``in_seed``), and the expected value is what that printed figure means.
  So the expected values are not invented: they come from the report text.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
import pytest

from jixiao.exceptions import WorkbookError
from jixiao.workbook.load import load_workbook
from jixiao.workbook.spec import function_codes, workbook_spec

from support import EXAMPLE_XLSX, SEED

SEED_TEXT = SEED.read_text(encoding="utf-8")


def in_seed(text: str) -> bool:
    """Does ``text`` occur, exactly as written, in the seed report?"""
    return text in SEED_TEXT


# -- how a figure is fetched ------------------------------------------------------------


def fact(sheet: str, key: str) -> Callable:
    return lambda ds: ds.facts[sheet][key]


def total(table: str, col: str) -> Callable:
    return lambda ds: ds.totals[table][col]


def count(table: str) -> Callable:
    return lambda ds: len(ds.tables[table])


def cell(table: str, by: str, label: Any, col: str) -> Callable:
    """The ``col`` value of the one detail row of ``table`` whose ``by`` equals ``label``."""

    def get(ds):
        df = ds.tables[table]
        hit = df[df[by] == label]
        assert len(hit) == 1, f"{table}: {len(hit)} rows with {by} == {label!r}"
        return hit[col].iloc[0]

    return get


@dataclass(frozen=True)
class Fig:
    id: str
    get: Callable
    expected: Any
    printed: str  # the figure exactly as the report prints it
    quote: str  # report text around it (must contain ``printed``)

    def __str__(self) -> str:
        return self.id


FUNCTIONS = [
    # code, name, budget (printed), final (printed), share (printed), final in report text
    (201, "一般公共服务支出", "1369.99", "1255.13", "48.14", "1255.13万元"),
    (204, "公共安全支出", "7.29", "0.9", "0.03", "0.9万元"),
    (207, "文化旅游体育与传媒支出", "1.5", "5", "0.19", "5万元"),
    (208, "社会保障和就业支出", "249.66", "268.58", "10.30", "268.58万元"),
    (210, "卫生健康支出", "48.79", "42.54", "1.63", "42.54万元"),
    (212, "城乡社区支出", "41.75", "685.36", "26.29", "685.36"),  # the report omits 万元 here
    (213, "农林水支出", "147.05", "235.89", "9.05", "235.89万元"),
    (221, "住房保障支出", "109.12", "106.59", "4.09", "106.59万元"),
    (224, "灾害防治及应急管理支出", "1.41", "7.16", "0.27", "7.16万元"),
]

ASSESSMENT = [
    ("重大政策落实", "11"),
    ("预算编制管理", "12"),
    ("预算执行管理", "23"),
    ("预算绩效管理", "21.5"),
    ("资产管理", "4.5"),
    ("预算透明度", "7"),
    ("预算信息化", "10"),
]

SPECIAL_FUNDS = [
    (1, "0.50", "免费开放补助资金专项资金0.50万元"),
    (2, "3.00", "公共图书馆文化馆（站）免费开放补助资金3.00万元、"),
    (3, "1", "（防灾减灾第九批）的通知的资金1万元"),
    (4, "1.87", "（防灾救灾第七批）的通知的资金1.87万元"),
    (5, "5.74", "预拨2023年中央自然灾害救灾资金5.74万元"),
    (6, "89.66", "转移支付预算的通知项目资金89.66万元"),
]

FIGURES: list[Fig] = [
    # 一、部门基本情况
    Fig("年度", fact("unit", "year"), 2023, "2023", "2023年度部门整体绩效管理自评报告"),
    Fig("编制数", fact("unit", "authorized_staff"), 55, "55", "编制数有55个"),
    Fig("实有人数", fact("unit", "actual_staff"), 93, "93", "实有在编干部职工93名"),
    Fig("股室数量", fact("unit", "office_count"), 8, "8", "下设8个股室"),
    Fig("股室行数", count("offices"), 8, "8", "下设8个股室"),
    Fig("财政供养人数", fact("unit", "fiscal_staff"), 93, "93", "财政供养人数93人"),
    Fig("财政所人数", fact("unit", "finance_office_staff"), 6, "6", "财政所人数6人"),
    Fig("总人口", fact("unit", "population"), 39050, "39050", "总人口39050人"),
    Fig("行政村数", fact("unit", "villages"), 15, "15", "行政村15个"),
    Fig(
        "绩效目标架构行数",
        count("goal_framework"),
        9,
        "9",
        "\t9\n\t政务管理\n\t综合事务管理\n\t乡镇综合事务管理，保障正常运转",
    ),
    Fig("项目行数", count("projects"), 39, "39", "\t39\n\t华龙路晨阳大街景观改造项目（三标段）占地补偿\n"),
    # 二、考核得分
    *[
        Fig(
            f"考核/{cat}",
            cell("assessment", "category", cat, "score"),
            float(score),
            score,
            f"{cat}情况，得分{score}分",
        )
        for cat, score in ASSESSMENT
    ],
    Fig("考核/存在问题", cell("assessment", "category", "存在问题", "score"), 0.0, "0", "存在问题，扣分0分"),
    Fig("考核/合计行", total("assessment", "score"), 91.0, "91", "管理绩效考核得分为91分"),
    Fig("考核总分", fact("stated", "assessment_total"), 91.0, "91", "管理绩效考核得分为91分"),
    Fig("换算得分", fact("stated", "converted_score"), 98.91, "98.91", "换算得分98.91分"),
    # 专项资金
    *[
        Fig(f"专项资金/{no}", cell("special_funds", "no", no, "amount"), float(printed), printed, quote)
        for no, printed, quote in SPECIAL_FUNDS
    ],
    Fig("专项资金/合计", total("special_funds", "amount"), 101.77, "101.77", "上级专项资金共计101.77万元"),
    # 三保
    Fig(
        "三保/基本民生/安排",
        cell("three_guarantees", "category", "保基本民生", "arranged"),
        130.66,
        "130.66",
        "保基本民生安排资金130.66万元",
    ),
    Fig(
        "三保/基本民生/支出",
        cell("three_guarantees", "category", "保基本民生", "actual"),
        134.16,
        "134.16",
        "安排资金130.66万元，实际支出134.16万元",
    ),
    Fig(
        "三保/工资/安排",
        cell("three_guarantees", "category", "保工资", "arranged"),
        1275.7,
        "1275.7",
        "保工资安排资金1275.7万元",
    ),
    Fig(
        "三保/工资/支出",
        cell("three_guarantees", "category", "保工资", "actual"),
        1275.7,
        "1275.7",
        "安排资金1275.7万元，实际支出1275.7万元",
    ),
    Fig(
        "三保/运转/安排",
        cell("three_guarantees", "category", "保运转", "arranged"),
        102.91,
        "102.91",
        "保运转安排资金102.91万元",
    ),
    Fig(
        "三保/运转/支出",
        cell("three_guarantees", "category", "保运转", "actual"),
        102.92,
        "102.92",
        "安排资金102.91万元，实际支出102.92万元",
    ),
    Fig(
        "三保明细/服务群众",
        cell("three_guarantees_detail", "name", "服务群众专项经费", "amount"),
        75.0,
        "75.00",
        "服务群众专项经费项目资金75.00万元",
    ),
    Fig(
        "三保明细/村级组织办公",
        cell("three_guarantees_detail", "name", "村级组织办公经费", "amount"),
        30.7,
        "30.7",
        "村级组织办公经费资金30.7万元",
    ),
    # 三公经费
    Fig("三公/预算合计", total("three_public", "budget"), 14.63, "14.63", "安排三公经费14.63万元"),
    Fig(
        "三公/公务用车",
        cell("three_public", "item", "公务用车运行维护费", "budget"),
        12.15,
        "12.15",
        "公务用车运行维护费12.15万元",
    ),
    Fig("三公/公务接待", cell("three_public", "item", "公务接待费", "budget"), 2.48, "2.48", "公务接待费2.48万元"),
    Fig("三公/本年决算", total("three_public", "actual"), 4.64, "4.64", "2023年4.64万元"),
    Fig("三公/上年决算", total("three_public", "last_actual"), 3.86, "3.86", "2022年我镇三公经费3.86万元"),
    Fig("三公/增减额", fact("stated", "three_public_change"), 0.78, "0.78", "较2022年增加0.78万元"),
    # 非税收入
    Fig("非税/计划合计", total("nontax", "budget"), 2.0, "2", "安排非税收入计划2万元"),
    Fig(
        "非税/生态环境罚没/预算",
        cell("nontax", "item", "生态环境罚没收入", "budget"),
        2.0,
        "2",
        "生态环境罚没收入编制预算2万元",
    ),
    Fig("非税/生态环境罚没/实际", cell("nontax", "item", "生态环境罚没收入", "actual"), 0.2, "0.2", "实际收入0.2万元"),
    Fig("非税/上缴合计", total("nontax", "actual"), 25.37, "25.37", "上缴非税收入25.37万元"),
    Fig("非税/利息收入", cell("nontax", "item", "利息收入", "actual"), 0.18, "0.18", "利息收入0.18万元"),
    Fig(
        "非税/其他一般罚没",
        cell("nontax", "item", "其他一般罚没收入", "actual"),
        24.99,
        "24.99",
        "其他一般罚没收入24.99万元",
    ),
    # 预算收入
    Fig("预算收入/合计", total("budget_revenue", "amount"), 1976.56, "1976.56", "预算收入1976.56万元"),
    Fig(
        "预算收入/一般公共预算",
        cell("budget_revenue", "source", "一般公共预算拨款", "amount"),
        1934.66,
        "1934.66",
        "一般公共预算拨款1934.66万元",
    ),
    Fig(
        "预算收入/政府性基金",
        cell("budget_revenue", "source", "政府性基金拨款", "amount"),
        41.75,
        "41.75",
        "政府性基金拨款41.75万元",
    ),
    Fig("预算收入/财政专户", cell("budget_revenue", "source", "财政专户收入", "amount"), 0.0, "0", "财政专户收入0万元"),
    Fig("预算收入/其他", cell("budget_revenue", "source", "其他收入", "amount"), 0.15, "0.15", "其他收入0.15万元"),
    # 支出功能分类: every row's 预算数, 决算数 and 决算占比
    *[
        f
        for code, name, budget, final, share, final_text in FUNCTIONS
        for f in (
            Fig(
                f"功能/{code}/预算数",
                cell("functions", "code", code, "budget"),
                float(budget),
                budget,
                f"{name}{budget}万元",
            ),
            Fig(
                f"功能/{code}/决算数",
                cell("functions", "code", code, "final"),
                float(final),
                final,
                f"{name}{final_text}，占比{share}%",
            ),
            Fig(
                f"功能/{code}/决算占比",
                cell("functions", "code", code, "final_share"),
                float(share),
                share,
                f"{name}{final_text}，占比{share}%",
            ),
        )
    ],
    # 决算与总决算
    Fig("决算收入合计", fact("stated", "final_revenue_total"), 2607.15, "2607.15", "决算收入2607.15万元"),
    Fig(
        "决算财政拨款收入", fact("stated", "final_revenue_appropriation"), 2607.15, "2607.15", "财政拨款收入2607.15万元"
    ),
    Fig(
        "总决算/一般公共预算",
        cell("fund_types", "fund_type", "一般公共预算", "revenue"),
        1921.79,
        "1921.79",
        "一般公共预算收入1921.79万元",
    ),
    Fig(
        "总决算/政府性基金",
        cell("fund_types", "fund_type", "政府性基金", "revenue"),
        685.36,
        "685.36",
        "政府性基金收入685.36万元",
    ),
    Fig("总决算/收入总计", total("fund_types", "revenue"), 2607.15, "2607.15", "收入总计2607.15万元"),
    Fig("总决算/支出总计", total("fund_types", "expenditure"), 2607.15, "2607.15", "支出总计2607.15万元"),
    # 资产负债
    Fig(
        "资产总额/上年末",
        cell("balance_sheet", "item", "资产总额", "previous"),
        7054.63,
        "7054.63",
        "资产总额7054.63万元",
    ),
    Fig(
        "资产总额/本年末",
        cell("balance_sheet", "item", "资产总额", "current"),
        7038.18,
        "7038.18",
        "资产总额（账面净值，下同）7038.18万元",
    ),
    Fig(
        "资产总额/变动率",
        cell("balance_sheet", "item", "资产总额", "change_stated"),
        -0.23,
        "0.23",
        "7038.18万元，较上年减少0.23%",
    ),
    Fig("负债总额/上年末", cell("balance_sheet", "item", "负债总额", "previous"), 10.88, "10.88", "负债总额10.88万元"),
    Fig("负债总额/本年末", cell("balance_sheet", "item", "负债总额", "current"), 9.58, "9.58", "负债总额9.58万元"),
    Fig(
        "负债总额/变动率",
        cell("balance_sheet", "item", "负债总额", "change_stated"),
        -11.95,
        "11.95",
        "9.58万元,较上年减少11.95%",
    ),
    Fig("净资产/本年末", cell("balance_sheet", "item", "净资产", "current"), 7028.6, "7028.6", "净资产7028.6万元"),
    Fig(
        "净资产/变动率",
        cell("balance_sheet", "item", "净资产", "change_stated"),
        -0.22,
        "0.22",
        "7028.6万元 ,较上年减少0.22%",
    ),
    Fig("货币资金", cell("balance_sheet", "item", "货币资金", "previous"), 11.67, "11.67", "货币资金11.67万元"),
    Fig("其他应收款净额", cell("balance_sheet", "item", "其他应收款净额", "previous"), 0.0, "0", "其他应收款净额0万元"),
    Fig(
        "固定资产净值",
        cell("balance_sheet", "item", "固定资产净值", "previous"),
        135.48,
        "135.48",
        "固定资产净值135.48万元",
    ),
    Fig(
        "公共基础设施净值",
        cell("balance_sheet", "item", "公共基础设施净值", "previous"),
        6907.48,
        "6907.48",
        "公共基础设施净值6907.48万元",
    ),
    Fig("其他应付款", cell("balance_sheet", "item", "其他应付款", "previous"), 10.88, "10.88", "其他应付款10.88万元"),
    Fig("资产负债率", fact("stated", "debt_ratio"), 0.15, "0.15", "资产负债率0.15%"),
    Fig("现金比率", fact("stated", "cash_ratio"), 107.27, "107.27", "现金比率为107.27%"),
    Fig("固定资产成新率", fact("stated", "fixed_asset_newness"), 33.96, "33.96", "固定资产成新率为33.96%"),
    Fig("财务报告年度", fact("stated", "financial_report_year"), 2022, "2022", "2022年底，我镇资产总额"),
    # 固定资产
    Fig(
        "固定资产/土地房屋",
        cell("fixed_assets", "category", "土地、房屋及构筑物", "stock"),
        111.16,
        "111.16",
        "土地、房屋及构筑物111.16万元",
    ),
    Fig("固定资产/设备", cell("fixed_assets", "category", "设备", "stock"), 280.66, "280.66", "设备280.66万元"),
    Fig("固定资产/图书档案", cell("fixed_assets", "category", "图书档案", "stock"), 5.83, "5.83", "图书档案5.83万元"),
    Fig(
        "固定资产/家具用具",
        cell("fixed_assets", "category", "家具、用具", "stock"),
        28.61,
        "28.61",
        "家具、用具28.61万元",
    ),
    Fig("固定资产/合计", total("fixed_assets", "stock"), 426.26, "426.26", "我单位固定资产426.26万元"),
    Fig("固定资产/本年配置合计", total("fixed_assets", "added"), 426.26, "426.26", "我单位配置固定资产426.26万元"),
    # 实物资产
    Fig(
        "土地/面积", cell("physical_assets", "kind", "土地", "quantity"), 6600.0, "6600.00", "土地账面面积6600.00平方米"
    ),
    Fig(
        "房屋/面积",
        cell("physical_assets", "kind", "房屋", "quantity"),
        2351.33,
        "2351.33",
        "房屋账面面积2351.33平方米",
    ),
    Fig("房屋/账面价值", cell("physical_assets", "kind", "房屋", "net_value"), 73.86, "73.86", "账面价值73.86万元"),
    Fig("办公用房面积", fact("stated", "office_area"), 2351.33, "2351.33", "办公用房面积2351.33平方米"),
    Fig("车辆/数量", cell("physical_assets", "kind", "车辆", "quantity"), 4.0, "4", "车辆账面数量4辆"),
    Fig("车辆/原值", cell("physical_assets", "kind", "车辆", "original_value"), 70.42, "70.42", "账面原值70.42万元"),
    Fig("车辆/净值", cell("physical_assets", "kind", "车辆", "net_value"), 29.32, "29.32", "账面净值29.32万元"),
    Fig(
        "在建工程截至日期",
        fact("stated", "cip_date"),
        dt.date(2022, 12, 31),
        "2022年12月31日",
        "截至2022年12月31日，我单位无在建工程",
    ),
    # 政府采购
    Fig("采购预算总额", fact("stated", "procurement_budget"), 25.22, "25.22", "采购总预算25.22万元"),
    Fig("采购合同总金额", fact("stated", "procurement_contracts"), 25.22, "25.22", "采购合同总金额25.22万元"),
    Fig("脱贫地区预留", fact("stated", "poverty_reserved"), 0.13, "0.13", "预留金额0.13万元"),
    Fig("脱贫地区采购", fact("stated", "poverty_bought"), 0.2, "0.2", "实际采购金额0.2万元"),
    Fig("脱贫地区完成比例", fact("stated", "poverty_ratio"), 153.85, "153.85", "完成比例为153.85%"),
    # 预算编制、资源统筹
    Fig("新增资产预算", fact("stated", "new_asset_budget"), 3.0, "3.00", "新增资产预算3.00万元"),
    Fig("统筹其他收入", fact("stated", "other_income_pooled"), 0.79, "0.79", "其他收入0.79万元"),
    Fig("交回财政", fact("stated", "returned_to_treasury"), 0.1, "0.1", "及时交回财政0.1万元"),
    # 绩效监控
    Fig("项目整体支出进度", fact("stated", "execution_rate"), 97.47, "97.47", "项目整体支出进度是97.47%"),
    Fig("半年达50%", fact("stated", "midyear_over_50"), 21, "21", "达到50%的项目有21个"),
    Fig("半年30%以下", fact("stated", "midyear_under_30"), 5, "5", "30%以下的项目有5个"),
    Fig("实现目标项目数", fact("stated", "achieved_count"), 31, "31", "实现绩效目标的项目有31个"),
    Fig("实现目标资金", fact("stated", "achieved_amount"), 1104.3, "1104.3", "涉及资金1104.3万元"),
    Fig("未完成项目数", fact("stated", "not_achieved_count"), 8, "8", "未完成绩效目标的项目有8个"),
    Fig("未完成资金", fact("stated", "not_achieved_amount"), 73.44, "73.44", "涉及资金73.44万元"),
    # 事前评估与上年自评
    Fig("下年事前评估", fact("stated", "ex_ante_next_year"), 11, "11", "填报11个预算项目事前绩效评估表"),
    Fig("本年事前评估", fact("stated", "ex_ante_count"), 39, "39", "2023年共完成39个项目的事前绩效评估"),
    Fig("上年自评项目数", fact("stated", "last_eval_count"), 38, "38", "2022年共自评38个项目"),
    Fig("上年满分", fact("stated", "last_eval_full"), 27, "27", "满分的项目有27个"),
    Fig("上年95分以上", fact("stated", "last_eval_95"), 0, "0", "95分以上的项目有0个"),
    Fig("上年90至95分", fact("stated", "last_eval_90_95"), 0, "0", "90分-95分的项目有0个"),
    Fig("上年90分以下", fact("stated", "last_eval_below_90"), 11, "11", "90分以下的项目有11个"),
    # 重点评价
    Fig(
        "重点评价项目",
        fact("stated", "key_project"),
        "东史端镇南胡渠村道路改造工程",
        "东史端镇南胡渠村道路改造工程",
        "对东史端镇南胡渠村道路改造工程项目进行了重点评价",
    ),
    Fig("重点评价得分", fact("stated", "key_project_score"), 97.9, "97.9", "综合得分97.9分"),
    Fig("重点评价等级", fact("stated", "key_project_grade"), "优", "优", "评价等级为“优”"),
    # 直达资金
    Fig(
        "直达资金/1/日期",
        cell("direct_funds", "no", 1, "date"),
        dt.date(2023, 10, 23),
        "2023年10月23日",
        "在2023年10月23日支出",
    ),
    Fig(
        "直达资金/2/日期",
        cell("direct_funds", "no", 2, "date"),
        dt.date(2023, 10, 31),
        "2023年10月31日",
        "在2023年10月31日支出",
    ),
    Fig(
        "直达资金/3/日期",
        cell("direct_funds", "no", 3, "date"),
        dt.date(2023, 9, 14),
        "2023年9月14日",
        "抢险救灾物资在2023年9月14日支出",
    ),
    Fig(
        "直达资金/4/日期",
        cell("direct_funds", "no", 4, "date"),
        dt.date(2023, 11, 14),
        "2023年11月14日",
        "救助资金在2023年11月14日支出",
    ),
    Fig("直达资金/1/进度", cell("direct_funds", "no", 1, "progress"), 100.0, "100", "支出进度达到100%"),
    # 项目金额
    Fig("项目25/预算数", cell("projects", "no", 25, "budget"), 527.35, "527.35", "该绿化占地补偿金527.35万元"),
    Fig("项目25/执行数", cell("projects", "no", 25, "spent"), 527.35, "527.35", "支付绿化占地补偿金527.35万元"),
    Fig("项目37/预算数", cell("projects", "no", 37, "budget"), 20.33, "20.33", "补偿资金20.33万元"),
    Fig("项目38/预算数", cell("projects", "no", 38, "budget"), 15.17, "15.17", "补偿资金15.17万元"),
    Fig("项目39/预算数", cell("projects", "no", 39, "budget"), 6.25, "6.25", "补偿资金6.25万元"),
]


def test_the_catalogue_is_big_and_has_unique_ids():
    assert len(FIGURES) >= 40
    ids = [f.id for f in FIGURES]
    assert len(ids) == len(set(ids))


def _is_missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


@pytest.mark.parametrize("fig", FIGURES, ids=str)
def test_figure_loads(example_ds, fig: Fig):
    actual = fig.get(example_ds)
    assert not _is_missing(actual), f"{fig.id}: blank"
    if isinstance(fig.expected, float):
        assert isinstance(actual, (float, np.floating)), type(actual)
    elif isinstance(fig.expected, int):
        assert isinstance(actual, (int, np.integer)) and not isinstance(actual, bool), type(actual)
    elif isinstance(fig.expected, dt.date):
        assert type(actual) is dt.date, type(actual)
    else:
        assert isinstance(actual, str)
    assert actual == fig.expected  # exact: the workbook holds the report's decimals


def _meaning(printed: str, expected):
    """What the printed figure means, in the type of ``expected``."""
    if isinstance(expected, dt.date):
        y, m, d = re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日", printed).groups()
        return dt.date(int(y), int(m), int(d))
    if isinstance(expected, str):
        return printed
    return float(printed)


@pytest.mark.parametrize("fig", FIGURES, ids=str)
def test_figure_is_in_seed(fig: Fig):
    assert in_seed(fig.quote), f"{fig.id}: quotation not in the report: {fig.quote!r}"
    assert fig.printed in fig.quote
    meaning = _meaning(fig.printed, fig.expected)
    if isinstance(fig.expected, (int, float)) and not isinstance(fig.expected, bool):
        # Decreases are printed as 减少0.23% and stored signed.
        assert abs(fig.expected) == meaning
        if fig.expected < 0:
            assert "减少" in fig.quote
    else:
        assert fig.expected == meaning


# -- whole tables -----------------------------------------------------------------------


def test_example_loads_with_expected_shape(example_ds):
    assert example_ds.name == "保定市徐水区东史端镇人民政府"
    assert example_ds.year == 2023
    assert example_ds.summary() == {
        "单位": "保定市徐水区东史端镇人民政府",
        "年度": 2023,
        "股室": 8,
        "绩效目标架构": 9,
        "考核类别": 8,
        "功能分类": 9,
        "项目": 39,
        "项目指标": 32,
        "问题": 2,
        "改进措施": 4,
    }
    # every sheet of the format is present, as a table or as facts
    for sheet in workbook_spec().sheets:
        if sheet.kind == "table":
            df = example_ds.tables[sheet.id]
            assert list(df.columns) == [c.id for c in sheet.columns] + ["_row"]
        else:
            assert set(example_ds.facts[sheet.id]) == {k.id for k in sheet.keys}
    assert example_ds.functions is example_ds.tables["functions"]  # attribute access


def test_column_dtypes(example_ds):
    spec = workbook_spec()
    for sheet in spec.sheets:
        if sheet.kind != "table":
            continue
        df = example_ds.tables[sheet.id]
        for col in sheet.columns:
            if col.type in ("money", "number", "percent"):
                assert df[col.id].dtype == "float64", (sheet.name, col.header)
            elif col.type in ("int", "year", "func_code"):
                assert str(df[col.id].dtype) == "Int64", (sheet.name, col.header)
        assert df["_row"].dtype == "int64"


def test_every_project_is_a_row_of_the_report_table(example_ds):
    projects = example_ds.projects
    assert projects["no"].tolist() == list(range(1, 40))
    for no, name in zip(projects["no"], projects["name"]):
        assert in_seed(name), name
        # the report's table prints 序号, then the name on the next line
        assert in_seed(f"\t{no}\n\t{name}\n"), (no, name)


def test_every_framework_row_and_office_is_in_the_report(example_ds):
    for r in example_ds.goal_framework.itertuples():
        assert in_seed(f"\t{r.no}\n\t{r.function}\n\t{r.activity}\n"), r.no
    for name in example_ds.offices["name"]:
        assert in_seed(name + "、") or in_seed(name + "。"), name


def test_projects_30_and_31_share_a_name_but_not_a_number(example_ds):
    p = example_ds.projects.set_index("no")
    assert p.loc[30, "name"] == p.loc[31, "name"] == "预拨2023年中央自然灾害救灾资金"
    assert p.index.is_unique
    assert in_seed("\t30\n\t预拨2023年中央自然灾害救灾资金\n")
    assert in_seed("\t31\n\t预拨2023年中央自然灾害救灾资金\n")


def test_unfinished_projects(example_ds):
    p = example_ds.projects
    unfinished = p[p["status"] == "未完成"]
    assert unfinished["no"].tolist() == [35, 37, 38, 39]
    assert set(p["status"]) == {"已完成", "未完成"}
    for r in unfinished.itertuples():
        # the report's 实现情况 column reads just 未完成
        assert in_seed(f"\t{r.no}\n\t{r.name}\n\t{r.goal}\n\t未完成\n"), r.no


def test_function_codes_and_names_match_the_classification(example_ds):
    codes = function_codes()
    for code, name in zip(example_ds.functions["code"], example_ds.functions["name"]):
        assert codes[code] == name
    assert example_ds.functions["code"].tolist() == [c for c, *_ in FUNCTIONS]


def test_stated_totals_are_kept_not_recomputed(example_ds):
    # The report states 91 while its categories add up to 89: the loader keeps both.
    assert example_ds.assessment["score"].sum() == 89.0
    assert example_ds.stated_total("assessment", "score") == 91.0
    assert "assessment" in example_ds.totals and len(example_ds.assessment) == 8
    # No 合计 row in 支出功能分类 (the report states none); its detail adds up to 2607.15.
    assert example_ds.stated_total("functions", "final") is None
    assert example_ds.total_cell("functions", "final") is None
    assert round(example_ds.functions["final"].sum(), 2) == 2607.15


def test_blank_cells_load_as_missing(example_ds):
    assert example_ds.facts["stated"]["applicable_max"] is None  # the report does not state it
    assert example_ds.facts["unit"]["report_date"] is None
    bs = example_ds.balance_sheet.set_index("item")
    assert math.isnan(bs.loc["净资产", "previous"])
    assert example_ds.projects["budget"].isna().sum() == 35  # only 25, 37, 38, 39 have amounts
    assert example_ds.measures["problem_no"].isna().tolist() == [False, True, True, True]


def test_cell_references_point_at_the_cells(example_ds):
    wb = openpyxl.load_workbook(EXAMPLE_XLSX, data_only=True)
    try:
        for final, row in zip(example_ds.functions["final"], example_ds.functions["_row"]):
            ref = example_ds.cell("functions", "final", row)
            assert ref == f"支出功能分类!D{row}"
            sheet, coord = ref.split("!")
            assert wb[sheet][coord].value == final
        assert example_ds.functions["_row"].tolist() == list(range(3, 12))
        assert example_ds.column_cells("functions", "final") == "支出功能分类!D3:D11"
        assert example_ds.cell("projects", "name", 33) == "项目!B33"
        assert wb["项目"]["B33"].value == example_ds.projects.set_index("no").loc[31, "name"]
        ref = example_ds.fact_cell("stated", "execution_rate")
        sheet, coord = ref.split("!")
        assert sheet == "填报数据"
        assert wb[sheet][coord].value == pytest.approx(0.9747)
        assert wb[sheet]["A" + coord[1:]].value == "项目整体支出进度"
        ref = example_ds.total_cell("special_funds", "amount")
        sheet, coord = ref.split("!")
        assert wb[sheet][coord].value == 101.77
        assert wb[sheet]["B" + coord[1:]].value == "合计"
    finally:
        wb.close()


def test_year_check(tmp_path):
    assert load_workbook(EXAMPLE_XLSX).year == 2023  # no expectation given: no check
    with pytest.raises(WorkbookError) as info:
        load_workbook(EXAMPLE_XLSX, year=2024)
    (problem,) = info.value.problems
    assert (problem.sheet, problem.cell, problem.found) == ("基本信息", "B5", "2023")
    assert "2024" in problem.message
