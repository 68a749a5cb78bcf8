"""（三）预算执行管理: 执行监控, 决算, 政府财务报告, 政府采购, 直达资金, 乡镇财政总决算."""

from __future__ import annotations

import pandas as pd

from jixiao.analysis import finance as F
from jixiao.report.charts import grouped_bars, hbar
from jixiao.report.context import Block, Col, ReportContext, cdate, num, pct
from jixiao.report.sections import common as C
from jixiao.report.sections.assessment.overview import _render
from jixiao.rounding import round_half_up


# -- （三）预算执行管理 ------------------------------------------------------------------------
def execution_supervision(ctx: ReportContext) -> Block:
    """1.预算执行监督 ((1) 预警 (2) 违规), 2.预算执行分析, 3.暂付款项管理 (workbook texts)."""
    out: str = ctx.heading("1.预算执行监督情况", level=3)  # Block + str is a str
    out += _render(
        ctx,
        "assessment/text.html.j2",
        paras=C.text_paragraphs(ctx, "warnings"),
        lead="（1）预警处理情况。",
        what="说明",
    )
    out += _render(
        ctx,
        "assessment/text.html.j2",
        paras=C.text_paragraphs(ctx, "violations"),
        lead="（2）预算执行违规情况。",
        what="说明",
    )
    out += ctx.heading("2.预算执行分析情况", level=3)
    out += _render(
        ctx, "assessment/text.html.j2", paras=C.text_paragraphs(ctx, "execution_analysis"), what="预算执行分析说明"
    )
    out += ctx.heading("3.暂付款项管理情况", level=3)
    out += _render(ctx, "assessment/text.html.j2", paras=C.text_paragraphs(ctx, "advances"), what="暂付款项管理说明")
    return Block(out)


def final_accounts_figures(ctx: ReportContext) -> dict:
    """决算收入 (stated total and its parts) and 决算 by function with computed shares."""
    byf = F.final_by_function(ctx.ds)
    total = F.final_total(ctx.ds)
    appropriation = F.num(C.stated(ctx, "final_revenue_appropriation"))
    other = F.num(C.stated(ctx, "final_revenue_other"))
    parts = F.total_of([appropriation, other])
    fsum = F.total_of(byf["final"]) if len(byf) else None
    rows = []
    for r in byf.to_dict("records"):
        rows.append({**r, "share_differs": C.differs(r["share_stated"], r["share"])})
    return {
        "year": ctx.year,
        "total": total,
        "appropriation": appropriation,
        "other": other,
        "parts_differ": C.differs(total, parts) if appropriation is not None and other is not None else False,
        "functions": rows,
        "function_sum": fsum,
        "function_sum_differs": C.differs(total, fsum),
    }


def final_accounts(ctx: ReportContext) -> Block:
    """4.部门决算管理情况: 决算收入 and 决算支出 by function with computed shares; table and charts."""
    f = final_accounts_figures(ctx)
    head = ctx.heading("4.部门决算管理情况", level=3)
    text = _render(ctx, "assessment/final_accounts.html.j2", f=f, intro=C.text_paragraphs(ctx, "final_accounts"))
    bvf = F.budget_vs_final_by_function(ctx.ds)
    if not len(bvf):
        return Block(head + text)
    shares = F.final_by_function(ctx.ds)
    bvf["share"] = shares["share"].values
    bvf["code_shown"] = [F.text(c) for c in bvf["code"]]
    table = ctx.table(
        bvf,
        [
            Col("code_shown", "功能分类编码"),
            Col("name", "科目名称"),
            Col("budget", "预算数（万元）", "money", total=True),
            Col("final", "决算数（万元）", "money", total=True),
            Col("share", "决算占比", "pct", total=True),
            Col("execution_ratio", "决算÷预算", "pct"),
        ],
        f"{ctx.year}年决算支出（按功能分类）",
        note=f"决算占比 = 决算数 ÷ 决算收入合计{num(f['total'])}万元，由工作簿数据计算。",
    )
    given = shares[shares["final"].notna()]
    chart_df = pd.DataFrame(
        {
            "name": list(given["name"]),
            "final": [F.num(v) for v in given["final"]],
            "share": [0.0 if s is None else round_half_up(s, 2) for s in given["share"]],
        }
    )
    fig1 = ctx.figure(
        hbar(chart_df, "name", "final", f"{ctx.year}年决算支出结构（按功能分类）", annotate="share"),
        "决算支出结构",
        note="括号内为占决算收入合计的比例。",
    )
    fig2 = ctx.figure(
        grouped_bars(bvf, "name", {"budget": "预算数", "final": "决算数"}, "预算数与决算数对比（按功能分类）"),
        "预算数与决算数对比",
    )
    return Block(head + text + table + fig1 + fig2)


