"""二、部门绩效考核自评情况（四）–（八）: 预算绩效管理, 资产管理, 预算透明度, 预算信息化, 存在问题.

Every figure comes from the workbook (填报数据, 监控情况, 资产负债, 固定资产, 实物资产) or
from :mod:`jixiao.analysis.finance`; a figure the unit states is printed as stated. These blocks
are the unit's own filed report (报送版): the consistency findings of :mod:`jixiao.analysis.checks`
are reported in the review, not here, and a sentence whose figure is blank is left out (the
block tells the reviewer, :meth:`Block.with_review <jixiao.report.context.Block.with_review>`).

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
from jixiao.analysis.finance.inputs import records
from jixiao.report.charts import PALETTE, new_figure, styled, unit_ylabel, value_label
from jixiao.report.context import Block, Col, ReportContext
from jixiao.report.sections import common as C
from jixiao.rounding import fmt, fmt_pct

#: The assessment categories of this notebook: category → number used when the 考核得分
#: sheet gives none (the 存在问题 category is headed 扣分 N 分, see common.category_heading).

#: Units counted in whole numbers (vehicles …); anything else (平方米) prints two decimals.
COUNTED_UNITS = ("辆", "台", "个", "套", "处", "栋", "宗", "块")


# -- small helpers ---------------------------------------------------------------------------
def year_end(ctx: ReportContext) -> str:
    return f"{ctx.year}年12月31日"


def sentence(s: Any) -> str:
    """A reason as one sentence: trailing punctuation normalised to 。."""
    return _bare(s) + "。"


def _bare(s: Any) -> str:
    """A text without its trailing punctuation."""
    return re.sub(r"[，,；;。.\s]+$", "", str(s))


def quantity(v: Any, unit: str | None) -> str | None:
    """An asset quantity with its unit: 4辆, 6600.00平方米; None when blank."""
    if F.num(v) is None:
        return None
    unit = unit or ""
    return fmt(F.num(v), 0 if unit in COUNTED_UNITS else 2) + unit


def count(v: Any, unit: str = "个") -> str | None:
    """A stated count with its unit (``11个``), None when blank."""
    n = F.num(v)
    return None if n is None else f"{int(n)}{unit}"


def join_blocks(*parts: str) -> Block:
    """Pieces of HTML as one block, keeping what each piece tells the reviewer."""
    return Block("".join(parts)).with_review(*(r for p in parts for r in getattr(p, "review", ())))


def category_heading(ctx: ReportContext, category: str) -> Block:
    """``（四）预算绩效管理情况，得分21.5分`` (level 2), the points from the 考核得分 sheet."""
    return C.category_heading(ctx, category)


def _text_block(ctx: ReportContext, key: str, heading: str | None = None, label: str = "", level: int = 3) -> Block:
    head = ctx.heading(heading, level=level) if heading else ""
    return Block(head + ctx.render("performance/text.html.j2", paras=C.text_paragraphs(ctx, key), label=label))


# -- （四）预算绩效管理 ----------------------------------------------------------------------
def routine_work(ctx: ReportContext) -> Block:
    """1.日常工作保障落实情况: the routine-work items, then 重点工作落实 as the next item."""
    routine = C.text_paragraphs(ctx, "routine_work")
    nums = [int(m.group(1)) for p in routine if (m := re.match(r"^[（(](\d+)[）)]", p))]
    tasks = C.text_paragraphs(ctx, "key_tasks")
    body = ctx.render(
        "performance/routine_work.html.j2", routine=routine, tasks=tasks, task_no=(max(nums) + 1) if nums else None
    )
    return C.subsection(
        ctx, "日常工作保障落实情况", Block(body), PART_FOUR, missing="文字说明“日常工作保障”“重点工作落实”"
    )


def ex_ante_figures(ctx: ReportContext) -> dict:
    return {
        "next_year": ctx.year + 1,
        "next_count": count(C.stated(ctx, "ex_ante_next_year")),
        "count": count(C.stated(ctx, "ex_ante_count")),
    }


def ex_ante(ctx: ReportContext) -> Block:
    """2.事前绩效评估情况: the counts (下年申报 / 本年完成) from 填报数据 in the unit's text
    (事前绩效评估 before the next-year count, 事前绩效评估（续） after it, 本年事前评估范围 in
    brackets after this year's count). A sentence whose count is blank is left out."""
    f = ex_ante_figures(ctx)
    clause = {k: "".join(C.text_paragraphs(ctx, k)) for k in ("ex_ante", "ex_ante_after", "ex_ante_scope")}
    block = Block(
        ctx.render(
            "performance/ex_ante.html.j2",
            f=f,
            before=clause["ex_ante"],
            after=clause["ex_ante_after"],
            scope=clause["ex_ante_scope"],
        )
    )
    if f["next_count"] is None and f["count"] is None:  # both sentences left out: the subsection too
        return C.subsection(
            ctx, "事前绩效评估情况", block, PART_FOUR, missing="填报数据“下年事前评估项目数”“本年事前评估项目数”"
        )
    if f["next_count"] is None:
        block = block.with_review(f"事前绩效评估：{f['next_year']}年预算项目事前绩效评估表数未填，该句未列示。")
    if f["count"] is None:
        block = block.with_review(f"事前绩效评估：{ctx.year}年完成事前绩效评估的项目数未填，该句未列示。")
    return C.subsection(ctx, "事前绩效评估情况", block, PART_FOUR)


def goal_management(ctx: ReportContext) -> Block:
    """3.绩效目标管理情况 (workbook text; left out when blank)."""
    return C.subsection(
        ctx, "绩效目标管理情况", _text_block(ctx, "goal_management"), PART_FOUR, missing="文字说明“绩效目标管理”"
    )


def monitoring_table(ctx: ReportContext) -> pd.DataFrame:
    """The 监控情况 rows: ``project_no``, ``name``, ``large_variance``, ``not_achieved``,
    ``reason``, ``_row``."""
    return ctx.ds.monitoring[["project_no", "name", "large_variance", "not_achieved", "reason", "_row"]].copy()


def reason_items(rows: pd.DataFrame) -> list[str]:
    """The reasons of ``rows`` as numbered sentences (①…), each distinct reason once.

    A reason the unit gives for several projects is an item of its own (in order of first
    appearance); the reasons of single projects follow together as the last item, joined
    by “，” (each names its project), as the unit writes them.
    """
    order: list[str] = []
    seen: dict[str, int] = {}
    for r in rows["reason"]:
        t = F.text(r)
        if not t:
            continue
        k = F.name_key(_bare(t))
        if k not in seen:
            order.append(t)
            seen[k] = 0
        seen[k] += 1
    shared = [sentence(t) for t in order if seen[F.name_key(_bare(t))] > 1]
    single = [_bare(t) for t in order if seen[F.name_key(_bare(t))] == 1]
    items = shared + ([sentence("，".join(single))] if single else [])
    return [f"{C.circled(i)}{s}" for i, s in enumerate(items, 1)]


def monitoring_figures(ctx: ReportContext) -> dict:
    """Figures of 4.绩效监控管理: the stated counts and amounts, and the 监控情况 lists."""
    mon = monitoring_table(ctx)
    large = mon[mon["large_variance"] == "是"]
    missed = mon[mon["not_achieved"] == "是"]
    missed_count = F.num(C.stated(ctx, "not_achieved_count"))
    return {
        "rate": C.stated(ctx, "execution_rate"),
        "large_names": [t for n in large["name"] if (t := F.text(n))],
        "large_count": len(large),
        # "no project varies much" only when the sheet answers 支出差异较大 for every row it lists
        "large_known": bool(len(mon)) and all(F.text(v) is not None for v in mon["large_variance"]),
        "large_reasons": reason_items(large),
        "over_50": count(C.stated(ctx, "midyear_over_50")),
        "under_30": count(C.stated(ctx, "midyear_under_30")),
        "not_started": count(C.stated(ctx, "midyear_not_started")),
        "achieved": count(C.stated(ctx, "achieved_count")),
        "achieved_amount": C.stated(ctx, "achieved_amount"),
        "missed": count(C.stated(ctx, "not_achieved_count")),
        "missed_amount": C.stated(ctx, "not_achieved_amount"),
        "missed_names": [F.text(n) for n in missed["name"]],
        # the reasons follow “未完成绩效目标的项目有N个” only when N is a positive count
        "missed_reasons": reason_items(missed) if missed_count is not None and missed_count > 0 else [],
    }


def _progress_clause(year: int, f: dict) -> str:
    """“2023年，项目整体支出进度是97.47%，其中…差异率较大，差异原因是：” (parts with a blank figure left out)."""
    rate = None if F.num(f["rate"]) is None else fmt_pct(F.num(f["rate"]))
    head = f"{year}年，项目整体支出进度是{rate}" if rate else ""
    if f["large_count"]:
        names = (
            "、".join(f["large_names"]) if len(f["large_names"]) == f["large_count"] else f"{f['large_count']}个项目"
        )
        tail = "差异率较大，差异原因是：" if f["large_reasons"] else "差异率较大。"
        return f"{head}，其中{names}{tail}" if head else f"{year}年，{names}{tail}"
    if f["large_known"]:
        none = "没有实际支出进度与分月支出计划差异率较大的项目。"
        return f"{head}，{none}" if head else f"{year}年，{none}"
    return f"{head}。" if head else ""


def _analysis_clause(year: int, f: dict, texted: bool) -> str:
    """The mid-year and year-end counts of 监控分析, each clause only with its figure."""
    mid = [
        f"{label}{v}"
        for label, v in (
            ("绩效目标实现程度达到50%的项目有", f["over_50"]),
            ("绩效目标实现程度在30%以下的项目有", f["under_30"]),
            ("工作未开展的项目有", f["not_started"]),
        )
        if v
    ]
    out = ""
    if mid:
        out = ("" if texted else f"{year}年1-6月份，") + "，".join(mid) + "。"
    ends = []
    for label, n, amount in (
        ("实现绩效目标的项目有", f["achieved"], f["achieved_amount"]),
        ("未完成绩效目标的项目有", f["missed"], f["missed_amount"]),
    ):
        if n:
            ends.append(f"{label}{n}" + ("" if F.num(amount) is None else f"，涉及资金{fmt(F.num(amount))}万元"))
    if ends:
        out += "截至12月份，" + "；".join(ends)
        out += "，主要原因是：" if f["missed_reasons"] else "。"
    return out


def monitoring(ctx: ReportContext) -> Block:
    """4.绩效监控管理情况: (1) 日常监控 — 整体支出进度 and the large-variance projects with
    their reasons; (2) 监控分析 — mid-year and year-end counts, the reasons for the goals not
    achieved, and the 监控情况 table."""
    f = monitoring_figures(ctx)
    analysis = C.text_paragraphs(ctx, "monitoring_analysis")
    text = ctx.render(
        "performance/monitoring.html.j2",
        f=f,
        routine=C.text_paragraphs(ctx, "monitoring_routine"),
        analysis=analysis,
        progress=_progress_clause(ctx.year, f),
        counts=_analysis_clause(ctx.year, f, bool(analysis)),
    )
    mon = monitoring_table(ctx)
    table: str = ""
    if len(mon):
        table = ctx.table(
            mon,
            [
                Col("project_no", "项目序号", "int"),
                Col("name", "项目名称"),
                Col("large_variance", "支出差异较大"),
                Col("not_achieved", "未完成绩效目标"),
                Col("reason", "原因"),
            ],
            "绩效监控项目情况",
            total_label=None,
        )
    return C.subsection(
        ctx,
        "绩效监控管理情况",
        join_blocks(text, table),
        PART_FOUR,
        missing="文字说明“日常监控”“监控分析”、填报数据的绩效监控各项和监控情况表",
    )


def key_evaluation_figures(ctx: ReportContext) -> dict:
    """重点评价: project, scope, score, the grade recomputed from the score, the stated grade,
    and the grade printed (the stated one; the recomputed one when none is stated)."""
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
        "grade_shown": st or g,
        "grade_differs": st is not None and g is not None and st != g,
    }


