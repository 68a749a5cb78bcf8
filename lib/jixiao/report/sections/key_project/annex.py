"""附件: 绩效评价指标体系及评分表, 满意度调查统计.

- 附件1 评分表: every indicator with its points, score, 评分标准, 评分依据 and 佐证材料 (one
  column), 扣分说明; with several assessors (``kp.assessors``, :class:`~jixiao.keyproject.assessors.AssessorPanel`)
  a 评分人员 column with each assessor-scored indicator's lowest and highest score;
- 附件2 满意度调查统计 (when there is a survey): the 满意度调查 sheet's counts per group and
  option (table and chart, the weighted 满意度 of each group), and the respondent-level
  survey (``kp.survey``, :class:`~jixiao.keyproject.survey.SurveyResult`) per question
  with the overall 满意率 and its 95% margin of error.

The notebook tags its cells ``jixiao-attachment``: the 附件 follow the 落款, as a filed
document's attachments do, and open a page (``ctx.section_heading()``, unnumbered).

The two results on the loaded project are read with ``getattr`` so that a project loaded
without them (a workbook alone) gives the report without those parts.
"""

from __future__ import annotations

import pandas as pd
from markupsafe import escape

from jixiao.keyproject import key_project_spec
from jixiao.keyproject.report import indicator_materials
from jixiao.report import charts
from jixiao.report.context import Block, Col, pct, plain
from jixiao.report.sections.key_project import KeyProjectContext, _caption, sample_note, sentence
from jixiao.report.sections.key_project.indicators import explanation
from jixiao.rounding import fmt
from jixiao.values import num, text


def annex_names(ctx: KeyProjectContext) -> list[str]:
    return ["绩效评价指标体系及评分表"] + (["满意度调查统计"] if has_survey(ctx) else [])


def has_survey(ctx: KeyProjectContext) -> bool:
    return not ctx.ds.survey.empty or _survey_result(ctx) is not None


def _survey_result(ctx: KeyProjectContext):
    return getattr(ctx.project, "survey", None)


def _panel(ctx: KeyProjectContext):
    return getattr(ctx.project, "assessors", None)


# -- 附件1 评分表 -------------------------------------------------------------------------------


def spread_text(ctx: KeyProjectContext, no: int) -> str | None:
    """``2.5～3``: the assessors' lowest and highest score of an indicator (``3`` when they
    agree), or None when no assessor scored it."""
    panel = _panel(ctx)
    entry = panel.get(no) if panel is not None else None
    if entry is None:
        return None
    lo, hi = entry.spread.min, entry.spread.max
    return plain(lo) if lo == hi else f"{plain(lo)}～{plain(hi)}"


def score_frame(ctx: KeyProjectContext) -> pd.DataFrame:
    """The scoring table's rows: the evaluation's indicator frame plus 佐证材料, 扣分说明 and 评分人员."""
    ev = ctx.evaluation
    df = ev.indicator_frame()
    df["materials"] = indicator_materials(ctx.ds, ev)
    # 评分依据 and 佐证材料 share a column: ten columns leave the text ones too narrow on A4.
    df["basis_materials"] = [
        "".join(x for x in (text(e) and sentence(str(e)), m and f"佐证材料：{m}") if x) or None
        for e, m in zip(df["evidence"], df["materials"])
    ]
    df["explanation"] = [explanation(i) for i in ev.indicators]
    df["spread"] = [spread_text(ctx, i.no) for i in ev.indicators]
    return df


def scoring_table(ctx: KeyProjectContext) -> Block:
    """附件1 绩效评价指标体系及评分表."""
    n = annex_names(ctx).index("绩效评价指标体系及评分表") + 1
    head = ctx.heading(f"附件{n}　绩效评价指标体系及评分表")
    df = score_frame(ctx)
    cols = [
        Col("level1", "一级指标"),
        Col("level2", "二级指标"),
        Col("name", "三级指标"),
        Col("weight", "分值", "plain", True),
        Col("score", "得分", "plain", True),
        Col("criteria", "评分标准"),
        Col("basis_materials", "评分依据及佐证材料"),
        Col("explanation", "扣分说明"),
    ]
    panel = _panel(ctx)
    if panel is not None:
        cols.append(Col("spread", "评分人员"))
    notes = [ctx.sample_short("本表所列指标、得分及依据")]
    if panel is not None:
        labels = {panel.method_label(e) for e in panel.indicators}
        label = labels.pop() if len(labels) == 1 else "合成值"
        notes.append(
            f"“评分人员”列为{len(panel.names)}位评价人员对该指标评分的最低分～最高分，得分为其{label}；"
            "按数据计分的指标不由评价人员评分，该列空白。"
        )
    table = ctx.table(
        df,
        cols,
        _caption(ctx, "绩效评价指标体系及评分表"),
        note="".join(x for x in notes if x) or None,
        css="indicators",
    )
    return Block(head + table).with_review(*table.review)


# -- 附件2 满意度调查统计 -------------------------------------------------------------------------


