"""二、部门绩效考核自评情况（四）–（八）: 预算绩效管理, 资产管理, 预算透明度, 预算信息化, 存在问题.

Every figure comes from the workbook (填报数据, 监控情况, 资产负债, 固定资产, 实物资产) or
from :mod:`jixiao.analysis.finance`; the consistency findings of :mod:`jixiao.analysis.checks` that concern
these paragraphs are stated where the figure is printed, never silently corrected.

Workbook texts (文字说明) hold the unit's narrative and no figures (the format's rule, see
``config/workbook.yaml``). Where the unit's sentence goes on with figures (事前绩效评估,
日常监控, 监控分析, 自评情况), the template continues the text with the clause generated from
the 填报数据 and 监控情况 sheets (``templates/sections/_text.html.j2``): every figure is
printed once, from the data, and every word of the text is printed as written.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from jixiao.analysis import finance as F
from jixiao.report.charts import PALETTE, new_figure, styled, unit_ylabel, value_label
from jixiao.report.context import Block, Col, ReportContext
from jixiao.report.sections import common as C
from jixiao.rounding import fmt, fmt_pct

#: The assessment categories of this notebook: category → number used when the 考核得分
#: sheet gives none (the 存在问题 category is headed 扣分 N 分, see common.category_heading).
CATEGORIES = {"预算绩效管理": 4, "资产管理": 5, "预算透明度": 6, "预算信息化": 7, "存在问题": 8}

#: Units counted in whole numbers (vehicles …); anything else (平方米) prints two decimals.
COUNTED_UNITS = ("辆", "台", "个", "套", "处", "栋", "宗", "块")


# -- small helpers ---------------------------------------------------------------------------
def year_end(ctx: ReportContext) -> str:
    return f"{ctx.year}年12月31日"


def sentence(s: Any) -> str:
    """A reason as one sentence: trailing punctuation normalised to 。."""
    return re.sub(r"[，,；;。.\s]+$", "", str(s)) + "。"


def quantity(v: Any, unit: str | None) -> str:
    """An asset quantity with its unit: 4辆, 6600.00平方米; blank → 未提供."""
    if F.num(v) is None:
        return "未提供"
    unit = unit or ""
    return fmt(F.num(v), 0 if unit in COUNTED_UNITS else 2) + unit


def category_heading(ctx: ReportContext, category: str) -> Block:
    """``（四）预算绩效管理情况，得分21.5分`` (level 2), the points from the 考核得分 sheet."""
    return C.category_heading(ctx, category, fallback=CATEGORIES.get(category))


def _text_block(ctx: ReportContext, key: str, heading: str | None = None, label: str = "", level: int = 3) -> Block:
    head = ctx.heading(heading, level=level) if heading else ""
    return Block(head + ctx.render("performance/text.html.j2", paras=C.text_paragraphs(ctx, key), label=label))


# -- （四）预算绩效管理 ----------------------------------------------------------------------
def routine_work(ctx: ReportContext) -> Block:
    """1.日常工作保障落实情况: the routine-work items, then 重点工作落实 as the next item."""
    routine = C.text_paragraphs(ctx, "routine_work")
    nums = [int(m.group(1)) for p in routine if (m := re.match(r"^[（(](\d+)[）)]", p))]
    tasks = C.text_paragraphs(ctx, "key_tasks")
    head = ctx.heading("1.日常工作保障落实情况", level=3)
    body = ctx.render(
        "performance/routine_work.html.j2", routine=routine, tasks=tasks, task_no=(max(nums) + 1) if nums else None
    )
    return Block(head + body)


def ex_ante_figures(ctx: ReportContext) -> dict:
    return {
        "next_year": ctx.year + 1,
        "next_count": C.stated(ctx, "ex_ante_next_year"),
        "count": C.stated(ctx, "ex_ante_count"),
    }


def ex_ante(ctx: ReportContext) -> Block:
    """2.事前绩效评估情况: the counts (下年申报 / 本年完成) from 填报数据 in the unit's text
    (事前绩效评估 before the next-year count, 事前绩效评估（续） after it, 本年事前评估范围 in
    brackets after this year's count)."""
    f = ex_ante_figures(ctx)
    head = ctx.heading("2.事前绩效评估情况", level=3)
    clause = {k: "".join(C.text_paragraphs(ctx, k)) for k in ("ex_ante", "ex_ante_after", "ex_ante_scope")}
    return Block(
        head
        + ctx.render(
            "performance/ex_ante.html.j2",
            f=f,
            before=clause["ex_ante"],
            after=clause["ex_ante_after"],
            scope=clause["ex_ante_scope"],
        )
    )


def goal_management(ctx: ReportContext) -> Block:
    """3.绩效目标管理情况 (workbook text)."""
    return _text_block(ctx, "goal_management", "3.绩效目标管理情况")


def monitoring_table(ctx: ReportContext) -> pd.DataFrame:
    """The 监控情况 rows with the project table's status beside them.

    Returns
    -------
    DataFrame
        ``project_no``, ``name``, ``large_variance``, ``not_achieved``, ``status`` (完成状态
        in the 项目 sheet, None when the 序号 is not there), ``reason``, ``_row``.
    """
    mon = ctx.ds.monitoring.copy()
    status = {
        int(r["no"]): r["status"] for r in F.project_execution(ctx.ds).to_dict("records") if F.num(r["no"]) is not None
    }
    mon["status"] = [status.get(int(n)) if F.num(n) is not None else None for n in mon["project_no"]]
    return mon[["project_no", "name", "large_variance", "not_achieved", "status", "reason", "_row"]]


def _reasons(rows: pd.DataFrame) -> list[str]:
    """Distinct reasons, in order of first appearance, as numbered sentences (①…)."""
    seen: list[str] = []
    for r in rows["reason"]:
        t = F.text(r)
        if t and F.name_key(sentence(t)) not in {F.name_key(s) for s in seen}:
            seen.append(sentence(t))
    return [f"{C.circled(i)}{s}" for i, s in enumerate(seen, 1)]


def monitoring_figures(ctx: ReportContext) -> dict:
    """Figures of 4.绩效监控管理: stated counts, the 监控情况 lists and the 4-vs-8 check."""
    mon = monitoring_table(ctx)
    large = mon[mon["large_variance"] == "是"]
    missed = mon[mon["not_achieved"] == "是"]
    status = F.project_status_summary(ctx.ds)
    table_nos = [n for s in F.NOT_ACHIEVED for n in status.loc[status["status"] == s, "nos"].iloc[0]]
    done_but_listed = [
        int(n) for n, s in zip(missed["project_no"], missed["status"]) if F.num(n) is not None and s == "已完成"
    ]
    return {
        "rate": C.stated(ctx, "execution_rate"),
        "large_names": [F.text(n) for n in large["name"]],
        # whether the sheet says anything about variance (else "none large" would be invented)
        "large_known": bool(mon["large_variance"].map(F.text).notna().any()) if len(mon) else False,
        "large_reasons": _reasons(large),
        "over_50": C.stated(ctx, "midyear_over_50"),
        "under_30": C.stated(ctx, "midyear_under_30"),
        "not_started": C.stated(ctx, "midyear_not_started"),
        "achieved": C.stated(ctx, "achieved_count"),
        "achieved_amount": C.stated(ctx, "achieved_amount"),
        "missed": C.stated(ctx, "not_achieved_count"),
        "missed_amount": C.stated(ctx, "not_achieved_amount"),
        "missed_names": [F.text(n) for n in missed["name"]],
        "missed_reasons": _reasons(missed),
        "missed_listed": len(missed),
        "table_missed": len(table_nos),
        "table_nos": sorted(table_nos),
        "done_but_listed": sorted(done_but_listed),
        "count_finding": C.findings(ctx, "projects.not_achieved"),
    }


def monitoring(ctx: ReportContext) -> Block:
    """4.绩效监控管理情况: (1) 日常监控 — 整体支出进度 and the large-variance projects with
    their reasons; (2) 监控分析 — mid-year and year-end counts, the reasons for the goals not
    achieved, the 监控情况 table, and the checker's note where the project table disagrees."""
    f = monitoring_figures(ctx)
    head = ctx.heading("4.绩效监控管理情况", level=3)
    text = ctx.render(
        "performance/monitoring.html.j2",
        f=f,
        routine=C.text_paragraphs(ctx, "monitoring_routine"),
        analysis=C.text_paragraphs(ctx, "monitoring_analysis"),
    )
    mon = monitoring_table(ctx)
    if len(mon):
        shown = mon.copy()
        for c in ("large_variance", "not_achieved", "status"):
            shown[c] = [F.text(v) or "—" for v in shown[c]]
        table: str = ctx.table(
            shown,
            [
                Col("project_no", "项目序号", "int"),
                Col("name", "项目名称"),
                Col("large_variance", "支出差异较大"),
                Col("not_achieved", "未完成绩效目标"),
                Col("status", "项目表完成状态"),
                Col("reason", "原因"),
            ],
            "绩效监控项目情况",
            total_label=None,
            note="来源：工作簿“监控情况”表；“项目表完成状态”取自“项目”表。",
        )
    else:
        table = ""
    note = ""
    if f["count_finding"]:
        note = ctx.render("performance/monitoring_check.html.j2", f=f)
    return Block(head + text + table + note)


def key_evaluation_figures(ctx: ReportContext) -> dict:
    """重点评价: project, scope, score, the grade recomputed from the score, the stated grade."""
    from jixiao.analysis.scoring import grade, load_scheme

    score = F.num(C.stated(ctx, "key_project_score"))
    bands = load_scheme(ctx.params.scoring_scheme).grade_bands if ctx.params.scoring_scheme else None
    g = grade(score, bands)
    st = F.text(C.stated(ctx, "key_project_grade"))
    return {
        "project": F.text(C.stated(ctx, "key_project")),
        "scope": F.text(C.stated(ctx, "key_project_scope")),
        "score": score,
        "grade": g,
        "grade_stated": st,
        "grade_differs": st is not None and g is not None and st != g,
    }


def evaluation(ctx: ReportContext) -> Block:
    """5.绩效评价管理情况: (1) last year's self-evaluation counts, (2) the key evaluation."""
    f = {
        "last_year": ctx.year - 1,
        "count": C.stated(ctx, "last_eval_count"),
        "full": C.stated(ctx, "last_eval_full"),
        "over_95": C.stated(ctx, "last_eval_95"),
        "b90_95": C.stated(ctx, "last_eval_90_95"),
        "below_90": C.stated(ctx, "last_eval_below_90"),
    }
    counts_finding = C.findings(ctx, "last_eval.counts")
    k = key_evaluation_figures(ctx)
    from jixiao.keyproject import key_project_links

    head = ctx.heading("5.绩效评价管理情况", level=3)
    return Block(
        head
        + ctx.render(
            "performance/evaluation.html.j2",
            f=f,
            k=k,
            paras=C.text_paragraphs(ctx, "self_eval"),
            counts_finding=counts_finding,
            key_links=key_project_links(ctx.params, ctx.ds),
        )
    )


# -- （五）资产管理 --------------------------------------------------------------------------
def asset_reporting(ctx: ReportContext) -> Block:
    """1.国有资产报表管理: the unit's text, leading into the year's asset figures."""
    head = ctx.heading("1.国有资产报表管理", level=3)
    return Block(
        head + ctx.render("performance/asset_reporting.html.j2", paras=C.text_paragraphs(ctx, "asset_reporting"))
    )


def balance_changes(ctx: ReportContext) -> pd.DataFrame:
    """:func:`jixiao.analysis.finance.balance_sheet_changes` plus ``stated_differs`` (the report's
    rate differs from the computed one as printed to two decimals)."""
    df = F.balance_sheet_changes(ctx.ds).copy()
    df["stated_differs"] = [C.differs(s, r) for s, r in zip(df["change_stated"], df["change_rate"])]
    return df


@styled
def balance_chart(df: pd.DataFrame):
    """资产负债变动: previous vs current year-end per total, in two panels by magnitude.

    Liabilities of a township are a thousandth of its assets: on one axis they would be
    invisible, so totals under a tenth of the largest get their own panel. Each pair is
    labelled with both values (:func:`jixiao.report.charts.value_label`) and the change rate; a
    derived value (净资产 = 资产 − 负债) is hatched and said so in the legend. Section-specific
    (two scales), so it is drawn here rather than with :func:`jixiao.report.charts.grouped_bars`.
    """
    from matplotlib.patches import Patch

    rows = [r for r in df.to_dict("records") if r["previous"] is not None or r["current"] is not None]
    size = {r["item"]: max(abs(r["previous"] or 0), abs(r["current"] or 0)) for r in rows}
    top = max(size.values(), default=0) or 1
    big = [r for r in rows if size[r["item"]] >= top / 10]
    small = [r for r in rows if size[r["item"]] < top / 10]
    panels = [p for p in (big, small) if p]
    fig, ax0 = new_figure(7.0, 3.4)
    ax0.remove()
    axes = fig.subplots(1, len(panels), squeeze=False, gridspec_kw={"width_ratios": [max(len(p), 1) for p in panels]})[
        0
    ]
    colors = {"previous": "#9dc3e6", "current": PALETTE[0]}
    derived_any = False
    for ax, panel in zip(axes, panels):
        w = 0.36
        tops = []
        for i, r in enumerate(panel):
            for j, side in enumerate(("previous", "current")):
                v = r[side]
                if v is None:
                    continue
                derived = bool(r[f"{side}_derived"])
                derived_any |= derived
                x = i + (j - 0.5) * w
                ax.bar(
                    x,
                    v,
                    w * 0.95,
                    color=colors[side],
                    edgecolor=PALETTE[0] if derived else colors[side],
                    hatch="///" if derived else None,
                    linewidth=0.8,
                )
                ax.text(x, v, value_label(v), ha="center", va="bottom", fontsize=7.5)
                tops.append(v)
            rate = r["change_rate"]
            label = "变动率未提供" if rate is None else f"{'+' if rate > 0 else ''}{fmt_pct(rate)}"
            ax.annotate(
                label,
                (i, max([t for t in (r["previous"], r["current"]) if t is not None], default=0)),
                xytext=(0, 14),
                textcoords="offset points",
                ha="center",
                fontsize=8.5,
                color=PALETTE[1],
                fontweight="bold",
            )
        ax.set_xticks(range(len(panel)), [r["item"] for r in panel])
        ax.set_xlim(-0.6, len(panel) - 0.4)
        ax.set_ylim(0, max(tops, default=1) * 1.28)
        unit_ylabel(ax, "万元")
        # no thousands separators, as everywhere in the report
        ax.yaxis.set_major_formatter("{x:.0f}" if max(tops, default=0) >= 100 else "{x:.1f}")
        ax.grid(axis="x", visible=False)
    handles = [Patch(facecolor=colors["previous"], label="上年末"), Patch(facecolor=colors["current"], label="本年末")]
    if derived_any:
        handles.append(
            Patch(facecolor=colors["previous"], edgecolor=PALETTE[0], hatch="///", label="推算值（资产−负债）")
        )
    fig.legend(handles=handles, loc="outside lower center", ncols=len(handles), frameon=False, fontsize=8)
    fig.suptitle("资产负债变动（橙色为较上年变动率）", fontsize=11, fontweight="bold")
    return fig


def balance_sheet(ctx: ReportContext) -> Block:
    """（1）资产负债情况: totals this year-end and the change on last year (computed by
    :func:`jixiao.analysis.finance.balance_sheet_changes`), the table and the chart."""
    df = balance_changes(ctx)
    by = {r["kind"]: r for r in df.to_dict("records")}
    text = ctx.render("performance/balance_sheet.html.j2", rows=df.to_dict("records"), by=by, year_end=year_end(ctx))
    notes = []
    for r in df.to_dict("records"):
        for side, word in (("previous", "上年末"), ("current", "本年末")):
            if r[f"{side}_derived"]:
                notes.append(
                    f"{word}{r['item']}报告未给出，按资产总额 − 负债总额推算为{fmt(r[side])}万元，变动率据此计算"
                )
    fy = F.num(C.stated(ctx, "financial_report_year"))
    notes.append(
        f"上年末为{int(fy) if fy else ctx.year - 1}年底数，本年末为截至{year_end(ctx)}数；变动额、变动率由工作簿数据计算"
    )
    table = ctx.table(
        df,
        [
            Col("item", "项目"),
            Col("previous", "上年末（万元）", "money"),
            Col("current", "本年末（万元）", "money"),
            Col("change", "变动额（万元）", "money"),
            Col("change_rate", "变动率", "pct"),
        ],
        "资产负债变动情况",
        total_label=None,
        note="注：" + "；".join(notes) + "。",
    )
    chart = ""
    if any(v is not None for v in list(df["previous"]) + list(df["current"])):
        fig = balance_chart(df)
        split = len(fig.axes) > 1
        chart = ctx.figure(
            fig,
            "资产负债变动情况",
            note="上年末与本年末对比；数值相差悬殊的项目分图显示，各图纵轴刻度不同。" if split else None,
        )
    return Block(text + table + chart)


def fixed_asset_figures(ctx: ReportContext) -> dict:
    """Fixed-asset classes: year-end stock and this year's additions, totals stated or summed."""
    fa = ctx.ds.fixed_assets
    stock = F.num(ctx.ds.stated_total("fixed_assets", "stock")) if "fixed_assets" in ctx.ds.totals else None
    added = F.num(ctx.ds.stated_total("fixed_assets", "added")) if "fixed_assets" in ctx.ds.totals else None
    rows = [
        {"category": F.text(r["category"]), "stock": F.num(r["stock"]), "added": F.num(r["added"])}
        for r in fa.to_dict("records")
    ]
    return {
        "rows": rows,
        "stock": stock if stock is not None else F.total_of(fa["stock"]) if len(fa) else None,
        "added": added if added is not None else F.total_of(fa["added"]) if len(fa) else None,
        "intangible_stock": C.stated(ctx, "intangible_stock"),
        "intangible_added": C.stated(ctx, "intangible_added"),
    }


def fixed_asset_stock(ctx: ReportContext) -> Block:
    """（2）固定和无形资产存量情况: year-end 原值 by class (sentence and table)."""
    f = fixed_asset_figures(ctx)
    text = ctx.render("performance/fixed_asset_stock.html.j2", f=f, year_end=year_end(ctx))
    df = pd.DataFrame(f["rows"], columns=["category", "stock"])
    table = ctx.table(
        df,
        [Col("category", "资产类别"), Col("stock", "年末原值（万元）", "money", total=True)],
        f"固定资产存量（截至{year_end(ctx)}，账面原值）",
        total_label="合计",
        note=None if f["stock"] is None else f"工作簿所述合计{fmt(f['stock'])}万元；“—”为未提供。",
    )
    return Block(text + table)


def physical_asset_rows(ctx: ReportContext) -> dict:
    """Land, buildings, vehicles: the 实物资产 row of each (formatted quantities) and 成新率."""
    out = {}
    newness = {r["kind"]: r["newness"] for r in F.physical_asset_newness(ctx.ds).to_dict("records")}
    for r in ctx.ds.physical_assets.to_dict("records"):
        unit = F.text(r.get("unit"))
        usage = [
            (word, quantity(r.get(col), unit))
            for col, word in (
                ("in_use", "在用"),
                ("lent", "出租出借"),
                ("idle", "闲置"),
                ("pending_disposal", "待处置"),
            )
            if F.num(r.get(col)) is not None
        ]
        out[r["kind"]] = {
            "quantity": quantity(r.get("quantity"), unit),
            "original": F.num(r.get("original_value")),
            "net": F.num(r.get("net_value")),
            "usage": usage,
            "added": None if F.num(r.get("added")) is None else quantity(r.get("added"), unit),
            "newness": newness.get(r["kind"]),
        }
    if "车辆" in out:
        out["车辆"]["newness"] = F.vehicle_newness(ctx.ds)
    return out


def physical_assets(ctx: ReportContext) -> Block:
    """（3）土地（4）房屋（5）车辆: area or count, 原值 / 净值, use, vehicle 成新率."""
    rows = physical_asset_rows(ctx)
    return ctx.render(
        "performance/physical_assets.html.j2",
        rows=rows,
        year_end=year_end(ctx),
        office_area=C.stated(ctx, "office_area"),
        other_area=C.stated(ctx, "other_building_area"),
    )


def construction_in_progress(ctx: ReportContext) -> Block:
    """（6）在建工程情况, with the stated date; a note when its year is not the report year."""
    return ctx.render(
        "performance/construction.html.j2",
        date=C.stated(ctx, "cip_date"),
        amount=F.num(C.stated(ctx, "cip_amount")),
        date_finding=C.findings(ctx, "assets.cip_date"),
        year_end=year_end(ctx),
    )


def fixed_asset_additions(ctx: ReportContext) -> Block:
    """（7）固定和无形资产配置情况: this year's additions by class; a note when they equal the
    year-end stock class by class (checker finding ``fixed_assets.added_equals_stock``)."""
    f = fixed_asset_figures(ctx)
    prev_fa = F.financial_ratios(ctx.ds, "previous").fixed_asset_net
    return ctx.render(
        "performance/fixed_asset_additions.html.j2",
        f=f,
        copy_finding=C.findings(ctx, "fixed_assets.added_equals_stock"),
        prev_fa=prev_fa,
    )


def asset_management(ctx: ReportContext) -> Block:
    """2.行政事业性国有资产管理 (workbook text)."""
    return _text_block(ctx, "asset_management", "2.行政事业性国有资产管理")


# -- （六）–（八） --------------------------------------------------------------------------
def transparency(ctx: ReportContext) -> Block:
    """（六）预算透明度情况 with its points, and the unit's text."""
    return Block(category_heading(ctx, "预算透明度") + _text_block(ctx, "transparency"))


def informatization(ctx: ReportContext) -> Block:
    """（七）预算信息化情况 with its points, and the unit's text."""
    return Block(category_heading(ctx, "预算信息化") + _text_block(ctx, "informatization"))


def deductions(ctx: ReportContext) -> Block:
    """（八）存在问题 with the points deducted, and the unit's text."""
    return Block(category_heading(ctx, "存在问题") + _text_block(ctx, "deductions"))
