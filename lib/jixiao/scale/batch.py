"""Batch runs: many township-years on a local pool of worker processes, or on Dask.

``jixiao batch params/*.yaml`` (or a run-set YAML) builds every report with
:func:`jixiao.report.township.run_report`, one township per task. This module plans and
orchestrates a batch (:func:`run_batch`) and writes its manifest; the parts live in

- :mod:`jixiao.scale.runset` — what to run: run-set YAML files, parameter paths and globs;
- :mod:`jixiao.scale.incremental` — which townships are up to date (skipped unless ``force``);
- :mod:`jixiao.scale.task` — one township in a worker: its :class:`Outcome`, retries;
- :mod:`jixiao.scale.pool` — the local process pool (isolation, interrupts);
- :mod:`jixiao.scale.dask_runner` — a Dask distributed cluster.

In short:

- **Isolation.** Each township runs in a worker process of its own pool slot, stages
  its outputs in its own temporary folder (``publish.staged_output``) and its kernel's
  sockets in another (``execute.shared_kernel``). Whatever one township raises (a bad
  workbook → ``InputError``, a failing section → ``SectionFailure``, anything else) is
  caught in the worker and reported as that township's failure with its reason; the
  others go on. The batch exits 1 when any township failed.
- **Retries.** A kernel that fails to start (or dies) is retried a few times
  (:data:`KERNEL_RETRIES`); other failures are not retried (they would fail again).
- **Interrupts.** Ctrl-C cancels what has not started, tells the workers to stop (they
  clean up: the staging folder is discarded, the kernel shut down), waits briefly, then
  kills them; staging and ``.failed`` folders left by interrupted townships are removed.
  A report folder is only ever replaced whole, so none is half-written.
- **Incremental.** A township whose last successful run (its ``manifest.json``) used the
  same parameters file, workbook, notebooks and jixiao version, and produced every
  requested format, is skipped unless ``force``.
- **Dask.** With ``scheduler="tcp://host:8786"`` the same tasks go to a Dask distributed
  cluster (``client.submit`` per township, results as they complete).

The run-set manifest (JSON) records each township's parameters file, status
(``ok`` / ``failed`` / ``skipped``), reason, seconds and output folder, and totals.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from jixiao import __version__
from jixiao.scale.dask_runner import run_on_dask
from jixiao.scale.incremental import up_to_date
from jixiao.scale.pool import INTERRUPT_GRACE, POOL_RESTARTS, default_workers, run_on_pool
from jixiao.scale.runset import RunSet, expand_params, is_runset, load_runset
from jixiao.scale.task import (
    KERNEL_RETRIES,
    STATUSES,
    Outcome,
    RunOptions,
    out_dir_of,
    params_kind,
    raw_params,
    run_one,
)

__all__ = [
    "BatchResult",
    "INTERRUPT_GRACE",
    "KERNEL_RETRIES",
    "Outcome",
    "POOL_RESTARTS",
    "RunSet",
    "STATUSES",
    "default_workers",
    "expand_params",
    "is_runset",
    "load_runset",
    "params_kind",
    "run_batch",
    "run_one",
    "up_to_date",
]


@dataclass
class BatchResult:
    """What :func:`run_batch` did."""

    outcomes: list[Outcome]
    seconds: float
    workers: int
    backend: str  # local | dask | inline
    manifest: Path | None = None
    interrupted: bool = False
    started: str = ""

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    @property
    def exit_code(self) -> int:
        if self.interrupted:
            return 130
        return 1 if self.failed else 0

    def totals(self) -> dict[str, Any]:
        ran = [o for o in self.outcomes if o.status != "skipped"]
        return {
            "townships": len(self.outcomes),
            **{s: self.count(s) for s in STATUSES},
            "interrupted": self.interrupted,
            "seconds": round(self.seconds, 3),
            "task_seconds": round(sum(o.seconds for o in ran), 3),
            "workers": self.workers,
            "backend": self.backend,
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "jixiao_version": __version__,
            "started": self.started,
            "finished": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "totals": self.totals(),
            "townships": [asdict(o) for o in self.outcomes],
        }


def run_batch(
    params: Iterable[str | Path],
    *,
    workers: int | None = None,
    formats: list[str] | None = None,
    force: bool = False,
    retries: int = KERNEL_RETRIES,
    scheduler: str | Any | None = None,
    notebooks_dir: str | Path | None = None,
    manifest: str | Path | None = None,
    on_event: Callable[[str, Outcome | None, dict], None] | None = None,
    summaries: bool = True,
) -> BatchResult:
    """Run a batch of township-years.

    Parameters
    ----------
    params : iterable of path
        Parameter files (already expanded; see :func:`expand_params`).
    workers : int, optional
        Local worker processes; default :func:`default_workers`. ``0`` runs every
        township in this process, one after another (debugging, tests).
    formats : list of str, optional
        Output formats for every township; default each parameters file's own.
    force : bool
        Rebuild townships whose inputs are unchanged.
    retries : int
        Retries after a kernel failed to start or died.
    scheduler : str or distributed.Client, optional
        A Dask scheduler address (``tcp://host:8786``) or a connected client: run there.
    notebooks_dir : path, optional
        The section notebooks (the repository's by default).
    manifest : path, optional
        Where to write the run-set manifest (JSON); by default
        ``<output root of the first township>/batch-manifest.json``.
    on_event : callable, optional
        ``on_event(kind, outcome, info)`` with kind ``plan`` (info: ``total``, ``skipped``,
        ``to_run``), ``skipped``, ``started``, ``done``.
    summaries : bool
        Compute the roll-up figures of each successful township in its worker.

    Returns
    -------
    BatchResult
    """
    t0 = time.perf_counter()
    started = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    wall_start = time.time()
    paths = [Path(p).resolve() for p in params]
    nb_dir = str(Path(notebooks_dir).resolve()) if notebooks_dir else None
    previous = previous_in(paths)
    # Here too (not only in the workers): whether a report is up to date depends on last
    # year's workbook, found in the run set for the files that name none.
    from jixiao.params import PREVIOUS_IN_RUNSET

    PREVIOUS_IN_RUNSET.update(previous)
    emit = on_event or (lambda *a: None)

    outcomes: dict[int, Outcome] = {}
    todo: list[int] = []
    for i, p in enumerate(paths):
        if force:
            todo.append(i)
            continue
        ok, why = up_to_date(p, formats=formats, notebooks_dir=Path(nb_dir) if nb_dir else None)
        if ok:
            raw = raw_params(p)
            outcomes[i] = Outcome(
                params=str(p),
                status="skipped",
                reason=why,
                township=raw.get("township"),
                year=raw.get("year"),
                name=raw.get("name"),
                kind=params_kind(p),
                out_dir=out_dir_of(p),
            )
        else:
            todo.append(i)
    emit("plan", None, {"total": len(paths), "skipped": len(outcomes), "to_run": len(todo)})
    for o in outcomes.values():
        emit("skipped", o, {})

    n_workers = default_workers() if workers is None else int(workers)
    backend = "dask" if scheduler is not None else ("inline" if n_workers == 0 else "local")
    kwargs: RunOptions = {
        "notebooks_dir": nb_dir,
        "formats": list(formats) if formats else None,
        "retries": retries,
        "summary": summaries,
        "previous": {str(k): str(v) for k, v in previous.items()},
    }
    interrupted = False
    # Key-project reports live inside their township's report folder, which a township run
    # replaces whole: townships first, then the key projects.
    kinds = {i: params_kind(paths[i]) for i in todo}
    phases = [
        in_year_order([i for i in todo if kinds[i] == "township"], paths),
        [i for i in todo if kinds[i] != "township"],
    ]
    try:
        for phase in phases:
            if not phase:
                continue
            if backend == "inline":
                for i in phase:
                    emit("started", None, {"params": str(paths[i])})
                    o = Outcome(**run_one(str(paths[i]), **kwargs))
                    outcomes[i] = o
                    emit("done", o, {})
            elif backend == "local":
                run_on_pool(paths, phase, n_workers, kwargs, outcomes, emit)
            else:
                n_workers = run_on_dask(paths, phase, scheduler, kwargs, outcomes, emit)
    except KeyboardInterrupt:
        interrupted = True
    if interrupted:
        for i in todo:
            if i not in outcomes:
                outcomes[i] = Outcome(
                    params=str(paths[i]),
                    status="skipped",
                    reason="已中断：未运行或运行被中断",
                    township=raw_params(paths[i]).get("township"),
                    year=raw_params(paths[i]).get("year"),
                    out_dir=out_dir_of(paths[i]),
                )
                _clean_leftovers(paths[i], since=wall_start, failed_too=True)
    for i in todo:  # a worker killed mid-run leaves its staging folder behind
        _clean_leftovers(paths[i], since=wall_start, failed_too=False)

    result = BatchResult(
        outcomes=[outcomes[i] for i in range(len(paths))],
        seconds=time.perf_counter() - t0,
        workers=n_workers,
        backend=backend,
        interrupted=interrupted,
        started=started,
    )
    mpath = Path(manifest) if manifest else _default_manifest(result)
    if mpath is not None:
        mpath.parent.mkdir(parents=True, exist_ok=True)
        tmp = mpath.with_name(f".{mpath.name}.tmp-{os.getpid()}")
        tmp.write_text(json.dumps(result.to_dict(), ensure_ascii=False, indent=2, default=str), encoding="utf-8")
        os.replace(tmp, mpath)
        result.manifest = mpath
    return result


def _township_year(path: Path) -> tuple[str, int] | None:
    """(township, year) of a township's parameters file, or None when it does not say."""
    raw = raw_params(path)
    township, year = raw.get("township"), raw.get("year")
    if raw.get("kind", "township") != "township" or not isinstance(township, str) or not isinstance(year, int):
        return None
    return township, year


def previous_in(paths: list[Path]) -> dict[Path, Path]:
    """Parameters file → the previous year's of the same township in the same run set.

    A file that names its ``previous:`` keeps it (:func:`jixiao.params.load_params` uses this
    map only for the files that name none).
    """
    by_key = {key: p for p in paths if (key := _township_year(p)) is not None}
    return {p: by_key[(t, y - 1)] for (t, y), p in by_key.items() if (t, y - 1) in by_key}


def in_year_order(indices: list[int], paths: list[Path]) -> list[int]:
    """``indices`` with each township's years in ascending order (previous year first), in
    the places that township's files held; other files stay where they are."""
    keys = {i: _township_year(paths[i]) for i in indices}
    slots: dict[str, list[int]] = {}
    for i in indices:
        key = keys[i]
        if key is not None:
            slots.setdefault(key[0], []).append(i)
    ordered = list(indices)
    for members in slots.values():
        by_year = sorted(members, key=lambda i: keys[i][1])  # type: ignore[index]
        for slot, i in zip(sorted(indices.index(m) for m in members), by_year):
            ordered[slot] = i
    return ordered


def _default_manifest(result: BatchResult) -> Path | None:
    """``<output root>/batch-manifest.json``: the common root of the townships' reports."""
    roots = []
    for o in result.outcomes:
        if o.out_dir:
            p = Path(o.out_dir)
            roots.append(p.parent.parent if o.kind == "township" else p.parent.parent.parent)
    if not roots:
        return Path.cwd() / "reports" / "batch-manifest.json"
    try:
        common = Path(os.path.commonpath([str(r) for r in roots]))
    except ValueError:
        common = roots[0]
    return common / "batch-manifest.json"


def _clean_leftovers(path: Path, *, since: float, failed_too: bool) -> None:
    """Remove staging folders (and, after an interrupt, ``.failed`` ones) made by this batch.

    Under the folder's publishing lock, without waiting: a run that holds it (another
    ``jixiao run`` of the same folder) is alive and its staging folder is its own; the next
    run of the folder cleans whatever is left then (:func:`jixiao.report.publish.clean_stale`).
    """
    from jixiao.report.publish import OutputBusy, clean_stale, output_lock

    out_str = out_dir_of(path)
    if not out_str:
        return
    out = Path(out_str)
    if not out.parent.is_dir():
        return
    try:
        with output_lock(out, wait=0):
            # Staging folders and a report set aside by a swap that was killed halfway
            # (.replaced-*: put back when the folder is missing).
            clean_stale(out)
    except (OutputBusy, OSError):
        pass
    if failed_too:
        failed = out.with_name(out.name + ".failed")
        try:
            if failed.exists() and failed.stat().st_mtime >= since - 1:
                shutil.rmtree(failed, ignore_errors=True)
        except OSError:
            pass
        try:  # the township folder the interrupted run created, if nothing else is in it
            out.parent.rmdir()
        except OSError:
            pass
