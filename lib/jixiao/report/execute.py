"""Execute a township's section notebooks with papermill, all in one kernel.

A kernel start and the kernel's imports cost about a second each; paying them once per
township instead of once per section is most of the speed of a run. papermill hands
engine keyword arguments to nbclient, so a kernel manager started here is reused by
every section (nbclient leaves a kernel it does not own running).

The kernel imports the section code as it boots (:mod:`jixiao.report.preload`), and
:func:`jixiao.report.pipeline.build_and_publish` starts it as soon as the input has been validated, so
the boot overlaps the parent's own imports (nbconvert, papermill, WeasyPrint). Notebooks
are saved once each, when they finish, not after every cell: papermill's per-cell saves
re-serialise every chart already drawn, and a failing notebook is still written with its
error cell.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from jupyter_client.manager import KernelManager

from jixiao.exceptions import SectionFailure

#: Seconds one cell may run before the section is declared failed (papermill has none).
CELL_TIMEOUT = 300
KERNEL_START_TIMEOUT = 60
#: Run by the kernel before it answers its first request (``IPKernelApp.exec_lines``).
PRELOAD_LINES = ("import jixiao.report.preload", "del jixiao")


@dataclass
class SectionResult:
    """How one section notebook ran."""

    name: str
    notebook: Path
    output: Path
    seconds: float
    status: str  # "ok" | "failed"
    error: str = ""


@contextmanager
def shared_kernel(cwd: Path) -> Iterator[KernelManager]:
    """Start one Python kernel (this interpreter, IPC transport) and shut it down after.

    IPC (Unix sockets) instead of TCP: kernels started side by side in a batch cannot
    collide on ports, and ipykernel has nothing to warn about. The kernel preloads the
    section modules (:data:`PRELOAD_LINES`) before it reports ready, so the manager can be
    started early and the boot overlapped with other work.
    """
    # IPC socket paths are relative to the working directory unless absolute, and the
    # kernel runs in another directory than this process: give them an absolute home.
    sockets = Path(tempfile.mkdtemp(prefix="jixiao-kernel-"))
    km = KernelManager(kernel_name="python3", transport="ipc", ip=str(sockets / "k"))
    km.start_kernel(cwd=str(cwd), extra_arguments=[f"--IPKernelApp.exec_lines={list(PRELOAD_LINES)!r}"])
    try:
        yield km
    finally:
        stop_kernel(km)
        shutil.rmtree(sockets, ignore_errors=True)


def stop_kernel(km: KernelManager) -> None:
    """Shut a kernel down now (idempotent: :func:`shared_kernel` calls it again on exit)."""
    if km.has_kernel:
        km.shutdown_kernel(now=True)
        km.cleanup_resources()


def execute_sections(
    sections: list[tuple[str, Path]],
    out_dir: Path,
    parameters: dict,
    *,
    on_start: Callable[[str], None] | None = None,
    on_done: Callable[[SectionResult], None] | None = None,
    km: KernelManager | None = None,
) -> list[SectionResult]:
    """Run each section notebook with ``parameters``, in one shared kernel.

    Parameters
    ----------
    sections : list of (name, path)
        Section display name and its source notebook, in report order.
    out_dir : Path
        Where the executed notebooks are written (same file names).
    parameters : dict
        Injected by papermill into each notebook's ``parameters`` cell.
    on_start, on_done : callable, optional
        Progress callbacks.
    km : KernelManager, optional
        A kernel from :func:`shared_kernel`, already started (and left running);
        by default one is started here and shut down after the last section.

    Returns
    -------
    list of SectionResult

    Raises
    ------
    SectionFailure
        At the first failing section; its executed notebook (with the error cell) has
        been written to ``out_dir``.
    """
    if km is None:
        # The kernel runs where the notebooks live, as it would in JupyterLab.
        with shared_kernel(sections[0][1].parent if sections else out_dir) as own:
            return execute_sections(sections, out_dir, parameters, on_start=on_start, on_done=on_done, km=own)
    import papermill as pm  # ~1 s to import (while the kernel boots): only when notebooks really run

    results: list[SectionResult] = []
    for name, nb_path in sections:
        if on_start:
            on_start(name)
        output = out_dir / nb_path.name
        t0 = time.perf_counter()
        try:
            pm.execute_notebook(
                str(nb_path),
                str(output),
                parameters=parameters,
                km=km,
                progress_bar=False,
                log_output=False,
                request_save_on_cell_execute=False,
                execution_timeout=CELL_TIMEOUT,
                start_timeout=KERNEL_START_TIMEOUT,
            )
        except pm.PapermillExecutionError as exc:
            res = SectionResult(name, nb_path, output, time.perf_counter() - t0, "failed", f"{exc.ename}: {exc.evalue}")
            results.append(res)
            if on_done:
                on_done(res)
            raise SectionFailure(section=name, error=res.error, notebook=str(output)) from None
        res = SectionResult(name, nb_path, output, time.perf_counter() - t0, "ok")
        results.append(res)
        if on_done:
            on_done(res)
    return results
