"""The ``jixiao`` typer app, its consoles and what every command prints the same way.

Text from files (unit names, messages quoting cells, paths) is printed literally: never
parsed as rich markup.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from jixiao.exceptions import InputError, Problem

#: ``--format/-f`` of the commands that build reports (run, evaluate).
FormatsOption = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        metavar="html,pdf,docx",
        help="输出格式，逗号分隔：html、pdf、docx（默认取参数文件的 report.formats）",
    ),
]

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="jixiao（绩效）：从乡镇年度工作簿生成部门整体绩效管理自评报告。",
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def wide(width: int = 200) -> Console:
    """``out``, or a wide console when output is redirected (rich would assume 80 columns
    and fold every message)."""
    return out if out.is_terminal else Console(highlight=False, width=width)


def problem(file, found, expected, message) -> Problem:
    """A usage problem with a command-line value (no sheet, no cell)."""
    return Problem(file, None, None, found, expected, message)


def report_input_error(exc: InputError) -> None:
    """Every problem of a bad input, numbered, on stderr."""
    n = len(exc.problems)
    err.print(f"[bold red]发现 {n} 个问题：[/]" if n > 1 else "[bold red]发现 1 个问题：[/]")
    for i, p in enumerate(exc.problems, 1):
        err.print(f"{i:>3}. {p}", markup=False)


def dump_json(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2, default=str)


def load_any(path: Path, year: int | None = None):
    """A parameters file or a workbook → (params or None, dataset)."""
    from jixiao.params import load_params
    from jixiao.workbook.load import load_workbook

    if path.suffix.lower() in (".yaml", ".yml"):
        params = load_params(path)
        return params, load_workbook(params.workbook, year=params.year)
    return None, load_workbook(path, year=year)


def print_run_summary(result, done: str, lines: tuple[str, ...] = ()) -> None:
    """What a report run (township or key project) prints when it is done.

    Parameters
    ----------
    result : RunResult
        The run's outputs, sections, findings and time.
    done : str
        The first words (``报告已生成``).
    lines : tuple of str
        Lines of the kind's own (the key project's score), printed before the checks.
    """
    counts: dict[str, int] = {}
    for f in result.findings:
        counts[f.severity] = counts.get(f.severity, 0) + 1
    out.print(
        Text.assemble(
            (done, "bold green"), f"：{result.report}（{result.seconds:.1f} 秒，{len(result.sections)} 个章节）"
        )
    )
    indent = "　" * (len(done) + 1)
    for path in result.outputs.values():
        if path != result.report:
            out.print(f"{indent}{path}", markup=False)
    for line in lines:
        out.print(line, markup=False)
    out.print(
        f"勾稽校验：错误 {counts.get('error', 0)}，警告 {counts.get('warning', 0)}，"
        f"提示 {counts.get('info', 0)}，通过 {counts.get('pass', 0)}",
        markup=False,
    )
    if result.review is not None:
        out.print(f"审核意见：{result.review}", markup=False)
    if result.draft:
        out.print(
            Text.assemble(
                ("报告为草稿", "bold red"),
                f"：{len(result.open_errors)} 项错误尚未更正或在“校验说明”表中说明（见审核意见），"
                "页眉标注“草稿”；全部处理后以 --final 生成定稿。",
            )
        )
        for f in result.open_errors:
            out.print(f"{indent}{f.title}：{f.message}", markup=False)
