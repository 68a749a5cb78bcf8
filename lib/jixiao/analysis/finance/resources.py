"""The unit's physical assets and staff: 成新率 of land, buildings and vehicles, 在职人员控制率."""

from __future__ import annotations

import pandas as pd

from jixiao.analysis.finance.figures import frame, pct
from jixiao.analysis.finance.inputs import fact, records, table
from jixiao.values import num, text
from jixiao.workbook.dataset import Dataset


def physical_asset_newness(ds: Dataset) -> pd.DataFrame:
    """成新率 (净值 ÷ 原值 × 100) of land, buildings and vehicles.

    Returns
    -------
    DataFrame
        ``kind``, ``quantity``, ``unit``, ``original_value``, ``net_value``, ``newness``
        (None when 原值 is blank or 0, e.g. land carried at 0), ``_row``.
    """
    rows = [
        {
            "kind": text(r.get("kind")),
            "quantity": num(r.get("quantity")),
            "unit": text(r.get("unit")),
            "original_value": num(r.get("original_value")),
            "net_value": num(r.get("net_value")),
            "newness": pct(r.get("net_value"), r.get("original_value")),
            "_row": r["_row"],
        }
        for r in records(table(ds, "physical_assets"))
    ]
    return frame(rows, ["kind", "quantity", "unit", "original_value", "net_value", "newness", "_row"])


def vehicle_newness(ds: Dataset) -> float | None:
    """车辆成新率 = 账面净值 ÷ 账面原值 × 100 (29.32 ÷ 70.42 → 41.64 in the example)."""
    df = physical_asset_newness(ds)
    hit = df[df["kind"] == "车辆"] if len(df) else df
    return None if not len(hit) else num(hit["newness"].iloc[0])


def staff_control_rate(ds: Dataset) -> float | None:
    """在职人员控制率 = 实有人数 ÷ 编制数 × 100 (93 ÷ 55 → 169.09 in the example)."""
    return pct(fact(ds, "unit", "actual_staff"), fact(ds, "unit", "authorized_staff"))