def survey(ctx: KeyProjectContext) -> Block:
    """附件2 满意度调查统计: the sheet's counts (table, chart, each group's 满意度) and the
    respondent-level survey per question with the overall figures."""
    if not has_survey(ctx):
        return Block("").with_review(
            f"“{ctx.ds.spec.sheet('survey').name}”表未填写，参数文件也未给出 survey：报告附件未列“满意度调查统计”。"
        )
    n = annex_names(ctx).index("满意度调查统计") + 1
    out = [ctx.heading(f"附件{n}　满意度调查统计"), sample_note(ctx, "本附件的调查数据") if ctx.sample else ""]
    if not ctx.ds.survey.empty:
        out.append(survey_counts(ctx))
    result = _survey_result(ctx)
    if result is not None:
        out.append(survey_questions(ctx, result))
    return Block("".join(out))


def survey_counts(ctx: KeyProjectContext) -> Block:
    """The 满意度调查 sheet: respondents per group and option, each group's weighted 满意度."""
    weights = ctx.params.option_weights()
    order = list(key_project_spec().scoring.satisfaction_weights)
    df = ctx.ds.survey.copy()
    df["group"] = [text(g) or "全部调查对象" for g in df["group"]]
    df["count"] = [num(c) or 0 for c in df["count"]]
    groups = list(dict.fromkeys(df["group"]))
    rows, sentences = [], []
    for g in groups:
        part = df[df["group"] == g]
        total = int(part["count"].sum())
        by_option = part.groupby("option", sort=False)["count"].sum()
        for option in sorted(by_option.index, key=order.index):
            c = int(by_option[option])
            rows.append({"group": g, "option": option, "count": c, "share": c / total * 100 if total else None})
        if total:
            rate = sum(weights[o] * int(c) for o, c in by_option.items()) / total * 100
            sentences.append(f"{g}共{total}人，满意度为{pct(rate)}")
    used = [o for o in order if o in set(df["option"])]
    weight_text = "、".join(f"{o}{plain(weights[o])}" for o in used)
    text_ = (
        f"<p>{escape('；'.join(sentences))}。满意度 = Σ（各选项人数 × 选项权重）÷ 调查人数，"
        f"选项权重为：{escape(weight_text)}。</p>"
        if sentences
        else ""
    )
    table_df = pd.DataFrame(rows, columns=["group", "option", "count", "share"])
    table = ctx.table(
        table_df,
        [Col("group", "调查对象"), Col("option", "选项"), Col("count", "人数", "int"), Col("share", "占比", "pct")],
        _caption(ctx, "满意度调查各选项人数"),
        total_label=None,
    )
    wide = table_df.pivot_table(index="option", columns="group", values="count", aggfunc="sum", sort=False)
    wide = wide.reindex([o for o in order if o in wide.index]).reset_index()
    fig = charts.grouped_bars(
        wide, "option", {g: g for g in groups}, _caption(ctx, "满意度调查各选项人数"), unit="人", horizontal=False
    )
    figure = ctx.figure(fig, _caption(ctx, "满意度调查各选项人数"))
    return Block(text_ + table + figure)


def survey_questions(ctx: KeyProjectContext, result) -> Block:
    """The respondent-level survey: per question valid and invalid answers, 满意率, 满意度得分;
    overall 满意率 with its 95% margin of error."""
    o = result.overall
    clauses = [f"问卷共收回{result.n_rows}份"]
    if getattr(o, "n_respondents", None):
        clauses.append(f"其中有效答卷{o.n_respondents}份")
    clauses.append(f"{len(result.questions)}个满意度问题共有效回答{o.n_valid}个")
    overall = "，".join(clauses) + "。"
    if o.satisfaction_rate is not None:
        overall += f"总体满意率为{pct(o.satisfaction_rate)}"
        if o.margin_of_error is not None:
            # 95% only for the z it was computed with (a configured z says itself)
            z = getattr(o, "z", 1.96)
            level = "95%置信水平下" if abs(z - 1.96) < 1e-9 else f"z = {plain(z)} 时"
            overall += f"（{level}误差范围±{fmt(o.margin_of_error)}个百分点）"
        if o.score is not None:
            overall += f"，满意度得分为{fmt(o.score)}分"
        overall += "。"
    df = pd.DataFrame(
        [
            {
                "question": q.question,
                "n_valid": q.n_valid,
                "n_invalid": q.n_invalid,
                "rate": q.satisfaction_rate,
                "score": q.score,
            }
            for q in result.questions
        ],
        columns=["question", "n_valid", "n_invalid", "rate", "score"],
    )
    table = ctx.table(
        df,
        [
            Col("question", "问题"),
            Col("n_valid", "有效回答", "int"),
            Col("n_invalid", "未答或无效", "int"),
            Col("rate", "满意率", "pct"),
            Col("score", "满意度得分", "num"),
        ],
        _caption(ctx, "满意度调查各问题统计"),
        total_label=None,
        note="满意率 = 满意的回答 ÷ 有效回答；满意度得分 = Σ（回答 × 选项权重）÷ 有效回答 × 100。",
    )
    chart_df = df.dropna(subset=["rate"])
    figure = ""
    if not chart_df.empty:
        fig = charts.hbar(chart_df, "question", "rate", _caption(ctx, "各问题满意率"), unit="%")
        figure = ctx.figure(fig, _caption(ctx, "各问题满意率"))
    return Block(f"<p>{escape(overall)}</p>" + table + figure)
