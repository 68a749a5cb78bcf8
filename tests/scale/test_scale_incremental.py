"""Incremental batches: a township whose report is current is skipped unless forced."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from scale_support import fake_result

from jixiao import __version__
from jixiao.params import load_params
from jixiao.report.publish import code_fingerprint, sha256
from jixiao.scale import batch as B
from jixiao.scale import incremental as I
from jixiao.scale import task as T

from support import ROOT


def _write_manifest(params_path: Path, **override):
    from jixiao.report.sections import notebooks_dir, sections

    p = load_params(params_path)
    p.out_dir.mkdir(parents=True, exist_ok=True)
    (p.out_dir / "report.html").write_text("x", encoding="utf-8")
    nbs = {s.notebook: sha256(notebooks_dir() / s.notebook) for s in sections()}
    m = {
        "jixiao_version": __version__,
        "created": "2024-01-01T00:00:00",
        "inputs": {
            "jixiao": {"version": __version__, "sha256": code_fingerprint()},
            "parameters": {"sha256": sha256(params_path)},
            "workbook": {"sha256": sha256(p.workbook)},
            "notebooks": nbs,
        },
        "outputs": {"html": {"file": "report.html", "sha256": sha256(p.out_dir / "report.html")}},
    }
    m.update(override)
    (p.out_dir / "manifest.json").write_text(json.dumps(m), encoding="utf-8")
    return p


def test_up_to_date(small_set):
    out, made = small_set
    t = next(t for t in made if t.kind != "broken")
    path = out / t.params
    assert I.up_to_date(path) == (False, "尚无报告")
    p = _write_manifest(path)
    ok, why = I.up_to_date(path)
    assert ok, why
    assert not I.up_to_date(path, formats=["html", "pdf"])[0]  # no PDF yet
    (p.out_dir / "report.html").write_text("changed", encoding="utf-8")
    assert I.up_to_date(path) == (False, "html 报告缺失或已改动")
    p = _write_manifest(path, jixiao_version="0.0.0")
    assert not I.up_to_date(path)[0] and "版本" in I.up_to_date(path)[1]
    # Same version, other code/configuration/templates (an edited scheme in a working copy).
    p = _write_manifest(path)
    m = json.loads((p.out_dir / "manifest.json").read_text(encoding="utf-8"))
    m["inputs"]["jixiao"]["sha256"] = "0" * 64
    (p.out_dir / "manifest.json").write_text(json.dumps(m), encoding="utf-8")
    assert I.up_to_date(path) == (False, "jixiao 的程序、配置或模板已修改")
    _write_manifest(path)
    path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert I.up_to_date(path) == (False, "参数文件已修改")
    _write_manifest(path)
    with open(p.workbook, "ab") as fh:
        fh.write(b"\0")
    assert I.up_to_date(path) == (False, "工作簿已修改")
    nb_dir = out / "nbs"
    shutil.copytree(ROOT / "notebooks", nb_dir)
    _write_manifest(path, inputs=None)
    assert not I.up_to_date(path)[0]


def test_skip_unless_forced(small_set, monkeypatch):
    out, made = small_set
    good = [t for t in made if t.kind != "broken"]
    for t in good:
        _write_manifest(out / t.params)
    built = []
    monkeypatch.setattr(T, "_build", lambda path, *a: built.append(path.name) or fake_result(path))
    res = B.run_batch([out / t.params for t in good], workers=0, summaries=False)
    assert res.count("skipped") == len(good) and not built and res.exit_code == 0
    assert all("输入未变" in o.reason for o in res.outcomes)
    res = B.run_batch([out / t.params for t in good], workers=0, summaries=False, force=True)
    assert res.count("ok") == len(good) and len(built) == len(good)
