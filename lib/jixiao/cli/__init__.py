"""The ``jixiao`` command line.

Bad input never produces a traceback: every :class:`JixiaoError` becomes a Chinese
message on stderr and its exit code (2 for invalid input, 1 for failed checks or runs).
Set ``JIXIAO_DEBUG=1`` to see the traceback of an unexpected internal error.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from jixiao import __version__
from jixiao.exceptions import InputError, JixiaoError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="jixiao（绩效）：从乡镇年度工作簿生成部门整体绩效管理自评报告。",
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def _load_any(path: Path, year: int | None = None):
    """A parameters file or a workbook → (params or None, dataset)."""
    from jixiao.workbook.load import load_workbook
    from jixiao.params import load_params

    if path.suffix.lower() in (".yaml", ".yml"):
        params = load_params(path)
        return params, load_workbook(params.workbook, year=params.year)
    return None, load_workbook(path, year=year)


def _report_input_error(exc: InputError) -> None:
    n = len(exc.problems)
    err.print(f"[bold red]发现 {n} 个问题：[/]" if n > 1 else "[bold red]发现 1 个问题：[/]")
    for i, p in enumerate(exc.problems, 1):
        err.print(f"{i:>3}. {p}", markup=False)


@app.command()
def validate(
    path: Annotated[Path, typer.Argument(help="参数文件（params/*.yaml）或工作簿（.xlsx）")],
    year: Annotated[Optional[int], typer.Option(help="期望的年度（直接给工作簿时）")] = None,
) -> None:
    """载入并校验工作簿：通过时打印摘要（退出码 0），否则列出全部问题（退出码 2）。"""
    _params, ds = _load_any(path, year)
    table = Table(title=f"工作簿校验通过：{ds.path.name}", show_header=False)
    for k, v in ds.summary().items():
        table.add_row(k, str(v))
    out.print(table)
    out.print(f"{ds.summary()['项目']} 个项目（projects），{len(ds.functions)} 个功能分类，"
              f"{len(ds.indicators)} 个项目指标。")


@app.command()
def check(
    path: Annotated[Path, typer.Argument(help="参数文件（params/*.yaml）或工作簿（.xlsx）")],
    format: Annotated[str, typer.Option("--format", help="输出格式：table（表格）或 json")] = "table",
) -> None:
    """勾稽校验：核对合计、占比、比率与计数，列出全部结果；有错误时退出码为 1。"""
    from rich.text import Text

    from jixiao.analysis.checks import SEVERITIES, SEVERITY_LABELS, ChecksFailed, run_checks, summarize
    from jixiao.rounding import fmt

    if format not in ("table", "json"):
        raise InputError([_problem(str(path), format, "table 或 json", "--format 只能是 table 或 json")])
    params, ds = _load_any(path)
    findings = run_checks(ds, params)
    counts = summarize(findings)
    if format == "json":
        # Plain echo: rich would treat brackets in messages as markup.
        typer.echo(_dump_json([f.to_dict() for f in findings]))
    else:
        table = Table(title=f"勾稽校验：{ds.name} {ds.year}年度", show_lines=True)
        table.add_column("结果", no_wrap=True, min_width=4)
        table.add_column("编号", overflow="fold")
        table.add_column("说明", overflow="fold", ratio=1, min_width=30)
        table.add_column("所述", no_wrap=True)
        table.add_column("计算", no_wrap=True)
        table.add_column("单元格", overflow="fold")
        style = {"error": "bold red", "warning": "yellow", "info": "cyan", "pass": "green"}

        def number(x):  # counts and scores print as 8 and 91, amounts as 2607.15
            return "" if x is None else (str(int(x)) if float(x).is_integer() else fmt(x))

        # Errors first: that is what has to be fixed before the report goes out.
        for f in sorted(findings, key=lambda f: SEVERITIES.index(f.severity)):
            table.add_row(Text(SEVERITY_LABELS[f.severity], style=style[f.severity]), f.id, Text(f.message),
                          number(f.stated), number(f.computed), Text("\n".join(f.cells)))
        # Redirected to a file, rich would assume 80 columns and fold every message.
        (out if out.is_terminal else Console(highlight=False, width=200)).print(table)
        out.print(f"共 {len(findings)} 项：" + "，".join(f"{SEVERITY_LABELS[s]} {counts[s]}" for s in SEVERITIES) + "。")
    if counts["error"]:
        # Raised rather than typer.Exit(code=1): main() runs the app with
        # standalone_mode=False, where click returns an Exit's code instead of raising it,
        # and main() would report success.
        raise ChecksFailed(f"勾稽校验发现 {counts['error']} 个错误")


@app.command()
def template(
    out_path: Annotated[Path, typer.Argument(metavar="OUT.xlsx", help="输出的空白模板")],
    data: Annotated[Optional[Path], typer.Option(help="用此目录中的 YAML 转录数据填充（开发用）")] = None,
    kind: Annotated[str, typer.Option(help="township（乡镇年度工作簿）或 key-project（重点评价项目工作簿）")] = "township",
) -> None:
    """写出空白工作簿模板（表头、批注、下拉选项与数值校验）。"""
    from jixiao.workbook.template import read_transcription, write_workbook

    if out_path.suffix.lower() != ".xlsx":
        raise InputError([_problem(str(out_path), out_path.suffix or "无扩展名", ".xlsx", "输出文件应以 .xlsx 结尾")])
    if kind not in ("township", "key-project"):
        raise InputError([_problem(str(out_path), kind, "township 或 key-project", "--kind 只能是 township 或 key-project")])
    content = read_transcription(data) if data else None
    label = f"数据来源：{data}" if data else None
    if kind == "key-project":
        from jixiao.keyproject import write_key_project_template

        write_key_project_template(out_path, content, label=label)
    else:
        write_workbook(out_path, content, label=label)
    out.print(f"已写出 {out_path}")


@app.command()
def docs(
    out_path: Annotated[Path, typer.Argument(help="数据字典输出路径")] = Path("docs/data-format.md"),
) -> None:
    """由格式定义生成数据字典（docs/data-format.md）。"""
    from jixiao.workbook.datadict import render_data_dictionary

    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(render_data_dictionary(), encoding="utf-8")
    out.print(f"已写出 {out_path}")


@app.command()
def run(
    params_path: Annotated[Path, typer.Argument(metavar="PARAMS.yaml", help="参数文件（params/*.yaml）")],
    notebooks: Annotated[Optional[Path], typer.Option(help="章节笔记本目录（默认为仓库中的 notebooks/）")] = None,
    formats: Annotated[Optional[str], typer.Option(
        "--format", "-f", metavar="html,pdf,docx",
        help="输出格式，逗号分隔：html、pdf、docx（默认取参数文件的 report.formats）")] = None,
) -> None:
    """执行各章节笔记本并拼接为报告：reports/<乡镇>/<年度>/report.html（及 report.pdf、report.docx）、自评表、清单。"""
    from jixiao.export.formats import parse_formats
    from jixiao.cli.progress import section_progress
    from jixiao.report.pipeline import report_sections, run_report

    if formats is not None:
        formats = ",".join(parse_formats(formats))  # bad --format: exit 2 before anything runs
    with section_progress(err, len(report_sections())) as callbacks:
        result = run_report(params_path, notebooks_dir=notebooks, formats=formats, **callbacks)
    counts = {}
    for f in result.findings:
        counts[f.severity] = counts.get(f.severity, 0) + 1
    out.print(f"[bold green]报告已生成[/]：{result.report}（{result.seconds:.1f} 秒，{len(result.sections)} 个章节）")
    for fmt, path in result.outputs.items():
        if path != result.report:
            out.print(f"　　　　　 {path}")
    out.print(f"勾稽校验：错误 {counts.get('error', 0)}，警告 {counts.get('warning', 0)}，"
              f"提示 {counts.get('info', 0)}，通过 {counts.get('pass', 0)}（详见报告附录）")


@app.command()
def doctor() -> None:
    """检查运行环境：中文字体、Jupyter 内核、PDF 与 Word 生成器；缺少必需项时退出码为 1 并给出安装方法。"""
    from rich.text import Text

    from jixiao.doctor import DoctorFailed, diagnose

    checks = diagnose()
    table = Table(title="jixiao 运行环境检查", show_lines=False)
    table.add_column("状态", no_wrap=True)
    table.add_column("检查项", no_wrap=True)
    table.add_column("结果", overflow="fold")
    table.add_column("缺少时的安装方法", overflow="fold")
    marks = {"ok": "[green]✓ 正常[/]", "missing": "[bold red]✗ 缺少[/]", "optional": "[yellow]– 可选[/]"}
    for c in checks:
        table.add_row(marks[c.status], Text(c.name), Text(c.detail), Text("" if c.status == "ok" else c.fix))
    (out if out.is_terminal else Console(highlight=False, width=160)).print(table)
    missing = [c for c in checks if c.status == "missing"]
    if missing:
        raise DoctorFailed(f"缺少 {len(missing)} 项必需组件：" + "、".join(c.name for c in missing)
                           + "。请按上表安装（通常运行 make setup 即可）。")
    out.print("[bold green]一切就绪[/]：可以生成 HTML、PDF 与 Word 报告。")


@app.command()
def version() -> None:
    """打印版本号。"""
    out.print(__version__)


def _register_plugins() -> None:
    """Commands that live with their own workflow (重点评价 evaluate; batch, rollup, synth)."""
    from jixiao.cli.batch import register as register_batch
    from jixiao.keyproject import register as register_key_project

    register_key_project(app)
    register_batch(app)


_register_plugins()


def _problem(file, found, expected, message):
    from jixiao.exceptions import Problem

    return Problem(file, None, None, found, expected, message)


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the app and map errors to exit codes."""
    try:
        # In standalone_mode=False click returns an Exit's code instead of raising it.
        code = app(args=argv, standalone_mode=False) or 0
    except InputError as exc:
        _report_input_error(exc)
        code = exc.exit_code
    except JixiaoError as exc:
        # The message may quote user text with [brackets]: never parse it as rich markup.
        err.print("[bold red]错误：[/]", end="")
        err.print(str(exc), markup=False)
        code = exc.exit_code
    except typer.Exit as exc:
        code = exc.exit_code
    except (typer.Abort, KeyboardInterrupt):
        err.print("已中断。")
        code = 130
    except typer.TyperException as exc:  # usage errors (typer vendors click: not click's classes)
        if hasattr(exc, "show"):
            exc.show()
        code = getattr(exc, "exit_code", 2)
    except Exception as exc:  # genuine bugs
        if os.environ.get("JIXIAO_DEBUG"):
            raise
        err.print("[bold red]内部错误：[/]", end="")
        err.print(f"{type(exc).__name__}: {exc}\n这是 jixiao 的缺陷，请设置 JIXIAO_DEBUG=1 "
                  "重新运行以获取详细信息并报告。", markup=False)
        code = 3
    if argv is None:
        sys.exit(code)
    return code


def _dump_json(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2, default=str)