def _self_eval_counts(ctx: ReportContext) -> str:
    """“我镇2022年共自评38个项目，其中，满分的项目有27个，…。” (clauses with a blank count left out)."""
    last = ctx.year - 1
    n = count(C.stated(ctx, "last_eval_count"))
    parts = [
        f"{label}{v}"
        for label, key in (
            ("满分的项目有", "last_eval_full"),
            ("95分以上的项目有", "last_eval_95"),
            ("90分-95分的项目有", "last_eval_90_95"),
            ("90分以下的项目有", "last_eval_below_90"),
        )
        if (v := count(C.stated(ctx, key)))
    ]
    if n and parts:
        return f"{ctx.we}{last}年共自评{n}项目，其中，" + "，".join(parts) + "。"
    if n:
        return f"{ctx.we}{last}年共自评{n}项目。"
    if parts:
        return f"{ctx.we}{last}年自评的项目中，" + "，".join(parts) + "。"
    return ""


def evaluation(ctx: ReportContext) -> Block:
    """5.绩效评价管理情况: (1) last year's self-evaluation counts, (2) the key evaluation.

    The key-project report built for this township-year (``jixiao evaluate``) is referred to
    when it holds the unit's data; a report on sample data is not part of the filed report."""
    k = key_evaluation_figures(ctx)
    from jixiao.keyproject import key_project_links

    links = key_project_links(ctx.params, ctx.ds)
    block = Block(
        ctx.render(
            "performance/evaluation.html.j2",
            k=k,
            paras=C.text_paragraphs(ctx, "self_eval"),
            counts=_self_eval_counts(ctx),
            key_links=[link for link in links if not link.get("sample")],
        )
    )
    for link in links:
        if link.get("sample"):
            block = block.with_review(f"重点评价报告（{link['name']}）为示例数据，报送版未引用。")
        elif link.get("stated_score") is not None and C.differs(link["stated_score"], link["score"]):
            block = block.with_review(
                f"重点评价报告综合得分{fmt(link['score'])}分，与单位所述{fmt(link['stated_score'])}分不同。"
            )
    if k["project"] is None:
        block = block.with_review("重点评价项目名称未填，（2）重点评价情况未列示。")
    return C.subsection(
        ctx,
        "绩效评价管理情况",
        block,
        PART_FOUR,
        missing="文字说明“自评情况”、填报数据的上年自评项目数各项和“重点评价项目”",
    )


