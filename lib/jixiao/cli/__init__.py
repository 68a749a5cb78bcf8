"""The ``jixiao`` command line.

Commands are declared in this package, by concern: :mod:`~jixiao.cli.workbook`
(validate, check, template, docs), :mod:`~jixiao.cli.report` (run, evaluate, doctor,
version), :mod:`~jixiao.cli.batch` (batch, rollup, synth).

Bad input never produces a traceback: every :class:`JixiaoError` becomes a Chinese
message on stderr and its exit code (2 for invalid input, 1 for failed checks or runs).
Set ``JIXIAO_DEBUG=1`` to see the traceback of an unexpected internal error.
"""

from __future__ import annotations

import os
import sys

import typer

# Importing the command modules declares their commands on the app, in --help order.
# isort: off
from jixiao.cli import workbook, report, batch  # noqa: F401

# isort: on
from jixiao.cli.app import app, err, report_input_error
from jixiao.exceptions import InputError, JixiaoError


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the app and map errors to exit codes."""
    try:
        # In standalone_mode=False click returns an Exit's code instead of raising it.
        code = app(args=argv, standalone_mode=False) or 0
        if code == 130:
            # Typer turns Ctrl-C (and SIGTERM or SIGHUP during a run, which jixiao.report.publish
            # raises as KeyboardInterrupt) into a silent exit 130: say what happened.
            err.print("已中断。")
    except InputError as exc:
        report_input_error(exc)
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
        err.print(
            f"{type(exc).__name__}: {exc}\n这是 jixiao 的缺陷，请设置 JIXIAO_DEBUG=1 重新运行以获取详细信息并报告。",
            markup=False,
        )
        code = 3
    if argv is None:
        sys.exit(code)
    return code
