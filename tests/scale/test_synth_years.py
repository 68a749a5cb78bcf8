"""Consecutive years of synthetic townships (``jixiao synth --years``), a batch running them
in order with last year's file found in the run set, and the roll-up's year-on-year columns."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from scale_support import fake_result

from jixiao import params as P
from jixiao.analysis.checks import REGISTRY, run_checks
from jixiao.cli import main
from jixiao.params import load_params
from jixiao.scale import batch as B
from jixiao.scale import task as T
from jixiao.scale.rollup import year_on_year
from jixiao.scale.synth import generate
from jixiao.workbook.load import load_workbook

CROSSYEAR = [cid for cid in REGISTRY if cid.startswith("crossyear.")]


@pytest.fixture(scope="module")
def years_set(tmp_path_factory):
    """3 townships × 2022–2024; the last year of two of them with planted cross-year mismatches."""
    out = tmp_path_factory.mktemp("years")
    made = generate(out, 3, seed=5, years=(2022, 2024), inconsistent_share=0.0, projects=(6, 14), crossyear_share=0.7)
    return out, made


def _load(out: Path, t):
    p = load_params(out / t.params)
    return p, load_workbook(p.workbook, year=p.year, name=p.name)


def test_each_township_has_its_years_each_naming_the_one_before(years_set):
    out, made = years_set
    assert [(t.index, t.year) for t in made] == [(i, y) for i in range(3) for y in (2022, 2023, 2024)]
    for t in made:
        p = load_params(out / t.params)
        if t.year == 2022:
            assert t.previous is None and p.previous is None
        else:
            assert t.previous == f"{t.slug}-{t.year - 1}.yaml"
            assert p.previous == (out / "params" / t.previous).resolve()
    summary = json.loads((out / "synth.json").read_text(encoding="utf-8"))
    assert summary["years"] == [2022, 2023, 2024] and len(summary["townships"]) == 9


def test_the_years_agree_and_planted_mismatches_are_found(years_set):
    out, made = years_set
    planted = [t for t in made if t.crossyear]
    assert len(planted) == 2 and all(t.year == 2024 for t in planted)
    for t in made:
        p, ds = _load(out, t)
        findings = run_checks(ds, p, only=CROSSYEAR, raise_errors=True)
        if t.year == 2022:
            assert findings == []
            continue
        fired = {f.id for f in findings if f.severity in ("error", "warning")}
        if t.crossyear:
            assert set(t.crossyear.values()) <= fired, (t.slug, t.crossyear, fired)
            for f in findings:
                if f.id == "crossyear.previous_figures" and f.severity == "error":
                    assert f.cells[1].startswith(f"{t.slug}-{t.year - 1}.xlsx 三公经费!C")
        else:
            assert not {f.id for f in findings if f.severity == "error"}, t.slug
            assert "crossyear.previous_figures" not in fired and "crossyear.continuing_projects" not in fired
            assert any(f.severity == "pass" for f in findings)


def test_synth_years_option(tmp_path, capsys):
    assert main(["synth", "--n", "2", "--years", "2023-2024", "--out", str(tmp_path), "--max-projects", "8"]) == 0
    assert "2 个乡镇 × 2 个年度（2023–2024）" in capsys.readouterr().out
    assert sorted(p.name for p in (tmp_path / "params").glob("*.yaml"))[:2][0].endswith("-2023.yaml")
    assert main(["synth", "--n", "2", "--years", "2024-2022", "--out", str(tmp_path)]) == 2
    assert "--years 应为起止年度，如 2022-2024" in capsys.readouterr().err


def _params(folder: Path, name: str, township: str, year: int, **extra) -> Path:
    path = folder / name
    raw = {"township": township, "year": year, "workbook": "wb.xlsx", **extra}
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def test_previous_in_a_run_set_and_years_in_order(tmp_path):
    a24, b23, a22, a23 = (
        _params(tmp_path, "a24.yaml", "a", 2024),
        _params(tmp_path, "b23.yaml", "b", 2023),
        _params(tmp_path, "a22.yaml", "a", 2022),
        _params(tmp_path, "a23.yaml", "a", 2023),
    )
    paths = [a24, b23, a22, a23]
    assert B.previous_in(paths) == {a24: a23, a23: a22}
    # a's three files held places 0, 2, 3: its years fill them in order; b stays where it was
    assert [paths[i] for i in B.in_year_order([0, 1, 2, 3], paths)] == [a22, b23, a23, a24]


def test_a_batch_runs_the_previous_year_first_and_passes_it_on(years_set, monkeypatch):
    out, made = years_set
    t = made[:3]  # one township, 2022 … 2024
    ran: list[tuple[str, object]] = []

    def fake_build(path, kind, nb, formats):
        ran.append((path.name, load_params(path).previous))
        return fake_result(path)

    # the files of 2023 and 2024 without previous: the run set supplies it
    for x in t[1:]:
        raw = yaml.safe_load((out / x.params).read_text(encoding="utf-8"))
        raw.pop("previous")
        (out / x.params).write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(T, "_build", fake_build)
    monkeypatch.setattr(P, "PREVIOUS_IN_RUNSET", {})
    try:
        paths = [out / x.params for x in reversed(t)]
        B.run_batch(paths, workers=0, summaries=False, manifest=out / "m.json", force=True)
    finally:
        for x in t[1:]:  # the module's set as it was
            raw = yaml.safe_load((out / x.params).read_text(encoding="utf-8"))
            raw["previous"] = x.previous
            (out / x.params).write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    assert [name for name, _ in ran] == [Path(x.params).name for x in t]
    assert [prev for _, prev in ran] == [None, (out / t[0].params).resolve(), (out / t[1].params).resolve()]


def test_a_run_set_guess_that_does_not_fit_is_dropped(tmp_path, monkeypatch):
    from support import EXAMPLE_PARAMS, EXAMPLE_XLSX

    mine = _params(tmp_path, "x-2024.yaml", "other", 2024, workbook=str(EXAMPLE_XLSX))
    monkeypatch.setattr(P, "PREVIOUS_IN_RUNSET", {mine.resolve(): EXAMPLE_PARAMS})
    assert load_params(mine).previous is None  # another township: not last year's file


def test_the_rollup_shows_the_change_from_last_year():
    units = [
        {"township": "a", "year": 2023, "converted": 90.0, "final_total": 1000.0},
        {"township": "a", "year": 2024, "converted": 92.5, "final_total": 1100.5},
        {"township": "b", "year": 2024, "converted": None, "converted_stated": 80.0, "final_total": None},
    ]
    year_on_year(units)
    assert [(u["converted_change"], u["final_change"]) for u in units] == [(None, None), (2.5, 100.5), (None, None)]


def test_the_report_shows_three_years_when_two_earlier_ones_chain_back(years_set):
    from jixiao.analysis import finance as F
    from jixiao.report.context import open_report
    from jixiao.report.sections.assessment.policy import austerity
    from jixiao.rounding import fmt

    out, made = years_set
    t = next(x for x in made if x.year == 2024 and "三公经费" not in x.omitted_sheets)
    block = austerity(open_report(out / t.params, "02"))
    assert "近三年“三公”经费与决算支出" in block
    for y in (2022, 2023, 2024):
        x = next(m for m in made if m.slug == t.slug and m.year == y)
        _, ds = _load(out, x)
        assert f"<td>{y}年</td>" in block
        assert f'<td class="n">{fmt(F.final_total(ds))}</td>' in block
    one_earlier = next(x for x in made if x.slug == t.slug and x.year == 2023)
    assert "近三年" not in austerity(open_report(out / one_earlier.params, "02"))


def test_last_years_files_are_inputs_of_the_run(years_set):
    """Recorded in the manifest and compared by an incremental batch: a change in last year's
    workbook makes this year's report (its cross-year findings, its three-year view) stale."""
    out, made = years_set
    t = next(x for x in made if x.year == 2024)
    files = load_params(out / t.params).other_inputs()
    assert [f.name for f in files] == [
        f"{t.slug}-2023.yaml",
        f"{t.slug}-2023.xlsx",
        f"{t.slug}-2022.yaml",
        f"{t.slug}-2022.xlsx",
    ]
