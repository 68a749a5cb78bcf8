"""The local process pool: Ctrl-C stops every worker (they clean up, stragglers are killed),
and workers whose batch process is gone stop too."""

from __future__ import annotations

import contextlib
import json
import multiprocessing as mp
import signal
import subprocess
import sys
import textwrap
import time
from concurrent.futures import ProcessPoolExecutor

import pytest

from jixiao.scale import pool as P
from jixiao.scale.synth import generate


def test_an_interrupt_stops_every_worker_of_the_pool():
    """The workers are known from the pool's context (not the executor's private state):
    each is asked to stop (SIGTERM) and has stopped before the grace period is over."""
    base = mp.get_context("forkserver")
    ctx = P._RecordingContext(base)
    alive_r, alive_w = base.Pipe(duplex=False)
    pool = ProcessPoolExecutor(max_workers=2, mp_context=ctx, initializer=P._worker_init, initargs=(alive_r,))
    try:
        for _ in range(2):
            pool.submit(time.sleep, 60)
        assert len(ctx.processes) == 2 and len({p.pid for p in ctx.processes}) == 2
        t0 = time.monotonic()
        P._stop_workers(pool, ctx.processes)
        assert time.monotonic() - t0 < P.INTERRUPT_GRACE  # stopped on SIGTERM, not killed
        assert not any(p.is_alive() for p in ctx.processes)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        alive_w.close()
        alive_r.close()


def test_workers_stop_when_the_batch_process_dies():
    """A batch process killed outright (SIGKILL: it cannot tell anyone) leaves no worker
    behind: each worker sees the end of the pipe only the batch process could write to."""
    psutil = pytest.importorskip("psutil")
    script = textwrap.dedent("""
        import multiprocessing as mp, os, time
        from concurrent.futures import ProcessPoolExecutor, wait
        from jixiao.scale import pool as P

        base = mp.get_context("forkserver")
        ctx = P._RecordingContext(base)
        alive_r, alive_w = base.Pipe(duplex=False)
        pool = ProcessPoolExecutor(max_workers=2, mp_context=ctx, initializer=P._worker_init,
                                   initargs=(alive_r,))
        wait([pool.submit(os.getpid) for _ in range(2)])  # the workers have started (one has run tasks)
        print(" ".join(str(p.pid) for p in ctx.processes), flush=True)
        time.sleep(600)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    workers = []
    try:
        line = proc.stdout.readline()
        assert line.strip(), proc.stderr.read()
        workers = [psutil.Process(int(pid)) for pid in line.split()]
        assert len(workers) == 2
        proc.kill()
        proc.wait(10)
        gone, alive = psutil.wait_procs(workers, timeout=20)
        assert not alive, [p.pid for p in alive]
    finally:
        for w in workers:  # gone by now unless the test failed: leave no orphan behind
            with contextlib.suppress(psutil.Error):
                w.kill()
        if proc.poll() is None:
            proc.kill()
        proc.communicate(timeout=30)


@pytest.mark.slow
def test_ctrl_c_leaves_no_half_written_report(tmp_path):
    psutil = pytest.importorskip("psutil")
    made = generate(tmp_path, 6, seed=9, projects=(40, 80))
    # A shell that starts a job in the background without job control (CI harnesses do)
    # ignores SIGINT for it, and Python then installs no KeyboardInterrupt handler: give the
    # batch the terminal's default, as a person pressing Ctrl-C has it.
    proc = subprocess.Popen(
        [sys.executable, "-m", "jixiao.cli", "batch", str(tmp_path / "params"), "-j", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    reports = tmp_path / "reports"
    deadline = time.time() + 120
    # Polled: the batch runs in another process and says nothing when a township starts;
    # a folder appearing has no portable blocking wait (inotify is Linux-only).
    while time.time() < deadline and not list(reports.glob("*/.*staging*")):
        time.sleep(0.2)
    assert list(reports.glob("*/.*staging*")), "no township started"
    time.sleep(2)
    kids = psutil.Process(proc.pid).children(recursive=True)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    gone, alive = psutil.wait_procs(kids, timeout=15)
    assert not alive, [p.cmdline() for p in alive]  # workers and kernels are gone
    assert not list(reports.glob("*/.*staging*")) and not list(reports.glob("*/*.failed"))
    for t in made:  # every report folder there is complete
        d = reports / t.slug / str(t.year)
        if d.exists():
            assert (d / "report.html").is_file() and (d / "manifest.json").is_file()
    m = json.loads((reports / "batch-manifest.json").read_text(encoding="utf-8"))
    assert m["totals"]["interrupted"] and m["totals"]["skipped"] >= 1


@pytest.mark.slow
def test_a_killed_batch_leaves_no_worker_or_kernel(tmp_path):
    """The batch process killed outright while townships are being built: its workers
    unwind them (kernels shut down, staging folders discarded) and end."""
    psutil = pytest.importorskip("psutil")
    generate(tmp_path, 4, seed=9, projects=(40, 80))
    proc = subprocess.Popen(
        [sys.executable, "-m", "jixiao.cli", "batch", str(tmp_path / "params"), "-j", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    reports = tmp_path / "reports"
    deadline = time.time() + 120
    # Polled, as in the Ctrl-C test above: no portable blocking wait for a folder to appear.
    while time.time() < deadline and not list(reports.glob("*/.*staging*")):
        time.sleep(0.2)
    assert list(reports.glob("*/.*staging*")), "no township started"
    time.sleep(2)
    kids = psutil.Process(proc.pid).children(recursive=True)
    assert any("ipykernel" in " ".join(k.cmdline()) for k in kids)  # a kernel is running
    proc.kill()
    proc.wait(10)
    gone, alive = psutil.wait_procs(kids, timeout=30)
    for p in alive:  # only if the test fails: leave no orphan behind
        with contextlib.suppress(psutil.Error):
            p.kill()
    assert not alive, [p.cmdline() for p in alive]
    assert not list(reports.glob("*/.*staging*"))
