"""Physical assets and staff of the bundled example (jixiao.analysis.finance.resources).

Each expected value is the figure printed in the seed report
(``tests/data/seed/dongshiduan-2023-self-evaluation.txt``), rounded half up to two
decimals; where the report prints no such figure the comment gives the hand arithmetic.
"""

from __future__ import annotations

from jixiao.analysis import finance as F
from jixiao.rounding import round_half_up


def r2(x):
    return round_half_up(x, 2)


def test_physical_asset_newness(example_ds):
    # Vehicles: 29.32 ÷ 70.42 = 41.64 % (by hand; the report gives 原值 and 净值 only).
    assert r2(F.vehicle_newness(example_ds)) == 41.64
    df = F.physical_asset_newness(example_ds).set_index("kind")
    assert df.loc["土地", "newness"] is None  # 0 ÷ 0: not computable
    assert df.loc["房屋", "newness"] is None  # 原值 not given


def test_staff_control_rate(example_ds):
    # 编制数55、实有93: 93 ÷ 55 = 169.09 % (by hand).
    assert r2(F.staff_control_rate(example_ds)) == 169.09
