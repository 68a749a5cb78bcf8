"""Checks of government procurement (（三）预算执行：政府采购).

The stated shares (中小企业合同占比, 小微企业占中小企业比例, 脱贫地区农副产品采购完成
比例) recomputed from the stated amounts, and the amounts' nesting: contracts within the
procurement budget, SME contracts within all contracts, micro within SME.
"""

from __future__ import annotations

from collections.abc import Iterator

from jixiao.analysis import finance as F
from jixiao.analysis.checks.compare import _pct_bounds, compare_pct
from jixiao.analysis.checks.registry import Context, Finding, _fact_cells, _finding, _money, _not_provided, check
from jixiao.rounding import fmt, round_half_up
from jixiao.values import num


@check("procurement.shares", "政府采购中小企业、小微企业占比与脱贫地区采购完成比例")
def _procurement_shares(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    p = F.procurement(ds)
    fc = lambda *k: _fact_cells(ds, "stated", *k)  # noqa: E731
    for what, stated_key, value, n, d, keys in (
        ("中小企业合同占比", "sme_share", p.sme_share, p.sme, p.contracts, ("sme_contracts", "procurement_contracts")),
        ("小微企业占中小企业比例", "micro_share", p.micro_share, p.micro, p.sme, ("micro_contracts", "sme_contracts")),
        (
            "脱贫地区农副产品采购完成比例",
            "poverty_ratio",
            p.poverty_ratio,
            p.poverty_bought,
            p.poverty_reserved,
            ("poverty_bought", "poverty_reserved"),
        ),
    ):
        bounds = None if value is None else _pct_bounds(n, d)
        yield compare_pct(
            what, num(ctx.stated(stated_key)), value, bounds, fc(stated_key, *keys), formula=f"{fmt(n)} ÷ {fmt(d)}"
        )


@check("procurement.amounts", "政府采购金额的包含关系")
def _procurement_amounts(ctx: Context) -> Iterator[Finding]:
    ds = ctx.ds
    p = F.procurement(ds)
    pairs = [
        (
            "采购合同总金额",
            p.contracts,
            "采购预算总额",
            p.budget,
            "procurement_contracts",
            "procurement_budget",
            "warning",
        ),
        ("中小企业合同金额", p.sme, "采购合同总金额", p.contracts, "sme_contracts", "procurement_contracts", "error"),
        ("小微企业合同金额", p.micro, "中小企业合同金额", p.sme, "micro_contracts", "sme_contracts", "error"),
    ]
    given = [(a, av, b, bv, ak, bk, sev) for a, av, b, bv, ak, bk, sev in pairs if av is not None and bv is not None]
    if not given:
        yield _not_provided("政府采购金额", _fact_cells(ds, "stated", "procurement_budget", "procurement_contracts"))
        return
    bad = [x for x in given if round_half_up(x[1]) > round_half_up(x[3])]
    for a, av, b, bv, ak, bk, sev in bad:
        yield _finding(
            sev,
            f"{a}{_money(av)}超过{b}{_money(bv)}。",
            stated=av,
            computed=bv,
            difference=av - bv,
            cells=_fact_cells(ds, "stated", ak, bk),
        )
    if not bad:
        yield _finding(
            "pass",
            "；".join(f"{a}{fmt(av)} ≤ {b}{fmt(bv)}" for a, av, b, bv, *_ in given) + "。",
            cells=_fact_cells(ds, "stated", *dict.fromkeys(k for x in given for k in x[4:6])),
        )
