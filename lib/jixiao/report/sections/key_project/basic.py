"""一、基本情况: （一）项目概况 and （二）项目绩效目标.

（一）项目概况: the project's facts (a sentence and a table), then 1．立项背景及目的,
2．实施情况 (the assessor's text, dates, works, acceptance), 3．资金投入和使用情况 (the
assessor's text, funds by source and their rates), each only when the workbook gives it;
（二）项目绩效目标.

Every generated sentence states only figures the workbook gives (each clause with the
condition that makes it true); a part with nothing to say is left out and the review says so.
"""

from __future__ import annotations

import pandas as pd

from jixiao.keyproject import fund_rates, fund_totals
from jixiao.report.context import Block, Col, cdate, is_blank
from jixiao.report.sections.key_project import KeyProjectContext, Numbering, blank_facts, paragraphs

#: Project facts shown in the facts table, in order (key id → printed label); a blank fact
#: is left out of the table (the review lists it).
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


def _shown(v) -> str:
    return cdate(v) if hasattr(v, "year") and not isinstance(v, (int, float)) else str(v)


def _fact_rows(ctx: KeyProjectContext, keys) -> tuple[pd.DataFrame, list[str]]:
    """The facts given (item, value) and the labels of those left blank."""
    rows, blank = [], []
    for key, label in keys:
        v = ctx.unit.get(key)
        if is_blank(v):
            blank.append(label)
        else:
            rows.append({"item": label, "value": _shown(v)})
    return pd.DataFrame(rows, columns=["item", "value"]), blank


def basic(ctx: KeyProjectContext) -> Block:
    """一、基本情况: （一）项目概况 (facts, background, implementation, funds), （二）项目绩效目标."""
    sub, item = Numbering(), Numbering("1．")
    out: list[str] = [ctx.heading(f"{sub()}项目概况")]
    review: list[str] = []
    out.append(ctx.render("keyproject/overview.html.j2"))
    facts, blank = _fact_rows(ctx, OVERVIEW_FACTS)
    out.append(ctx.table(facts, [Col("item", "项目"), Col("value", "内容")], "项目基本信息", total_label=None))
    if blank:
        sheet = ctx.ds.spec.sheet("project").name
        review.append(f"“项目基本信息”表未列“{sheet}”表中未填写的项目：{'、'.join(blank)}。")

    background = ctx.text("background")
    if background:
        out += [ctx.heading(f"{item()}立项背景及目的", level=3), paragraphs(background)]
    else:
        review.append(ctx.missing("background", "一（一）中的“立项背景及目的”"))

    impl = implementation(ctx)
    review += impl.review
    if impl:
        out += [ctx.heading(f"{item()}实施情况", level=3), impl]
    else:
        review.append(ctx.missing("implementation", "一（一）中的“实施情况”（实施日期、工程量、验收情况也均未填写）"))

    money = funds(ctx)
    review += money.review
    if money:
        out += [ctx.heading(f"{item()}资金投入和使用情况", level=3), money]
    else:
        review.append(ctx.missing("funds_text", "一（一）中的“资金投入和使用情况”（“资金来源”表也未填写）"))

    goals = ctx.text("goals")
    if goals:
        out += [ctx.heading(f"{sub()}项目绩效目标"), paragraphs(goals)]
    else:
        review.append(ctx.missing("goals", "一（二）“项目绩效目标”"))
    return Block("".join(out)).with_review(*review)


def implementation(ctx: KeyProjectContext) -> Block:
    """1．实施情况: the assessor's text, the dates, the works and the acceptance (what is given)."""
    parts = [paragraphs(ctx.text("implementation")), ctx.render("keyproject/works.html.j2", rows=_works(ctx))]
    table = works_table(ctx)
    parts += [table, ctx.render("keyproject/acceptance.html.j2")]
    review = list(table.review)
    blank = blank_facts(ctx, ("acceptance_date", "acceptance_by", "acceptance_result"))
    if len(blank) == 3:
        sheet = ctx.ds.spec.sheet("project").name
        review.append(f"“{sheet}”表未填写{'、'.join(blank)}：报告“实施情况”未写验收情况。")
    body = "".join(p for p in parts if p.strip())
    return Block(body).with_review(*review) if body else Block("").with_review(*review)


def _works(ctx: KeyProjectContext) -> list[dict]:
    df = ctx.ds.works.copy()
    df["rate"] = [
        d / p * 100 if pd.notna(p) and p and pd.notna(d) else None for p, d in zip(df["planned"], df["delivered"])
    ]
    return df.to_dict("records")


def works_table(ctx: KeyProjectContext) -> Block:
    """The works' planned, delivered and accepted quantities (columns with no figure are left out)."""
    df = pd.DataFrame(_works(ctx))
    if df.empty:
        return Block("")
    return ctx.table(
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
    )


def funds(ctx: KeyProjectContext) -> Block:
    """3．资金投入和使用情况: the assessor's text, the funds' totals and rates, the table by source."""
    df = ctx.ds.funds
    t, r = fund_totals(ctx.ds), fund_rates(ctx.ds)
    text = paragraphs(ctx.text("funds_text"))
    text += ctx.render("keyproject/funds.html.j2", t=t, r=r)
    if df.empty:
        return Block(text)
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
    return Block(text + table).with_review(*table.review)