#: 二（四）预算绩效管理: its numbered subsections (:func:`common.subsection`).
PART_FOUR: C.Subsections = (
    ("日常工作保障落实情况", routine_work),
    ("事前绩效评估情况", ex_ante),
    ("绩效目标管理情况", goal_management),
    ("绩效监控管理情况", monitoring),
    ("绩效评价管理情况", evaluation),
)


# -- （五）资产管理 --------------------------------------------------------------------------
def asset_reporting(ctx: ReportContext) -> Block:
    """1.国有资产报表管理: the unit's text, leading into the year's asset figures."""
    head = ctx.heading("1.国有资产报表管理", level=3)
    return Block(
        head + ctx.render("performance/asset_reporting.html.j2", paras=C.text_paragraphs(ctx, "asset_reporting"))
    )


def balance_changes(ctx: ReportContext) -> pd.DataFrame:
    """:func:`jixiao.analysis.finance.balance_sheet_changes` plus ``rate`` (the rate printed:
    the unit's stated rate, the computed one where it states none)."""
    df = F.balance_sheet_changes(ctx.ds).copy()
    df["rate"] = [r if F.num(s) is None else F.num(s) for s, r in zip(df["change_stated"], df["change_rate"])]
    return df


@styled
def balance_chart(df: pd.DataFrame):
    """资产负债变动: previous vs current year-end per total, in two panels by magnitude.

    Liabilities of a township are a thousandth of its assets: on one axis they would be
    invisible, so totals under a tenth of the largest get their own panel. Each pair is
    labelled with both values (:func:`jixiao.report.charts.value_label`) and the change rate
    (``rate`` of :func:`balance_changes`); a 净资产 the unit does not state (资产 − 负债) is
    hatched and said so in the legend. The caption is the title (none in the image). Section-specific
    (two scales), so it is drawn here rather than with :func:`jixiao.report.charts.grouped_bars`.
    """
    from matplotlib.patches import Patch

    rows = [r for r in records(df) if r["previous"] is not None or r["current"] is not None]
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
            rate = F.num(r["rate"])
            if rate is None:
                continue
            ax.annotate(
                f"{'+' if rate > 0 else ''}{fmt_pct(rate)}",
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
            Patch(facecolor=colors["previous"], edgecolor=PALETTE[0], hatch="///", label="资产总额减负债总额")
        )
    fig.legend(handles=handles, loc="outside lower center", ncols=len(handles), frameon=False, fontsize=8)
    return fig


