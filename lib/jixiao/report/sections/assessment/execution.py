"""（三）预算执行管理: 执行监控, 决算, 政府财务报告, 政府采购, 直达资金, 乡镇财政总决算.

The blocks print the unit's own report: its texts (文字说明), continued by sentences written
from the data sheets. A figure the unit states prints as stated; a derived one (a share, a
ratio) only where the unit states none; a clause whose figure is blank is left out. How the
stated figures compare with the computed ones is the checker's business (the review), and
what a block leaves out is told to the reviewer through :meth:`Block.with_review`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from jixiao.analysis import finance as F
from jixiao.analysis.finance.inputs import config_keys, records
from jixiao.report.charts import grouped_bars, hbar
from jixiao.report.context import Block, Col, ReportContext, cdate, pct, wy
from jixiao.report.sections import common as C
from jixiao.report.sections.assessment.overview import _render
from jixiao.rounding import round_half_up


def _given(v: Any) -> bool:
    return not F.is_blank(v)


def _stated_else(stated: Any, computed: Any) -> float | None:
    """The figure as the unit states it, else the computed one (None when neither)."""
    s = F.num(stated)
    return s if s is not None else F.num(computed)


# -- （三）预算执行管理 ------------------------------------------------------------------------
def _text_part(ctx: ReportContext, key: str, what: str, lead: str = "") -> tuple[str, str | None]:
    """A workbook text as paragraphs (``lead`` opening the first), or nothing and a remark."""
    paras = C.text_paragraphs(ctx, key)
    if not paras:
        return "", f"{what}：未填写文字说明，报告略去此段。"
    return _render(ctx, "assessment/text.html.j2", paras=paras, lead=lead), None


def execution_supervision(ctx: ReportContext) -> Block:
    """1.预算执行监督 ((1) 预警 (2) 违规), 2.预算执行分析, 3.暂付款项管理 (workbook texts)."""
    review: list[str | None] = []
    first = ""
    for key, lead, what in (
        ("warnings", "（1）预警处理情况。", "预警处理情况"),
        ("violations", "（2）预算执行违规情况。", "预算执行违规情况"),
    ):
        html, remark = _text_part(ctx, key, what, lead)
        first += html
        review.append(remark)
    out: str = C.subsection(ctx, "预算执行监督情况", first, PART_THREE)
    for key, what in (("execution_analysis", "预算执行分析情况"), ("advances", "暂付款项管理情况")):
        html, remark = _text_part(ctx, key, what)
        out += C.subsection(ctx, what, html, PART_THREE)
        review.append(remark)
    return Block(out).with_review(*(r for r in review if r))


# -- 4.部门决算 -------------------------------------------------------------------------------
def final_accounts_figures(ctx: ReportContext) -> dict:
    """决算收入 (as stated) and its parts; 决算 by function with its share: the stated 占比
    (支出功能分类), else the computed one (决算数 ÷ 决算收入合计)."""
    byf = F.final_by_function(ctx.ds)
    rows = []
    for r in records(byf):
        rows.append({**r, "share_shown": _stated_else(r["share_stated"], r["share"])})
    return {
        "year": ctx.year,
        "total_stated": F.num(C.stated(ctx, "final_revenue_total")),
        "total": F.final_total(ctx.ds),
        "appropriation": F.num(C.stated(ctx, "final_revenue_appropriation")),
        "other": F.num(C.stated(ctx, "final_revenue_other")),
        "functions": rows,
        "function_sum": F.total_of(byf["final"]) if len(byf) else None,
    }


def final_accounts(ctx: ReportContext) -> Block:
    """4.部门决算管理情况: 决算收入 and 决算支出 by function with their shares; table and charts.

    The workbook's 预算数 by function is the 年初预算: the table shows it next to the 决算
    but no 决算 ÷ 预算 ratio (an execution rate needs the 调整（全年）预算)."""
    f = final_accounts_figures(ctx)
    review: list[str] = []
    text = _render(ctx, "assessment/final_accounts.html.j2", f=f, intro=C.text_paragraphs(ctx, "final_accounts"))
    if not C.text_paragraphs(ctx, "final_accounts"):
        review.append("部门决算管理：未填写文字说明。")
    unnamed = [r for r in f["functions"] if not _given(r["name"]) and r["final"] is not None]
    blank = [r["name"] for r in f["functions"] if _given(r["name"]) and r["final"] is None]
    if blank:
        review.append(f"决算支出（按功能分类）中{'、'.join(blank)}无决算数，叙述中略去。")
    if unnamed:
        review.append(f"支出功能分类有{len(unnamed)}行有决算数而无科目名称，报告略去。")
    bvf = F.budget_vs_final_by_function(ctx.ds)
    bvf["share"] = [r["share_shown"] for r in f["functions"]]
    bvf["code_shown"] = [F.text(c) for c in bvf["code"]]
    bvf = bvf[[_given(n) and (_given(b) or _given(v)) for n, b, v in zip(bvf["name"], bvf["budget"], bvf["final"])]]
    if not len(bvf):
        return C.subsection(ctx, "部门决算管理情况", Block(text).with_review(*review), PART_THREE)
    if any(v is not None for v in bvf["execution_ratio"]):
        review.append(
            "决算支出表未列“决算÷预算”：支出功能分类的预算数是年初预算（无调整预算数），"
            "决算数与年初预算之比不是预算执行率。"
        )
    total = f["total"]
    fsum = f["function_sum"]
    base = "决算收入合计" if f["total_stated"] is not None else "决算数合计"
    table = ctx.table(
        bvf,
        [
            Col("code_shown", "功能分类编码"),
            Col("name", "科目名称"),
            Col("budget", "年初预算数（万元）", "money"),
            Col("final", "决算数（万元）", "money"),
            Col("share", "决算占比", "pct"),
        ],
        f"{ctx.year}年决算支出（按功能分类）",
        total_row={
            "budget": F.total_of(bvf["budget"]),
            "final": fsum,
            "share": F.pct(fsum, total),
        },
        note=f"决算占比 = 决算数 ÷ {base}。" if any(_given(v) for v in bvf["share"]) else None,
    )
    given = [r for r in f["functions"] if r["final"] is not None and _given(r["name"])]
    out = text + table
    if given:
        chart_df = pd.DataFrame(
            {
                "name": [r["name"] for r in given],
                "final": [r["final"] for r in given],
                "share": [0.0 if r["share_shown"] is None else round_half_up(r["share_shown"], 2) for r in given],
            }
        )
        out += ctx.figure(
            hbar(chart_df, "name", "final", f"{ctx.year}年决算支出结构（按功能分类）", annotate="share"),
            "决算支出结构",
            note=f"括号内为占{base}的比例。",
        )
    pairs = bvf[bvf["budget"].notna() & bvf["final"].notna()]
    if len(pairs):
        out += ctx.figure(
            grouped_bars(
                bvf, "name", {"budget": "年初预算数", "final": "决算数"}, "年初预算数与决算数对比（按功能分类）"
            ),
            "年初预算数与决算数对比",
        )
    return C.subsection(ctx, "部门决算管理情况", Block(out).with_review(*review), PART_THREE)


# -- 5.政府财务报告 ---------------------------------------------------------------------------
#: The ratios of the financial report: key (填报数据 and FinancialRatios), name, formula, and
#: how the unit's sentence introduces it (the seed: “资产负债率0.15%、现金比率为107.27%…”).
RATIOS = (
    ("debt_ratio", "资产负债率", "负债总额 ÷ 资产总额", "资产负债率"),
    ("cash_ratio", "现金比率", "货币资金 ÷ 流动负债", "现金比率为"),
    ("current_ratio", "流动比率", "流动资产 ÷ 流动负债", "流动比率为"),
    ("fixed_asset_newness", "固定资产成新率", "固定资产净值 ÷ 固定资产原值", "固定资产成新率为"),
    ("other_payables_share", "其他应付款占负债比例", "其他应付款 ÷ 负债总额", None),
)


def financial_report_figures(ctx: ReportContext) -> dict:
    """Balance-sheet lines of the financial-report year-end and its ratios: each as the unit
    states it (填报数据), else computed from the balance sheet, else None."""
    fr = F.financial_ratios(ctx.ds)
    bs = ctx.ds.tables.get("balance_sheet", pd.DataFrame(columns=["item", "kind", "level", "previous", "current"]))
    other_payables = config_keys(F.finance_config()["balance_sheet"]["other_payables"])

    def lines(kind):
        out = []
        for r in records(bs):
            if r.get("kind") == kind and r.get("level") == "明细" and F.classify_balance_item(r.get("item")) != "备查":
                v = F.num(r.get(fr.column))
                if v is not None and _given(r.get("item")):
                    out.append({"item": F.text(r.get("item")), "value": v})
        return out

    ratios = []
    for key, name, formula, word in RATIOS:
        stated = F.num(C.stated(ctx, key))
        computed = getattr(fr, key)
        ratios.append(
            {
                "key": key,
                "name": name,
                "formula": formula,
                "word": word,
                "stated": stated,
                "computed": computed,
                "value": _stated_else(stated, computed),
            }
        )
    by_key = {r["key"]: r for r in ratios}
    liabilities = lines("负债")
    for li in liabilities:
        computed = F.pct(li["value"], fr.liabilities)
        stated = by_key["other_payables_share"]["stated"] if F.name_key(li["item"]) in other_payables else None
        li["computed_share"] = computed
        li["share"] = _stated_else(stated, computed)
    whole = (
        len(liabilities) == 1
        and liabilities[0]["share"] is not None
        and round_half_up(liabilities[0]["share"], 2) == 100
        and (liabilities[0]["computed_share"] is None or round_half_up(liabilities[0]["computed_share"], 2) == 100)
    )
    return {
        "fr": fr,
        "year": fr.year,
        "assets_lines": lines("资产"),
        "liability_lines": liabilities,
        "liabilities_whole": whole,
        "ratios": ratios,
        "by_key": by_key,
        "sentence_ratios": [r for r in ratios if r["word"] and r["value"] is not None],
    }


def financial_report(ctx: ReportContext) -> Block:
    """5.政府财务报告管理情况: the balance sheet of the report year-end, and the ratios inside
    the unit's risk assessment (财务风险结论 / （续）); a table of the ratios and their formulas."""
    f = financial_report_figures(ctx)
    text = _render(
        ctx,
        "assessment/financial_report.html.j2",
        f=f,
        fr=f["fr"],
        intro=C.text_paragraphs(ctx, "financial_report_management"),
        risk=C.text_paragraphs(ctx, "financial_risk"),
        risk_after=C.text_paragraphs(ctx, "financial_risk_after"),
    )
    review = [
        f"财务比率：{r['name']}未述，且无法由资产负债表计算，报告略去。"
        for r in f["ratios"]
        if r["word"] and r["value"] is None
    ]
    shown = [r for r in f["ratios"] if r["value"] is not None]
    if not shown:
        return C.subsection(ctx, "政府财务报告管理情况", Block(text).with_review(*review), PART_THREE)
    table = ctx.table(
        pd.DataFrame(shown),
        [Col("name", "指标"), Col("formula", "计算公式"), Col("value", "数值", "pct")],
        f"{f['year'] or '上'}年末财务指标",
        total_label=None,
    )
    review.append("财务指标表列示单位所述比率（未述时按资产负债表计算），不列计算值与所述值的比较。")
    return C.subsection(ctx, "政府财务报告管理情况", Block(text + table).with_review(*review), PART_THREE)


