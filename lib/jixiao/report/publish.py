"""Write a run's outputs into place all at once, or not at all — and only over what jixiao wrote.

Outputs are written into a staging folder beside the final one and swapped in only when
the run succeeded, so a failed or interrupted run never leaves a partial report and an
earlier good report stays intact. Around that swap:

- **Only our own folder is replaced.** A report folder is jixiao's when its
  ``manifest.json`` lists everything in it (``files``; older manifests: the names jixiao
  has always written). Anything else in it — a user's file, the workbook itself — makes
  the run refuse (:class:`NotOurFolder`, exit 2) before anything is written, and so does
  an input file that lives inside the folder.
- **One run at a time per folder.** An exclusive lock (``flock`` on ``.<name>.lock``
  beside the folder, removed after the run) is held from before staging until after the
  swap. A second run of the same folder waits for it — :data:`LOCK_WAIT` seconds by
  default, the ``wait`` argument of :func:`output_lock` / :func:`staged_output` — and then
  refuses (:class:`OutputBusy`).
- **Leftovers of dead runs are cleaned.** Holding the lock, a run removes the
  ``.<name>.staging-*`` folders a killed run left beside the folder (and restores the
  previous report from ``.<name>.replaced-*`` if a run died between the two renames of
  the swap). SIGTERM and SIGHUP are turned into :class:`KeyboardInterrupt` while a run
  publishes (:func:`signals_interrupt`), so they unwind it like Ctrl-C.
- **A failed run keeps notebooks, not a report.** The ``.failed`` folder keeps the executed
  notebooks and a note (:data:`FAILED_NOTE`); report-like files are removed from it.
- **Ordinary permissions.** The published folder and its files get the modes ``mkdir``
  and ``open`` would give them under the user's umask (typically 0755 / 0644), not the
  0700 of a temporary folder.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import fnmatch
import functools
import glob
import hashlib
import json
import os
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from jixiao.exceptions import InputError, JixiaoError, Problem, SectionFailure
from jixiao.paths import PACKAGE_DIR

#: Seconds a run waits for another run publishing the same folder before it refuses.
LOCK_WAIT = 600.0
#: The note a failed run leaves in its ``.failed`` folder.
FAILED_NOTE = "失败说明.txt"
#: What a report folder held before manifests listed their files (``files``): accepted as
#: jixiao's in a folder whose manifest has no such list.
LEGACY_FILES = frozenset(
    {
        "report.html",
        "report.pdf",
        "report.docx",
        "review.html",
        "review.pdf",
        "checks.xlsx",
        "scores.xlsx",
        "summary.json",
        "manifest.json",
        "sections/",
    }
)
#: Files the desktop puts into any folder it shows: nothing of the user's is lost with them.
_OS_LITTER = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})
#: How many foreign entries an error lists.
_LIST_AT_MOST = 10
#: Seconds between two attempts at a busy lock.
_POLL = 0.1


class NotOurFolder(InputError):
    """The output folder holds something jixiao did not write, or an input lives inside it:
    replacing the folder would delete it, so nothing is written (exit 2)."""


class OutputBusy(JixiaoError):
    """Another run kept the output folder locked for longer than the run would wait."""

    exit_code = 1

    def __init__(self, final_dir: Path, wait: float, lock: Path):
        self.final_dir, self.wait, self.lock = final_dir, wait, lock
        waited = f"等待 {wait:g} 秒后仍未结束" if wait > 0 else "尚未结束"
        super().__init__(
            f"另一个 jixiao 运行正在生成 {final_dir}，{waited}；本次未运行，未改动任何文件。"
            f"请待其完成后重试（锁文件：{lock}）。"
        )


# ---------------------------------------------------------------------------------- ownership
def _rel(path: Path) -> str:
    """``name`` or ``name/`` (a real directory, not a link to one): how manifests list entries."""
    return path.name + "/" if path.is_dir() and not path.is_symlink() else path.name


def _manifest_listing(folder: Path) -> frozenset[str] | None:
    """The entries ``folder/manifest.json`` says jixiao wrote, or None when it has no
    readable jixiao manifest."""
    try:
        m = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(m, dict) or "jixiao_version" not in m:
        return None
    files = m.get("files")
    if files is None:
        return LEGACY_FILES
    if not isinstance(files, list):
        return None
    return frozenset(str(f) for f in files) | {"manifest.json"}


def foreign_entries(final_dir: Path, *, preserve: tuple[str, ...] = (), owned: Collection[str] = ()) -> list[str]:
    """Entries of ``final_dir`` that jixiao did not write (relative, ``name/`` for folders).

    Parameters
    ----------
    final_dir : Path
        A report folder (need not exist: then nothing is foreign).
    preserve : tuple of str
        Glob patterns of entries a run carries over into the new folder (``key-*``):
        never deleted, so never in the way — nor are the hidden lock and staging entries
        of such a folder (``.key-*.lock``).
    owned : collection of str
        Names that are jixiao's even without a manifest listing them (the roll-up's
        ``rollup.html`` …, which has no manifest).

    Returns
    -------
    list of str
        Empty when replacing the folder deletes only what jixiao wrote. A folder that is
        a symbolic link, or a file where the folder belongs, is itself foreign (``"."``).
    """
    final_dir = Path(final_dir)
    if final_dir.is_symlink() or (final_dir.exists() and not final_dir.is_dir()):
        return ["."]
    if not final_dir.is_dir():
        return []
    listed = _manifest_listing(final_dir)
    ours = set(owned) | (listed or set()) | _OS_LITTER
    foreign = []
    for entry in sorted(final_dir.iterdir()):
        name, rel = entry.name, _rel(entry)
        if any(fnmatch.fnmatchcase(name, p) or fnmatch.fnmatchcase(name, f".{p}.*") for p in preserve):
            continue
        if rel not in ours:
            foreign.append(rel)
        elif rel.endswith("/") and any(f.startswith(rel) and f != rel for f in ours):
            # The manifest lists this folder's contents too (sections/…): check them.
            foreign.extend(rel + _rel(c) for c in sorted(entry.iterdir()) if rel + _rel(c) not in ours)
    return foreign


def _inside(path: Path, folder: Path) -> bool:
    try:
        Path(path).resolve().relative_to(Path(folder).resolve())
    except (ValueError, OSError):
        return False
    return True


def check_publishable(
    final_dir: Path,
    *,
    inputs: Iterable[Path] = (),
    preserve: tuple[str, ...] = (),
    owned: Collection[str] = (),
) -> None:
    """Refuse to replace ``final_dir`` when that would delete what jixiao did not write.

    Raises
    ------
    NotOurFolder
        An input file lives inside ``final_dir`` (replacing it would delete the input), or
        ``final_dir`` holds entries its manifest does not list (see :func:`foreign_entries`).
    """
    final_dir = Path(final_dir)
    problems = [
        Problem(
            file=str(p),
            sheet=None,
            cell=None,
            found=f"位于输出目录 {final_dir} 之内",
            expected="输入文件放在输出目录之外",
            message="输入文件在输出目录里：生成报告会整体替换该目录并删除它，因此未运行；"
            "请把它移到输出目录之外，或改用其他输出目录（参数文件的 output_dir）",
        )
        for p in dict.fromkeys(Path(i) for i in inputs)
        if _inside(p, final_dir)
    ]
    foreign = foreign_entries(final_dir, preserve=preserve, owned=owned)
    if foreign == ["."]:
        kind = "符号链接" if final_dir.is_symlink() else "文件"
        problems.append(
            Problem(
                file=str(final_dir),
                sheet=None,
                cell=None,
                found=kind,
                expected="jixiao 生成的报告目录（或尚不存在）",
                message=f"输出目录的位置上是一个{kind}，不是 jixiao 生成的报告目录：为免删除它，未运行",
            )
        )
    elif foreign:
        shown = "、".join(foreign[:_LIST_AT_MOST]) + (f" 等 {len(foreign)} 项" if len(foreign) > _LIST_AT_MOST else "")
        why = (
            "其中的 manifest.json 未列出它们"
            if _manifest_listing(final_dir) is not None
            else "目录中没有 jixiao 的 manifest.json"
        )
        problems.append(
            Problem(
                file=str(final_dir),
                sheet=None,
                cell=None,
                found=shown,
                expected="只有 jixiao 生成的文件",
                message=f"输出目录里有不是 jixiao 生成的文件（{why}）：生成报告会整体替换该目录并删除它们，因此未运行；"
                "请移走这些文件，或改用其他输出目录（参数文件的 output_dir）",
            )
        )
    if problems:
        raise NotOurFolder(problems)


def record_files(stage: Path) -> None:
    """Add ``files`` — every entry the run wrote, top level and one level down — to the
    stage's ``manifest.json`` (when there is one), so the next run recognises the folder."""
    mpath = Path(stage) / "manifest.json"
    if not mpath.is_file():
        return
    files = []
    for entry in sorted(Path(stage).iterdir()):
        files.append(_rel(entry))
        if _rel(entry).endswith("/"):
            files.extend(_rel(entry) + _rel(c) for c in sorted(entry.iterdir()))
    m = json.loads(mpath.read_text(encoding="utf-8"))
    m["files"] = files
    mpath.write_text(json.dumps(m, ensure_ascii=False, indent=2), encoding="utf-8")