def _sign(x: float) -> int:
    return (x > 0) - (x < 0)


def _balance_sentences(ctx: ReportContext, df: pd.DataFrame) -> str:
    """“截至…，我单位资产总额（账面净值，下同）7038.18万元，较上年减少0.23%。负债总额…” —
    a total without its year-end figure is left out, a change without its rate too."""
    by = {r["kind"]: r for r in records(df)}
    out = []
    for kind, label in (("资产", "资产总额（账面净值，下同）"), ("负债", "负债总额"), ("净资产", "净资产")):
        r = by.get(kind)
        if r is None or F.num(r["current"]) is None:
            continue
        s = f"{label}{fmt(F.num(r['current']))}万元"
        rate = F.num(r["rate"])
        computed = F.num(r["change_rate"])
        if rate is not None and computed is not None and _sign(rate) != _sign(round(computed, 2)):
            # a stated rate whose direction contradicts the two year-ends: the rate of the figures
            rate = computed
        if rate is not None:
            s += "，与上年持平" if rate == 0 else f"，较上年{'增加' if rate > 0 else '减少'}{fmt_pct(abs(rate))}"
        out.append(s + "。")
    if not out:
        return ""
    return f"截至{year_end(ctx)}，我单位" + "".join(out)


def balance_sheet(ctx: ReportContext) -> Block:
    """（1）资产负债情况: totals this year-end and the change on last year (the stated rate;
    :func:`jixiao.analysis.finance.balance_sheet_changes` where none is stated), the table and the chart."""
    df = balance_changes(ctx)
    text = ctx.render("performance/balance_sheet.html.j2", body=_balance_sentences(ctx, df), no=asset_item_numbers(ctx))
    derived = [
        f"{word}{r['item']}"
        for r in records(df)
        for side, word in (("previous", "上年末"), ("current", "本年末"))
        if r[f"{side}_derived"]
    ]
    table = ctx.table(
        df,
        [
            Col("item", "项目"),
            Col("previous", "上年末（万元）", "money"),
            Col("current", "本年末（万元）", "money"),
            Col("change", "变动额（万元）", "money"),
            Col("rate", "变动率", "pct"),
        ],
        "资产负债变动情况",
        total_label=None,
        note=f"{'、'.join(derived)}为资产总额减负债总额。" if derived else None,
    )
    chart = ""
    if any(v is not None for v in list(df["previous"]) + list(df["current"])):
        fig = balance_chart(df)
        split = len(fig.axes) > 1
        chart = ctx.figure(
            fig,
            "资产负债变动情况",
            note="上年末与本年末对比，橙色数字为较上年变动率"
            + ("；数值相差悬殊的项目分图显示，各图纵轴刻度不同。" if split else "。"),
        )
    block = join_blocks(text, table, chart)
    if derived:
        block = block.with_review(f"{'、'.join(derived)}未填，按资产总额减负债总额列示。")
    return block


