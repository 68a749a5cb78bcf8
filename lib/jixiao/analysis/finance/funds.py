"""Particular funds and lines the assessment examines: 三公经费, 三保, 非税收入, 政府采购, 专项资金.

Amounts are 万元, rates percentage points, at full precision; DataFrame results keep
``_row`` (the Excel row of the source record) so that a caller can cite cells. Which
items are 三公经费 and the 非税 variance threshold come from ``config/finance.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pandas as pd
from pydantic import BaseModel, ConfigDict, PrivateAttr

from jixiao.analysis.finance.figures import YearOnYear, change_rate, frame, pct, total_of, year_on_year
from jixiao.analysis.finance.inputs import fact, finance_config, name_key, records, table
from jixiao.rounding import round_half_up
from jixiao.values import num, text
from jixiao.workbook.dataset import Dataset


class ThreePublicNames(BaseModel):
    """``three_public`` of ``config/finance.yaml``: the 三公 items by official name with the
    names units write for them, the lines that are not 三公, and 其中 children."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    items: dict[str, list[str]]
    not_three_public: list[str] = []
    children: dict[str, list[str]] = {}
    # every spelling's comparison form → its official name
    _index: dict[str, str] = PrivateAttr(default_factory=dict)

    def model_post_init(self, _context) -> None:
        self._index = {name_key(n): official for official, aliases in self.items.items() for n in (official, *aliases)}

    def canonical(self, name: object) -> str | None:
        """The official name of a 三公 item written as ``name`` (an alias included), else None."""
        return self._index.get(name_key(name))

    def accepted(self) -> list[str]:
        """Every accepted spelling, official names first (for messages)."""
        return [*self.items, *(a for aliases in self.items.values() for a in aliases)]


@cache
def three_public_names() -> ThreePublicNames:
    """The 三公 names of ``config/finance.yaml`` (validated once per process)."""
    return ThreePublicNames.model_validate(finance_config()["three_public"])


def three_public_items(ds: Dataset) -> pd.DataFrame:
    """三公经费 by item, with the year-on-year change where the item's figures are given.

    Returns
    -------
    DataFrame
        ``item``, ``official`` (the official name of a 三公 item, whatever name the unit wrote
        — ``config/finance.yaml`` lists the names in use; None for anything else),
        ``is_three_public``, ``budget``, ``actual``, ``last_actual``, ``change``,
        ``change_rate``, ``_row``.
    """
    names = three_public_names()
    rows = []
    for r in records(table(ds, "three_public")):
        y = year_on_year(text(r.get("item")) or "", r.get("last_actual"), r.get("actual"))
        rows.append(
            {
                "item": y.label,
                "official": names.canonical(r.get("item")),
                "is_three_public": names.canonical(r.get("item")) is not None,
                "budget": num(r.get("budget")),
                "actual": y.current,
                "last_actual": y.previous,
                "change": y.change,
                "change_rate": y.change_rate,
                "_row": r["_row"],
            }
        )
    return frame(
        rows,
        ["item", "official", "is_three_public", "budget", "actual", "last_actual", "change", "change_rate", "_row"],
    )


def three_public_total(ds: Dataset) -> YearOnYear:
    """三公经费 total this year vs last year.

    Uses the stated 合计 row of the 三公经费 sheet; where a total is blank and every item
    gives the figure, the sum of the items (flagged ``*_derived``). ``change_stated`` is
    the 三公经费增减额 the report states (an amount, 万元).
    """
    items = three_public_items(ds)

    def side(col):
        stated = num(ds.stated_total("three_public", col))
        if stated is not None:
            return stated, False
        if len(items) and items[col].notna().all():
            return float(items[col].sum()), True
        return None, False

    prev, prev_d = side("last_actual")
    cur, cur_d = side("actual")
    return year_on_year("三公经费", prev, cur, fact(ds, "stated", "three_public_change"), prev_d, cur_d)


def three_guarantees(ds: Dataset) -> pd.DataFrame:
    """“三保” arranged vs actual, with the sum of the detail rows per category.

    Returns
    -------
    DataFrame
        ``category``, ``arranged``, ``actual``, ``difference`` (actual − arranged),
        ``actual_ratio`` (actual ÷ arranged × 100), ``detail_sum`` (None when the category
        has no detail rows), ``detail_count``, ``detail_rows`` (Excel rows), ``_row``.
    """
    detail = table(ds, "three_guarantees_detail")
    rows = []
    for r in records(table(ds, "three_guarantees")):
        a, x = num(r.get("arranged")), num(r.get("actual"))
        sub = detail[detail["category"] == r.get("category")] if len(detail) else detail
        rows.append(
            {
                "category": text(r.get("category")),
                "arranged": a,
                "actual": x,
                "difference": None if a is None or x is None else x - a,
                "actual_ratio": pct(x, a),
                "detail_sum": total_of(sub["amount"]) if len(sub) else None,
                "detail_count": len(sub),
                "detail_rows": list(sub["_row"]) if len(sub) else [],
                "_row": r["_row"],
            }
        )
    return frame(
        rows,
        [
            "category",
            "arranged",
            "actual",
            "difference",
            "actual_ratio",
            "detail_sum",
            "detail_count",
            "detail_rows",
            "_row",
        ],
    )