# ------------------------------------------------------------------------------- the lock
_held = threading.local()


def lock_path(final_dir: Path) -> Path:
    """The lock file of ``final_dir``: ``.<name>.lock`` beside it."""
    final_dir = Path(final_dir)
    return final_dir.parent / f".{final_dir.name}.lock"


@contextmanager
def output_lock(final_dir: Path, wait: float = LOCK_WAIT) -> Iterator[Path]:
    """Hold the exclusive lock of ``final_dir`` (one run at a time may publish it).

    Waits up to ``wait`` seconds (silently) for another run holding it. Re-entrant within
    a thread; other threads and processes are excluded. The lock file is removed when the
    lock is released: a waiter that then holds a removed file notices and locks the new one.

    Raises
    ------
    OutputBusy
        Still locked after ``wait`` seconds (``0``: do not wait).
    """
    final_dir = Path(final_dir)
    final_dir.parent.mkdir(parents=True, exist_ok=True)
    path = lock_path(final_dir)
    key = str(path.parent.resolve() / path.name)
    held: set[str] = _held.__dict__.setdefault("paths", set())
    if key in held:
        yield path
        return
    deadline = time.monotonic() + max(0.0, wait)
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError as exc:
                    if exc.errno not in (errno.EAGAIN, errno.EACCES):
                        raise
                    if time.monotonic() >= deadline:
                        raise OutputBusy(final_dir, wait, path) from None
                    time.sleep(min(_POLL, max(0.0, deadline - time.monotonic())))
            try:
                current = os.stat(path)
            except FileNotFoundError:
                current = None
            mine = os.fstat(fd)
        except BaseException:
            os.close(fd)
            raise
        if current is not None and (current.st_ino, current.st_dev) == (mine.st_ino, mine.st_dev):
            break
        os.close(fd)  # the run before us removed this file as it finished: lock the current one
    held.add(key)
    try:
        yield path
    finally:
        held.discard(key)
        with contextlib.suppress(OSError):
            os.unlink(path)  # before unlocking: see above
        os.close(fd)