def fixed_asset_figures(ctx: ReportContext) -> dict:
    """Fixed-asset classes: year-end stock and this year's additions, totals stated or summed."""
    fa = ctx.ds.fixed_assets
    stock = F.num(ctx.ds.stated_total("fixed_assets", "stock")) if "fixed_assets" in ctx.ds.totals else None
    added = F.num(ctx.ds.stated_total("fixed_assets", "added")) if "fixed_assets" in ctx.ds.totals else None
    rows = [
        {"category": F.text(r["category"]), "stock": F.num(r["stock"]), "added": F.num(r["added"])} for r in records(fa)
    ]

    def summed(col: str) -> float | None:
        """The sum over the classes, only when every class gives the figure (else it is no total)."""
        vals = [r[col] for r in rows]
        return F.total_of(vals) if vals and all(v is not None for v in vals) else None

    return {
        "rows": rows,
        "stock": stock if stock is not None else summed("stock"),
        "added": added if added is not None else summed("added"),
        "intangible_stock": C.stated(ctx, "intangible_stock"),
        "intangible_added": C.stated(ctx, "intangible_added"),
    }


def fixed_asset_stock(ctx: ReportContext) -> Block:
    """（2）固定和无形资产存量情况: year-end 原值 by class (sentence and table)."""
    f = fixed_asset_figures(ctx)
    no = asset_item_numbers(ctx)
    if "stock" not in no:
        return Block("").with_review("固定资产存量与无形资产均未填写，（固定和无形资产存量情况）未列示。")
    text = ctx.render("performance/fixed_asset_stock.html.j2", f=f, year_end=year_end(ctx), no=no)
    df = pd.DataFrame(f["rows"], columns=["category", "stock"])
    table = ctx.table(
        df,
        [Col("category", "资产类别"), Col("stock", "年末原值（万元）", "money", total=True)],
        f"固定资产存量（截至{year_end(ctx)}，账面原值）",
        total_label="合计",
        total_row=None if f["stock"] is None else {"stock": f["stock"]},
    )
    return join_blocks(text, table)


