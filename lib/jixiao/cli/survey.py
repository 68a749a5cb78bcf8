"""``jixiao survey``: a satisfaction-survey export (满意度调查), counted as an assessor would."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from jixiao.cli.app import app, dump_json, out, plain, wide

#: How many unrecognised answers the text output lists (the JSON has none; the review lists ten).
SHOWN_INVALID = 20


class SurveyFormat(StrEnum):
    text = "text"
    json = "json"


def _pct(x: float | None) -> str:
    from jixiao.rounding import fmt_pct

    return fmt_pct(x, blank="—")


def _num(x: float | None) -> str:
    from jixiao.rounding import fmt

    return fmt(x, blank="—")


@app.command("survey")
def survey(
    path: Annotated[Path, typer.Argument(metavar="FILE.xlsx", help="问卷导出文件（.xlsx 或 .csv），每行一位受访者")],
    fmt: Annotated[SurveyFormat, typer.Option("--format", help="输出格式：text 或 json")] = SurveyFormat.text,
    sheet: Annotated[str | None, typer.Option(help=".xlsx 的工作表（默认第一个）")] = None,
    population: Annotated[int | None, typer.Option(min=1, help="调查总体人数：给出时误差范围作有限总体校正")] = None,
) -> None:
    """满意度调查统计：各题各选项人数、有效回答、满意率、满意度得分，总体满意率及其 95% 误差范围。"""
    from jixiao.keyproject.survey import read_survey

    result = read_survey(path, sheet=sheet, population=population)
    if fmt is SurveyFormat.json:
        out.print(dump_json(result.to_dict()), markup=False)
        return
    console = wide()
    console.print(
        plain(
            f"满意度调查：{result.name}（工作表“{result.sheet}”），答卷 {result.n_rows} 份，"
            f"{len(result.questions)} 个问题；满意：{'、'.join(result.satisfied)}"
        )
    )
    for k, q in enumerate(result.questions, 1):
        table = Table(title=plain(f"{k}. {q.question}（{q.column} 列）", "table.title"), title_justify="left")
        table.add_column("回答")
        table.add_column("人数", justify="right")
        table.add_column("占比", justify="right")
        for answer, n in q.counts.items():
            table.add_row(plain(answer), str(n), _pct(n / q.n_valid * 100 if q.n_valid else None))
        table.add_row("有效回答", str(q.n_valid), "", style="bold")
        table.add_row("无效（空白或无法识别）", str(q.n_invalid), "")
        console.print(table)
        console.print(plain(f"   满意率 {_pct(q.satisfaction_rate)}，满意度得分 {_num(q.score)}"))
    o = result.overall
    console.print(
        plain(
            f"总体：有效回答 {o.n_valid} 个（有效答卷 {o.n_respondents} 份），满意率 {_pct(o.satisfaction_rate)}，"
            f"满意度得分 {_num(o.score)}，95% 置信水平下误差范围 ±{_num(o.margin_of_error)} 个百分点",
            "bold",
        )
    )
    console.print(plain(f"（{o.formula()}）"))
    weights = "、".join(f"{a} {w:g}" for a, w in result.weights.items())
    console.print(plain(f"满意度得分 = Σ 回答数 × 权重 ÷ 有效回答数 × 100；权重：{weights}"))
    for s in result.skipped:
        console.print(
            plain(
                f"未计入的列：{s.column} 列“{s.header}”（{s.filled} 个回答中只有 {s.recognised} 个是满意度选项）",
                "yellow",
            )
        )
    if result.invalid:
        console.print(plain(f"无法识别的回答 {len(result.invalid)} 个（未计入）：", "yellow"))
        for cell, value in result.invalid[:SHOWN_INVALID]:
            console.print(plain(f"  {cell}：{value}"))
        if len(result.invalid) > SHOWN_INVALID:
            console.print(plain(f"  …… 另有 {len(result.invalid) - SHOWN_INVALID} 个"))