# -- 6.政府采购 ------------------------------------------------------------------------------
def procurement_figures(ctx: ReportContext) -> dict:
    """Procurement amounts (填报数据) and the shares as stated, else computed; the sentences
    that continue the unit's 政府采购管理 text (only the clauses whose figures are given)."""
    p = F.procurement(ctx.ds)
    sme_share = _stated_else(C.stated(ctx, "sme_share"), p.sme_share)
    micro_share = _stated_else(C.stated(ctx, "micro_share"), p.micro_share)
    poverty_ratio = _stated_else(C.stated(ctx, "poverty_ratio"), p.poverty_ratio)
    first: list[str] = []
    if p.budget is not None:
        first.append(f"采购总预算{wy(p.budget)}")
    if p.contracts is not None:
        first.append(f"采购合同总金额{wy(p.contracts)}")
    if p.sme is not None:
        first.append(f"中小企业合同总金额{wy(p.sme)}")
    if sme_share is not None:
        first.append(("" if p.sme is not None else "中小企业合同") + f"占合同总金额的比例为{pct(sme_share)}")
    if p.micro is not None:
        first.append(("其中" if p.sme is not None else "") + f"小微企业合同总金额{wy(p.micro)}")
    if micro_share is not None:
        first.append(
            ("" if p.micro is not None else "小微企业合同") + f"占中小企业合同总金额的比例为{pct(micro_share)}"
        )
    second: list[str] = []
    if p.poverty_reserved is not None:
        second.append(f"脱贫地区农副产品采购平台预留金额{wy(p.poverty_reserved)}")
    if p.poverty_bought is not None:
        second.append(
            ("" if p.poverty_reserved is not None else "脱贫地区农副产品") + f"实际采购金额{wy(p.poverty_bought)}"
        )
    if poverty_ratio is not None:
        second.append(("" if second else "脱贫地区农副产品采购") + f"完成比例为{pct(poverty_ratio)}")
    return {
        "p": p,
        "sme_share": sme_share,
        "micro_share": micro_share,
        "poverty_ratio": poverty_ratio,
        "sentences": ["，".join(s) + "。" for s in (first, second) if s],
        "starts_with_procurement": bool(first) and first[0].startswith("采购"),
    }


