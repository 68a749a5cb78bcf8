"""One township of a batch: retries after kernel failures, notebooks laid out like the
repository's (no notebooks run: the build is faked)."""

from __future__ import annotations

import shutil

from scale_support import fake_result

from jixiao.scale import incremental as I
from jixiao.scale import task as T

from support import ROOT


def test_kernel_start_failures_are_retried(small_set, monkeypatch):
    out, made = small_set
    ok = next(t for t in made if t.kind != "broken")
    calls = {"n": 0}

    def flaky(path, kind, nb, formats):
        calls["n"] += 1
        if calls["n"] < 3:
            raise RuntimeError("Kernel died before replying to kernel_info")
        return fake_result(path)

    monkeypatch.setattr(T, "_build", flaky)
    monkeypatch.setattr(T.time, "sleep", lambda s: None)
    o = T.Outcome(**T.run_one(str(out / ok.params), retries=2, summary=False))
    assert o.status == "ok" and o.attempts == 3

    calls["n"] = -10  # keeps failing
    o = T.Outcome(**T.run_one(str(out / ok.params), retries=2, summary=False))
    assert o.status == "failed" and o.attempts == 3 and "内核启动失败" in o.reason

    def other(path, kind, nb, formats):
        calls["n"] += 1
        raise ValueError("not a kernel problem")

    calls["n"] = 0
    monkeypatch.setattr(T, "_build", other)
    o = T.Outcome(**T.run_one(str(out / ok.params), retries=2, summary=False))
    assert o.status == "failed" and o.attempts == 1 and calls["n"] == 1 and "ValueError" in o.reason


def test_notebooks_option_is_laid_out_like_the_repository(tmp_path, monkeypatch):
    """``--notebooks DIR``: township sections in DIR, key-project sections in DIR/key_project
    (a batch may hold both kinds of parameters files)."""
    import jixiao.keyproject as K
    import jixiao.report.township as R

    seen = {}
    monkeypatch.setattr(K, "evaluate", lambda path, notebooks_dir, formats: seen.update(key=notebooks_dir))
    monkeypatch.setattr(R, "run_report", lambda path, notebooks_dir, formats: seen.update(township=notebooks_dir))
    T._build(tmp_path / "k.yaml", "key-project", str(tmp_path / "nbs"), None)
    T._build(tmp_path / "t.yaml", "township", str(tmp_path / "nbs"), ["html"])
    assert seen == {"key": tmp_path / "nbs" / "key_project", "township": tmp_path / "nbs"}
    T._build(tmp_path / "k.yaml", "key-project", None, None)
    assert seen["key"] is None  # the repository's, chosen by evaluate itself
    nbs = tmp_path / "copy"
    shutil.copytree(ROOT / "notebooks", nbs)
    assert [p.name for p in I._notebooks_for("key-project", nbs)] == sorted(
        p.name for p in (ROOT / "notebooks" / "key_project").glob("*.ipynb")
    )
