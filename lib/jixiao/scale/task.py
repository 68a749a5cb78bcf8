"""One task of a batch: build one township's (or key project's) report and describe how it went.

:func:`run_one` is what a worker process of the local pool (:mod:`jixiao.scale.pool`) or a
Dask worker (:mod:`jixiao.scale.dask_runner`) runs for each parameters file. It never raises
for the township's own failures (a bad workbook → ``InputError``, a failing section →
``SectionFailure``, anything else): each becomes an :class:`Outcome` with its reason. A
kernel that fails to start (or dies) is retried a few times (:data:`KERNEL_RETRIES`).
"""

from __future__ import annotations

import os
import re
import signal
import time
import traceback
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

import yaml

from jixiao.exceptions import InputError, JixiaoError

if TYPE_CHECKING:
    from jixiao.report.sections import Kind

#: How many times a township is retried after its kernel failed to start or died.
KERNEL_RETRIES = 2

STATUSES = ("ok", "failed", "skipped")

#: Set in a worker once it has been told to stop (see :func:`stop`): it starts nothing more.
_STOPPING = False
#: Whether this process is building a report right now (inside :func:`_build`).
_BUILDING = False


def stop(signum: int) -> None:
    """End this worker: what its SIGTERM handler does (in the main thread; see
    :mod:`jixiao.scale.pool`).

    While a report is being built, raises ``SystemExit`` to unwind it — its staging folder
    is discarded, its kernel shut down — and :func:`run_one` then ends the process.
    Anywhere else there is nothing to clean up and the process ends at once: a
    ``SystemExit`` raised in the executor's own loop would be caught there (as a task's
    result) and the worker would go on waiting for work.
    """
    global _STOPPING
    _STOPPING = True
    if not _BUILDING:
        os._exit(128 + signum)
    raise SystemExit(128 + signum)


def stop_from_thread(main_thread: int) -> None:
    """End this worker from another of its threads (the batch process is gone).

    With no report being built the process ends here. Otherwise the main thread is sent
    SIGTERM to unwind the build (:func:`stop`); should the build finish first, the flag set
    here ends the process at the end of :func:`run_one`. (Signalling the main thread is not
    enough on its own: a signal that arrives just before it blocks waiting for work is
    recorded but its handler does not run until the wait ends, which it never does.)
    """
    global _STOPPING
    _STOPPING = True
    if not _BUILDING:
        os._exit(128 + signal.SIGTERM)
    signal.pthread_kill(main_thread, signal.SIGTERM)


@dataclass
class Outcome:
    """How one township of a batch went (a row of the run-set manifest)."""

    params: str
    status: str  # ok | failed | skipped
    reason: str = ""
    township: str | None = None
    year: int | None = None
    name: str | None = None
    kind: str = "township"  # township | key-project
    error_type: str | None = None
    seconds: float = 0.0
    out_dir: str | None = None
    outputs: dict[str, str] = field(default_factory=dict)
    checks: dict[str, int] = field(default_factory=dict)
    attempts: int = 0
    worker: str | None = None
    #: Figures for the county roll-up (see :func:`jixiao.scale.rollup.unit_summary`).
    summary: dict[str, Any] | None = None


# -- reading a parameters file (leniently: a bad one is the township's failure) ----------------
def raw_params(path: Path) -> dict:
    """The parameters file as a mapping, or ``{}`` when it cannot be read."""
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except Exception:
        return {}
    return raw if isinstance(raw, dict) else {}


def params_kind(path: Path) -> Kind:
    """``key-project`` for a key-project evaluation's parameters, else ``township``."""
    return "key-project" if raw_params(path).get("kind") == "key-project" else "township"


def load_any_params(path: Path):
    """The validated parameters of a township or a key project (raises ``JixiaoError``)."""
    if params_kind(path) == "key-project":
        from jixiao.keyproject import load_key_params

        return load_key_params(path)
    from jixiao.params import load_params

    return load_params(path)


def out_dir_of(path: Path) -> str | None:
    """The report folder of a parameters file, or ``None`` when it cannot be told."""
    try:
        return str(Path(load_any_params(path).out_dir).resolve())
    except Exception:
        return None


def notebooks_dir_for(kind: str, notebooks_dir: Path | None) -> Path | None:
    """A batch's ``--notebooks DIR`` is laid out like the repository's ``notebooks/``: the
    township sections in DIR, the key-project ones in ``DIR/key_project``."""
    if notebooks_dir is None:
        return None
    return notebooks_dir / "key_project" if kind == "key-project" else notebooks_dir


def failed_outcome(path: Path, exc: BaseException, reason: str) -> Outcome:
    """A failed :class:`Outcome` for a township whose task did not report back itself (its
    worker died, the Dask task was lost …)."""
    raw = raw_params(path)
    return Outcome(
        params=str(path),
        status="failed",
        error_type=type(exc).__name__,
        reason=reason,
        out_dir=out_dir_of(path),
        township=raw.get("township"),
        year=raw.get("year"),
        name=raw.get("name"),
        kind=params_kind(path),
    )