def procurement(ctx: ReportContext) -> Block:
    """6.政府采购管理情况: the management text continued by the procurement amounts and shares,
    the text's second part, the table."""
    f = procurement_figures(ctx)
    p = f["p"]
    management = C.text_paragraphs(ctx, "procurement_management")
    after = C.text_paragraphs(ctx, "procurement_management_after")
    text = _render(ctx, "assessment/procurement.html.j2", f=f, management=management, after=after)
    review = []
    if not management and not after:
        review.append("政府采购管理：未填写文字说明。")
    rows = pd.DataFrame(
        [
            {"item": "采购总预算", "amount": p.budget, "ratio": None, "basis": None},
            {"item": "采购合同总金额", "amount": p.contracts, "ratio": p.contracts_to_budget, "basis": "占采购总预算"},
            {"item": "中小企业合同金额", "amount": p.sme, "ratio": f["sme_share"], "basis": "占合同总金额"},
            {"item": "小微企业合同金额", "amount": p.micro, "ratio": f["micro_share"], "basis": "占中小企业合同金额"},
            {"item": "脱贫地区农副产品预留金额", "amount": p.poverty_reserved, "ratio": None, "basis": None},
            {
                "item": "脱贫地区农副产品实际采购金额",
                "amount": p.poverty_bought,
                "ratio": f["poverty_ratio"],
                "basis": "完成比例（占预留金额）",
            },
        ],
        dtype=object,
    )
    rows = rows[[_given(a) or _given(r) for a, r in zip(rows["amount"], rows["ratio"])]].copy()
    if not len(rows):
        review.append("政府采购：未填报采购金额和比例，报告略去。")
        return C.subsection(ctx, "政府采购管理情况", Block(text).with_review(*review), PART_THREE)
    # A ratio is text here: a row that has none (the amounts a ratio is taken of) is empty.
    rows["ratio_shown"] = [pct(v) if _given(v) else None for v in rows["ratio"]]
    rows["basis"] = [b if _given(v) else None for b, v in zip(rows["basis"], rows["ratio"])]
    table = ctx.table(
        rows,
        [
            Col("item", "项目"),
            Col("amount", "金额（万元）", "money"),
            Col("basis", "比例口径"),
            Col("ratio_shown", "比例"),
        ],
        "政府采购情况",
        total_label=None,
    )
    review.append("政府采购情况表的比例为单位所述比例（未述时计算），不列计算值与所述值的比较。")
    return C.subsection(ctx, "政府采购管理情况", Block(text + table).with_review(*review), PART_THREE)


