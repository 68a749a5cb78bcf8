"""一、项目概况: the project's facts, funds, works and acceptance."""

from __future__ import annotations

import pandas as pd

from jixiao.keyproject import fund_rates, fund_totals
from jixiao.report.context import Block, Col
from jixiao.report.sections.key_project import KeyProjectContext

# -- 一、项目概况 ------------------------------------------------------------------------------

#: Project facts shown in the overview table, in order (key id → printed label).
OVERVIEW_FACTS = (
    ("name", "项目名称"),
    ("unit", "所属单位"),
    ("location", "项目地点"),
    ("implementer", "实施单位"),
    ("supervisor", "主管部门"),
    ("scope", "建设内容"),
    ("planned_start", "计划开工日期"),
    ("planned_end", "计划完工日期"),
    ("start", "实际开工日期"),
    ("end", "实际完工日期"),
)


def _fact_rows(ctx: KeyProjectContext, keys) -> pd.DataFrame:
    from jixiao.report.context import cdate, is_blank

    rows = []
    for key, label in keys:
        v = ctx.unit.get(key)
        shown = (
            "未提供"
            if is_blank(v)
            else (cdate(v) if hasattr(v, "year") and not isinstance(v, (int, float)) else str(v))
        )
        rows.append({"item": label, "value": shown})
    return pd.DataFrame(rows)


def overview(ctx: KeyProjectContext) -> Block:
    """（一）项目基本情况: narrative and the facts table (blanks print 未提供)."""
    head = ctx.heading("（一）项目基本情况")
    text = ctx.render("keyproject/overview.html.j2", texts=ctx.ds.facts["texts"])
    table = ctx.table(
        _fact_rows(ctx, OVERVIEW_FACTS),
        [Col("item", "项目"), Col("value", "内容")],
        "项目基本信息",
        total_label=None,
        note="“未提供”表示工作簿未填写该项（原始资料未载明）。",
    )
    return Block(head + text + table)


def funds(ctx: KeyProjectContext) -> Block:
    """（二）项目资金情况: funds by source (budget, in place, spent), 资金到位率 and 预算执行率."""
    head = ctx.heading("（二）项目资金情况")
    df = ctx.ds.funds
    t, r = fund_totals(ctx.ds), fund_rates(ctx.ds)
    text = ctx.render("keyproject/funds.html.j2", t=t, r=r, n=len(df))
    if df.empty:
        return Block(head + text)
    table = ctx.table(
        df,
        [
            Col("source", "资金来源"),
            Col("level", "资金级次"),
            Col("budget", "预算金额（万元）", "money", True),
            Col("received", "到位金额（万元）", "money", True),
            Col("spent", "实际支出（万元）", "money", True),
        ],
        "项目资金来源、到位与支出",
    )
    return Block(head + text + table)


def works(ctx: KeyProjectContext) -> Block:
    """（三）建设内容与完成情况: planned, delivered and accepted quantities."""
    head = ctx.heading("（三）建设内容与完成情况")
    df = ctx.ds.works.copy()
    df["rate"] = [
        d / p * 100 if pd.notna(p) and p and pd.notna(d) else None for p, d in zip(df["planned"], df["delivered"])
    ]
    text = ctx.render("keyproject/works.html.j2", rows=df.to_dict("records"))
    if df.empty:
        return Block(head + text)
    table = ctx.table(
        df,
        [
            Col("no", "序号", "int"),
            Col("item", "建设内容"),
            Col("unit", "计量单位"),
            Col("planned", "计划数量", "plain"),
            Col("delivered", "实际完成数量", "plain"),
            Col("accepted", "验收合格数量", "plain"),
            Col("rate", "完成率", "pct"),
        ],
        "建设内容及完成情况",
        total_label=None,
        note="空缺的数量为工作簿未填写（原始资料未载明）。",
    )
    return Block(head + text + table)


def acceptance(ctx: KeyProjectContext) -> Block:
    """（四）项目验收情况."""
    head = ctx.heading("（四）项目验收情况")
    return Block(head + ctx.render("keyproject/acceptance.html.j2"))