def _ratio_judgement(ctx: ReportContext, fid: str, stated: float | None, computed: float | None) -> str | None:
    """How a stated ratio compares with the computed one: None (agrees), 舍入 or 不一致."""
    found = C.findings(ctx, fid, severities=None)
    if found:
        f = found[0]
        if f.severity == "pass":
            return None
        if (
            f.stated is not None
            and f.computed is not None
            and f.tolerance is not None
            and abs(f.stated - f.computed) <= f.tolerance
        ):
            return None if not C.differs(f.stated, f.computed) else "舍入"
        return "不一致" if f.stated is not None and f.computed is not None else None
    if not C.differs(stated, computed):
        return None
    return "不一致"


def financial_report_figures(ctx: ReportContext) -> dict:
    """Balance-sheet lines of the financial-report year-end and the ratios (computed vs stated)."""
    fr = F.financial_ratios(ctx.ds)
    bs = ctx.ds.tables.get("balance_sheet", pd.DataFrame(columns=["item", "kind", "level", "previous", "current"]))

    def lines(kind):
        out = []
        for r in bs.to_dict("records"):
            if r.get("kind") == kind and r.get("level") == "明细" and F.classify_balance_item(r.get("item")) != "备查":
                v = F.num(r.get(fr.column))
                if v is not None:
                    out.append({"item": F.text(r.get("item")), "value": v})
        return out

    liabilities = lines("负债")
    for li in liabilities:
        li["share"] = F.pct(li["value"], fr.liabilities)
    ratios = []
    for key, name, formula, value in (
        ("debt_ratio", "资产负债率", "负债总额 ÷ 资产总额", fr.debt_ratio),
        ("cash_ratio", "现金比率", "货币资金 ÷ 流动负债", fr.cash_ratio),
        ("current_ratio", "流动比率", "流动资产 ÷ 流动负债", fr.current_ratio),
        ("fixed_asset_newness", "固定资产成新率", "固定资产净值 ÷ 固定资产原值", fr.fixed_asset_newness),
        ("other_payables_share", "其他应付款占负债比例", "其他应付款 ÷ 负债总额", fr.other_payables_share),
    ):
        stated = F.num(C.stated(ctx, key))
        ratios.append(
            {
                "key": key,
                "name": name,
                "formula": formula,
                "computed": value,
                "stated": stated,
                # rounded once, and −0.00 shown as 0.00
                "difference": None if value is None or stated is None else (round_half_up(stated - value, 2) or 0.0),
                "judgement": _ratio_judgement(ctx, f"financial.{key}", stated, value),
            }
        )
    return {
        "fr": fr,
        "year": fr.year,
        "assets_lines": lines("资产"),
        "liability_lines": liabilities,
        "ratios": ratios,
        "by_key": {r["key"]: r for r in ratios},
    }


def financial_report(ctx: ReportContext) -> Block:
    """5.政府财务报告管理情况: balance sheet of the report year-end; the ratios computed from it,
    inside the unit's risk assessment (财务风险结论 / （续）), and compared with the stated ones."""
    f = financial_report_figures(ctx)
    head = ctx.heading("5.政府财务报告管理情况", level=3)
    text = _render(
        ctx,
        "assessment/financial_report.html.j2",
        f=f,
        fr=f["fr"],
        intro=C.text_paragraphs(ctx, "financial_report_management"),
        risk=C.text_paragraphs(ctx, "financial_risk"),
        risk_after=C.text_paragraphs(ctx, "financial_risk_after"),
    )
    df = pd.DataFrame(f["ratios"])
    judge = {None: "一致", "舍入": "在舍入误差范围内", "不一致": "不一致，请核实"}
    df["remark"] = [
        ("—" if r["computed"] is None or r["stated"] is None else judge[r["judgement"]])
        + ("（原值未提供，无法计算）" if r["key"] == "fixed_asset_newness" and r["computed"] is None else "")
        for r in f["ratios"]
    ]
    table = ctx.table(
        df,
        [
            Col("name", "指标"),
            Col("formula", "计算方法"),
            Col("computed", "计算值", "pct"),
            Col("stated", "报告填报值", "pct"),
            Col("difference", "差异（百分点）", "num"),
            Col("remark", "核对结果"),
        ],
        f"{f['year'] or '上'}年末财务指标（计算值与报告填报值）",
        total_label=None,
        note="计算值由资产负债表数据计算；差异 = 报告填报值 − 计算值。",
    )
    return Block(head + text + table)


