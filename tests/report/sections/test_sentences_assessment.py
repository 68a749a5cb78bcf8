"""Issue #13: every sentence section 二 generates from the data is printed only when the data
make it true. One case per claim where its condition holds (the exact wording is present) and
one where it does not (the sentence is absent, or its true alternative is printed)."""

from __future__ import annotations

import copy
import re

import pandas as pd
import pytest

from jixiao.params import load_params
from jixiao.report.context import ReportContext
from jixiao.report.sections import assessment as S

from support import EXAMPLE_PARAMS


def _ctx(ds, section: str = "02") -> ReportContext:
    return ReportContext(params=load_params(EXAMPLE_PARAMS), ds=ds, section=section)


def _text(block) -> str:
    """The visible text of a block (tags and images removed)."""
    return re.sub(r"<[^>]+>", "", re.sub(r"<img[^>]*>", "", str(block)))


@pytest.fixture
def ds(example_ds):
    return copy.deepcopy(example_ds)


# -- 3.落实过紧日子要求: 三公经费 this year vs last ------------------------------------------------
def test_austerity_increase_as_in_the_example(ds):
    t = _text(S.austerity(_ctx(ds)))
    assert "2022年我镇三公经费3.86万元，2023年4.64万元，较2022年增加0.78万元，" in t
    assert "减少" not in t.split("表1")[0] and "持平" not in t


def test_austerity_decrease_says_decrease(ds):
    ds.totals["three_public"]["actual"] = 3.00
    ds.facts["stated"]["three_public_change"] = -0.86
    t = _text(S.austerity(_ctx(ds)))
    assert "2023年3.00万元，较2022年减少0.86万元" in t
    assert "较2022年增加" not in t and "持平" not in t


def test_austerity_no_change_says_unchanged(ds):
    ds.totals["three_public"]["actual"] = 3.86
    ds.facts["stated"]["three_public_change"] = 0.0
    t = _text(S.austerity(_ctx(ds)))
    assert "2023年3.86万元，与2022年持平" in t
    assert "较2022年" not in t


def test_austerity_stated_change_against_the_totals_is_not_printed(ds):
    """A stated 增减额 the two totals beside it contradict: their difference is printed."""
    ds.totals["three_public"]["actual"] = 3.00
    ds.facts["stated"]["three_public_change"] = 0.78  # the totals say −0.86
    t = _text(S.austerity(_ctx(ds)))
    assert "较2022年增加0.78万元" not in t
    assert "2023年3.00万元，较2022年减少0.86万元" in t


def test_austerity_without_last_year_has_no_comparison(ds):
    ds.totals["three_public"]["last_actual"] = None
    t = _text(S.austerity(_ctx(ds)))
    assert "2023年我镇三公经费4.64万元" in t
    assert "较2022年" not in t and "持平" not in t


# -- 4.减税降费: 非税收入 -----------------------------------------------------------------------
def test_nontax_paid_in_full_when_the_total_is_the_items_sum(ds):
    t = _text(S.tax_and_fees(_ctx(ds)))
    assert "2023年，我镇及时足额上缴非税收入25.37万元，其中：利息收入0.18万元" in t


def test_nontax_not_in_full_when_the_total_differs_from_the_items(ds):
    ds.totals["nontax"]["actual"] = 30.0  # the items sum to 25.37
    t = _text(S.tax_and_fees(_ctx(ds)))
    assert "足额" not in t
    assert "2023年，我镇上缴非税收入30.00万元" in t


def test_nontax_paid_without_items_is_not_said_in_full(ds):
    ds.tables["nontax"]["actual"] = None
    t = _text(S.tax_and_fees(_ctx(ds)))
    assert "足额" not in t
    assert "2023年，我镇上缴非税收入25.37万元。" in t


def test_nontax_variance_sentence_only_for_items_over_the_threshold(ds):
    t = _text(S.tax_and_fees(_ctx(ds)))
    assert "变动幅度在30%及以上的项目是生态环境罚没收入，具体情况是我镇2023年生态环境罚没收入编制预算2.00万元" in t
    ds.tables["nontax"].loc[1, "actual"] = 1.9  # −5%: under the threshold
    ds.totals["nontax"]["actual"] = None
    t = _text(S.tax_and_fees(_ctx(ds)))
    assert "变动幅度在" not in t


