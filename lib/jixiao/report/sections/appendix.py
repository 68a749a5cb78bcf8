"""附录 数据勾稽校验: what is checked, the tolerance rule, and every finding.

The findings are :attr:`ReportContext.findings` (:func:`jixiao.analysis.checks.run_checks`, run
once per township-year). Nothing here changes or "fixes" a figure: each finding shows
the stated and the recomputed figure and the cells they come from.
"""

from __future__ import annotations

import pandas as pd

from jixiao.analysis.checks import REGISTRY, SEVERITIES, SEVERITY_LABELS, Finding, summarize
from jixiao.report.context import Block, Col, ReportContext
from jixiao.rounding import HALF_CENT, sum_tolerance

#: What each result means, for the summary table.
MEANINGS = {
    "error": "数字关系超出舍入误差仍不成立（如所述合计 ≠ 分项之和），报送前必须更正",
    "warning": "疑似抄写、分类或日期错误，需人工复核",
    "info": "仅在舍入误差范围内成立、因数据未提供无法校验，或值得读者注意",
    "pass": "按报告所印数字完全成立",
}


def ordered_findings(ctx: ReportContext) -> list[Finding]:
    """Every finding, errors first, then warnings, info and passed (check order within each)."""
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(ctx.findings, key=lambda f: rank[f.severity])


def tolerance_figures(ctx: ReportContext) -> dict:
    """Numbers for the tolerance paragraph, computed from :mod:`jixiao.rounding`."""
    from jixiao.analysis import finance as F
    from jixiao.rounding import ratio_interval

    n = len(ctx.ds.functions) or 9
    r = F.financial_ratios(ctx.ds)
    example = None
    if r.cash is not None and r.current_liabilities:
        lo, hi = ratio_interval(r.cash, r.current_liabilities)
        example = {
            "num": r.cash,
            "den": r.current_liabilities,
            "value": r.cash_ratio,
            "lo": lo * 100,
            "hi": hi * 100,
            "year": r.year,
            "lo_w": lo * 100 - HALF_CENT,
            "hi_w": hi * 100 + HALF_CENT,
            "stated": F.num(ctx.ds.facts.get("stated", {}).get("cash_ratio")),
        }
    return {
        "half": HALF_CENT,
        "n": n,
        "sum_tol": sum_tolerance(n),
        "checks": len(REGISTRY),
        "findings": len(ctx.findings),
        "example": example,
    }


def intro(ctx: ReportContext) -> Block:
    """What is checked and how much difference rounding explains."""
    return ctx.render("appendix/intro.html.j2", t=tolerance_figures(ctx), counts=summarize(ctx.findings))


def summary_table(ctx: ReportContext) -> Block:
    """表：校验结果汇总 (错误 / 警告 / 提示 / 通过 counts)."""
    counts = summarize(ctx.findings)
    df = pd.DataFrame([{"label": SEVERITY_LABELS[s], "count": counts[s], "meaning": MEANINGS[s]} for s in SEVERITIES])
    return ctx.table(
        df,
        [Col("label", "结果"), Col("count", "条数", "int", total=True), Col("meaning", "含义")],
        "数据勾稽校验结果汇总",
        total_label="合计",
    )


def findings_frame(ctx: ReportContext) -> pd.DataFrame:
    """Every finding: ``no``, ``label`` (结果), ``title``, ``message``, ``stated``, ``computed``,
    ``difference`` (full precision; None where the check has no single figure, printed —),
    ``cells``."""
    rows = []
    for i, f in enumerate(ordered_findings(ctx), 1):
        rows.append(
            {
                "no": i,
                "label": f.label,
                "title": f.title,
                "message": f.message,
                "stated": f.stated,
                "computed": f.computed,
                "difference": f.difference,
                "cells": "、".join(f.cells),
            }
        )
    return pd.DataFrame(
        rows, columns=["no", "label", "title", "message", "stated", "computed", "difference", "cells"], dtype=object
    )


def findings_table(ctx: ReportContext) -> Block:
    """表：数据勾稽校验明细, every finding, errors first."""
    return ctx.table(
        findings_frame(ctx),
        [
            Col("no", "序号", "int"),
            Col("label", "结果"),
            Col("title", "检查项"),
            Col("message", "说明"),
            Col("stated", "填报数", "num"),
            Col("computed", "计算数", "num"),
            Col("difference", "差异", "num"),
            Col("cells", "单元格"),
        ],
        "数据勾稽校验明细",
        total_label=None,
        missing="—",
        note="填报数为报告（工作簿）所述数字，计算数由其构成重新计算，差异 = 填报数 − 计算数，"
        "均按两位小数四舍五入列示，单位见说明；“—”表示该项校验不涉及单一数值"
        "（数据未提供的情形已在说明中写明“未提供”）。单元格为工作簿中的位置。",
    )
