"""Batch runs: isolation, reasons, exit codes, retries, incremental skips, run-sets, Dask,
interrupts. Tests that run notebooks are marked slow."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from jixiao import __version__
from jixiao.scale import batch as B
from jixiao.exceptions import InputError, SectionFailure
from jixiao.params import load_params
from jixiao.report.publish import code_fingerprint, sha256
from jixiao.scale.synth import generate

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def small_set(tmp_path):
    """3 valid small townships + 1 broken (a text in a money cell)."""
    made = generate(tmp_path, 4, seed=8, broken=1, inconsistent_share=0.0, projects=(5, 12))
    return tmp_path, made


def _params(out, made):
    return [out / t.params for t in made]


def _fake_result(path: Path):
    p = load_params(path)
    return SimpleNamespace(out_dir=p.out_dir, outputs={"html": p.out_dir / "report.html"}, findings=[])


# -- what to run --------------------------------------------------------------------------------
def test_expand_params_dirs_globs_and_missing(small_set):
    out, made = small_set
    a = B.expand_params([out / "params"])
    b = B.expand_params([str(out / "params" / "*.yaml")])
    assert a == b and len(a) == 4
    assert B.expand_params([a[0], a[0], out / "params"]) == [a[0]] + [p for p in a if p != a[0]]
    with pytest.raises(InputError):
        B.expand_params([out / "params" / "nope.yaml"])


def test_runset_yaml(small_set):
    out, made = small_set
    rs_path = out / "runset.yaml"
    rs_path.write_text("params:\n  - params/*.yaml\nworkers: 1\nformats: html\nforce: true\nrollup: reports\n"
                       "manifest: reports/run.json\n", encoding="utf-8")
    assert B.is_runset(rs_path) and not B.is_runset(out / made[0].params)
    rs = B.load_runset(rs_path)
    assert len(rs.params) == 4 and rs.workers == 1 and rs.formats == ["html"] and rs.force
    assert rs.manifest == (out / "reports" / "run.json").resolve() and rs.rollup == (out / "reports").resolve()
    (out / "bad.yaml").write_text("params: [params/*.yaml]\nwokers: 2\n", encoding="utf-8")
    with pytest.raises(InputError):
        B.load_runset(out / "bad.yaml")


# -- isolation and reasons (no notebooks: the build is faked) -------------------------------
def test_failures_are_isolated_with_reasons(small_set, monkeypatch):
    out, made = small_set
    bad_section = made[0] if made[0].kind != "broken" else made[1]

    def fake_build(path, kind, nb, formats):
        if path.name == Path(bad_section.params).name:
            raise SectionFailure(section="四、绩效自评发现的问题", error="ValueError: boom")
        from jixiao.workbook.load import load_workbook

        p = load_params(path)
        load_workbook(p.workbook, year=p.year)  # the broken one raises WorkbookError here
        return _fake_result(path)

    monkeypatch.setattr(B, "_build", fake_build)
    res = B.run_batch(_params(out, made), workers=0, summaries=False, manifest=out / "m.json")
    by = {Path(o.params).name: o for o in res.outcomes}
    broken = next(t for t in made if t.kind == "broken")
    assert res.count("ok") == 2 and res.count("failed") == 2 and res.exit_code == 1
    o = by[Path(broken.params).name]
    assert o.status == "failed" and o.error_type == "WorkbookError" and "约一百万" in o.reason
    o = by[Path(bad_section.params).name]
    assert o.status == "failed" and o.error_type == "SectionFailure" and "boom" in o.reason
    m = json.loads((out / "m.json").read_text(encoding="utf-8"))
    assert m["totals"]["ok"] == 2 and m["totals"]["failed"] == 2
    assert {t["status"] for t in m["townships"]} == {"ok", "failed"}
    assert all({"params", "status", "reason", "seconds", "out_dir"} <= set(t) for t in m["townships"])


def test_kernel_start_failures_are_retried(small_set, monkeypatch):
    out, made = small_set
    ok = next(t for t in made if t.kind != "broken")
    calls = {"n": 0}

    def flaky(path, kind, nb, formats):
        calls["n"] += 1
        if calls["n"] < 3:
            raise RuntimeError("Kernel died before replying to kernel_info")
        return _fake_result(path)

    monkeypatch.setattr(B, "_build", flaky)
    monkeypatch.setattr(B.time, "sleep", lambda s: None)
    o = B.Outcome(**B.run_one(str(out / ok.params), retries=2, summary=False))
    assert o.status == "ok" and o.attempts == 3

    calls["n"] = -10  # keeps failing
    o = B.Outcome(**B.run_one(str(out / ok.params), retries=2, summary=False))
    assert o.status == "failed" and o.attempts == 3 and "内核启动失败" in o.reason

    def other(path, kind, nb, formats):
        calls["n"] += 1
        raise ValueError("not a kernel problem")

    calls["n"] = 0
    monkeypatch.setattr(B, "_build", other)
    o = B.Outcome(**B.run_one(str(out / ok.params), retries=2, summary=False))
    assert o.status == "failed" and o.attempts == 1 and calls["n"] == 1 and "ValueError" in o.reason


# -- incremental -----------------------------------------------------------------------------
def _write_manifest(params_path: Path, **override):
    from jixiao.report.pipeline import default_notebooks_dir, report_sections

    p = load_params(params_path)
    p.out_dir.mkdir(parents=True, exist_ok=True)
    (p.out_dir / "report.html").write_text("x", encoding="utf-8")
    nbs = {s.notebook: sha256(default_notebooks_dir() / s.notebook) for s in report_sections()}
    m = {"jixiao_version": __version__, "created": "2024-01-01T00:00:00",
         "inputs": {"jixiao": {"version": __version__, "sha256": code_fingerprint()},
                    "parameters": {"sha256": sha256(params_path)}, "workbook": {"sha256": sha256(p.workbook)},
                    "notebooks": nbs},
         "outputs": {"html": {"file": "report.html", "sha256": sha256(p.out_dir / "report.html")}}}
    m.update(override)
    (p.out_dir / "manifest.json").write_text(json.dumps(m), encoding="utf-8")
    return p


def test_up_to_date(small_set):
    out, made = small_set
    t = next(t for t in made if t.kind != "broken")
    path = out / t.params
    assert B.up_to_date(path) == (False, "尚无报告")
    p = _write_manifest(path)
    ok, why = B.up_to_date(path)
    assert ok, why
    assert not B.up_to_date(path, formats=["html", "pdf"])[0]  # no PDF yet
    (p.out_dir / "report.html").write_text("changed", encoding="utf-8")
    assert B.up_to_date(path) == (False, "html 报告缺失或已改动")
    p = _write_manifest(path, jixiao_version="0.0.0")
    assert not B.up_to_date(path)[0] and "版本" in B.up_to_date(path)[1]
    # Same version, other code/configuration/templates (an edited scheme in a working copy).
    p = _write_manifest(path)
    m = json.loads((p.out_dir / "manifest.json").read_text(encoding="utf-8"))
    m["inputs"]["jixiao"]["sha256"] = "0" * 64
    (p.out_dir / "manifest.json").write_text(json.dumps(m), encoding="utf-8")
    assert B.up_to_date(path) == (False, "jixiao 的程序、配置或模板已修改")
    _write_manifest(path)
    path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert B.up_to_date(path) == (False, "参数文件已修改")
    _write_manifest(path)
    with open(p.workbook, "ab") as fh:
        fh.write(b"\0")
    assert B.up_to_date(path) == (False, "工作簿已修改")
    nb_dir = out / "nbs"
    shutil.copytree(ROOT / "notebooks", nb_dir)
    _write_manifest(path, inputs=None)
    assert not B.up_to_date(path)[0]


def test_skip_unless_forced(small_set, monkeypatch):
    out, made = small_set
    good = [t for t in made if t.kind != "broken"]
    for t in good:
        _write_manifest(out / t.params)
    built = []
    monkeypatch.setattr(B, "_build", lambda path, *a: built.append(path.name) or _fake_result(path))
    res = B.run_batch([out / t.params for t in good], workers=0, summaries=False)
    assert res.count("skipped") == len(good) and not built and res.exit_code == 0
    assert all("输入未变" in o.reason for o in res.outcomes)
    res = B.run_batch([out / t.params for t in good], workers=0, summaries=False, force=True)
    assert res.count("ok") == len(good) and len(built) == len(good)


def test_notebooks_option_is_laid_out_like_the_repository(tmp_path, monkeypatch):
    """``--notebooks DIR``: township sections in DIR, key-project sections in DIR/key_project
    (a batch may hold both kinds of parameters files)."""
    import jixiao.keyproject as K
    import jixiao.report.pipeline as R

    seen = {}
    monkeypatch.setattr(K, "evaluate", lambda path, notebooks_dir, formats: seen.update(key=notebooks_dir))
    monkeypatch.setattr(R, "run_report", lambda path, notebooks_dir, formats: seen.update(township=notebooks_dir))
    B._build(tmp_path / "k.yaml", "key-project", str(tmp_path / "nbs"), None)
    B._build(tmp_path / "t.yaml", "township", str(tmp_path / "nbs"), ["html"])
    assert seen == {"key": tmp_path / "nbs" / "key_project", "township": tmp_path / "nbs"}
    B._build(tmp_path / "k.yaml", "key-project", None, None)
    assert seen["key"] is None  # the repository's, chosen by evaluate itself
    nbs = tmp_path / "copy"
    shutil.copytree(ROOT / "notebooks", nbs)
    assert [p.name for p in B._notebooks_for("key-project", nbs)] == \
        sorted(p.name for p in (ROOT / "notebooks" / "key_project").glob("*.ipynb"))


# -- real runs (notebooks) -------------------------------------------------------------------------
def _cli(*args, cwd=None, timeout=600):
    return subprocess.run([sys.executable, "-m", "jixiao.cli", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=timeout)


@pytest.mark.slow
def test_batch_local_pool_end_to_end(small_set):
    out, made = small_set
    broken = next(t for t in made if t.kind == "broken")
    good = [t for t in made if t.kind != "broken"]
    r = _cli("batch", out / "params", "-j", "2", "--rollup")
    assert r.returncode == 1, r.stderr
    assert "完成 3" in r.stdout and "失败 1" in r.stdout
    assert broken.name in r.stderr and "约一百万" in r.stderr  # the failure, named with its reason
    m = json.loads((out / "reports" / "batch-manifest.json").read_text(encoding="utf-8"))
    assert m["totals"] == {**m["totals"], "ok": 3, "failed": 1, "skipped": 0, "workers": 2, "backend": "local"}
    for t in good:
        d = out / "reports" / t.slug / str(t.year)
        assert (d / "report.html").is_file() and (d / "manifest.json").is_file()
    # no output, no leftovers for the broken one
    assert not (out / "reports" / broken.slug).exists()
    assert not list((out / "reports").glob("*/.*staging*")) and not list((out / "reports").glob("*/*.failed"))
    assert (out / "reports" / "rollup" / "rollup.html").is_file()
    assert broken.name in (out / "reports" / "rollup" / "rollup.html").read_text(encoding="utf-8")

    # unchanged: skipped (the broken one is tried again: it never succeeded)
    r = _cli("batch", out / "params", "-j", "2")
    assert r.returncode == 1 and "跳过 3" in r.stdout, r.stdout
    # fixed the broken one → only it runs; then everything is current → exit 0
    shutil.copy(out / good[0].workbook, out / broken.workbook)
    bp = out / broken.params
    bp.write_text(bp.read_text(encoding="utf-8").replace(f"name: {broken.name}", f"name: {good[0].name}"),
                  encoding="utf-8")
    r = _cli("batch", out / "params", "-j", "1")
    assert r.returncode == 0 and "完成 1" in r.stdout and "跳过 3" in r.stdout, r.stdout + r.stderr
    # --force rebuilds one from a run-set file
    rs = out / "runset.yaml"
    rs.write_text(f"params:\n  - {good[1].params}\nworkers: 1\nforce: true\nmanifest: reports/rs.json\n",
                  encoding="utf-8")
    r = _cli("batch", rs)
    assert r.returncode == 0, r.stderr
    m = json.loads((out / "reports" / "rs.json").read_text(encoding="utf-8"))
    assert m["totals"]["ok"] == 1 and m["totals"]["townships"] == 1


@pytest.mark.slow
def test_failing_section_keeps_the_others_and_the_previous_report(small_set):
    out, made = small_set
    good = [t for t in made if t.kind != "broken"]
    victim = good[0]
    nbs = out / "notebooks"
    shutil.copytree(ROOT / "notebooks", nbs)
    import nbformat

    nb_path = nbs / "05_problems.ipynb"
    nb = nbformat.read(nb_path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(
        f"if {victim.slug!r} in params_path:\n    raise ValueError('故意失败的章节')"))
    nbformat.write(nb, nb_path)
    res = B.run_batch([out / t.params for t in good], workers=2, notebooks_dir=nbs, summaries=False)
    by = {o.township: o for o in res.outcomes}
    assert by[victim.slug].status == "failed" and by[victim.slug].error_type == "SectionFailure"
    assert "故意失败的章节" in by[victim.slug].reason and "四、绩效自评发现的问题" in by[victim.slug].reason
    assert all(by[t.slug].status == "ok" for t in good[1:])
    assert not (out / "reports" / victim.slug / str(victim.year)).exists()  # nothing half-written
    assert (out / "reports" / victim.slug / f"{victim.year}.failed").is_dir()  # kept for inspection


@pytest.mark.slow
def test_dask_local_cluster(small_set):
    distributed = pytest.importorskip("distributed")
    out, made = small_set
    good = [t for t in made if t.kind != "broken"][:2]
    broken = next(t for t in made if t.kind == "broken")
    with distributed.LocalCluster(processes=True, n_workers=2, threads_per_worker=1, dashboard_address=None) as cl, \
            distributed.Client(cl) as client:
        res = B.run_batch([out / t.params for t in good] + [out / broken.params], scheduler=client,
                          manifest=out / "dask.json")
    assert res.backend == "dask" and res.workers == 2
    assert res.count("ok") == 2 and res.count("failed") == 1 and res.exit_code == 1
    for t in good:
        assert (out / "reports" / t.slug / str(t.year) / "report.html").is_file()
    workers = {o.worker for o in res.outcomes if o.worker}
    assert all(":" in w for w in workers)
    assert json.loads((out / "dask.json").read_text(encoding="utf-8"))["totals"]["backend"] == "dask"


@pytest.mark.slow
def test_ctrl_c_leaves_no_half_written_report(tmp_path):
    psutil = pytest.importorskip("psutil")
    made = generate(tmp_path, 6, seed=9, projects=(40, 80))
    # A shell that starts a job in the background without job control (CI harnesses do)
    # ignores SIGINT for it, and Python then installs no KeyboardInterrupt handler: give the
    # batch the terminal's default, as a person pressing Ctrl-C has it.
    proc = subprocess.Popen([sys.executable, "-m", "jixiao.cli", "batch", str(tmp_path / "params"), "-j", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    reports = tmp_path / "reports"
    deadline = time.time() + 120
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