# -- 7.直达资金 ------------------------------------------------------------------------------
def _same(values: list) -> tuple[bool, Any]:
    """Whether the values are all equal (blanks included), and that value."""
    distinct = list(dict.fromkeys(values))
    return len(distinct) == 1, distinct[0] if len(distinct) == 1 else None


def direct_funds_figures(ctx: ReportContext) -> list[dict]:
    """直达资金 by fund (a fund paid in several tranches has several rows of the same 项目名称),
    with its amount from the 专项资金 sheet when the names match."""
    df = ctx.ds.tables.get("direct_funds", pd.DataFrame(columns=["no", "name", "purpose", "date", "progress"]))
    sf = ctx.ds.tables.get("special_funds", pd.DataFrame(columns=["name", "amount"]))
    amounts = {F.name_key(n): F.num(a) for n, a in zip(sf["name"], sf["amount"]) if _given(n)}
    groups: dict[str, dict] = {}
    for r in records(df):
        name = F.text(r.get("name"))
        if name is None:
            continue
        g = groups.setdefault(F.name_key(name), {"name": name, "amount": amounts.get(F.name_key(name)), "tranches": []})
        g["tranches"].append(
            {
                "purpose": F.text(r.get("purpose")),
                "wording": F.text(r.get("wording")),
                "date": None if F.is_blank(r.get("date")) else cdate(r.get("date")),
                "progress": F.num(r.get("progress")),
                "status": F.text(r.get("status")),
            }
        )
    out = []
    for g in groups.values():
        t = g["tranches"]
        same_progress, progress = _same([x["progress"] for x in t])
        same_status, status = _same([x["status"] for x in t])
        g.update(
            purposes=list(dict.fromkeys(x["purpose"] for x in t if x["purpose"])),
            same_progress=same_progress,
            progress=progress,
            same_status=same_status,
            status=status,
        )
        g["sentence"] = _fund_sentence(g)
        out.append(g)
    return out


