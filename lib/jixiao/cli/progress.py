"""The progress display of a report run (township or key project): which section runs."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

FORMAT_STEPS = {"html": "生成 HTML", "pdf": "排版 PDF", "docx": "生成 Word 文档"}


@contextmanager
def section_progress(console: Console, total: int) -> Iterator[dict[str, Callable]]:
    """A transient progress bar over ``total`` sections.

    Yields
    ------
    dict
        ``on_start``, ``on_done`` and ``on_format`` callbacks, to pass to
        :func:`jixiao.report.township.run_report` or :func:`jixiao.keyproject.evaluate`.
    """
    with Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} 章节"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("载入与校验工作簿", total=total)
        yield {
            "on_start": lambda name: progress.update(task, description=f"正在执行：{name}"),
            "on_done": lambda _result: progress.advance(task),
            "on_format": lambda fmt: progress.update(task, description=FORMAT_STEPS.get(fmt, fmt)),
        }
