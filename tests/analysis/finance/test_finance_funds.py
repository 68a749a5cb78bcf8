"""三公经费, 三保, 非税, procurement and 专项资金 of the bundled example (jixiao.analysis.finance.funds).

Each expected value is the figure printed in the seed report
(``tests/data/seed/dongshiduan-2023-self-evaluation.txt``), rounded half up to two
decimals; where the report prints no such figure the comment gives the hand arithmetic.
"""

from __future__ import annotations

import copy

from jixiao.analysis import finance as F
from jixiao.rounding import round_half_up


def r2(x):
    return round_half_up(x, 2)


# -- 三公经费, year on year ----------------------------------------------------------------
def test_three_public_total(example_ds):
    y = F.three_public_total(example_ds)
    # 二（一）3: “2022年我镇三公经费3.86万元，2023年4.64万元，较2022年增加0.78万元”
    assert (y.previous, y.current) == (3.86, 4.64)
    assert r2(y.change) == 0.78
    assert y.change_stated == 0.78
    # 0.78 ÷ 3.86 = 20.21 % (by hand).
    assert r2(y.change_rate) == 20.21
    assert not y.previous_derived and not y.current_derived


def test_three_public_items(example_ds):
    df = F.three_public_items(example_ds).set_index("item")
    assert df.loc["公务用车运行维护费", "budget"] == 12.15
    assert bool(df.loc["公务接待费", "is_three_public"])
    # 会议费 and 培训费 are not 三公经费.
    assert not df.loc["会议费", "is_three_public"]
    assert not df.loc["培训费", "is_three_public"]
    # Items give no actuals: the change is not computable, not 0.
    assert df.loc["公务接待费", "change"] is None


# -- 三保, 非税, procurement ---------------------------------------------------------------
def test_three_guarantees(example_ds):
    df = F.three_guarantees(example_ds).set_index("category")
    # 二（一）2: 保基本民生 安排130.66、实际134.16，明细 75 + 23.46 + 1.5 + 3 + 0.5 + 30.7 = 134.16.
    assert r2(df.loc["保基本民生", "detail_sum"]) == 134.16
    assert df.loc["保基本民生", "detail_count"] == 6
    assert r2(df.loc["保基本民生", "difference"]) == 3.50
    # 134.16 ÷ 130.66 = 102.68 % (by hand).
    assert r2(df.loc["保基本民生", "actual_ratio"]) == 102.68
    assert r2(df.loc["保运转", "difference"]) == 0.01  # 102.92 − 102.91
    assert df.loc["保工资", "detail_sum"] is None  # no detail given


def test_nontax_variance(example_ds):
    df = F.nontax_variance(example_ds).set_index("item")
    # 生态环境罚没收入: budget 2, actual 0.2 → (0.2 − 2) ÷ 2 = −90 %, ≥ 30 %: flagged, as the report says.
    assert r2(df.loc["生态环境罚没收入", "variance"]) == -90.00
    assert df.loc["生态环境罚没收入", "flagged"] is True
    # Unbudgeted items: variance not computable.
    assert df.loc["利息收入", "variance"] is None
    assert df.loc["利息收入", "flagged"] is None


def test_nontax_variance_threshold_is_inclusive_and_configurable(example_ds):
    ds = copy.deepcopy(example_ds)
    ds.tables["nontax"].loc[1, "actual"] = 1.4  # (1.4 − 2) ÷ 2 = −30 % exactly
    assert F.nontax_variance(ds).loc[1, "flagged"] is True
    assert F.nontax_variance(ds, threshold=50).loc[1, "flagged"] is False


def test_procurement(example_ds):
    p = F.procurement(example_ds)
    # 二（三）6: 中小企业 100 %, 小微 100 %, 脱贫地区 0.2 ÷ 0.13 = 153.85 %.
    assert r2(p.sme_share) == 100.00
    assert r2(p.micro_share) == 100.00
    assert r2(p.poverty_ratio) == 153.85
    assert r2(p.contracts_to_budget) == 100.00


def test_special_funds_by_level(example_ds):
    df = F.special_funds_by_level(example_ds).set_index("level")
    # 省级 0.50; 中央 3.00 + 1 + 1.87 + 5.74 + 89.66 = 101.27 (by hand); total 101.77 as stated.
    assert r2(df.loc["省级", "amount"]) == 0.50
    assert r2(df.loc["中央", "amount"]) == 101.27
    assert df.loc["中央", "count"] == 5
