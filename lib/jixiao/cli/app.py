"""The ``jixiao`` typer app, its consoles and what every command prints the same way.

Text from files (unit names, messages quoting cells, paths) is printed literally: never
parsed as rich markup (print it as :func:`plain` text, or with ``markup=False``), and its
control characters are shown escaped (:func:`literal`), so that a workbook or parameters
file cannot colour, retitle or hyperlink the user's terminal. The consoles below escape
control characters in whatever they print, as a backstop for a path that forgets.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.segment import Segment
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
# C0 and C1 controls except tab and line feed (ESC starts ANSI colour and OSC 8
# hyperlink sequences, BEL rings, CR overwrites the line), DEL, and the bidirectional
# overrides and isolates that reorder what is shown (U+202A–U+202E, U+2066–U+2069).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escape(m: re.Match) -> str:
    code = ord(m.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def literal(text: Any) -> str:
    """``text`` as it may reach a terminal: control characters shown escaped.

    ``"A\\x1b[31mB\\x07"`` → ``"A\\\\x1b[31mB\\\\x07"`` (printed ``A\\x1b[31mB\\x07``); tab and
    line feed are kept. Use :func:`plain` to print it without markup.
    """
    text = str(text)
    return _CONTROL.sub(_escape, text) if _CONTROL.search(text) else text


def plain(text: Any, style: str = "") -> Text:
    """File text for the console: no markup (``[/]`` and ``[link=…]`` print as typed),
    no emoji codes, control characters escaped (:func:`literal`)."""
    return Text(literal(text), style=style)


class SafeConsole(Console):
    """A console that shows control characters in what it prints escaped.

    Every segment but rich's own control segments (cursor movement for progress bars)
    goes through :func:`literal`: text from a file printed by a path that did not use
    :func:`plain` still cannot send escape sequences to the terminal. Markup is the
    caller's business (:func:`plain`, ``markup=False``): only the caller knows which
    brackets are its own.
    """

    def __init__(self, **kwargs: Any):
        # emoji=False: ":thumbs_up:" in a unit name is text, not a picture.
        super().__init__(emoji=False, highlight=False, **kwargs)

    def render(self, renderable, options=None) -> Iterable[Segment]:
        for segment in super().render(renderable, options):
            if segment.control is None and _CONTROL.search(segment.text):
                yield Segment(literal(segment.text), segment.style)
            else:
                yield segment


out = SafeConsole(soft_wrap=True)
err = SafeConsole(stderr=True, soft_wrap=True)


def wide(width: int = 200) -> Console:
    """``out``, or a wide console when output is redirected (rich would assume 80 columns
    and fold every message)."""
    return out if out.is_terminal else SafeConsole(width=width)


def problem(file, found, expected, message) -> Problem:
    """A usage problem with a command-line value (no sheet, no cell)."""
    return Problem(file, None, None, found, expected, message)


def report_input_error(exc: InputError) -> None:
    """Every problem of a bad input, numbered, on stderr."""
    n = len(exc.problems)
    err.print(f"[bold red]发现 {n} 个问题：[/]" if n > 1 else "[bold red]发现 1 个问题：[/]")
    for i, p in enumerate(exc.problems, 1):
        err.print(plain(f"{i:>3}. {p}"))


def dump_json(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2, default=str)


def load_any(path: Path, year: int | None = None):
    """A parameters file or a workbook → (params or None, dataset)."""
    from jixiao.inputs import load_township
    from jixiao.params import load_params
    from jixiao.workbook.load import load_workbook

    if path.suffix.lower() in (".yaml", ".yml"):
        params = load_params(path)
        return params, load_township(params)
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
            (done, "bold green"),
            plain(f"：{result.report}（{result.seconds:.1f} 秒，{len(result.sections)} 个章节）"),
        )
    )
    indent = "　" * (len(done) + 1)
    for path in result.outputs.values():
        if path != result.report:
            out.print(plain(f"{indent}{path}"))
    for line in lines:
        out.print(plain(line))
    out.print(
        f"勾稽校验：错误 {counts.get('error', 0)}，警告 {counts.get('warning', 0)}，"
        f"提示 {counts.get('info', 0)}，通过 {counts.get('pass', 0)}",
        markup=False,
    )
    if result.review is not None:
        out.print(plain(f"审核意见：{result.review}"))
    if result.draft:
        out.print(
            Text.assemble(
                ("报告为草稿", "bold red"),
                f"：{len(result.open_errors)} 项错误尚未更正或在“校验说明”表中说明（见审核意见），"
                "页眉标注“草稿”；全部处理后以 --final 生成定稿。",
            )
        )
        for f in result.open_errors:
            out.print(plain(f"{indent}{f.title}：{f.message}"))
