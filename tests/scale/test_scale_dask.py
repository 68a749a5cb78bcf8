"""Batches on a Dask distributed cluster (a local one here). Runs notebooks: slow."""

from __future__ import annotations

import json

import pytest

from jixiao.scale import batch as B


@pytest.mark.slow
def test_dask_local_cluster(small_set):
    distributed = pytest.importorskip("distributed")
    out, made = small_set
    good = [t for t in made if t.kind != "broken"][:2]
    broken = next(t for t in made if t.kind == "broken")
    with (
        distributed.LocalCluster(processes=True, n_workers=2, threads_per_worker=1, dashboard_address=None) as cl,
        distributed.Client(cl) as client,
    ):
        res = B.run_batch(
            [out / t.params for t in good] + [out / broken.params], scheduler=client, manifest=out / "dask.json"
        )
    assert res.backend == "dask" and res.workers == 2
    assert res.count("ok") == 2 and res.count("failed") == 1 and res.exit_code == 1
    for t in good:
        assert (out / "reports" / t.slug / str(t.year) / "report.html").is_file()
    workers = {o.worker for o in res.outcomes if o.worker}
    assert all(":" in w for w in workers)
    assert json.loads((out / "dask.json").read_text(encoding="utf-8"))["totals"]["backend"] == "dask"