def nontax_variance(ds: Dataset, threshold: float | None = None) -> pd.DataFrame:
    """非税收入 budget vs actual per item, with the ≥ 30 % variance flag.

    Parameters
    ----------
    threshold : float, optional
        Percentage points; default ``nontax.variance_threshold`` of ``config/finance.yaml``
        (30). An item is flagged when \\|actual − budget\\| ÷ budget × 100 ≥ threshold.

    Returns
    -------
    DataFrame
        ``item``, ``budget``, ``actual``, ``difference`` (actual − budget), ``variance``
        (difference ÷ budget × 100, signed; None when the budget is blank or 0),
        ``flagged`` (bool, or None when the variance is not computable), ``_row``.
    """
    if threshold is None:
        threshold = float(finance_config()["nontax"]["variance_threshold"])
    rows = []
    for r in records(table(ds, "nontax")):
        b, a = num(r.get("budget")), num(r.get("actual"))
        v = change_rate(a, b)
        # Compare the variance as printed: a report showing 30.00 % means "30 % and above".
        rows.append(
            {
                "item": text(r.get("item")),
                "budget": b,
                "actual": a,
                "difference": None if a is None or b is None else a - b,
                "variance": v,
                "flagged": None if v is None else abs(round_half_up(v, 2)) >= threshold,
                "_row": r["_row"],
            }
        )
    return frame(rows, ["item", "budget", "actual", "difference", "variance", "flagged", "_row"])


@dataclass
class Procurement:
    """Government procurement figures (amounts 万元, shares percentage points).

    Attributes
    ----------
    budget, contracts, sme, micro : float or None
        采购预算总额, 采购合同总金额, 中小企业合同金额, 小微企业合同金额.
    contracts_to_budget : float or None
        合同 ÷ 预算 × 100.
    sme_share : float or None
        中小企业 ÷ 合同总金额 × 100.
    micro_share : float or None
        小微企业 ÷ 中小企业 × 100 (the report's denominator).
    poverty_reserved, poverty_bought : float or None
        脱贫地区农副产品 预留 and 实际采购.
    poverty_ratio : float or None
        完成比例 = 实际采购 ÷ 预留 × 100.
    """

    budget: float | None
    contracts: float | None
    sme: float | None
    micro: float | None
    contracts_to_budget: float | None
    sme_share: float | None
    micro_share: float | None
    poverty_reserved: float | None
    poverty_bought: float | None
    poverty_ratio: float | None


def procurement(ds: Dataset) -> Procurement:
    """Procurement shares and the 脱贫地区 completion ratio; see :class:`Procurement`."""
    s = ds.facts.get("stated", {})
    b, c, sme, micro = (
        num(s.get(k)) for k in ("procurement_budget", "procurement_contracts", "sme_contracts", "micro_contracts")
    )
    res, bought = num(s.get("poverty_reserved")), num(s.get("poverty_bought"))
    return Procurement(b, c, sme, micro, pct(c, b), pct(sme, c), pct(micro, sme), res, bought, pct(bought, res))


def special_funds_by_level(ds: Dataset) -> pd.DataFrame:
    """专项资金 by level (中央 / 省级 / …; 未注明 when blank).

    Returns
    -------
    DataFrame
        ``level``, ``count``, ``amount`` (sum of given amounts), ``share`` (of the sum of
        all given amounts, percentage points).
    """
    df = table(ds, "special_funds")
    if not len(df):
        return frame([], ["level", "count", "amount", "share"])
    levels = [text(v) or "未注明" for v in df["level"]]
    total = total_of(df["amount"])
    rows = []
    for lv in dict.fromkeys(levels):
        amounts = [a for a, level in zip(df["amount"], levels) if level == lv]
        amt = total_of(amounts)
        rows.append({"level": lv, "count": len(amounts), "amount": amt, "share": pct(amt, total)})
    return frame(rows, ["level", "count", "amount", "share"])
