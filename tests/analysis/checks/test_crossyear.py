"""Cross-year checks: next year's workbook (carried from the example) against the example.

Each check holds on the faithful round trip and fires on a mismatch planted in the test,
naming both files' cells; ``previous:`` that cannot be last year's file is refused (exit 2).
"""

from __future__ import annotations

import copy
from pathlib import Path

import pandas as pd
import pytest
import yaml
from carry_support import NAME, filled_next_year
from carry_support import next_year as _next_year

from jixiao.analysis.checks import REGISTRY, run_checks
from jixiao.cli import main
from jixiao.params import load_params
from jixiao.workbook.load import load_workbook

from support import EXAMPLE_PARAMS, EXAMPLE_XLSX

CROSSYEAR = [cid for cid in REGISTRY if cid.startswith("crossyear.")]


def findings_of(params_path):
    params = load_params(params_path)
    ds = load_workbook(params.workbook, year=params.year, name=params.name)
    return ds, run_checks(ds, params, only=CROSSYEAR, raise_errors=True)


def of(findings, check_id, severity=None):
    return [f for f in findings if f.id == check_id and (severity is None or f.severity == severity)]


_BASE: list[Path] = []


@pytest.fixture(scope="module", autouse=True)
def base(tmp_path_factory):
    """The carried and filled 2024 workbook, made once: each test edits a copy."""
    _BASE[:] = [filled_next_year(tmp_path_factory.mktemp("base"))]
    yield _BASE[0]
    _BASE.clear()


def next_year(tmp_path, edit=None, **kw):
    return _next_year(tmp_path, edit, base=_BASE[0], **kw)


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory, base):
    return findings_of(next_year(tmp_path_factory.mktemp("trip")))


def test_the_family_is_registered_after_assets():
    ids = list(REGISTRY)
    assert CROSSYEAR == [
        "crossyear.previous_figures",
        "crossyear.continuing_projects",
        "crossyear.last_eval_count",
        "crossyear.targets",
    ]
    assert ids.index("crossyear.previous_figures") > max(i for i, c in enumerate(ids) if c.startswith("assets."))


def test_round_trip_previous_figures_equal_last_years_current_ones(round_trip):
    ds, findings = round_trip
    last = load_workbook(EXAMPLE_XLSX)
    assert ds.totals["three_public"]["last_actual"] == last.totals["three_public"]["actual"] == 4.64
    assert list(ds.balance_sheet["previous"].dropna()) == list(last.balance_sheet["current"].dropna())
    assert [f.severity for f in findings if f.severity in ("error", "warning")] == []
    passes = of(findings, "crossyear.previous_figures", "pass")
    assert [f.message for f in passes] == [
        "三公经费上年决算1项（合计）与上年度工作簿 dongshiduan-2023.xlsx 的本年决算一致。",
        "资产负债上年末3项（资产总额、负债总额、净资产）与上年度工作簿 dongshiduan-2023.xlsx 的本年末一致。",
    ]
    assert passes[0].cells == ["三公经费!D3:D6", "dongshiduan-2023.xlsx 三公经费!C3:C6"]
    assert of(findings, "crossyear.continuing_projects", "pass")[0].message == (
        "标注为延续的39个项目均见于上年度工作簿 dongshiduan-2023.xlsx 的项目表。"
    )