def _fund_sentence(g: dict) -> str:
    """One fund in the unit's words (the seed: “…的通知项目是直达资金，该项目主要用于购买村民
    复合肥，按照政策要求，在2023年10月23日支出，已落实到村民，支出进度达到100%。”)."""
    name = g["name"]
    parts = [name + ("" if name.endswith(("资金", "项目")) else "项目") + "是直达资金"]
    if g["purposes"]:
        parts.append("该项目主要用于" + "及".join(g["purposes"]))
    t = g["tranches"]
    progress = f"支出进度达到{pct(g['progress'])}" if g["same_progress"] and g["progress"] is not None else None
    status = g["status"] if g["same_status"] else None
    if len(t) == 1:
        if t[0]["date"]:
            parts.append(f"按照政策要求，在{t[0]['date']}支出")
        parts += [x for x in (status, progress) if x]
        return "，".join(parts) + "。"
    paid = []
    for i, x in enumerate(t, 1):
        if not x["date"]:
            continue
        # the unit's wording of the tranche (文中写法), else its purpose
        what = x["wording"] or (f"用于{x['purpose']}的资金" if x["purpose"] else f"第{i}笔资金")
        clause = [f"{what}在{x['date']}支出"]
        if not g["same_status"] and x["status"]:
            clause.append(x["status"])
        if not g["same_progress"] and x["progress"] is not None:
            clause.append(f"支出进度达到{pct(x['progress'])}")
        paid.append("，".join(clause))
    if paid:
        parts.append("按照政策要求，" + "，".join(paid))
    parts += [x for x in (progress, status) if x]
    return "，".join(parts) + "。"


def direct_funds(ctx: ReportContext) -> Block:
    """7.直达资金管理等工作情况: one sentence per fund (purposes, dates, 落实情况, progress) and
    a table with one row per fund (its tranches' dates in one cell)."""
    funds = direct_funds_figures(ctx)
    text = _render(ctx, "assessment/direct_funds.html.j2", funds=funds)
    if not funds:
        body = Block(text).with_review("直达资金：未填报直达资金明细（或明细无项目名称），报告略去。")
        return C.subsection(ctx, "直达资金管理等工作情况", body, PART_THREE)

    def dates(g):
        t = g["tranches"]
        if len(t) == 1:
            return t[0]["date"]
        shown = [x["date"] + (f"（{x['purpose']}）" if x["purpose"] else "") for x in t if x["date"]]
        return "；".join(shown) or None

    def per_tranche(g, key, fmt):
        if g[f"same_{key}"]:
            return None if g[key] is None else fmt(g[key])
        return "；".join(fmt(x[key]) for x in g["tranches"] if x[key] is not None) or None

    rows = pd.DataFrame(
        [
            {
                "no": i,
                "name": g["name"],
                "amount": g["amount"],
                "purpose": "及".join(g["purposes"]) or None,
                "dates": dates(g),
                "progress": per_tranche(g, "progress", pct),
                "status": per_tranche(g, "status", str),
            }
            for i, g in enumerate(funds, 1)
        ],
        dtype=object,
    )
    table = ctx.table(
        rows,
        [
            Col("no", "序号", "int"),
            Col("name", "项目名称"),
            Col("amount", "资金金额（万元）", "money"),
            Col("purpose", "用途"),
            Col("dates", "支出日期"),
            Col("progress", "支出进度"),
            Col("status", "落实情况"),
        ],
        "直达资金支出情况",
        total_label=None,
    )
    return C.subsection(ctx, "直达资金管理等工作情况", Block(text + table), PART_THREE)


