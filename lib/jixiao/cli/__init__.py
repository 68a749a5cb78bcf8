"""The ``jixiao`` command line.

Commands are declared in this package, by concern: :mod:`~jixiao.cli.workbook`
(validate, check, template, docs), :mod:`~jixiao.cli.report` (run, evaluate, doctor,
version), :mod:`~jixiao.cli.selfeval` (selfeval), :mod:`~jixiao.cli.survey` (survey),
:mod:`~jixiao.cli.batch` (batch, rollup, synth).

Bad input never produces a traceback: every :class:`JixiaoError` becomes a Chinese
message on stderr and its exit code (2 for invalid input, 1 for failed checks or runs).
Set ``JIXIAO_DEBUG=1`` to see the traceback of an unexpected internal error.
"""

from __future__ import annotations

import errno
import os
import sys

import typer

# Importing the command modules declares their commands on the app, in --help order.
# isort: off
from jixiao.cli import workbook, report, selfeval, survey, batch  # noqa: F401

# isort: on
from jixiao.cli.app import app, err, report_input_error
from jixiao.exceptions import InputError, JixiaoError

#: What to do about an operating-system error, by errno.
_OS_ADVICE = {
    errno.ENOSPC: "磁盘空间不足：请清理磁盘或把 output_dir 设到有空间的位置",
    errno.EDQUOT: "磁盘配额已满：请清理文件或把 output_dir 设到其他位置",
    errno.EROFS: "文件系统只读：请把 output_dir 设到可写的位置",
    errno.EACCES: "没有权限：请检查该文件或文件夹的权限，或把 output_dir 设到可写的位置",
    errno.EPERM: "没有权限：请检查该文件或文件夹的权限",
    errno.ENAMETOOLONG: "文件名过长：请缩短参数文件中的 township（用作文件夹名）或 output_dir",
    errno.ENOTDIR: "路径中有一段是文件而不是文件夹：请检查 output_dir 和 workbook",
    errno.ENOENT: "文件或文件夹不存在：请检查路径",
}


def environment_message(exc: OSError) -> str:
    """A plain Chinese sentence for an operating-system error: which file, what happened,
    what to do."""
    where = exc.filename or ""
    advice = _OS_ADVICE.get(exc.errno or 0, "请检查路径、权限和磁盘空间")
    return f"无法读写 {where}（{exc.strerror or exc}）。{advice}。之前生成的报告未受影响。"


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
    except OSError as exc:
        # The machine said no (disk full, read-only, no permission, a name too long, a path
        # through a file): the user's environment, not a defect. The previous report is intact.
        if os.environ.get("JIXIAO_DEBUG"):
            raise
        err.print("[bold red]错误：[/]", end="")
        err.print(environment_message(exc), markup=False)
        code = 1
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
