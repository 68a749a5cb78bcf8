"""Batch runs: isolation, reasons, exit codes, the run-set manifest, the local pool end to end.
Tests that run notebooks are marked slow. (What to run: test_scale_runset; one township:
test_scale_task; incremental skips: test_scale_incremental; the pool's interrupts and
orphans: test_scale_pool; Dask: test_scale_dask.)"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from scale_support import cli, fake_result, params_of

from jixiao.exceptions import SectionFailure
from jixiao.params import load_params
from jixiao.scale import batch as B
from jixiao.scale import task as T

from support import ROOT


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
        return fake_result(path)

    monkeypatch.setattr(T, "_build", fake_build)
    res = B.run_batch(params_of(out, made), workers=0, summaries=False, manifest=out / "m.json")
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


# -- real runs (notebooks) -------------------------------------------------------------------------
@pytest.mark.slow
def test_batch_local_pool_end_to_end(small_set):
    out, made = small_set
    broken = next(t for t in made if t.kind == "broken")
    good = [t for t in made if t.kind != "broken"]
    r = cli("batch", out / "params", "-j", "2", "--rollup")
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
    r = cli("batch", out / "params", "-j", "2")
    assert r.returncode == 1 and "跳过 3" in r.stdout, r.stdout
    # fixed the broken one → only it runs; then everything is current → exit 0
    shutil.copy(out / good[0].workbook, out / broken.workbook)
    bp = out / broken.params
    bp.write_text(
        bp.read_text(encoding="utf-8").replace(f"name: {broken.name}", f"name: {good[0].name}"), encoding="utf-8"
    )
    r = cli("batch", out / "params", "-j", "1")
    assert r.returncode == 0 and "完成 1" in r.stdout and "跳过 3" in r.stdout, r.stdout + r.stderr
    # --force rebuilds one from a run-set file
    rs = out / "runset.yaml"
    rs.write_text(
        f"params:\n  - {good[1].params}\nworkers: 1\nforce: true\nmanifest: reports/rs.json\n", encoding="utf-8"
    )
    r = cli("batch", rs)
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
    nb.cells.append(
        nbformat.v4.new_code_cell(f"if {victim.slug!r} in params_path:\n    raise ValueError('故意失败的章节')")
    )
    nbformat.write(nb, nb_path)
    res = B.run_batch([out / t.params for t in good], workers=2, notebooks_dir=nbs, summaries=False)
    by = {o.township: o for o in res.outcomes}
    assert by[victim.slug].status == "failed" and by[victim.slug].error_type == "SectionFailure"
    assert "故意失败的章节" in by[victim.slug].reason and "四、绩效自评发现的问题" in by[victim.slug].reason
    assert all(by[t.slug].status == "ok" for t in good[1:])
    assert not (out / "reports" / victim.slug / str(victim.year)).exists()  # nothing half-written
    assert (out / "reports" / victim.slug / f"{victim.year}.failed").is_dir()  # kept for inspection