def physical_asset_rows(ctx: ReportContext) -> dict:
    """Land, buildings, vehicles: the 实物资产 row of each (formatted quantities, None when blank)."""
    out = {}
    for r in records(ctx.ds.physical_assets):
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
            "added": quantity(r.get("added"), unit),
        }
    return out


def physical_assets(ctx: ReportContext) -> Block:
    """（3）土地（4）房屋（5）车辆: area or count, 原值 / 净值 (账面价值 when only the net value
    is given), use. A kind the 实物资产 sheet does not list is left out."""
    rows = physical_asset_rows(ctx)
    block = ctx.render(
        "performance/physical_assets.html.j2",
        rows=rows,
        year_end=year_end(ctx),
        office_area=C.stated(ctx, "office_area"),
        other_area=C.stated(ctx, "other_building_area"),
        no=asset_item_numbers(ctx),
    )
    missing = [k for k in ("土地", "房屋", "车辆") if k not in rows]
    if missing:
        block = block.with_review(f"实物资产未列{'、'.join(missing)}，相应段落未列示。")
    return block


def construction_in_progress(ctx: ReportContext) -> Block:
    """（6）在建工程情况, as of the stated date (the checker reports a date outside the report year)."""
    amount = F.num(C.stated(ctx, "cip_amount"))
    block = ctx.render(
        "performance/construction.html.j2",
        date=C.stated(ctx, "cip_date"),
        amount=amount,
        no=asset_item_numbers(ctx),
    )
    if amount is None:
        block = block.with_review("在建工程金额未填，（6）在建工程情况未列示。")
    return block


def fixed_asset_additions(ctx: ReportContext) -> Block:
    """（7）固定和无形资产配置情况: this year's additions by class (the checker reports
    additions that repeat the year-end stock, ``fixed_assets.added_equals_stock``)."""
    f = fixed_asset_figures(ctx)
    return ctx.render("performance/fixed_asset_additions.html.j2", f=f, no=asset_item_numbers(ctx))


def asset_item_numbers(ctx: ReportContext) -> dict[str, int]:
    """The numbers of 1.国有资产报表管理's items as printed — （1）资产负债 （2）固定和无形资产存量
    （3）土地 （4）房屋 （5）车辆 （6）在建工程 （7）固定和无形资产配置 — by key (``balance``,
    ``stock``, 土地, 房屋, 车辆, ``construction``, ``added``). An item the unit gives nothing for
    (its sheet empty, its figures blank) has no number, and the ones after it move up (#13).
    Computed once per township-year: five items ask for it."""
    return ctx._once("asset_item_numbers", lambda: _asset_item_numbers(ctx))


def _asset_item_numbers(ctx: ReportContext) -> dict[str, int]:
    f = fixed_asset_figures(ctx)
    kinds = physical_asset_rows(ctx)

    def given(col: str, intangible: str) -> bool:
        return f[col] is not None or any(r[col] is not None for r in f["rows"]) or not F.is_blank(f[intangible])

    present = {
        "balance": True,  # 资产负债 is a required sheet
        "stock": given("stock", "intangible_stock"),
        **{kind: kind in kinds for kind in ("土地", "房屋", "车辆")},
        "construction": F.num(C.stated(ctx, "cip_amount")) is not None,
        "added": given("added", "intangible_added"),
    }
    keys = [k for k, p in present.items() if p]
    return {k: i for i, k in enumerate(keys, 1)}


def asset_management(ctx: ReportContext) -> Block:
    """2.行政事业性国有资产管理 (workbook text; left out when blank)."""
    return C.subsection(
        ctx,
        "行政事业性国有资产管理",
        _text_block(ctx, "asset_management"),
        PART_FIVE,
        missing="文字说明“行政事业性国有资产管理”",
    )


#: 二（五）资产管理: its numbered subsections (:func:`common.subsection`); 1.国有资产报表管理
#: is always in the report (资产负债 is a required sheet).
PART_FIVE: C.Subsections = (("国有资产报表管理", None), ("行政事业性国有资产管理", asset_management))


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
