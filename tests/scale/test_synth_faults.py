"""Synthetic townships are wrong exactly where intended: broken ones fail validation, each
kind of breakage in turn; inconsistent ones are flagged by the checks recorded for them."""

from __future__ import annotations

import pytest
from scale_support import load_township

from jixiao.analysis.checks import run_checks
from jixiao.exceptions import WorkbookError
from jixiao.scale.synth import BREAKAGES, INCONSISTENCIES, generate


def test_every_valid_township_loads_and_broken_ones_fail(synth_set):
    out, made = synth_set
    assert sum(t.kind == "broken" for t in made) == 3
    for t in made:
        if t.kind == "broken":
            with pytest.raises(WorkbookError):
                load_township(out, t)
            assert t.broken in BREAKAGES and t.broken_reason
        else:
            _, ds = load_township(out, t)
            assert len(ds.projects) == t.projects
            assert ds.name == t.name


def test_broken_kinds_are_varied(tmp_path):
    made = generate(tmp_path, 8, seed=3, broken=len(BREAKAGES), projects=(5, 15))
    assert {t.broken for t in made if t.kind == "broken"} == set(BREAKAGES)
    for t in made:
        if t.kind == "broken":
            with pytest.raises(WorkbookError):
                load_township(tmp_path, t)


def test_valid_townships_pass_checks_and_inconsistent_ones_are_flagged(synth_set):
    out, made = synth_set
    kinds = {t.kind for t in made}
    assert {"valid", "inconsistent", "broken"} <= kinds
    for t in made:
        if t.kind == "broken":
            continue
        p, ds = load_township(out, t)
        findings = run_checks(ds, p, raise_errors=True)
        errors = {f.id for f in findings if f.severity == "error"}
        if t.kind == "valid":
            assert not errors, (t.slug, errors)
            assert not [f for f in findings if f.severity == "warning"], t.slug
        else:
            assert t.inconsistencies and set(t.inconsistencies.values()) <= errors, (t.slug, errors)
            assert set(t.inconsistencies) <= set(INCONSISTENCIES)
