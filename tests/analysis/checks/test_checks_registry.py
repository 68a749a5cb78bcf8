"""The registry and the run (:mod:`jixiao.analysis.checks.registry`): findings, severities,
duplicate ids, a failing check, blanks, serialisation, and the example's known problems."""

from __future__ import annotations

import copy
import json

import pandas as pd
import pytest

from jixiao.analysis import checks as C
from jixiao.analysis.checks import REGISTRY, Finding, run_checks, summarize

from support import OTHER_INPUTS, blanked, emptied


def test_example_has_exactly_the_known_problems(findings):
    counts = summarize(findings)
    assert counts["error"] == 2
    assert {f.id for f in findings if f.severity == "error"} == {"assessment.total", "projects.not_achieved"}
    assert {f.id for f in findings if f.severity == "warning"} == {
        "fixed_assets.added_equals_stock",
        "assets.cip_date",
        "three_public.classification",
        "monitoring.status",
    }


# -- blanks, registry, serialisation --------------------------------------------------------
@pytest.mark.parametrize("make", [blanked, emptied], ids=["blank-cells", "no-rows"])
def test_blank_data_is_reported_not_skipped(example_ds, make):
    fs = run_checks(make(example_ds), None, raise_errors=True)
    # every check says something (those needing last year's workbook or the project forms:
    # nothing without them)
    assert {f.id for f in fs} == {c for c in REGISTRY if not c.startswith(OTHER_INPUTS)}
    for f in fs:
        assert f.severity == "info" and C.NOT_PROVIDED in f.message, (f.id, f.message)
        assert f.cells, f.id


def test_every_example_finding_names_cells(findings):
    assert {f.id for f in findings} == {c for c in REGISTRY if not c.startswith(OTHER_INPUTS)}
    for f in findings:
        assert f.cells and all("!" in c for c in f.cells), (f.id, f.cells)
        assert "?" not in "".join(f.cells), (f.id, f.cells)


def test_findings_serialise(findings):
    data = json.loads(json.dumps([f.to_dict() for f in findings], ensure_ascii=False))
    assert set(data[0]) == {
        "id",
        "title",
        "severity",
        "message",
        "stated",
        "computed",
        "difference",
        "tolerance",
        "cells",
    }
    assert Finding("x", "t", "info", "m", stated=float("nan")).to_dict()["stated"] is None


def test_bad_severity_rejected():
    with pytest.raises(ValueError):
        Finding("x", "t", "fatal", "m")


def test_registry_rejects_duplicates_and_contains_the_failure(example_ds):
    with pytest.raises(ValueError):
        C.check("assessment.total", "重复")(lambda ctx: [])

    @C.check("test.broken", "故意出错")
    def _broken(ctx):
        raise RuntimeError("boom")
        yield  # pragma: no cover

    try:
        fs = run_checks(example_ds, None, only=["test.broken"])
        assert fs[0].severity == "warning" and "boom" in fs[0].message and fs[0].id == "test.broken"
        with pytest.raises(RuntimeError):
            run_checks(example_ds, None, only=["test.broken"], raise_errors=True)
    finally:
        del REGISTRY["test.broken"]


def test_checks_do_not_change_the_data(example_ds, params):
    before = copy.deepcopy(example_ds)
    run_checks(example_ds, params)
    for k, df in before.tables.items():
        pd.testing.assert_frame_equal(df, example_ds.tables[k])
    assert before.totals == example_ds.totals and before.facts == example_ds.facts