# -- failures ----------------------------------------------------------------------------------
def _is_kernel_failure(exc: BaseException) -> bool:
    """A kernel that did not start or died: worth another try in a fresh kernel."""
    if isinstance(exc, JixiaoError):
        return False
    names = {c.__name__ for c in type(exc).__mro__}
    if names & {"DeadKernelError", "ZMQError", "TimeoutError", "KernelStartError"}:
        return True
    text = f"{type(exc).__name__}: {exc}".lower()
    return isinstance(exc, RuntimeError) and "kernel" in text


_STAGING = re.compile(r"/\.([^/]+)\.staging-[^/]+/")


def _reason(exc: BaseException) -> str:
    from jixiao.exceptions import SectionFailure

    if isinstance(exc, SectionFailure):
        # The failed run's staging folder has been kept as <year>.failed by now.
        return _STAGING.sub(lambda m: f"/{m.group(1)}.failed/", str(exc))
    if isinstance(exc, InputError):
        n = len(exc.problems)
        first = str(exc.problems[0]) if exc.problems else str(exc)
        return first if n == 1 else f"{first}（另有 {n - 1} 个问题）"
    if isinstance(exc, (SectionFailure, JixiaoError)):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


# -- one township (runs in a worker) ----------------------------------------------------------
class RunOptions(TypedDict):
    """The keyword arguments of :func:`run_one` that a batch passes to every township."""

    notebooks_dir: str | None
    formats: list[str] | None
    retries: int
    summary: bool
    #: Parameters file → last year's of the same township in the run set (for the files that
    #: name no ``previous:``; see :func:`jixiao.scale.batch.previous_in`).
    previous: dict[str, str]


def run_one(
    params_path: str,
    *,
    notebooks_dir: str | None = None,
    formats: list[str] | None = None,
    retries: int = KERNEL_RETRIES,
    summary: bool = True,
    previous: dict[str, str] | None = None,
) -> dict:
    """Build one report and describe the outcome; never raises (except on interrupt).

    This is what a worker process (or a Dask worker) runs for each township.

    Returns
    -------
    dict
        An :class:`Outcome` as a dict (picklable, JSON-ready).
    """
    import socket

    if _STOPPING:
        os._exit(143)
    t0 = time.perf_counter()
    if previous:
        from jixiao.params import PREVIOUS_IN_RUNSET

        PREVIOUS_IN_RUNSET.update({Path(k): Path(v) for k, v in previous.items()})
    path = Path(params_path)
    kind = params_kind(path)
    out = Outcome(params=str(path), status="failed", kind=kind, worker=f"{socket.gethostname()}:{os.getpid()}")
    raw = raw_params(path)
    out.township, out.year, out.name = raw.get("township"), raw.get("year"), raw.get("name")
    attempt = 0
    while True:
        attempt += 1
        out.attempts = attempt
        try:
            result = _build_marked(path, kind, notebooks_dir, formats)
        except (KeyboardInterrupt, SystemExit):
            if _STOPPING:  # told to stop: the staging folder and kernel are cleaned up by now
                os._exit(143)
            raise
        except BaseException as exc:  # noqa: BLE001 — isolation: every failure is this township's
            if _is_kernel_failure(exc) and attempt <= retries:
                time.sleep(0.5 * attempt)  # back off before a fresh kernel (not a poll)
                continue
            out.status = "failed"
            out.error_type = type(exc).__name__
            out.reason = _reason(exc)
            if not isinstance(exc, JixiaoError):
                out.reason += "\n" + "".join(traceback.format_exception(exc)[-3:]).strip()
            if _is_kernel_failure(exc):
                out.reason = f"内核启动失败（已重试 {attempt - 1} 次）：{out.reason}"
            break
        out.status = "ok"
        out.out_dir = str(Path(result.out_dir).resolve())
        out.outputs = {fmt: str(Path(p).resolve()) for fmt, p in result.outputs.items()}
        counts = dict.fromkeys(("error", "warning", "info", "pass"), 0)
        for f in result.findings:
            counts[f.severity] = counts.get(f.severity, 0) + 1
        out.checks = counts
        if summary and kind == "township":
            try:
                from jixiao.scale.rollup import unit_summary_from_params

                out.summary = unit_summary_from_params(path, findings=result.findings)
            except Exception as exc:  # the report is fine; the roll-up recomputes later
                out.summary = None
                out.reason = f"（汇总数据未能计算：{type(exc).__name__}: {exc}）"
        break
    if _STOPPING:  # told to stop while building, and the build went on regardless: stop now
        os._exit(143)
    if out.out_dir is None:
        out.out_dir = out_dir_of(path)
    out.seconds = round(time.perf_counter() - t0, 3)
    return asdict(out)


def _build_marked(path: Path, kind: str, notebooks_dir: str | None, formats: list[str] | None):
    """:func:`_build`, with :data:`_BUILDING` set meanwhile (see :func:`stop`)."""
    global _BUILDING
    _BUILDING = True
    try:
        return _build(path, kind, notebooks_dir, formats)
    finally:
        _BUILDING = False


def _build(path: Path, kind: str, notebooks_dir: str | None, formats: list[str] | None):
    nb = notebooks_dir_for(kind, Path(notebooks_dir) if notebooks_dir else None)
    if kind == "key-project":
        from jixiao.keyproject import evaluate

        return evaluate(path, notebooks_dir=nb, formats=formats)
    from jixiao.report.township import run_report

    return run_report(path, notebooks_dir=nb, formats=formats)
