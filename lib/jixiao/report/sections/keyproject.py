"""The key-project report (重点评价): overview, indicators and scores, findings, checks.

The notebooks of ``notebooks/key_project/`` open a :class:`KeyProjectContext` with
:func:`open_key_report` and call one function of this module per cell. The context is
the township's :class:`~jixiao.report.context.ReportContext` (same heading, narrative, table and
figure blocks, same numbering) with the project's facts as ``ctx.unit``, the scores as
``ctx.evaluation`` and the key-project checks as ``ctx.findings``.

Wherever the workbook flags its data as illustrative (项目概况/示例数据 = 是) the report
says 示例数据: on the cover (see :func:`jixiao.keyproject.evaluate`), next to the indicator
table, the dimension table and chart, and the overall score.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from markupsafe import escape

from jixiao.report import charts
from jixiao.keyproject import (ASSESSOR, SAMPLE_LABEL, Evaluation, fund_rates, fund_totals, key_project_spec,
                          load_key_params, load_key_project, run_key_checks, sample_text)
from jixiao.report.context import Block, Col, ReportContext, plain


@dataclass
class KeyProjectContext(ReportContext):
    """A :class:`ReportContext` for one key project."""

    @property
    def evaluation(self) -> Evaluation:
        from jixiao.keyproject import evaluate_dataset

        return self._once("evaluation", lambda: evaluate_dataset(self.ds, self.params.option_weights()))

    @property
    def findings(self):
        return self._once("key_findings", lambda: run_key_checks(self.ds, self.evaluation))

    @property
    def unit(self) -> dict:
        return self.ds.facts["project"]

    @property
    def sample(self) -> str | None:
        """The 示例数据 note (the workbook's 示例数据说明), or None when the data is real."""
        return sample_text(self.ds)

    def sample_short(self, what: str = "本表所列指标得分") -> str | None:
        """A one-line 示例数据 label for a table or figure note, or None for real data."""
        return f"{SAMPLE_LABEL}：{what}为示例，不是实际评价结果。" if self.sample else None

    def for_section(self, section: str) -> "KeyProjectContext":
        return KeyProjectContext(params=self.params, ds=self.ds, section=section, shared=self.shared)


_CACHE: dict[tuple, KeyProjectContext] = {}


def open_key_report(params_path: str | Path, section: str = "") -> KeyProjectContext:
    """The report context of a key-project parameters file, loaded once per process.

    The cache key includes the modification times of the parameters file and the
    workbook, so editing either in JupyterLab and rerunning a cell picks up the change.
    """
    path = Path(params_path).resolve()
    params = load_key_params(path)
    key = (str(path), path.stat().st_mtime_ns, str(params.workbook), Path(params.workbook).stat().st_mtime_ns)
    base = _CACHE.get(key)
    if base is None:
        kp = load_key_project(params)
        base = KeyProjectContext(params=params, ds=kp.ds)  # type: ignore[arg-type]
        base.shared["evaluation"] = kp.evaluation
        _CACHE.clear()
        _CACHE[key] = base
    return base.for_section(section)


def _caption(ctx: KeyProjectContext, text: str) -> str:
    return f"{text}（{SAMPLE_LABEL}）" if ctx.sample else text


def sample_note(ctx: KeyProjectContext, short: str | None = None) -> Block:
    """The red 示例数据 note: the workbook's full 示例数据说明, or a one-line label for
    ``short`` (what is illustrative: 以下扣分及其原因 …); empty for real data."""
    text = ctx.sample_short(short) if short else ctx.sample
    if not text:
        return Block("")
    return Block(f'<p class="noindent sample-label">{escape(text)}</p>')


# -- 一、项目概况 ------------------------------------------------------------------------------

#: Project facts shown in the overview table, in order (key id → printed label).
OVERVIEW_FACTS = (
    ("name", "项目名称"), ("unit", "所属单位"), ("location", "项目地点"), ("implementer", "实施单位"),
    ("supervisor", "主管部门"), ("scope", "建设内容"), ("planned_start", "计划开工日期"),
    ("planned_end", "计划完工日期"), ("start", "实际开工日期"), ("end", "实际完工日期"),
)


def _fact_rows(ctx: KeyProjectContext, keys) -> pd.DataFrame:
    from jixiao.report.context import cdate, is_blank

    rows = []
    for key, label in keys:
        v = ctx.unit.get(key)
        shown = "未提供" if is_blank(v) else (cdate(v) if hasattr(v, "year") and not isinstance(v, (int, float)) else str(v))
        rows.append({"item": label, "value": shown})
    return pd.DataFrame(rows)


def overview(ctx: KeyProjectContext) -> Block:
    """（一）项目基本情况: narrative and the facts table (blanks print 未提供)."""
    head = ctx.heading("（一）项目基本情况")
    text = ctx.render("keyproject/overview.html.j2", texts=ctx.ds.facts["texts"])
    table = ctx.table(_fact_rows(ctx, OVERVIEW_FACTS), [Col("item", "项目"), Col("value", "内容")],
                      "项目基本信息", total_label=None, note="“未提供”表示工作簿未填写该项（原始资料未载明）。")
    return Block(head + text + table)


def funds(ctx: KeyProjectContext) -> Block:
    """（二）项目资金情况: funds by source (budget, in place, spent), 资金到位率 and 预算执行率."""
    head = ctx.heading("（二）项目资金情况")
    df = ctx.ds.funds
    t, r = fund_totals(ctx.ds), fund_rates(ctx.ds)
    text = ctx.render("keyproject/funds.html.j2", t=t, r=r, n=len(df))
    if df.empty:
        return Block(head + text)
    table = ctx.table(df, [Col("source", "资金来源"), Col("level", "资金级次"), Col("budget", "预算金额（万元）", "money", True),
                           Col("received", "到位金额（万元）", "money", True), Col("spent", "实际支出（万元）", "money", True)],
                      "项目资金来源、到位与支出")
    return Block(head + text + table)


def works(ctx: KeyProjectContext) -> Block:
    """（三）建设内容与完成情况: planned, delivered and accepted quantities."""
    head = ctx.heading("（三）建设内容与完成情况")
    df = ctx.ds.works.copy()
    df["rate"] = [d / p * 100 if pd.notna(p) and p and pd.notna(d) else None for p, d in zip(df["planned"], df["delivered"])]
    text = ctx.render("keyproject/works.html.j2", rows=df.to_dict("records"))
    if df.empty:
        return Block(head + text)
    table = ctx.table(df, [Col("no", "序号", "int"), Col("item", "建设内容"), Col("unit", "计量单位"),
                           Col("planned", "计划数量", "plain"), Col("delivered", "实际完成数量", "plain"),
                           Col("accepted", "验收合格数量", "plain"), Col("rate", "完成率", "pct")],
                      "建设内容及完成情况", total_label=None, note="空缺的数量为工作簿未填写（原始资料未载明）。")
    return Block(head + text + table)


def acceptance(ctx: KeyProjectContext) -> Block:
    """（四）项目验收情况."""
    head = ctx.heading("（四）项目验收情况")
    return Block(head + ctx.render("keyproject/acceptance.html.j2"))


# -- 二、绩效评价指标与得分 ----------------------------------------------------------------------

def method(ctx: KeyProjectContext) -> Block:
    """（一）评价组织与指标体系: who evaluated how, the dimensions' weights and the grade bands."""
    head = ctx.heading("（一）评价组织与指标体系")
    scoring = key_project_spec().scoring
    return Block(head + ctx.render("keyproject/method.html.j2", ev=ctx.evaluation, scoring=scoring,
                                   bands=grade_band_texts(scoring.grade_bands), texts=ctx.ds.facts["texts"]))


def grade_band_texts(bands) -> list[str]:
    """``优（90分及以上）``, ``良（80分及以上、90分以下）`` … ``差（60分以下）``."""
    out, upper = [], None
    for g, low in bands:
        parts = ([f"{plain(low)}分及以上"] if low > 0 else []) + ([f"{plain(upper)}分以下"] if upper is not None else [])
        out.append(f"{g}（{'、'.join(parts)}）" if parts else g)
        upper = low
    return out


def _explanation(i) -> str:
    if i.method == ASSESSOR:
        return i.reason if i.deducted > 0 else (i.reason or "满分")
    return i.basis + (f"。{i.reason}" if i.reason else "")


def indicator_frame(ctx: KeyProjectContext) -> pd.DataFrame:
    """The indicator table as printed: the evaluation's rows plus 得分说明."""
    ev = ctx.evaluation
    df = ev.indicator_frame()
    df["explanation"] = [_explanation(i) for i in ev.indicators]
    return df


def indicator_table(ctx: KeyProjectContext) -> Block:
    """（二）指标得分: every indicator with weight, score, 评分标准, 评价依据 and 得分说明."""
    head = ctx.heading("（二）各项指标得分")
    ev = ctx.evaluation
    text = ctx.render("keyproject/indicators.html.j2", ev=ev,
                      computed=[i for i in ev.indicators if i.computed],
                      deducted=[i for i in ev.indicators if i.deducted > 0])
    table = ctx.table(indicator_frame(ctx),
                      [Col("level1", "一级指标"), Col("level2", "二级指标"), Col("name", "三级指标"),
                       Col("weight", "分值", "plain", True), Col("score", "得分", "plain", True),
                       Col("criteria", "评分标准"), Col("evidence", "评价依据"), Col("explanation", "得分说明")],
                      _caption(ctx, "绩效评价指标体系及得分"), note=ctx.sample_short("本表所列指标得分"), css="indicators")
    return Block(head + text + sample_note(ctx) + table)


def dimension_scores(ctx: KeyProjectContext) -> Block:
    """（三）各维度得分: the table by 一级指标 and a chart of weight against score."""
    head = ctx.heading("（三）各一级指标得分")
    ev = ctx.evaluation
    df = ev.dimension_frame()
    text = ctx.render("keyproject/dimensions.html.j2", ev=ev)
    table = ctx.table(df, [Col("name", "一级指标"), Col("indicators", "指标数", "int", True),
                           Col("weight", "分值", "plain", True), Col("score", "得分", "plain", True),
                           Col("rate", "得分率", "pct")],
                      _caption(ctx, "各一级指标分值与得分"), note=ctx.sample_short("本表所列得分"))
    fig = charts.grouped_bars(df.rename(columns={"name": "一级指标"}), "一级指标", {"weight": "分值", "score": "得分"},
                              _caption(ctx, "各一级指标分值与得分"), unit="分", horizontal=False)
    figure = ctx.figure(fig, _caption(ctx, "各一级指标分值与得分"), note=ctx.sample_short("本图所示得分"))
    return Block(head + text + table + figure)


def overall(ctx: KeyProjectContext) -> Block:
    """（四）综合得分与评价等级."""
    head = ctx.heading("（四）综合得分与评价等级")
    ev = ctx.evaluation
    bands = [(g, low) for g, low in ev.grade_bands]
    return Block(head + ctx.render("keyproject/overall.html.j2", ev=ev, bands=bands,
                                   stated=ctx.unit.get("score_stated"), stated_grade=ctx.unit.get("grade_stated")))


# -- 三、评价发现、存在问题及建议 ------------------------------------------------------------------

def _numbered(ctx: KeyProjectContext, sheet_id: str, empty: str) -> Block:
    df = getattr(ctx.ds, sheet_id)
    if df.empty:
        return Block(f'<p class="missing">{escape(empty)}</p>')
    items = "".join(f"<p>{i}. {escape(t)}</p>" for i, t in enumerate(df["text"], 1))
    return Block(items)


def findings(ctx: KeyProjectContext) -> Block:
    """（一）主要绩效: the 评价发现 sheet and the 评价结论 text."""
    head = ctx.heading("（一）主要绩效")
    conclusion = ctx.ds.facts["texts"].get("conclusion")
    text = f"<p>{escape(conclusion)}</p>" if conclusion else ""
    return Block(head + text + _numbered(ctx, "findings", "工作簿未填写评价发现（未提供）。"))


def deductions(ctx: KeyProjectContext) -> Block:
    """（二）扣分情况: every indicator that lost points, with its reason."""
    head = ctx.heading("（二）扣分情况")
    ev = ctx.evaluation
    lost = [i for i in ev.indicators if i.deducted > 0]
    text = ctx.render("keyproject/deductions.html.j2", ev=ev, lost=lost, explain=_explanation)
    return Block(head + sample_note(ctx, "以下扣分及其原因") + text)


def problems(ctx: KeyProjectContext) -> Block:
    """（三）存在的问题."""
    head = ctx.heading("（三）存在的问题")
    return Block(head + _numbered(ctx, "problems", "工作簿未填写存在的问题（未提供）。"))


def recommendations(ctx: KeyProjectContext) -> Block:
    """四、意见建议 (each with the problem it answers, when given)."""
    head = ctx.heading("四、意见建议", level=1)
    df = ctx.ds.recommendations
    if df.empty:
        return Block(head + '<p class="missing">工作簿未填写意见建议（未提供）。</p>')
    rows = []
    for i, (t, p) in enumerate(zip(df["text"], df["problem_no"]), 1):
        ref = f"（针对问题{int(p)}）" if pd.notna(p) else ""
        rows.append(f"<p>{i}. {escape(t)}{escape(ref)}</p>")
    return Block(head + "".join(rows))


# -- 附录 ---------------------------------------------------------------------------------------

def checks_intro(ctx: KeyProjectContext) -> Block:
    """What the appendix checks."""
    from jixiao.analysis.checks import summarize

    return ctx.render("keyproject/checks.html.j2", counts=summarize(ctx.findings), n=len(ctx.findings))


def checks_summary(ctx: KeyProjectContext) -> Block:
    """表：校验结果汇总 (the township appendix's table, on these findings)."""
    from jixiao.report.sections.appendix import summary_table

    return summary_table(ctx)


def checks_table(ctx: KeyProjectContext) -> Block:
    """表：校验明细 (the township appendix's table, on these findings)."""
    from jixiao.report.sections.appendix import findings_table

    return findings_table(ctx)


__all__ = ["KeyProjectContext", "open_key_report", "overview", "funds", "works", "acceptance", "method",
           "indicator_table", "dimension_scores", "overall", "findings", "deductions", "problems",
           "recommendations", "checks_intro", "checks_summary", "checks_table", "sample_note", "plain"]
