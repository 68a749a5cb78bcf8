"""Names as units write them (#13): the official wording of an item varies by province and by
accounting system. Variants in use are accepted (aliases in ``config/enums.yaml`` for the
enumerated columns, the line lists of ``config/finance.yaml`` for the balance sheet); a name
that is none of them is refused or warned about with the names that are accepted."""

from __future__ import annotations

import pytest

from jixiao.analysis.checks import run_checks
from jixiao.analysis.finance import classify_balance_item
from jixiao.exceptions import WorkbookError
from jixiao.params import load_params
from jixiao.workbook.load import load_workbook
from jixiao.workbook.template import write_workbook

from support import EXAMPLE_PARAMS, minimal_township


def _load(tmp_path, **sheets):
    return load_workbook(write_workbook(tmp_path / "names.xlsx", minimal_township(**sheets)), year=2024)


@pytest.mark.parametrize(
    "written, official",
    [
        ("保基层运转", "保运转"),
        ("保运转支出", "保运转"),
        ("基本民生", "保基本民生"),
        ("保基本民生支出", "保基本民生"),
        ("保工资支出", "保工资"),
    ],
)
def test_three_guarantee_categories_as_provinces_word_them(tmp_path, written, official):
    ds = _load(tmp_path, 三保支出=[{"类别": written, "安排资金": 10, "实际支出": 10}])
    assert list(ds.tables["three_guarantees"]["category"]) == [official]


@pytest.mark.parametrize(
    "written, official", [("房屋建筑物", "房屋"), ("房屋及构筑物", "房屋"), ("土地资产", "土地"), ("公务车辆", "车辆")]
)
def test_physical_asset_kinds_as_asset_reports_name_them(tmp_path, written, official):
    ds = _load(tmp_path, 实物资产=[{"资产类型": written, "账面数量": 1}])
    assert list(ds.tables["physical_assets"]["kind"]) == [official]


@pytest.mark.parametrize("written", ["县（区）级", "县区级", "区（县）级"])
def test_fund_levels_as_written(tmp_path, written):
    ds = _load(tmp_path, 专项资金=[{"序号": 1, "资金名称": "某补助资金", "资金级次": written, "金额": 1}])
    assert list(ds.tables["special_funds"]["level"]) == ["区县级"]


def test_an_unknown_category_is_refused_with_the_accepted_names(tmp_path):
    with pytest.raises(WorkbookError) as info:
        _load(tmp_path, 三保支出=[{"类别": "保稳定", "安排资金": 10}])
    (p,) = info.value.problems
    assert (p.sheet, p.cell, p.found) == ("三保支出", "A3", "保稳定")
    assert p.expected == "以下之一：保基本民生、保工资、保运转"


@pytest.mark.parametrize(
    "line, cls",
    [("应缴税费", "流动负债"), ("应交税费", "流动负债"), ("应缴国库款", "流动负债"), ("待处置资产损溢", "非流动资产")],
)
def test_balance_lines_of_the_older_accounting_systems(line, cls):
    assert classify_balance_item(line) == cls


def _balance(detail: str, kind: str) -> list[dict]:
    return [
        {"项目": "资产总额", "类别": "资产", "层级": "总额", "上年末": 10, "本年末": 10},
        {"项目": "货币资金", "类别": "资产", "层级": "明细", "上年末": 10, "本年末": 10},
        {"项目": "负债总额", "类别": "负债", "层级": "总额", "上年末": 2, "本年末": 2},
        {"项目": detail, "类别": kind, "层级": "明细", "上年末": 2, "本年末": 2},
    ]


def test_a_known_older_line_is_classified_without_warning(tmp_path):
    ds = _load(tmp_path, 资产负债=_balance("应缴税费", "负债"))
    found = [f for f in run_checks(ds, load_params(EXAMPLE_PARAMS)) if f.id == "balance.classification"]
    assert [f.severity for f in found] == ["pass"]
    assert "应缴税费→流动负债" in found[0].message


def test_an_unknown_line_is_warned_with_the_accepted_names(tmp_path):
    ds = _load(tmp_path, 资产负债=_balance("应付某某款", "负债"))
    (f,) = [f for f in run_checks(ds, load_params(EXAMPLE_PARAMS)) if f.id == "balance.classification"]
    assert f.severity == "warning" and f.cells == ["资产负债!A6"]
    assert "资产负债明细“应付某某款”不在流动/非流动项目清单" in f.message
    assert "可用的负债项目名称为：短期借款、应交增值税、其他应交税费、应交税费、应缴税费" in f.message
    assert "长期应付款" in f.message and "货币资金" not in f.message  # the liabilities only