def test_a_previous_figure_typed_differently_is_an_error_naming_both_cells(tmp_path, capsys):
    def edit(wb):
        wb["三公经费"]["D7"] = 4.46  # last year's report said 4.64
        wb["资产负债"]["D8"] = 9.85  # and 9.58

    p = next_year(tmp_path, edit)
    _, findings = findings_of(p)
    errors = of(findings, "crossyear.previous_figures", "error")
    assert [f.message for f in errors] == [
        "三公经费“合计”上年决算4.46万元（dongshiduan-2024.xlsx 三公经费!D7），上年度工作簿本年决算为4.64万元"
        "（dongshiduan-2023.xlsx 三公经费!C7），不一致：上年数应与上年度报告所述相同。",
        "资产负债“负债总额”上年末9.85万元（dongshiduan-2024.xlsx 资产负债!D8），上年度工作簿本年末为9.58万元"
        "（dongshiduan-2023.xlsx 资产负债!E8），不一致：上年数应与上年度报告所述相同。",
    ]
    assert errors[0].cells == ["三公经费!D7", "dongshiduan-2023.xlsx 三公经费!C7"]
    assert (errors[0].stated, errors[0].computed, errors[0].tolerance) == (4.46, 4.64, 0.01)
    # what a new user sees: `jixiao check` names both cells and exits 1
    assert main(["check", str(p)]) == 1
    out = capsys.readouterr().out
    assert "dongshiduan-2023.xlsx 三公经费!C7" in out and "三公经费!D7" in out


# -- the other cases on the loaded 2024 dataset, changed in memory (rows: Excel row − 3) ------------
@pytest.fixture(scope="module")
def loaded(tmp_path_factory, base):
    params = load_params(next_year(tmp_path_factory.mktemp("loaded")))
    return params, load_workbook(params.workbook, year=params.year, name=params.name)


def changed(loaded, mutate):
    params, ds = loaded
    ds = copy.deepcopy(ds)
    mutate(ds)
    return run_checks(ds, params, only=CROSSYEAR, raise_errors=True)


def test_a_difference_rounding_explains_is_a_note_not_an_error(loaded):
    def edit(ds):
        ds.balance_sheet.loc[0, "previous"] = 7038.19  # row 3: 资产总额, 2023 said 7038.18

    (f,) = of(changed(loaded, edit), "crossyear.previous_figures", "info")
    assert f.message.endswith("在舍入误差范围内。") and f.cells[1] == "dongshiduan-2023.xlsx 资产负债!E3"


def test_a_row_last_year_did_not_have_or_a_blank_previous_figure(loaded):
    def edit(ds):
        ds.balance_sheet.loc[1, ["item", "previous"]] = ["库存现金", 1.0]  # row 4: not a row of 2023
        ds.balance_sheet.loc[7, "previous"] = None  # row 10: 净资产 上年末 left blank

    findings = changed(loaded, edit)
    (warning,) = of(findings, "crossyear.previous_figures", "warning")
    assert warning.message.startswith(
        "资产负债“库存现金”上年末1.00万元（资产负债!D4）：上年度工作簿 dongshiduan-2023.xlsx"
    )
    (blank,) = of(findings, "crossyear.previous_figures", "info")
    assert blank.message == (
        "资产负债“净资产”上年末未填（资产负债!D10），上年度工作簿本年末为7028.60万元（dongshiduan-2023.xlsx 资产负债!E10）。"
    )


def test_continuing_projects_against_last_years_list(loaded):
    def edit(ds):
        ds.projects.loc[0, "remark"] = "延续（请确认）"  # row 3: left as carried
        ds.projects.loc[1, "name"] = "村党组织活动经费（新）"  # row 4: renamed, still said to continue

    findings = changed(loaded, edit)
    unconfirmed, missing = of(findings, "crossyear.continuing_projects", "warning")
    assert unconfirmed.message.startswith(
        "1个项目仍标注“延续（请确认）”（由上年度工作簿结转，尚未确认）：“服务群众专项经费”"
    )
    assert unconfirmed.cells == ["项目!J3"]
    assert missing.message == (
        "项目“村党组织活动经费（新）”标注为延续（项目!J4），但上年度工作簿 dongshiduan-2023.xlsx 的项目表中没有同名项目："
        "请核对项目名称或是否为新增项目。"
    )
    assert missing.cells == ["项目!B4", "dongshiduan-2023.xlsx 项目!B3:B41"]
    assert of(findings, "crossyear.continuing_projects", "pass")[0].message == (
        "标注为延续的项目中38个见于上年度工作簿 dongshiduan-2023.xlsx 的项目表。"
    )


