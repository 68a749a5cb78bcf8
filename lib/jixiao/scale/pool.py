"""The local runner: a batch's townships on a pool of worker processes of this machine.

- **Isolation.** Each township runs in a worker process (:func:`jixiao.scale.task.run_one`);
  a pool broken by a worker's death (killed, out of memory) is replaced and its unfinished
  townships resubmitted (at most :data:`POOL_RESTARTS` times each).
- **Interrupts.** Ctrl-C cancels what has not started, tells the workers to stop (SIGTERM:
  they clean up — the staging folder is discarded, the kernel shut down), waits
  :data:`INTERRUPT_GRACE` seconds, then kills them.
- **Orphans.** A worker whose batch process is gone (killed outright, it cannot tell them)
  stops too: it holds the read end of a pipe whose only write end is the batch process's,
  and the operating system closes that end when the batch process dies, however it dies.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import TYPE_CHECKING, cast

from jixiao.scale import task
from jixiao.scale.task import Outcome, RunOptions, failed_outcome, run_one

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext

#: Seconds workers get to clean up after Ctrl-C before they are killed.
INTERRUPT_GRACE = 10.0
#: How often a township is resubmitted after the worker pool broke under it.
POOL_RESTARTS = 2


def default_workers() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


class _RecordingContext:
    """A multiprocessing context that remembers the processes started with it.

    The executor launches its workers with its ``mp_context`` but does not expose them; an
    interrupt needs them (to ask each to clean up, wait for it, kill a straggler), so they
    are recorded here rather than read from the executor's private attributes. Everything
    else is the wrapped context's.
    """

    def __init__(self, ctx):
        self._ctx = ctx
        self.processes: list = []

    def Process(self, *args, **kwargs):  # noqa: N802 — the context API's name
        p = self._ctx.Process(*args, **kwargs)
        self.processes.append(p)
        return p

    def __getattr__(self, name: str):
        return getattr(self._ctx, name)


def _worker_init(parent_alive=None) -> None:
    """Worker start: leave Ctrl-C to the parent, clean up on SIGTERM, stop when the batch
    process is gone, warm the imports.

    ``parent_alive`` is the read end of a pipe only the batch process can write to: a
    thread reading it blocks until the batch process closes it or dies (end of file), with
    no polling, then ends the worker (:func:`jixiao.scale.task.stop_from_thread`).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def stop(signum, frame):  # noqa: ARG001
        task.stop(signum)  # unwinds a report being built (cleaning up), else exits at once

    signal.signal(signal.SIGTERM, stop)
    if parent_alive is not None:
        main = threading.main_thread().ident

        def watch():
            try:
                parent_alive.recv_bytes()  # nothing is ever sent: returns only at end of file
            except (EOFError, OSError):
                pass
            task.stop_from_thread(main)

        threading.Thread(target=watch, name="jixiao-parent-watch", daemon=True).start()
    try:  # the imports every township needs, paid once per worker
        import papermill  # noqa: F401

        import jixiao.analysis.checks  # noqa: F401
        import jixiao.report.render  # noqa: F401
        import jixiao.report.township  # noqa: F401
        import jixiao.workbook.load  # noqa: F401
    except Exception:
        pass


def run_on_pool(
    paths: list[Path],
    todo: list[int],
    n_workers: int,
    kwargs: RunOptions,
    outcomes: dict[int, Outcome],
    emit: Callable[[str, Outcome | None, dict], None],
) -> None:
    """Run ``paths[i]`` for each ``i`` of ``todo`` on a process pool of ``n_workers``; each
    outcome goes into ``outcomes[i]`` and to ``emit("done", …)`` as it completes."""
    import multiprocessing as mp
    from concurrent.futures.process import BrokenProcessPool

    # forkserver: workers start from a clean, single-threaded process (the parent has a
    # progress thread), and pay the imports once each.
    base = mp.get_context("forkserver")
    crashes: dict[int, int] = {}
    queue = list(todo)
    while queue:
        ctx = _RecordingContext(base)
        alive_r, alive_w = base.Pipe(duplex=False)  # alive_w stays here: see _worker_init
        # Typed as a BaseContext: ctx forwards the whole context API to base (see _RecordingContext).
        pool = ProcessPoolExecutor(
            max_workers=max(1, min(n_workers, len(queue))),
            mp_context=cast("BaseContext", ctx),
            initializer=_worker_init,
            initargs=(alive_r,),
        )
        futures = {}
        again: list[int] = []
        try:
            for i in queue:
                futures[pool.submit(run_one, str(paths[i]), **kwargs)] = i
            # Blocks until the next township is done; Ctrl-C interrupts the wait.
            for fut in as_completed(futures):
                i = futures[fut]
                try:
                    o = Outcome(**fut.result())
                except BrokenProcessPool as exc:
                    crashes[i] = crashes.get(i, 0) + 1
                    if crashes[i] <= POOL_RESTARTS:
                        again.append(i)
                        continue
                    o = _crashed(paths[i], exc, crashes[i])
                except Exception as exc:  # noqa: BLE001 — e.g. an unpicklable result
                    o = _crashed(paths[i], exc, 1)
                outcomes[i] = o
                emit("done", o, {})
        except KeyboardInterrupt:
            _stop_workers(pool, ctx.processes)
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
            alive_w.close()  # after shutdown: the workers have exited by now
            alive_r.close()
        queue = sorted(again)


def _crashed(path: Path, exc: BaseException, times: int) -> Outcome:
    return failed_outcome(
        path, exc, f"工作进程异常退出（{times} 次；可能被系统终止或内存不足）：{type(exc).__name__}: {exc}"
    )


def _stop_workers(pool: ProcessPoolExecutor, processes: list) -> None:
    """Cancel queued work, ask running workers to clean up (SIGTERM), kill stragglers."""
    import time

    pool.shutdown(wait=False, cancel_futures=True)
    processes = [p for p in processes if p.pid is not None]  # started (start() may have failed)
    for p in processes:
        if p.is_alive():
            p.terminate()  # SIGTERM: the worker's handler unwinds the township it runs
    deadline = time.monotonic() + INTERRUPT_GRACE
    for p in processes:
        p.join(max(0.0, deadline - time.monotonic()))
    for p in processes:
        if p.is_alive():
            p.kill()
            p.join(1)
