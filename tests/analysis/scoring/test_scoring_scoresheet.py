"""scores.xlsx: the 自评表 a finance office files; text from the workbook stays text."""

import copy

from openpyxl import load_workbook

from jixiao.analysis.scoring.scoresheet import write_scores
from jixiao.params import load_params
from jixiao.report.context import ReportContext

from support import EXAMPLE_PARAMS
from xlsx_support import formulas


def _ctx(ds):
    return ReportContext(params=load_params(EXAMPLE_PARAMS), ds=ds)


def test_example_scores_workbook(tmp_path, example_ds):
    path = write_scores(tmp_path / "scores.xlsx", _ctx(example_ds))
    wb = load_workbook(path)
    # the summary sheets, then one official 项目支出绩效自评表 per project (tests/forms/test_write.py)
    assert wb.sheetnames[:4] == ["考核自评表", "项目自评表", "项目指标评分", "说明"]
    assert len(wb.sheetnames) == 4 + 39
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


def test_formula_text_stays_text(tmp_path, example_ds):
    """A unit, project or category name that looks like a formula is written as that text,
    with Excel's quote prefix and no visible apostrophe; the file holds no formula."""
    ds = copy.deepcopy(example_ds)
    link = '=HYPERLINK("http://x","点击")'
    ds.tables["projects"].loc[0, "name"] = link
    ds.tables["assessment"].loc[0, "category"] = "@SUM(1)"
    ds.facts["unit"]["name"] = "=1+1"
    path = write_scores(tmp_path / "s.xlsx", _ctx(ds))
    assert formulas(path) == []
    wb = load_workbook(path)
    cells = {c.value: c for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert not any(c.data_type == "f" for c in cells.values())
    for text in (link, "@SUM(1)"):
        assert cells[text].quotePrefix and cells[text].data_type == "s"
    assert not any(v.startswith("'") for v in cells)
    (title,) = [c for v, c in cells.items() if "自评表（由 jixiao 生成）" in v]
    assert title.value.startswith("=1+1") and title.quotePrefix
