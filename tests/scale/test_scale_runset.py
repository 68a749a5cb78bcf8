"""What a batch runs: parameter paths (files, globs, folders) and run-set YAML files."""

from __future__ import annotations

import pytest

from jixiao.exceptions import InputError
from jixiao.scale import runset as R


def test_expand_params_dirs_globs_and_missing(small_set):
    out, made = small_set
    a = R.expand_params([out / "params"])
    b = R.expand_params([str(out / "params" / "*.yaml")])
    assert a == b and len(a) == 4
    assert R.expand_params([a[0], a[0], out / "params"]) == [a[0]] + [p for p in a if p != a[0]]
    with pytest.raises(InputError):
        R.expand_params([out / "params" / "nope.yaml"])


def test_runset_yaml(small_set):
    out, made = small_set
    rs_path = out / "runset.yaml"
    rs_path.write_text(
        "params:\n  - params/*.yaml\nworkers: 1\nformats: html\nforce: true\nrollup: reports\n"
        "manifest: reports/run.json\n",
        encoding="utf-8",
    )
    assert R.is_runset(rs_path) and not R.is_runset(out / made[0].params)
    rs = R.load_runset(rs_path)
    assert len(rs.params) == 4 and rs.workers == 1 and rs.formats == ["html"] and rs.force
    assert rs.manifest == (out / "reports" / "run.json").resolve() and rs.rollup == (out / "reports").resolve()
    (out / "bad.yaml").write_text("params: [params/*.yaml]\nwokers: 2\n", encoding="utf-8")
    with pytest.raises(InputError):
        R.load_runset(out / "bad.yaml")


def test_batch_module_still_exports_what_callers_import():
    """``jixiao.scale.batch`` re-exports the names callers imported from it before the split."""
    from jixiao.scale import batch as B

    assert B.expand_params is R.expand_params and B.load_runset is R.load_runset
    assert B.is_runset is R.is_runset and B.RunSet is R.RunSet
    for name in ("KERNEL_RETRIES", "Outcome", "run_one", "up_to_date", "default_workers", "run_batch"):
        assert hasattr(B, name), name