# -- 8.乡镇财政总决算 -----------------------------------------------------------------------
def township_final_figures(ctx: ReportContext) -> dict:
    """乡镇财政总决算: staff and population, revenue and expenditure by fund type, the totals
    as the unit states them (合计 row) and the balance of those."""
    ft = ctx.ds.tables.get("fund_types", pd.DataFrame(columns=["fund_type", "revenue", "expenditure"]))
    rows = [
        {
            "fund_type": F.text(r.get("fund_type")),
            "revenue": F.num(r.get("revenue")),
            "expenditure": F.num(r.get("expenditure")),
        }
        for r in records(ft)
        if _given(r.get("fund_type"))
    ]
    rev_stated = F.num(ctx.ds.stated_total("fund_types", "revenue")) if "fund_types" in ctx.ds.totals else None
    exp_stated = F.num(ctx.ds.stated_total("fund_types", "expenditure")) if "fund_types" in ctx.ds.totals else None
    u = ctx.unit
    return {
        "rows": rows,
        "revenue_stated": rev_stated,
        "expenditure_stated": exp_stated,
        "revenue": _stated_else(rev_stated, F.total_of([r["revenue"] for r in rows])),
        "expenditure": _stated_else(exp_stated, F.total_of([r["expenditure"] for r in rows])),
        "balance": None if rev_stated is None or exp_stated is None else rev_stated - exp_stated,
        "staff": [
            (what, F.num(u.get(key)), measure)
            for key, what, measure in (
                ("fiscal_staff", "财政供养人数", "人"),
                ("finance_office_staff", "财政所人数", "人"),
                ("population", "总人口", "人"),
                ("villages", "行政村", "个"),
            )
            if F.num(u.get(key)) is not None
        ],
    }


def township_final_accounts(ctx: ReportContext) -> Block:
    """8.乡镇财政总决算管理情况: staff, population, the 总决算 by fund type and its balance; a
    table and a chart of the 总决算 alone (the department's 年初预算 is another entity's)."""
    f = township_final_figures(ctx)
    text = _render(ctx, "assessment/township_final.html.j2", f=f)
    out: str = text
    review = []
    if not f["rows"] and f["revenue"] is None and f["expenditure"] is None:
        review.append("乡镇财政总决算：未填报总决算，报告略去。")
        return C.subsection(ctx, "乡镇财政总决算管理情况", Block(out).with_review(*review), PART_THREE)
    if not f["staff"]:
        review.append("乡镇财政总决算：基本信息未填财政供养人数、财政所人数、总人口、行政村数，报告略去此句。")
    df = pd.DataFrame(f["rows"], columns=["fund_type", "revenue", "expenditure"], dtype=object)
    out += ctx.table(
        df,
        [
            Col("fund_type", "资金性质"),
            Col("revenue", "收入（万元）", "money"),
            Col("expenditure", "支出（万元）", "money"),
        ],
        f"{ctx.year}年乡镇财政总决算（按资金性质）",
        total_row={"revenue": f["revenue"], "expenditure": f["expenditure"]},
    )
    given = [r for r in f["rows"] if r["revenue"] is not None]
    if given:
        base = f["revenue"]
        chart_df = pd.DataFrame(
            {
                "fund_type": [r["fund_type"] for r in given],
                "revenue": [r["revenue"] for r in given],
                "share": [round_half_up(F.pct(r["revenue"], base) or 0.0, 2) for r in given],
            }
        )
        out += ctx.figure(
            hbar(chart_df, "fund_type", "revenue", f"{ctx.year}年乡镇财政总决算收入（按资金性质）", annotate="share"),
            "乡镇财政总决算收入结构",
            note="括号内为占收入总计的比例。",
        )
    review.append("乡镇财政总决算表与图只列总决算，不再与部门年初预算收入并列（二者为不同主体的数据）。")
    return C.subsection(ctx, "乡镇财政总决算管理情况", Block(out).with_review(*review), PART_THREE)


#: 二（三）预算执行管理: its numbered subsections (:func:`common.subsection`).
PART_THREE: C.Subsections = (
    ("预算执行监督情况", execution_supervision),
    ("预算执行分析情况", execution_supervision),
    ("暂付款项管理情况", execution_supervision),
    ("部门决算管理情况", final_accounts),
    ("政府财务报告管理情况", financial_report),
    ("政府采购管理情况", procurement),
    ("直达资金管理等工作情况", direct_funds),
    ("乡镇财政总决算管理情况", township_final_accounts),
)
