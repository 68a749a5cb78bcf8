"""The Dask runner: a batch's townships on a Dask distributed cluster.

With ``scheduler="tcp://host:8786"`` (or a connected ``distributed.Client``) each township
is one ``client.submit`` of :func:`jixiao.scale.task.run_one`; outcomes are collected as
they complete. A task that fails on the cluster's side (``KilledWorker``, a lost
connection …) is that township's failure. Ctrl-C cancels the submitted tasks.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jixiao.exceptions import JixiaoError
from jixiao.scale.task import Outcome, RunOptions, failed_outcome, raw_params, run_one


def run_on_dask(
    paths: list[Path],
    todo: list[int],
    scheduler: str | Any,
    kwargs: RunOptions,
    outcomes: dict[int, Outcome],
    emit: Callable[[str, Outcome | None, dict], None],
) -> int:
    """Run ``paths[i]`` for each ``i`` of ``todo`` on the cluster of ``scheduler`` (an address
    or a client); each outcome goes into ``outcomes[i]`` and to ``emit("done", …)``.

    Returns
    -------
    int
        The number of the cluster's workers.
    """
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise JixiaoError("使用 --scheduler 需要安装 dask[distributed]：pip install 'dask[distributed]'") from None
    own = not hasattr(scheduler, "submit")
    try:
        client = Client(scheduler, timeout="20s") if own else scheduler
    except OSError as exc:
        raise JixiaoError(f"无法连接 Dask 调度器 {scheduler}：{exc}") from None
    # A str has no .submit: an address is always connected above, never used as the client.
    assert not isinstance(client, str)
    futures = {}
    try:
        n = len(client.scheduler_info().get("workers", {}))
        for i in todo:
            slug = raw_params(paths[i]).get("township") or paths[i].stem
            fut = client.submit(run_one, str(paths[i]), pure=False, key=f"jixiao-{slug}-{i}-{time.time_ns()}", **kwargs)
            futures[fut] = i
        for fut in as_completed(list(futures)):
            i = futures[fut]
            try:
                o = Outcome(**fut.result())
            except Exception as exc:  # KilledWorker, a lost connection …
                o = failed_outcome(paths[i], exc, f"Dask 任务失败：{type(exc).__name__}: {exc}")
            outcomes[i] = o
            emit("done", o, {})
        return n
    except KeyboardInterrupt:
        client.cancel(list(futures))
        raise
    finally:
        if own:
            client.close()