def procurement(ctx: ReportContext) -> Block:
    """6.政府采购管理情况: the management text continued by the procurement amounts and shares
    (computed), the text's second part, the table."""
    p = F.procurement(ctx.ds)
    f = {
        "p": p,
        "sme_stated": F.num(C.stated(ctx, "sme_share")),
        "micro_stated": F.num(C.stated(ctx, "micro_share")),
        "poverty_stated": F.num(C.stated(ctx, "poverty_ratio")),
    }
    f.update(
        sme_differs=C.differs(f["sme_stated"], p.sme_share),
        micro_differs=C.differs(f["micro_stated"], p.micro_share),
        poverty_differs=C.differs(f["poverty_stated"], p.poverty_ratio),
    )
    head = ctx.heading("6.政府采购管理情况", level=3)
    text = _render(
        ctx,
        "assessment/procurement.html.j2",
        f=f,
        p=p,
        management=C.text_paragraphs(ctx, "procurement_management"),
        after=C.text_paragraphs(ctx, "procurement_management_after"),
    )
    rows = pd.DataFrame(
        [
            {"item": "采购总预算", "amount": p.budget, "ratio": None, "basis": "", "stated": None},
            {
                "item": "采购合同总金额",
                "amount": p.contracts,
                "ratio": p.contracts_to_budget,
                "basis": "占采购总预算",
                "stated": None,
            },
            {
                "item": "中小企业合同金额",
                "amount": p.sme,
                "ratio": p.sme_share,
                "basis": "占合同总金额",
                "stated": f["sme_stated"],
            },
            {
                "item": "小微企业合同金额",
                "amount": p.micro,
                "ratio": p.micro_share,
                "basis": "占中小企业合同金额",
                "stated": f["micro_stated"],
            },
            {
                "item": "脱贫地区农副产品预留金额",
                "amount": p.poverty_reserved,
                "ratio": None,
                "basis": "",
                "stated": None,
            },
            {
                "item": "脱贫地区农副产品实际采购金额",
                "amount": p.poverty_bought,
                "ratio": p.poverty_ratio,
                "basis": "完成比例（占预留金额）",
                "stated": f["poverty_stated"],
            },
        ],
        dtype=object,
    )
    # A row without a ratio (the amounts it is taken of) shows “—” (not applicable), a
    # ratio that cannot be computed or is not stated shows 未提供.
    applies = [bool(b) for b in rows["basis"]]
    stated_applies = [False, False, True, True, False, True]
    rows["ratio_shown"] = [pct(v) if a else "—" for v, a in zip(rows["ratio"], applies)]
    rows["stated_shown"] = [pct(v) if a else "—" for v, a in zip(rows["stated"], stated_applies)]
    table = ctx.table(
        rows,
        [
            Col("item", "项目"),
            Col("amount", "金额（万元）", "money"),
            Col("basis", "比例口径"),
            Col("ratio_shown", "计算比例"),
            Col("stated_shown", "报告填报比例"),
        ],
        "政府采购情况",
        total_label=None,
    )
    return Block(head + text + table)


def direct_funds_figures(ctx: ReportContext) -> list[dict]:
    """直达资金 grouped by project (one project may pay out on several dates), with its amount
    from the 专项资金 sheet when the names match."""
    df = ctx.ds.tables.get("direct_funds", pd.DataFrame(columns=["no", "name", "purpose", "date", "progress"]))
    sf = ctx.ds.tables.get("special_funds", pd.DataFrame(columns=["name", "amount"]))
    amounts = {F.name_key(n): F.num(a) for n, a in zip(sf["name"], sf["amount"])}
    groups: dict[str, dict] = {}
    for r in df.to_dict("records"):
        k = F.name_key(r.get("name"))
        g = groups.setdefault(k, {"name": F.text(r.get("name")), "amount": amounts.get(k), "payments": []})
        g["payments"].append(
            {"purpose": F.text(r.get("purpose")), "date": cdate(r.get("date")), "progress": F.num(r.get("progress"))}
        )
    out = []
    for g in groups.values():
        purposes = list(dict.fromkeys(p["purpose"] for p in g["payments"] if p["purpose"]))
        progresses = {p["progress"] for p in g["payments"]}
        out.append(
            {
                **g,
                "purposes": purposes,
                "same_progress": len(progresses) == 1,
                "progress": next(iter(progresses)) if len(progresses) == 1 else None,
            }
        )
    return out


