"""Blocks are optional (#13): a unit outside Hebei has no 考核得分 rubric, a department no
乡镇财政总决算, many no 预算收入 detail or 支出功能分类 table. Left empty, a block is absent:
the workbook validates, every section still renders, the report leaves the part out (no
"未提供"), and the checks that need it report that they could not run (never 通过)."""

from __future__ import annotations

import re
import shutil

import pytest
from openpyxl import load_workbook as open_xlsx

from jixiao.analysis.checks import run_checks
from jixiao.cli import main
from jixiao.params import load_params
from jixiao.workbook.load import load_workbook

from support import EXAMPLE_PARAMS, EXAMPLE_XLSX, params_for, run_sections

OPTIONAL = ("考核得分", "预算收入", "支出功能分类", "专项资金", "直达资金", "非税收入", "总决算", "三公经费")


@pytest.fixture(scope="module")
def emptied_workbook(tmp_path_factory):
    """The example with the optional blocks' data rows (and stated totals) deleted."""
    path = tmp_path_factory.mktemp("optional") / "optional.xlsx"
    shutil.copy(EXAMPLE_XLSX, path)
    wb = open_xlsx(path)
    for name in OPTIONAL:
        ws = wb[name]
        ws.delete_rows(3, ws.max_row)  # row 1: title, row 2: header
    wb.save(path)
    return path


def test_empty_optional_blocks_validate(emptied_workbook, capsys):
    assert main(["validate", str(emptied_workbook)]) == 0, capsys.readouterr().err


def test_every_section_renders_without_them(emptied_workbook, tmp_path):
    ds = load_workbook(emptied_workbook, year=2023)
    assert all(ds.tables[t].empty for t in ("assessment", "budget_revenue", "functions", "special_funds"))
    page = "".join(run_sections(params_for(emptied_workbook, tmp_path)))
    text = re.sub(r"<[^>]+>", "", page)
    assert "未提供" not in text and "nan" not in text and "None" not in text
    # the sections still stand, with their headings numbered once each
    for heading in ("（一）重大政策落实情况", "（二）预算编制管理情况", "（三）预算执行管理情况"):
        assert text.count(heading) == 1, heading
    # nothing tabulated from an absent block
    assert "管理绩效考核各类别得分" not in text and "决算支出（按功能分类）" not in text


def test_checks_that_need_an_absent_block_do_not_pass(emptied_workbook):
    ds = load_workbook(emptied_workbook, year=2023)
    findings = run_checks(ds, load_params(EXAMPLE_PARAMS))
    needing = ("assessment.total", "budget_revenue.total", "functions.final_share", "functions.code_names")
    for check_id in needing:
        results = {f.severity for f in findings if f.id == check_id}
        assert results and "pass" not in results, (check_id, results)