@pytest.mark.parametrize(("count", "severity"), [(39, "pass"), (38, "warning")])
def test_last_years_self_evaluation_count_against_last_years_projects(loaded, count, severity):
    findings = changed(loaded, lambda ds: ds.stated.__setitem__("last_eval_count", count))
    (f,) = of(findings, "crossyear.last_eval_count")
    assert f.severity == severity and f.cells[1] == "dongshiduan-2023.xlsx 项目!A3:A41"
    if severity == "warning":
        assert f.message.startswith("上年自评项目数38个（填报数据!B")
        assert "上年度工作簿 dongshiduan-2023.xlsx 列有项目39个" in f.message


@pytest.mark.parametrize(("target", "severity"), [(3, "warning"), (4, "pass")])
def test_a_target_below_last_years_actual_is_set_too_low(loaded, target, severity):
    # 2023: project 3 (“三馆一站”免费开放资金) 开展文化活动次数 ≥4 次, achieved 4 (项目指标!G4)
    def edit(ds):
        row = {"project_no": 3, "level1": "产出指标", "name": "开展文化活动次数", "direction": "≥", "target": target}
        ds.tables["indicators"] = pd.DataFrame([{**row, "unit": "次", "_row": 3}], columns=ds.indicators.columns)

    findings = changed(loaded, edit)
    (f,) = of(findings, "crossyear.targets")
    assert f.severity == severity
    if severity == "warning":
        assert f.message == (
            "目标值设置偏低：项目““三馆一站”免费开放资金”的指标“开展文化活动次数”本年目标值≥3次（项目指标!F3），"
            "低于上年实际值4次（dongshiduan-2023.xlsx 项目指标!G4）。"
        )
        assert f.cells == ["项目指标!F3", "dongshiduan-2023.xlsx 项目指标!G4"]


def test_without_previous_the_family_yields_nothing(tmp_path):
    _, findings = findings_of(next_year(tmp_path, previous=None))
    assert findings == []
    ds = load_workbook(EXAMPLE_XLSX)
    assert run_checks(ds, load_params(EXAMPLE_PARAMS), only=CROSSYEAR) == []


def test_previous_relative_to_the_parameters_file(tmp_path):
    import os

    rel = os.path.relpath(EXAMPLE_PARAMS, tmp_path)
    assert load_params(next_year(tmp_path, previous=rel)).previous == EXAMPLE_PARAMS.resolve()


def _other(tmp_path, **changes):
    raw = yaml.safe_load(EXAMPLE_PARAMS.read_text(encoding="utf-8"))
    raw.pop("project_forms", None)  # relative to the example's folder, and beside the point here
    raw.update({"workbook": str(EXAMPLE_XLSX), **changes})
    path = tmp_path / "other.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("make", "said"),
    [
        (lambda t: _other(t, township="xinxing"), "属于另一单位（township 为“xinxing”，本文件为“dongshiduan”）"),
        (lambda t: _other(t, name="某某镇人民政府"), f"的单位名称“某某镇人民政府”与本文件的“{NAME}”不同"),
        (lambda t: _other(t, year=2025), "的年度 2025 晚于本文件的 2024 年度，应为 2023 年度"),
        (lambda t: _other(t, year=2024), "的年度与本文件同为 2024 年，应为 2023 年度"),
        (lambda t: t / "missing-2023.yaml", "找不到上年度参数文件"),
    ],
)
def test_a_previous_that_is_not_last_years_file_is_refused(tmp_path, capsys, make, said):
    p = next_year(tmp_path, previous=make(tmp_path))
    assert main(["validate", str(p)]) == 2
    err = capsys.readouterr().err.replace("\n", "")
    assert "参数 previous：" in err and said in err
    assert "Traceback" not in err


def test_an_earlier_year_than_the_previous_one_is_refused(tmp_path, capsys):
    p = next_year(tmp_path, previous=_other(tmp_path, year=2022, workbook=str(EXAMPLE_XLSX)))
    assert main(["validate", str(p)]) == 2
    assert (
        "的年度 2022 不是上一年度（“上年”数字取自上一年度的工作簿），应为 2023 年度"
        in capsys.readouterr().err.replace("\n", "")
    )
