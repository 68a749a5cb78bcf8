"""二、绩效评价指标与得分: method, indicator table, scores by dimension, overall score and grade."""

from __future__ import annotations

import pandas as pd

from jixiao.keyproject import ASSESSOR, key_project_spec
from jixiao.report import charts
from jixiao.report.context import Block, Col, plain
from jixiao.report.sections.key_project import KeyProjectContext, _caption, sample_note

# -- 二、绩效评价指标与得分 ----------------------------------------------------------------------


def method(ctx: KeyProjectContext) -> Block:
    """（一）评价组织与指标体系: who evaluated how, the dimensions' weights and the grade bands."""
    head = ctx.heading("（一）评价组织与指标体系")
    scoring = key_project_spec().scoring
    return Block(
        head
        + ctx.render(
            "keyproject/method.html.j2",
            ev=ctx.evaluation,
            scoring=scoring,
            bands=grade_band_texts(scoring.grade_bands),
            texts=ctx.ds.facts["texts"],
        )
    )


def grade_band_texts(bands) -> list[str]:
    """``优（90分及以上）``, ``良（80分及以上、90分以下）`` … ``差（60分以下）``."""
    out, upper = [], None
    for g, low in bands:
        parts = ([f"{plain(low)}分及以上"] if low > 0 else []) + (
            [f"{plain(upper)}分以下"] if upper is not None else []
        )
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
    text = ctx.render(
        "keyproject/indicators.html.j2",
        ev=ev,
        computed=[i for i in ev.indicators if i.computed],
        deducted=[i for i in ev.indicators if i.deducted > 0],
    )
    table = ctx.table(
        indicator_frame(ctx),
        [
            Col("level1", "一级指标"),
            Col("level2", "二级指标"),
            Col("name", "三级指标"),
            Col("weight", "分值", "plain", True),
            Col("score", "得分", "plain", True),
            Col("criteria", "评分标准"),
            Col("evidence", "评价依据"),
            Col("explanation", "得分说明"),
        ],
        _caption(ctx, "绩效评价指标体系及得分"),
        note=ctx.sample_short("本表所列指标得分"),
        css="indicators",
    )
    return Block(head + text + sample_note(ctx) + table)


def dimension_scores(ctx: KeyProjectContext) -> Block:
    """（三）各维度得分: the table by 一级指标 and a chart of weight against score."""
    head = ctx.heading("（三）各一级指标得分")
    ev = ctx.evaluation
    df = ev.dimension_frame()
    text = ctx.render("keyproject/dimensions.html.j2", ev=ev)
    table = ctx.table(
        df,
        [
            Col("name", "一级指标"),
            Col("indicators", "指标数", "int", True),
            Col("weight", "分值", "plain", True),
            Col("score", "得分", "plain", True),
            Col("rate", "得分率", "pct"),
        ],
        _caption(ctx, "各一级指标分值与得分"),
        note=ctx.sample_short("本表所列得分"),
    )
    fig = charts.grouped_bars(
        df.rename(columns={"name": "一级指标"}),
        "一级指标",
        {"weight": "分值", "score": "得分"},
        _caption(ctx, "各一级指标分值与得分"),
        unit="分",
        horizontal=False,
    )
    figure = ctx.figure(fig, _caption(ctx, "各一级指标分值与得分"), note=ctx.sample_short("本图所示得分"))
    return Block(head + text + table + figure)


def overall(ctx: KeyProjectContext) -> Block:
    """（四）综合得分与评价等级."""
    head = ctx.heading("（四）综合得分与评价等级")
    ev = ctx.evaluation
    bands = [(g, low) for g, low in ev.grade_bands]
    return Block(
        head
        + ctx.render(
            "keyproject/overall.html.j2",
            ev=ev,
            bands=bands,
            stated=ctx.unit.get("score_stated"),
            stated_grade=ctx.unit.get("grade_stated"),
        )
    )
