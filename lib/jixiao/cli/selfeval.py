"""``jixiao selfeval``: official 项目支出绩效自评表 forms, read, checked and scored.

Each form (a file, or every ``*.xlsx`` of a folder; one form per sheet) is read
(:func:`jixiao.forms.read_forms`), scored under the scheme (:func:`jixiao.forms.score_form`)
and checked (:func:`jixiao.forms.form_findings`). Exit codes: 2 when a form cannot be read
or the scheme is bad, 1 when a check finds an error, 0 otherwise.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from jixiao.cli.app import app, dump_json, out, plain, problem, wide
from jixiao.exceptions import ConfigError, InputError


def _scheme(value: str):
    """A shipped scheme by name, or a scheme file (relative to the current directory)."""
    from jixiao.analysis.scoring import available_schemes, load_scheme

    target = value
    if not re.fullmatch(r"[\w-]+", value):
        target = str(Path(value).expanduser().resolve())
    try:
        return load_scheme(target)
    except ConfigError as exc:
        raise InputError(
            [
                problem(
                    value,
                    value,
                    f"评分方案名称（{'、'.join(available_schemes())}）或评分方案文件（.yaml）",
                    f"--scheme：{exc}",
                )
            ]
        ) from None


def _r(x: float | None) -> float | None:
    """A computed figure as printed: rounded half up to two decimals."""
    from jixiao.rounding import round_half_up

    return None if x is None else round_half_up(x, 2)


def form_json(score, findings) -> dict[str, Any]:
    """One form's object of ``selfeval --format json``."""
    form = score.form
    return {
        "file": str(form.path) if form.path else None,
        "project": form.project,
        "total": {"stated": score.total_stated, "computed": _r(score.total_computed)},
        "execution": {
            "rate": _r(score.rate_computed),
            "score_stated": score.execution_stated,
            "score_computed": _r(score.execution_computed),
        },
        "indicators": [
            {"name": r.name, "points": r.points, "stated": r.stated, "computed": _r(r.computed)}
            for r in score.indicators
        ],
        "findings": [
            {"severity": f.severity, "check": f.id, "message": f.message, "cell": f.cells[0] if f.cells else None}
            for f in findings
            if f.severity != "pass"
        ],
    }


@app.command()
def selfeval(
    paths: Annotated[
        list[Path],
        typer.Argument(metavar="FORM.xlsx…", help="项目支出绩效自评表文件（.xlsx）或存放自评表的文件夹"),
    ],
    scheme: Annotated[
        str, typer.Option("--scheme", help="评分方案：national、regional 或评分方案文件（.yaml，相对于当前目录）")
    ] = "national",
    format: Annotated[str, typer.Option("--format", help="输出格式：text（文字）或 json")] = "text",
) -> None:
    """项目支出绩效自评表：读取、校验并按评分方案重新计分；表格无法读取时退出码为 2，有错误时为 1。"""
    from jixiao.analysis.checks import SEVERITIES, SEVERITY_LABELS, ChecksFailed, summarize
    from jixiao.forms import form_findings, read_forms, score_form

    if format not in ("text", "json"):
        raise InputError([problem(" ".join(map(str, paths)), format, "text 或 json", "--format 只能是 text 或 json")])
    loaded = _scheme(scheme)
    forms = read_forms(paths)
    results = []
    for form in forms:
        sc = score_form(form, loaded)
        results.append((sc, form_findings(form, loaded, sc)))
    errors = sum(1 for _, fs in results for f in fs if f.severity == "error")
    if format == "json":
        # Plain echo: rich would treat brackets in messages as markup.
        typer.echo(dump_json([form_json(sc, fs) for sc, fs in results]))
    else:
        style = {"error": "bold red", "warning": "yellow", "info": "cyan", "pass": "green"}
        for sc, findings in results:
            _print_form(sc)
            counts = summarize(findings)
            for f in sorted(findings, key=lambda f: SEVERITIES.index(f.severity)):
                if f.severity == "pass":
                    continue
                out.print(
                    Text.assemble(
                        (f"  {SEVERITY_LABELS[f.severity]} ", style[f.severity]), plain(f"{f.id}：{f.message}")
                    )
                )
                if f.cells:
                    out.print(plain(f"      {'、'.join(f.cells)}"))
            out.print(
                "  校验：" + "，".join(f"{SEVERITY_LABELS[s]} {counts[s]}" for s in SEVERITIES) + "。",
                markup=False,
            )
            out.print()
        out.print(plain(f"共 {len(results)} 张自评表，评分方案“{loaded.name}”，错误 {errors} 项。"))
    if errors:
        # Raised rather than typer.Exit(code=1): see the note in jixiao.cli.workbook.check.
        raise ChecksFailed(f"自评表校验发现 {errors} 个错误")


def _pct(x: float | None, blank: str) -> str:
    from jixiao.values import plain as figure

    return blank if x is None else f"{figure(x)}%"


def _print_form(sc) -> None:
    from jixiao.values import plain as figure

    form = sc.form
    name = form.path.name if form.path else ""
    out.print(Text.assemble(("自评表 ", "bold"), plain(f"{name} {form.sheet}：{form.project}", "bold")))
    if form.amount_unit == "元":
        out.print(plain("  （表内金额以元为单位，已换算为万元）"))
    total = (
        f"  总分：所述 {figure(sc.total_stated, blank='未填')}，"
        f"计算 {figure(sc.total_computed, blank='无法计算')}" + (f"（{sc.grade}）" if sc.grade else "")
    )
    out.print(plain(total))
    out.print(
        plain(
            f"  预算执行率：所述 {_pct(sc.rate_stated, '未填')}，计算 {_pct(sc.rate_computed, '无法计算')}；"
            f"得分：所述 {figure(sc.execution_stated, blank='未填')}，计算 {figure(sc.execution_computed, blank='无法计算')}"
        )
    )
    table = Table(show_header=True, box=None, padding=(0, 1), pad_edge=False)
    for head in ("一级指标", "三级指标", "年度指标值", "实际完成值", "分值", "所述得分", "计算得分"):
        table.add_column(head, overflow="fold")
    for r in sc.indicators:
        ind = r.indicator
        table.add_row(
            plain(ind.level1),
            plain(ind.name),
            plain(ind.target or ""),
            plain(ind.actual or ""),
            figure(r.points),
            figure(r.stated, blank="未填"),
            figure(r.computed, blank="无法计算"),
        )
    wide().print(Padding(table, (0, 0, 0, 2), expand=False))
    for note in sc.notes:
        out.print(plain(f"  说明：{note}"))
