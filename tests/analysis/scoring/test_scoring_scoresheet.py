"""scores.xlsx: the 自评表 a finance office files, with formula-like text neutralised."""

import copy

from openpyxl import load_workbook

from jixiao.analysis.scoring.scoresheet import safe_text, write_scores
from jixiao.params import load_params
from jixiao.report.context import ReportContext

from support import EXAMPLE_PARAMS


def _ctx(ds):
    return ReportContext(params=load_params(EXAMPLE_PARAMS), ds=ds)


def test_safe_text():
    for bad in ("=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=x", "\r=x"):
        assert safe_text(bad) == "'" + bad
    assert safe_text("服务群众专项经费") == "服务群众专项经费" and safe_text(3.5) == 3.5


def test_example_scores_workbook(tmp_path, example_ds):
    path = write_scores(tmp_path / "scores.xlsx", _ctx(example_ds))
    wb = load_workbook(path)
    assert wb.sheetnames == ["考核自评表", "项目自评表", "项目指标评分", "说明"]
    rows = {r[1]: r for r in wb["考核自评表"].iter_rows(min_row=2, values_only=True)}
    assert rows["类别得分合计（计算）"][3] == 89
    assert rows["报告所述考核总分"][3] == 91
    assert rows["适用满分"][3] == 92
    assert rows["换算得分（按类别合计）"][3] == 96.74
    assert rows["换算得分（按报告总分）"][3] == 98.91
    assert rows["等级（按报告总分）"][3] == "优"
    assert "不一致" in rows["等级（按报告总分）"][6]
    projects = list(wb["项目自评表"].iter_rows(min_row=2, values_only=True))
    assert len(projects) == 39
    by_no = {r[0]: r for r in projects}
    assert by_no[37][2] == 20.33 and by_no[37][3] == 0 and by_no[37][9] == "未完成"
    assert by_no[1][8] == "未提供"  # no budget in the report: no total, no grade


def test_formula_text_neutralised(tmp_path, example_ds):
    ds = copy.deepcopy(example_ds)
    ds.tables["projects"].loc[0, "name"] = '=HYPERLINK("http://x")'
    ds.tables["assessment"].loc[0, "category"] = "@SUM(1)"
    wb = load_workbook(write_scores(tmp_path / "s.xlsx", _ctx(ds)))
    cells = [c for ws in wb for row in ws.iter_rows() for c in row]
    assert not any(c.data_type == "f" for c in cells)
    values = {c.value for c in cells}
    assert '\'=HYPERLINK("http://x")' in values and "'@SUM(1)" in values