def clean_stale(final_dir: Path) -> None:
    """Remove what dead runs left beside ``final_dir`` (call holding its lock).

    ``.<name>.staging-*`` folders are removed. A ``.<name>.replaced-*`` folder is the
    previous report of a run that died between the two renames of its swap: it is put
    back when ``final_dir`` is missing, else removed.
    """
    final_dir = Path(final_dir)
    prefix = glob.escape(f".{final_dir.name}.")
    for d in final_dir.parent.glob(prefix + "staging-*"):
        shutil.rmtree(d, ignore_errors=True)
    for d in sorted(final_dir.parent.glob(prefix + "replaced-*")):
        if not final_dir.exists() and not final_dir.is_symlink():
            with contextlib.suppress(OSError):
                os.replace(d, final_dir)
                continue
        shutil.rmtree(d, ignore_errors=True)


def _raise_interrupt(signum, frame):  # noqa: ARG001
    raise KeyboardInterrupt(signal.Signals(signum).name)


@contextmanager
def signals_interrupt() -> Iterator[None]:
    """While inside, SIGTERM and SIGHUP raise :class:`KeyboardInterrupt` like Ctrl-C, so a
    terminated run unwinds: its staging folder is discarded, its kernel shut down.

    Only in the main thread, and only for a signal whose handler is the default: a
    process that handles them itself (a batch worker) keeps its own handling.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {}
    for sig in (signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(sig) is signal.SIG_DFL:
            previous[sig] = signal.signal(sig, _raise_interrupt)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


# ------------------------------------------------------------------------------- modes
def _umask() -> int:
    """The process's umask (read, not cached: a process may change it between runs)."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)  # (not on Linux) read it by setting it: restored at once
    os.umask(mask)
    return mask