# -- 8.乡镇财政总决算: the balance --------------------------------------------------------------
def test_township_balanced_when_the_stated_totals_are_equal(ds):
    t = _text(S.township_final_accounts(_ctx(ds)))
    assert "支出总计2607.15万元，收支平衡。" in t
    assert "大于" not in t


@pytest.mark.parametrize(
    ("expenditure", "said"),
    [(2600.0, "支出总计2600.00万元，收入大于支出7.15万元。"), (2610.0, "支出总计2610.00万元，支出大于收入2.85万元。")],
)
def test_township_unbalanced_says_which_side_is_larger(ds, expenditure, said):
    ds.totals["fund_types"]["expenditure"] = expenditure
    t = _text(S.township_final_accounts(_ctx(ds)))
    assert said in t
    assert "收支平衡" not in t


def test_township_balance_needs_both_totals(ds):
    ds.totals["fund_types"]["expenditure"] = None
    t = _text(S.township_final_accounts(_ctx(ds)))
    assert "收支平衡" not in t and "大于" not in t
    assert "收入总计2607.15万元" in t


# -- 5.政府财务报告: “不存在其他的短期和长期负债” -------------------------------------------------
def test_no_other_liabilities_when_one_line_is_the_whole(ds):
    t = _text(S.financial_report(_ctx(ds)))
    assert "负债总额10.88万元，其中其他应付款10.88万元，占比100.00%，不存在其他的短期和长期负债。" in t


def test_other_liabilities_exist_when_a_second_line_is_given(ds):
    bs = ds.tables["balance_sheet"]
    extra = bs[bs["item"] == "其他应付款"].copy()
    extra["item"] = "应付职工薪酬"
    extra["previous"] = 1.0
    extra["_row"] = 999
    ds.tables["balance_sheet"] = pd.concat([bs, extra], ignore_index=True)
    t = _text(S.financial_report(_ctx(ds)))
    assert "不存在其他的短期和长期负债" not in t
    assert "应付职工薪酬1.00万元" in t


def test_other_liabilities_exist_when_the_line_is_not_the_total(ds):
    bs = ds.tables["balance_sheet"]
    bs.loc[bs["item"] == "其他应付款", "previous"] = 8.0  # 73.53% of 10.88
    t = _text(S.financial_report(_ctx(ds)))
    assert "不存在其他的短期和长期负债" not in t


# -- 二、opening: the score ---------------------------------------------------------------------
def test_score_sentence_only_with_a_total(ds):
    t = _text(S.overview(_ctx(ds)))
    assert re.search(r"通过自评，我镇管理绩效考核得分为[\d.]+分", t)
    ds.facts["stated"]["assessment_total"] = None
    ds.totals["assessment"]["score"] = None
    ds.tables["assessment"].loc[0, "score"] = None  # a category unscored: no total
    t = _text(S.overview(_ctx(ds)))
    assert "得分为" not in t


# -- 1.专项资金: funds allocated to villages ------------------------------------------------------
def test_village_clause_only_for_funds_allocated_to_villages(ds):
    t = _text(S.special_funds(_ctx(ds)))
    assert "，对于分配到村级的" in t
    ds.tables["special_funds"]["to_villages"] = None
    t = _text(S.special_funds(_ctx(ds)))
    assert "分配到村级" not in t


# -- 2.部门预算编制: 非税收入计划 “主要是” -----------------------------------------------------------
def test_nontax_plan_mainly_only_with_a_single_budgeted_item(ds):
    t = _text(S.budget_preparation(_ctx(ds)))
    assert "安排非税收入计划2.00万元，主要是生态环境罚没收入2.00万元。" in t
    ds.tables["nontax"].loc[0, "budget"] = 1.0
    ds.totals["nontax"]["budget"] = 3.0
    t = _text(S.budget_preparation(_ctx(ds)))
    assert "主要是" not in t
    assert "安排非税收入计划3.00万元，其中：利息收入1.00万元，生态环境罚没收入2.00万元。" in t
