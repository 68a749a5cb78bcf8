"""Batch runs: many township-years on a local pool of worker processes, or on Dask.

``jixiao batch params/*.yaml`` (or a run-set YAML) builds every report with
:func:`jixiao.report.pipeline.run_report`, one township per task:

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
import glob
import json
import os
import re
import shutil
import signal
import time
import traceback
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

import yaml

from jixiao import __version__
from jixiao.exceptions import InputError, JixiaoError, Problem

#: How many times a township is retried after its kernel failed to start or died.
KERNEL_RETRIES = 2
#: Seconds workers get to clean up after Ctrl-C before they are killed.
INTERRUPT_GRACE = 10.0
#: How often a township is resubmitted after the worker pool broke under it.
POOL_RESTARTS = 2

STATUSES = ("ok", "failed", "skipped")
#: Set in a worker once it has been told to stop (SIGTERM): it starts nothing more.
_STOPPING = False


# -- what to run ------------------------------------------------------------------------------
@dataclass
class RunSet:
    """A batch: parameter files and options (from the command line or a run-set YAML).

    A run-set file looks like::

        # runset.yaml — paths are relative to this file; globs are expanded
        params:
          - params/*.yaml
          - other/township-2023.yaml
        workers: 2            # local worker processes (default: the number of cores)
        formats: [html, pdf]  # default: each parameters file's report.formats
        force: false          # rebuild even if unchanged
        retries: 2            # kernel-start retries
        scheduler: null       # tcp://host:8786 for Dask
        manifest: reports/batch-manifest.json
        rollup: reports       # build the county roll-up of this folder afterwards
        notebooks: notebooks  # section notebooks, laid out like the repository's notebooks/
    """

    params: list[Path]
    workers: int | None = None
    formats: list[str] | None = None
    force: bool = False
    retries: int = KERNEL_RETRIES
    scheduler: str | None = None
    manifest: Path | None = None
    rollup: Path | None = None
    notebooks: Path | None = None
    source: Path | None = None


_RUNSET_KEYS = {"params", "workers", "formats", "force", "retries", "scheduler", "manifest", "rollup", "notebooks"}


def is_runset(path: Path) -> bool:
    """Whether a YAML file is a run-set (has ``params:``, no ``township:``)."""
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except Exception:
        return False
    return isinstance(raw, dict) and "params" in raw and "township" not in raw


def load_runset(path: str | Path) -> RunSet:
    """Read a run-set YAML (see :class:`RunSet`); relative paths resolve against it."""
    path = Path(path)
    shown = str(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise InputError(Problem(shown, None, None, type(exc).__name__, "YAML 格式的批量运行清单", f"无法读取：{exc}")) from None
    if not isinstance(raw, dict) or "params" not in raw:
        raise InputError(Problem(shown, None, None, type(raw).__name__, "键值对，含 params 列表", "批量运行清单应含 params 列表"))
    unknown = set(raw) - _RUNSET_KEYS
    if unknown:
        raise InputError(Problem(shown, None, None, "、".join(sorted(unknown)), "、".join(sorted(_RUNSET_KEYS)),
                                 "批量运行清单中有未知的键"))
    base = path.resolve().parent
    items = raw["params"]
    if isinstance(items, str):
        items = [items]
    if not isinstance(items, list) or not items:
        raise InputError(Problem(shown, None, None, str(items), "参数文件列表", "params 应为非空列表"))
    rel = lambda v: None if v in (None, False) else (base / str(v)).resolve()  # noqa: E731
    formats = raw.get("formats")
    if isinstance(formats, str):
        formats = [f.strip() for f in formats.split(",") if f.strip()]
    rollup = raw.get("rollup")
    return RunSet(
        params=expand_params([str(base / str(p)) if not Path(str(p)).is_absolute() else str(p) for p in items],
                             source=shown),
        workers=raw.get("workers"), formats=formats, force=bool(raw.get("force", False)),
        retries=int(raw.get("retries", KERNEL_RETRIES)), scheduler=raw.get("scheduler"),
        manifest=rel(raw.get("manifest")), rollup=None if rollup in (None, False) else rel(rollup if rollup is not True else "."),
        notebooks=rel(raw.get("notebooks")), source=path)


def expand_params(items: Iterable[str | Path], source: str = "命令行") -> list[Path]:
    """Parameter files from paths, globs and folders (``*.yaml`` inside), in order, once each."""
    out: list[Path] = []
    missing = []
    for item in items:
        text = str(item)
        p = Path(text)
        if p.is_dir():
            hits = sorted(list(p.glob("*.yaml")) + list(p.glob("*.yml")))
        elif any(ch in text for ch in "*?["):
            hits = [Path(h) for h in sorted(glob.glob(text))]
        else:
            hits = [p]
        if not hits:
            missing.append(text)
        for h in hits:
            if not h.exists():
                missing.append(str(h))
                continue
            r = h.resolve()
            if r not in out:
                out.append(r)
    if missing:
        raise InputError([Problem(source, None, None, m, "存在的参数文件（.yaml）", f"找不到参数文件：{m}") for m in missing])
    return out


# -- one township (runs in a worker) ----------------------------------------------------------
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


def _raw_params(path: Path) -> dict:
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except Exception:
        return {}
    return raw if isinstance(raw, dict) else {}


def params_kind(path: Path) -> str:
    """``key-project`` for a key-project evaluation's parameters, else ``township``."""
    return "key-project" if _raw_params(path).get("kind") == "key-project" else "township"


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


def run_one(params_path: str, *, notebooks_dir: str | None = None, formats: list[str] | None = None,
            retries: int = KERNEL_RETRIES, summary: bool = True) -> dict:
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
    path = Path(params_path)
    kind = params_kind(path)
    out = Outcome(params=str(path), status="failed", kind=kind, worker=f"{socket.gethostname()}:{os.getpid()}")
    raw = _raw_params(path)
    out.township, out.year, out.name = raw.get("township"), raw.get("year"), raw.get("name")
    attempt = 0
    while True:
        attempt += 1
        out.attempts = attempt
        try:
            result = _build(path, kind, notebooks_dir, formats)
        except (KeyboardInterrupt, SystemExit):
            if _STOPPING:  # told to stop: the staging folder and kernel are cleaned up by now
                os._exit(143)
            raise
        except BaseException as exc:  # noqa: BLE001 — isolation: every failure is this township's
            if _is_kernel_failure(exc) and attempt <= retries:
                time.sleep(0.5 * attempt)
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
        counts = {s: 0 for s in ("error", "warning", "info", "pass")}
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
    if out.out_dir is None:
        out.out_dir = _out_dir_of(path)
    out.seconds = round(time.perf_counter() - t0, 3)
    return asdict(out)


def _build(path: Path, kind: str, notebooks_dir: str | None, formats: list[str] | None):
    nb = _notebooks_dir_for(kind, Path(notebooks_dir) if notebooks_dir else None)
    if kind == "key-project":
        from jixiao.keyproject import evaluate

        return evaluate(path, notebooks_dir=nb, formats=formats)
    from jixiao.report.pipeline import run_report

    return run_report(path, notebooks_dir=nb, formats=formats)


def _notebooks_dir_for(kind: str, notebooks_dir: Path | None) -> Path | None:
    """A batch's ``--notebooks DIR`` is laid out like the repository's ``notebooks/``: the
    township sections in DIR, the key-project ones in ``DIR/key_project``."""
    if notebooks_dir is None:
        return None
    return notebooks_dir / "key_project" if kind == "key-project" else notebooks_dir


def _out_dir_of(path: Path) -> str | None:
    try:
        return str(Path(_load_any_params(path).out_dir).resolve())
    except Exception:
        return None


def _load_any_params(path: Path):
    if params_kind(path) == "key-project":
        from jixiao.keyproject import load_key_params

        return load_key_params(path)
    from jixiao.params import load_params

    return load_params(path)


# -- incremental ------------------------------------------------------------------------------
def _notebooks_for(kind: str, notebooks_dir: Path | None) -> list[Path]:
    notebooks_dir = _notebooks_dir_for(kind, notebooks_dir)
    if kind == "key-project":
        from jixiao.keyproject import default_notebooks_dir

        nb_dir = Path(notebooks_dir or default_notebooks_dir())
        return sorted(nb_dir.glob("*.ipynb"))
    from jixiao.report.pipeline import default_notebooks_dir, report_sections

    nb_dir = Path(notebooks_dir or default_notebooks_dir())
    return [nb_dir / s.notebook for s in report_sections()]


def up_to_date(params_path: Path, *, formats: list[str] | None = None,
               notebooks_dir: Path | None = None) -> tuple[bool, str]:
    """Whether the last successful report of ``params_path`` is still current.

    Compares the report folder's ``manifest.json`` with the inputs now: the parameters
    file's and the workbook's SHA-256, the jixiao version and the fingerprint of its
    code, configuration and templates (:func:`jixiao.report.publish.code_fingerprint`), every
    section notebook's SHA-256; and requires each requested format's file to be there
    unchanged.

    Returns
    -------
    (bool, str)
        Up to date or not, and why (Chinese, for the summary).
    """
    from jixiao.report.publish import code_fingerprint, sha256

    params_path = Path(params_path)
    kind = params_kind(params_path)
    try:
        params = _load_any_params(params_path)
    except JixiaoError:
        return False, "参数文件有误"
    mpath = Path(params.out_dir) / "manifest.json"
    if not mpath.is_file():
        return False, "尚无报告"
    try:
        m = json.loads(mpath.read_text(encoding="utf-8"))
        inputs = m["inputs"]
        if not isinstance(inputs, dict):
            raise TypeError
    except (OSError, ValueError, KeyError, TypeError):
        return False, "清单（manifest.json）无法读取"
    if m.get("jixiao_version") != __version__:
        return False, f"jixiao 版本已变（{m.get('jixiao_version')} → {__version__}）"
    if (inputs.get("jixiao") or {}).get("sha256") != code_fingerprint():
        return False, "jixiao 的程序、配置或模板已修改"
    if inputs.get("parameters", {}).get("sha256") != sha256(params_path):
        return False, "参数文件已修改"
    wb = Path(params.workbook)
    if not wb.is_file() or inputs.get("workbook", {}).get("sha256") != sha256(wb):
        return False, "工作簿已修改"
    recorded = inputs.get("notebooks") or {}
    try:
        nbs = _notebooks_for(kind, notebooks_dir)
    except Exception:
        return False, "章节笔记本无法确定"
    now = {p.name: sha256(p) for p in nbs if p.is_file()}
    if now != recorded:
        return False, "章节笔记本已修改"
    wanted = list(formats) if formats else list(getattr(getattr(params, "report", None), "formats", ["html"]))
    outputs = m.get("outputs") or {}
    for fmt in wanted:
        info = outputs.get(fmt)
        if isinstance(info, dict):
            f = Path(params.out_dir) / info.get("file", f"report.{fmt}")
            if not f.is_file() or (info.get("sha256") and info["sha256"] != sha256(f)):
                return False, f"{fmt} 报告缺失或已改动"
        elif not (Path(params.out_dir) / f"report.{fmt}").is_file():
            return False, f"尚无 {fmt} 报告"
    return True, f"输入未变（上次生成于 {m.get('created', '?')}）"


# -- running a batch --------------------------------------------------------------------------
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
        return {"townships": len(self.outcomes), **{s: self.count(s) for s in STATUSES},
                "interrupted": self.interrupted, "seconds": round(self.seconds, 3),
                "task_seconds": round(sum(o.seconds for o in ran), 3), "workers": self.workers,
                "backend": self.backend}

    def to_dict(self) -> dict[str, Any]:
        return {"jixiao_version": __version__, "started": self.started,
                "finished": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
                "totals": self.totals(), "townships": [asdict(o) for o in self.outcomes]}


def default_workers() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def _worker_init(parent: int | None = None) -> None:
    """Worker start: leave Ctrl-C to the parent, clean up on SIGTERM, stop when the batch
    process is gone (killed outright, it cannot tell us), warm the imports."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if parent:
        import threading

        def watch():
            while True:
                time.sleep(2)
                try:
                    os.kill(parent, 0)
                except ProcessLookupError:
                    os.kill(os.getpid(), signal.SIGTERM)
                    return
                except OSError:
                    pass

        threading.Thread(target=watch, name="jixiao-parent-watch", daemon=True).start()

    def stop(signum, frame):  # noqa: ARG001
        global _STOPPING
        _STOPPING = True
        raise SystemExit(128 + signum)  # unwinds: staging folder discarded, kernel shut down

    signal.signal(signal.SIGTERM, stop)
    try:  # the imports every township needs, paid once per worker
        import papermill  # noqa: F401

        import jixiao.analysis.checks  # noqa: F401
        import jixiao.report.pipeline  # noqa: F401
        import jixiao.report.render  # noqa: F401
        import jixiao.workbook.load  # noqa: F401
    except Exception:
        pass


def run_batch(params: Iterable[str | Path], *, workers: int | None = None, formats: list[str] | None = None,
              force: bool = False, retries: int = KERNEL_RETRIES, scheduler: str | Any | None = None,
              notebooks_dir: str | Path | None = None, manifest: str | Path | None = None,
              on_event: Callable[[str, Outcome | None, dict], None] | None = None,
              summaries: bool = True) -> BatchResult:
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
    emit = on_event or (lambda *a: None)

    outcomes: dict[int, Outcome] = {}
    todo: list[int] = []
    for i, p in enumerate(paths):
        if force:
            todo.append(i)
            continue
        ok, why = up_to_date(p, formats=formats, notebooks_dir=Path(nb_dir) if nb_dir else None)
        if ok:
            raw = _raw_params(p)
            outcomes[i] = Outcome(params=str(p), status="skipped", reason=why, township=raw.get("township"),
                                  year=raw.get("year"), name=raw.get("name"), kind=params_kind(p),
                                  out_dir=_out_dir_of(p))
        else:
            todo.append(i)
    emit("plan", None, {"total": len(paths), "skipped": len(outcomes), "to_run": len(todo)})
    for o in outcomes.values():
        emit("skipped", o, {})

    n_workers = default_workers() if workers is None else int(workers)
    backend = "dask" if scheduler is not None else ("inline" if n_workers == 0 else "local")
    kwargs = {"notebooks_dir": nb_dir, "formats": list(formats) if formats else None, "retries": retries,
              "summary": summaries}
    interrupted = False
    # Key-project reports live inside their township's report folder, which a township run
    # replaces whole: townships first, then the key projects.
    kinds = {i: params_kind(paths[i]) for i in todo}
    phases = [[i for i in todo if kinds[i] == "township"], [i for i in todo if kinds[i] != "township"]]
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
                _run_local(paths, phase, n_workers, kwargs, outcomes, emit)
            else:
                n_workers = _run_dask(paths, phase, scheduler, kwargs, outcomes, emit)
    except KeyboardInterrupt:
        interrupted = True
    if interrupted:
        for i in todo:
            if i not in outcomes:
                outcomes[i] = Outcome(params=str(paths[i]), status="skipped", reason="已中断：未运行或运行被中断",
                                      township=_raw_params(paths[i]).get("township"),
                                      year=_raw_params(paths[i]).get("year"), out_dir=_out_dir_of(paths[i]))
                _clean_leftovers(paths[i], since=wall_start, failed_too=True)
    for i in todo:  # a worker killed mid-run leaves its staging folder behind
        _clean_leftovers(paths[i], since=wall_start, failed_too=False)

    result = BatchResult(outcomes=[outcomes[i] for i in range(len(paths))], seconds=time.perf_counter() - t0,
                         workers=n_workers, backend=backend, interrupted=interrupted, started=started)
    mpath = Path(manifest) if manifest else _default_manifest(result)
    if mpath is not None:
        mpath.parent.mkdir(parents=True, exist_ok=True)
        tmp = mpath.with_name(f".{mpath.name}.tmp-{os.getpid()}")
        tmp.write_text(json.dumps(result.to_dict(), ensure_ascii=False, indent=2, default=str), encoding="utf-8")
        os.replace(tmp, mpath)
        result.manifest = mpath
    return result


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
    """Remove staging folders (and, after an interrupt, ``.failed`` ones) made by this batch."""
    out = _out_dir_of(path)
    if not out:
        return
    out = Path(out)
    for d in out.parent.glob(f".{out.name}.staging-*"):
        try:
            if d.stat().st_mtime >= since - 1:
                shutil.rmtree(d, ignore_errors=True)
        except OSError:
            pass
    # Killed between the two renames of the swap: the previous report is in .replaced-*.
    for d in out.parent.glob(f".{out.name}.replaced-*"):
        try:
            if not out.exists():
                os.replace(d, out)
            else:
                shutil.rmtree(d, ignore_errors=True)
        except OSError:
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


def _run_local(paths, todo, n_workers, kwargs, outcomes, emit) -> None:
    """Run ``todo`` on a process pool; a pool broken by a worker's death (killed, out of
    memory) is replaced and its unfinished townships resubmitted (at most
    :data:`POOL_RESTARTS` times each)."""
    import multiprocessing as mp
    from concurrent.futures.process import BrokenProcessPool

    # forkserver: workers start from a clean, single-threaded process (the parent has a
    # progress thread), and pay the imports once each.
    ctx = mp.get_context("forkserver")
    crashes: dict[int, int] = {}
    queue = list(todo)
    while queue:
        pool = ProcessPoolExecutor(max_workers=max(1, min(n_workers, len(queue))), mp_context=ctx,
                                   initializer=_worker_init, initargs=(os.getpid(),))
        futures = {}
        again: list[int] = []
        try:
            for i in queue:
                futures[pool.submit(run_one, str(paths[i]), **kwargs)] = i
            pending = set(futures)
            while pending:
                done, pending = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
                for fut in done:
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
            _stop_pool(pool)
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        queue = sorted(again)


def _crashed(path: Path, exc: BaseException, times: int) -> Outcome:
    raw = _raw_params(path)
    return Outcome(params=str(path), status="failed", error_type=type(exc).__name__,
                   reason=f"工作进程异常退出（{times} 次；可能被系统终止或内存不足）：{type(exc).__name__}: {exc}",
                   out_dir=_out_dir_of(path), township=raw.get("township"), year=raw.get("year"),
                   name=raw.get("name"), kind=params_kind(path))


def _stop_pool(pool: ProcessPoolExecutor) -> None:
    """Cancel queued work, ask running workers to clean up (SIGTERM), kill stragglers."""
    # Taken before shutdown(), which drops the executor's reference to its processes.
    procs = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for p in procs:
        if p.is_alive():
            try:
                os.kill(p.pid, signal.SIGTERM)
            except (ProcessLookupError, OSError):
                pass
    deadline = time.monotonic() + INTERRUPT_GRACE
    for p in procs:
        p.join(max(0.0, deadline - time.monotonic()))
    for p in procs:
        if p.is_alive():
            p.kill()
            p.join(1)


def _run_dask(paths, todo, scheduler, kwargs, outcomes, emit) -> int:
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise JixiaoError("使用 --scheduler 需要安装 dask[distributed]：pip install 'dask[distributed]'") from None
    own = not hasattr(scheduler, "submit")
    try:
        client = Client(scheduler, timeout="20s") if own else scheduler
    except OSError as exc:
        raise JixiaoError(f"无法连接 Dask 调度器 {scheduler}：{exc}") from None
    futures = {}
    try:
        n = len(client.scheduler_info().get("workers", {}))
        for i in todo:
            slug = _raw_params(paths[i]).get("township") or paths[i].stem
            fut = client.submit(run_one, str(paths[i]), pure=False, key=f"jixiao-{slug}-{i}-{time.time_ns()}",
                                **kwargs)
            futures[fut] = i
        for fut in as_completed(list(futures)):
            i = futures[fut]
            try:
                o = Outcome(**fut.result())
            except Exception as exc:  # KilledWorker, a lost connection …
                o = Outcome(params=str(paths[i]), status="failed", error_type=type(exc).__name__,
                            reason=f"Dask 任务失败：{type(exc).__name__}: {exc}", out_dir=_out_dir_of(paths[i]),
                            township=_raw_params(paths[i]).get("township"), year=_raw_params(paths[i]).get("year"))
            outcomes[i] = o
            emit("done", o, {})
        return n
    except KeyboardInterrupt:
        client.cancel(list(futures))
        raise
    finally:
        if own:
            client.close()