def _ordinary_modes(folder: Path) -> None:
    """Give ``folder`` and everything in it the modes ``mkdir`` / ``open`` would give under
    the umask (the stage comes from ``mkdtemp``, which makes it private: 0700)."""
    mask = _umask()
    os.chmod(folder, 0o777 & ~mask)
    for root, dirs, files in os.walk(folder):
        for d in dirs:
            p = os.path.join(root, d)
            if not os.path.islink(p):
                os.chmod(p, 0o777 & ~mask)
        for f in files:
            p = os.path.join(root, f)
            if not os.path.islink(p):
                os.chmod(p, 0o666 & ~mask)


# ------------------------------------------------------------------------------- failure
def _failure_note(exc: BaseException, stage: Path, final_dir: Path) -> str:
    now = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    lines = ["jixiao 运行失败说明", f"时间：{now}", f"报告目录：{final_dir}（未改动：仍是上一次成功生成的报告，如有）"]
    if isinstance(exc, SectionFailure):
        lines.append(f"失败的章节：{exc.section}")
        if exc.notebook:
            with contextlib.suppress(ValueError):
                lines.append(f"笔记本：{Path(exc.notebook).relative_to(stage).as_posix()}")
        lines.append(f"错误：{exc.error}")
    elif isinstance(exc, KeyboardInterrupt):
        lines.append("原因：运行被中断（Ctrl-C 或终止信号）")
    else:
        lines.append(f"原因：{exc}" if isinstance(exc, JixiaoError) else f"原因：{type(exc).__name__}: {exc}")
    lines += [
        "",
        "本目录只保存已执行的章节笔记本，供排查问题，不是报告。",
        "问题解决后重新运行；运行成功时本目录会被删除。",
    ]
    return "\n".join(lines) + "\n"


def _keep_failed(stage: Path, keep_failed: Path, exc: BaseException, final_dir: Path) -> None:
    """Keep the failed stage as ``keep_failed``: its notebooks and folders and a note — no
    report, review or workbook that could pass for the real one."""
    for entry in stage.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            continue
        if entry.suffix != ".ipynb":
            entry.unlink()
    (stage / FAILED_NOTE).write_text(_failure_note(exc, stage, final_dir), encoding="utf-8")
    _ordinary_modes(stage)
    shutil.rmtree(keep_failed, ignore_errors=True)
    os.replace(stage, keep_failed)


# ------------------------------------------------------------------------------- the swap
def check_writable(final_dir: Path) -> None:
    """Raise the OSError publishing ``final_dir`` would meet, before anything runs: the first
    existing folder on its path must be a folder we may write in (nothing is created here).

    Raises
    ------
    NotADirectoryError
        A part of the path is a file.
    PermissionError
        The folder where the report folder would be created is not writable.
    """
    import errno

    probe = Path(final_dir).absolute()
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if not probe.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(probe))
    if not os.access(probe, os.W_OK | os.X_OK):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(probe))


