"""Commands that build reports: ``run`` (township), ``evaluate`` (key project), ``doctor``, ``version``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from jixiao import __version__
from jixiao.cli.app import FormatsOption, app, err, out, plain, print_run_summary, wide


@app.command()
def run(
    params_path: Annotated[Path, typer.Argument(metavar="PARAMS.yaml", help="参数文件（params/*.yaml）")],
    notebooks: Annotated[Path | None, typer.Option(help="章节笔记本目录（默认为仓库中的 notebooks/）")] = None,
    formats: FormatsOption = None,
    final: Annotated[
        bool, typer.Option("--final", help="生成定稿：仍有未更正或未说明的错误时不生成任何文件，退出码 1")
    ] = False,
) -> None:
    """执行各章节笔记本并拼接为报告：reports/<乡镇>/<年度>/report.html（及 report.pdf、report.docx）、审核意见（review.html、checks.xlsx）、自评表、清单。"""
    from jixiao.cli.progress import section_progress
    from jixiao.export.formats import parse_formats
    from jixiao.report.sections import sections
    from jixiao.report.township import run_report

    if formats is not None:
        formats = ",".join(parse_formats(formats))  # bad --format: exit 2 before anything runs
    with section_progress(err, len(sections("township"))) as callbacks:
        result = run_report(params_path, notebooks_dir=notebooks, formats=formats, final=final, **callbacks)
    print_run_summary(result, "报告已生成")


@app.command("evaluate")
def evaluate(
    params_path: Annotated[Path, typer.Argument(metavar="PARAMS.yaml", help="重点评价参数文件（kind: key-project）")],
    notebooks: Annotated[
        Path | None, typer.Option(help="章节笔记本目录（默认为仓库中的 notebooks/key_project/）")
    ] = None,
    check: Annotated[bool, typer.Option("--check", help="只校验工作簿并计算得分，不生成报告")] = False,
    formats: FormatsOption = None,
    final: Annotated[
        bool, typer.Option("--final", help="生成定稿：仍有未更正的错误时不生成任何文件，退出码 1")
    ] = False,
) -> None:
    """重点评价：校验重点项目工作簿、计算指标得分，生成 reports/<乡镇>/<年度>/key-<项目>/report.html。"""
    from jixiao.cli.progress import section_progress
    from jixiao.keyproject import SAMPLE_LABEL, check_key_project
    from jixiao.keyproject import evaluate as evaluate_report
    from jixiao.report.sections import sections
    from jixiao.values import plain as number

    if check:
        ev = check_key_project(params_path).evaluation
        table = Table(title=plain(f"重点评价：{ev.name}", "table.title"), show_lines=False)
        for h in ("一级指标", "指标数", "分值", "得分"):
            table.add_column(h, justify="right" if h != "一级指标" else "left")
        for d in ev.dimensions:
            table.add_row(plain(d.name), str(d.indicators), number(d.weight), number(d.score))
        table.add_row("合计", str(len(ev.indicators)), number(ev.total_weight), number(ev.total))
        out.print(table)
        out.print(plain(f"综合得分 {number(ev.total)} 分，评价等级“{ev.grade}”。"))
        if ev.sample:
            out.print(f"[bold red]{SAMPLE_LABEL}[/]：指标得分为示例，仅供演示。")
        return
    with section_progress(err, len(sections("key-project"))) as callbacks:
        result = evaluate_report(params_path, notebooks_dir=notebooks, formats=formats, final=final, **callbacks)
    assert result.evaluation is not None  # KeyProjectReport.result always records it
    ev = result.evaluation
    print_run_summary(
        result,
        "重点评价报告已生成",
        (
            f"{ev.name}：综合得分 {number(ev.total)} 分，评价等级“{ev.grade}”"
            + (f"（{SAMPLE_LABEL}）" if ev.sample else "")
            + "。",
        ),
    )


@app.command()
def doctor() -> None:
    """检查运行环境：中文字体、Jupyter 内核、PDF 与 Word 生成器；缺少必需项时退出码为 1 并给出安装方法。"""

    from jixiao.doctor import DoctorFailed, diagnose

    checks = diagnose()
    table = Table(title="jixiao 运行环境检查", show_lines=False)
    table.add_column("状态", no_wrap=True)
    table.add_column("检查项", no_wrap=True)
    table.add_column("结果", overflow="fold")
    table.add_column("缺少时的安装方法", overflow="fold")
    marks = {"ok": "[green]✓ 正常[/]", "missing": "[bold red]✗ 缺少[/]", "optional": "[yellow]– 可选[/]"}
    for c in checks:
        table.add_row(marks[c.status], plain(c.name), plain(c.detail), plain("" if c.status == "ok" else c.fix))
    wide(160).print(table)
    missing = [c for c in checks if c.status == "missing"]
    if missing:
        raise DoctorFailed(
            f"缺少 {len(missing)} 项必需组件："
            + "、".join(c.name for c in missing)
            + "。请按上表安装（通常运行 make setup 即可）。"
        )
    out.print("[bold green]一切就绪[/]：可以生成 HTML、PDF 与 Word 报告。")


@app.command()
def version() -> None:
    """打印版本号。"""
    out.print(__version__)
