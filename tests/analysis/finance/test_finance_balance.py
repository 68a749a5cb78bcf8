"""The balance sheet and 财务报告 ratios of the bundled example (jixiao.analysis.finance.balance).

Each expected value is the figure printed in the seed report
(``tests/data/seed/dongshiduan-2023-self-evaluation.txt``), rounded half up to two
decimals; where the report prints no such figure the comment gives the hand arithmetic.
"""

from __future__ import annotations

import copy

from jixiao.analysis import finance as F
from jixiao.rounding import fmt, round_half_up


def r2(x):
    return round_half_up(x, 2)


# -- balance sheet, year on year ------------------------------------------------------------
def test_balance_sheet_changes(example_ds):
    df = F.balance_sheet_changes(example_ds).set_index("kind")
    # 二（五）1（1）: 资产 −0.23 %, 负债 −11.95 %, 净资产 −0.22 %.
    assert r2(df.loc["资产", "change_rate"]) == -0.23
    assert r2(df.loc["负债", "change_rate"]) == -11.95
    assert r2(df.loc["净资产", "change_rate"]) == -0.22
    # 净资产 at the end of 2022 is not stated: 7054.63 − 10.88 = 7043.75, flagged as derived.
    assert r2(df.loc["净资产", "previous"]) == 7043.75
    assert bool(df.loc["净资产", "previous_derived"])
    assert not df.loc["资产", "previous_derived"]
    assert df.loc["净资产", "current"] == 7028.6


# -- financial-report ratios ---------------------------------------------------------------
def test_financial_ratios(example_ds):
    fr = F.financial_ratios(example_ds)
    # 二（三）5 gives the 2022 year-end: the previous column.
    assert (fr.year, fr.column) == (2022, "previous")
    assert r2(fr.debt_ratio) == 0.15  # 10.88 ÷ 7054.63, “资产负债率0.15%”
    # 11.67 ÷ 10.88 = 107.2610… → 107.26; the report prints 107.27 (within input rounding).
    assert r2(fr.cash_ratio) == 107.26
    assert r2(fr.current_ratio) == 107.26
    # 流动资产 = 货币资金 + 其他应收款净额 = 11.67 + 0; 流动负债 = 其他应付款 10.88.
    assert fr.current_asset_items == ["货币资金", "其他应收款净额"]
    assert r2(fr.current_assets) == 11.67
    assert fr.current_liability_items == ["其他应付款"]
    assert fr.current_liabilities == 10.88
    assert fr.unclassified == []
    assert r2(fr.other_payables_share) == 100.00  # “其他应付款10.88万元，占比100%”
    # The 2022 fixed-asset original value is not given: 成新率 is not computable (未提供).
    assert fr.fixed_asset_net == 135.48
    assert fr.fixed_asset_original is None
    assert fr.fixed_asset_newness is None
    assert fmt(fr.fixed_asset_newness) == "未提供"
    assert fr.net_assets_derived


def test_balance_classification():
    assert F.classify_balance_item("货币资金") == "流动资产"
    assert F.classify_balance_item("其他应收款净额") == "流动资产"
    assert F.classify_balance_item("公共基础设施净值") == "非流动资产"
    assert F.classify_balance_item("其他应付款") == "流动负债"
    assert F.classify_balance_item("长期借款") == "非流动负债"
    assert F.classify_balance_item("固定资产原值") == "备查"
    assert F.classify_balance_item(" 货币 资金 ") == "流动资产"  # spaces ignored
    assert F.classify_balance_item("某某款项") is None


def test_current_ratio_with_receivables(example_ds):
    ds = copy.deepcopy(example_ds)
    bs = ds.tables["balance_sheet"]
    bs.loc[bs["item"] == "其他应收款净额", "previous"] = 2.0
    fr = F.financial_ratios(ds)
    assert r2(fr.current_ratio) == r2((11.67 + 2.0) / 10.88 * 100)
    assert r2(fr.cash_ratio) == 107.26  # cash alone is unchanged