@contextmanager
def staged_output(
    final_dir: Path,
    keep_failed: Path | None = None,
    preserve: tuple[str, ...] = (),
    *,
    inputs: Iterable[Path] = (),
    owned: Collection[str] = (),
    wait: float = LOCK_WAIT,
) -> Iterator[Path]:
    """Yield an empty staging folder; on normal exit it replaces ``final_dir``.

    Holds the lock of ``final_dir`` throughout (:func:`output_lock`), refuses a folder
    that is not jixiao's (:func:`check_publishable`, before staging and again before the
    swap), and first removes what dead runs left beside it (:func:`clean_stale`).

    Parameters
    ----------
    final_dir : Path
        Where the outputs belong (``reports/<township>/<year>``).
    keep_failed : Path, optional
        On an exception, the staging folder is moved here (replacing an older one) so
        the user can inspect what failed, instead of being deleted: its notebooks and
        sub-folders and a note (:data:`FAILED_NOTE`), other files removed.
        ``final_dir`` is left untouched either way.
    preserve : tuple of str
        Glob patterns of entries of the old ``final_dir`` that other runs own (a
        key-project report in ``key-*/``): carried into the new folder when the run did
        not write them itself.
    inputs : iterable of Path
        The run's input files: refused when inside ``final_dir``.
    owned : collection of str
        Names that are jixiao's in ``final_dir`` even without a manifest (see
        :func:`foreign_entries`).
    wait : float
        Seconds to wait for another run publishing ``final_dir`` (:data:`LOCK_WAIT`).

    Yields
    ------
    Path
        The staging folder to write into (same filesystem, so the swap is a rename).

    Raises
    ------
    NotOurFolder
        ``final_dir`` holds what jixiao did not write, or an input.
    OutputBusy
        Another run held the folder for longer than ``wait``.
    """
    final_dir = Path(final_dir)
    inputs = tuple(inputs)
    with signals_interrupt(), output_lock(final_dir, wait=wait):
        check_publishable(final_dir, inputs=inputs, preserve=preserve, owned=owned)
        clean_stale(final_dir)
        stage = Path(tempfile.mkdtemp(prefix=f".{final_dir.name}.staging-", dir=final_dir.parent))
        try:
            os.chmod(stage, 0o777 & ~_umask())
            yield stage
            _ordinary_modes(stage)
            # A file may have been put into the folder while the run went on.
            check_publishable(final_dir, inputs=inputs, preserve=preserve, owned=owned)
        except BaseException as exc:
            if keep_failed is not None and not isinstance(exc, NotOurFolder):
                _keep_failed(stage, Path(keep_failed), exc, final_dir)
            else:
                shutil.rmtree(stage, ignore_errors=True)
            raise
        if final_dir.exists():
            for pattern in preserve:
                # The lock files of preserved folders move with them (a rename keeps the
                # lock a run may hold on it).
                for entry in [*final_dir.glob(pattern), *final_dir.glob(f".{pattern}.lock")]:
                    if not (stage / entry.name).exists():
                        os.replace(entry, stage / entry.name)
        old = None
        if final_dir.exists():
            old = final_dir.parent / f".{final_dir.name}.replaced-{os.getpid()}"
            os.replace(final_dir, old)
        os.replace(stage, final_dir)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


@functools.cache
def code_fingerprint(root: Path = PACKAGE_DIR) -> str:
    """Hex SHA-256 of the installed jixiao package (``root``): its code, configuration and templates.

    Recorded in each manifest so that an incremental batch rebuilds a report when any of
    them changed — a new release, but also an edited scoring scheme, template or section
    in a working copy, where the version number stays the same. About 110 files: a few
    milliseconds, once per process.
    """
    h = hashlib.sha256()
    for f in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        h.update(f.relative_to(root).as_posix().encode("utf-8") + b"\0")
        h.update(f.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file, for provenance in the manifest."""
    h = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 16), b""):
            h.update(block)
    return h.hexdigest()