def direct_funds(ctx: ReportContext) -> Block:
    """7.直达资金管理等工作情况: one sentence per fund (purposes, dates, progress) and the table."""
    funds = direct_funds_figures(ctx)
    head = ctx.heading("7.直达资金管理等工作情况", level=3)
    text = _render(ctx, "assessment/direct_funds.html.j2", funds=funds)
    df = ctx.ds.tables.get("direct_funds")
    if df is None or not len(df):
        return Block(head + text)
    shown = df.copy()
    amounts = {F.name_key(g["name"]): g["amount"] for g in funds}
    shown["amount"] = [amounts.get(F.name_key(n)) for n in shown["name"]]
    shown["date_shown"] = [cdate(d) for d in shown["date"]]
    table = ctx.table(
        shown,
        [
            Col("no", "序号", "int"),
            Col("name", "项目名称"),
            Col("amount", "资金金额（万元）", "money"),
            Col("purpose", "用途"),
            Col("date_shown", "支出日期"),
            Col("progress", "支出进度", "pct"),
        ],
        "直达资金支出情况",
        total_label=None,
        note="资金金额取自专项资金表（按项目名称对应）；同一项目分次支出时分行列示。",
    )
    return Block(head + text + table)


def township_final_figures(ctx: ReportContext) -> dict:
    """乡镇财政总决算: staff and population, revenue and expenditure by fund type, balance."""
    ft = ctx.ds.tables.get("fund_types", pd.DataFrame(columns=["fund_type", "revenue", "expenditure"]))
    rows = [
        {
            "fund_type": F.text(r.get("fund_type")),
            "revenue": F.num(r.get("revenue")),
            "expenditure": F.num(r.get("expenditure")),
        }
        for r in ft.to_dict("records")
    ]
    rev_sum = F.total_of([r["revenue"] for r in rows])
    exp_sum = F.total_of([r["expenditure"] for r in rows])
    rev_stated = F.num(ctx.ds.stated_total("fund_types", "revenue"))
    exp_stated = F.num(ctx.ds.stated_total("fund_types", "expenditure"))
    revenue = rev_stated if rev_stated is not None else rev_sum
    expenditure = exp_stated if exp_stated is not None else exp_sum
    u = ctx.unit
    return {
        "rows": rows,
        "revenue": revenue,
        "expenditure": expenditure,
        "revenue_differs": C.differs(rev_stated, rev_sum),
        "revenue_sum": rev_sum,
        "expenditure_differs": C.differs(exp_stated, exp_sum),
        "expenditure_sum": exp_sum,
        "balance": None if revenue is None or expenditure is None else revenue - expenditure,
        "fiscal_staff": u.get("fiscal_staff"),
        "finance_office_staff": u.get("finance_office_staff"),
        "population": u.get("population"),
        "villages": u.get("villages"),
    }


def township_final_accounts(ctx: ReportContext) -> Block:
    """8.乡镇财政总决算管理情况: staff, population, 总决算 by fund type, balance; table and chart."""
    f = township_final_figures(ctx)
    head = ctx.heading("8.乡镇财政总决算管理情况", level=3)
    text = _render(ctx, "assessment/township_final.html.j2", f=f)
    out = head + text
    cmp_ = F.budget_vs_final_by_fund_type(ctx.ds)
    if len(cmp_):
        budget_total = F.execution_summary(ctx.ds).budget_revenue_total
        cols = [
            Col("fund_type", "资金性质"),
            Col("budget", "年初预算收入（万元）", "money"),
            Col("final_revenue", "总决算收入（万元）", "money"),
            Col("final_expenditure", "总决算支出（万元）", "money"),
            Col("execution_ratio", "决算收入÷预算", "pct"),
        ]
        out += ctx.table(
            cmp_,
            cols,
            "乡镇财政总决算（按资金性质）与年初预算",
            total_row={
                "budget": budget_total,
                "final_revenue": f["revenue"],
                "final_expenditure": f["expenditure"],
                "execution_ratio": F.pct(f["revenue"], budget_total),
            },
            note="合计行：年初预算收入、总决算收入与支出为报告所述总计（未述时为明细合计）；"
            "资金性质按名称对应（一般公共预算拨款 ↔ 一般公共预算）。",
        )
        shown = cmp_[cmp_["budget"].notna() & cmp_["final_revenue"].notna()]
        if len(shown):
            out += ctx.figure(
                grouped_bars(
                    shown,
                    "fund_type",
                    {"budget": "年初预算收入", "final_revenue": "总决算收入"},
                    "年初预算收入与总决算收入（按资金性质）",
                ),
                "年初预算收入与总决算收入对比",
                note="仅列示年初预算与总决算均有对应数的资金性质。",
            )
    return Block(out)
