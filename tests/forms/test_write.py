"""Writing the official 项目支出绩效自评表: layout, text kept as text, blanks kept blank, the
empty template, the forms in scores.xlsx, the bundled example, and the round trip through
jixiao's own reader."""

from __future__ import annotations

import importlib.util

import pytest
from openpyxl import Workbook, load_workbook

from jixiao.analysis.scoring.scoresheet import project_form, write_scores
from jixiao.analysis.scoring.selfeval import project_scores
from jixiao.forms.model import FormIndicator, FundRow, ProjectForm
from jixiao.forms.write import WIDTHS, sheet_title, write_form_sheet, write_form_template, write_form_workbook
from jixiao.params import load_params
from jixiao.report.context import ReportContext

from support import EXAMPLE_PARAMS, ROOT
from xlsx_support import formulas


def _form(**changes) -> ProjectForm:
    """A complete form: every block filled, a target that looks like a formula."""
    form = ProjectForm(
        path=None,
        sheet="道路",
        project="村党组织活动经费",
        year=2023,
        department="某镇人民政府",
        implementer="某镇党建办",
        funds={
            "total": FundRow("total", "年度资金总额", 100, 120, 118.5, points=10, rate=98.75, score=9.88),
            "fiscal": FundRow("fiscal", "本年财政拨款", 100, 100, 98.5),
            "carryover": FundRow("carryover", "上年结转资金", None, 20, 20),
        },
        goal_expected="共120万元，其中：100万元用于培训；20万元用于活动。",
        goal_actual="共支出118.5万元。",
        indicators=[
            FormIndicator("产出指标", "数量指标", "党员培训人数", "=1173名", "1173", 25, 25, level1_points=50),
            FormIndicator("产出指标", "数量指标", "开展活动次数", "≥4次", "4", 25, 25, level1_points=50),
            FormIndicator("效益指标", "社会效益指标", "党员素质", "效果明显", "达成预期指标", 30, 30, level1_points=30),
            FormIndicator(
                "满意度指标",
                "服务对象满意度指标",
                "党员满意度",
                "≥95%",
                "93%",
                10,
                9.79,
                note="-加强宣传",
                level1_points=10,
            ),
        ],
        total_score=99.67,
    )
    for key, value in changes.items():
        setattr(form, key, value)
    return form


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    path = write_form_workbook(tmp_path_factory.mktemp("form") / "form.xlsx", [_form()])
    return path, load_workbook(path)["村党组织活动经费"]


def test_layout(written):
    _, ws = written
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert ws["A1"].value == "项目支出绩效自评表" and "A1:I1" in merged
    assert ws["A2"].value == "（2023年度）" and "A2:I2" in merged
    assert ws["G3"].value == "单位：万元" and "G3:I3" in merged
    assert (ws["A4"].value, ws["B4"].value) == ("项目名称", "村党组织活动经费") and "B4:I4" in merged
    assert [ws[c].value for c in ("A5", "B5", "F5", "H5")] == ["主管部门", "某镇人民政府", "实施单位", "某镇党建办"]
    # 项目资金（万元）: the label over the header and four rows; 分值/执行率/得分 on the total row only
    assert ws["A6"].value == "项目资金（万元）" and "A6:A10" in merged
    assert [c.value for c in ws[6][3:9]] == ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]
    assert [ws[f"B{r}"].value for r in range(7, 11)] == [
        "年度资金总额",
        "其中：本年财政拨款",
        "上年结转资金",
        "其他资金",
    ]
    assert [c.value for c in ws[7][3:9]] == [100, 120, 118.5, 10, 0.9875, 9.88]
    assert [c.value for c in ws[8][3:9]] == [100, 100, 98.5, None, None, None]
    assert ws["D7"].number_format == "0.00" and ws["H7"].number_format == "0.00%" and ws["I7"].number_format == "0.00"
    # 年度总体目标: wide merged cells that wrap
    assert (ws["A11"].value, ws["B11"].value, ws["F11"].value) == ("年度总体目标", "预期目标", "实际完成情况")
    assert {"A11:A12", "B12:E12", "F12:I12"} <= merged
    assert ws["B12"].value.startswith("共120万元") and ws["B12"].alignment.wrap_text
    # 绩效指标: 一级 and 二级 merged over their rows, the points in the label
    assert [c.value for c in ws[13]] == [
        "绩效指标",
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
    ]
    assert {"A13:A17", "B14:B15", "C14:C15"} <= merged
    assert [ws[f"B{r}"].value for r in (14, 16, 17)] == ["产出指标（50分）", "效益指标（30分）", "满意度指标（10分）"]
    assert [c.value for c in ws[17][3:9]] == ["党员满意度", "≥95%", "93%", 10, 9.79, "-加强宣传"]
    # 总分: the points added up (all stated) and the stated total
    assert (ws["A18"].value, ws["G18"].value, ws["H18"].value) == ("总分", 100, 99.67) and "A18:F18" in merged
    assert ws.max_row == 18
    assert [ws.column_dimensions[c].width for c in "ABCDEFGHI"] == list(WIDTHS)
    assert ws["A1"].font.name == "黑体" and ws["D14"].font.name == "宋体"
    assert ws["D14"].border.left.style == "thin" and ws["C15"].border.bottom.style == "thin"


def test_print_setup(written):
    _, ws = written
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "portrait"  # 9: A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    assert ws.print_title_rows == "$1:$2"
    assert ws.print_area == "'村党组织活动经费'!$A$1:$I$18"


def test_text_that_looks_like_a_formula_stays_text(written):
    """“=1173名” is the target as written: a string with Excel's quote prefix, shown without
    an apostrophe; the file holds no formula."""
    path, ws = written
    assert formulas(path) == []
    cell = ws["E14"]
    assert cell.value == "=1173名" and cell.data_type == "s" and cell.quotePrefix
    assert ws["I17"].value == "-加强宣传" and ws["I17"].quotePrefix
    assert not any(isinstance(c.value, str) and c.value.startswith("'") for row in ws.iter_rows() for c in row)


def test_blank_figures_stay_blank(tmp_path):
    """What the form does not state is an empty cell, never 0; a 0 stated stays 0."""
    form = _form(
        funds={"total": FundRow("total", "年度资金总额", None, 20.33, 0, points=10, rate=0, score=0)},
        indicators=[FormIndicator("产出指标", "成本指标", "补偿资金", "=20.33万元", None, None, None)],
        total_score=None,
        department=None,
    )
    ws = write_form_sheet(Workbook().active, form)
    assert [c.value for c in ws[7][3:9]] == [None, 20.33, 0, 10, 0, 0]
    assert all(c.value is None for r in (8, 9, 10) for c in ws[r][3:9])
    assert ws["B5"].value is None
    assert [c.value for c in ws[14][4:9]] == ["=20.33万元", None, None, None, None]
    assert "产出指标" == ws["B14"].value  # no points known: no “（…分）”
    assert (ws["G15"].value, ws["H15"].value) == (None, None)  # 总分: nothing stated, nothing added up


def test_label_row_and_no_indicators(tmp_path):
    ws = write_form_sheet(Workbook().active, _form(indicators=[], year=None), label="示例数据：全部为示例")
    assert ws["A2"].value == "（    年度）"
    assert ws["A3"].value == "示例数据：全部为示例" and "A3:I3" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["G4"].value == "单位：万元" and ws["A5"].value == "项目名称"
    assert ws["A14"].value == "绩效指标" and ws["A16"].value == "总分"  # one empty indicator row


def test_sheet_titles():
    taken = {"说明"}
    names = [sheet_title(n, taken) for n in ("a/b:c?[d]*e\\f", "说明", "x" * 40, "x" * 40, "'引号'", "")]
    assert names == ["a／b：c？［d］＊e＼f", "说明(2)", "x" * 31, "x" * 28 + "(2)", "引号", "项目"]
    assert sheet_title("ABC", {"abc"}) == "ABC(2)"  # Excel compares sheet names without case
    assert sheet_title("道路\n改造\x01工程", set()) == "道路 改造工程"


def test_workbook_one_sheet_per_form(tmp_path):
    path = write_form_workbook(tmp_path / "f.xlsx", [_form(), _form(), _form(project="道路/桥梁")])
    assert load_workbook(path).sheetnames == ["村党组织活动经费", "村党组织活动经费(2)", "道路／桥梁"]


def test_template(tmp_path):
    ws = load_workbook(write_form_template(tmp_path / "t.xlsx"))["项目支出绩效自评表"]
    assert ws["A1"].value == "项目支出绩效自评表" and ws["B5"].value is None
    lists = {dv.formula1: str(dv.sqref) for dv in ws.data_validations.dataValidation if dv.type == "list"}
    assert lists['"产出指标,效益指标,满意度指标"'] == "B15:B22"
    level2 = next(f for f in lists if "数量指标" in f)
    assert all(w in level2 for w in ("成本指标", "可持续影响指标", "服务对象满意度指标")) and lists[level2] == "C15:C22"
    decimals = [str(dv.sqref) for dv in ws.data_validations.dataValidation if dv.type == "decimal"]
    assert "D8:F8" in decimals[0] and "D11:F11" in decimals[0]
    comments = {c.coordinate: c.comment.text for row in ws.iter_rows() for c in row if c.comment}
    assert "年度资金总额 = 本年财政拨款 + 上年结转资金 + 其他资金" in comments["A7"]
    assert "≥4次" in comments["E14"] and "达成预期指标" in comments["F14"]
    assert len(comments) >= 18
    assert ws["A23"].value == "总分" and all(ws.cell(row=r, column=4).value is None for r in range(15, 23))


# --- the township's projects in scores.xlsx ----------------------------------------------------------


@pytest.fixture(scope="module")
def scores(example_ds, tmp_path_factory):
    ctx = ReportContext(params=load_params(EXAMPLE_PARAMS), ds=example_ds)
    return write_scores(tmp_path_factory.mktemp("scores") / "scores.xlsx", ctx)


def test_scores_has_one_form_per_project(scores, example_ds):
    wb = load_workbook(scores)
    forms = wb.sheetnames[4:]
    assert len(forms) == len(example_ds.projects) == 39
    assert forms[0] == "1 服务群众专项经费" and forms[24] == "25 2022年度绿化占地土地流转金"
    assert forms[29:31] == ["30 预拨2023年中央自然灾害救灾资金", "31 预拨2023年中央自然灾害救灾资金"]
    assert all(len(n) <= 31 for n in forms)
    ws = wb["25 2022年度绿化占地土地流转金"]
    assert ws["A1"].value == "项目支出绩效自评表" and ws["A2"].value == "（2023年度）"
    assert ws["A3"].value.startswith("分值、得分按“项目支出绩效自评（全国默认")
    # the workbook's one 预算数/执行数 pair on the total row; 年初预算数 and the 其中 rows blank
    assert [c.value for c in ws[8][3:9]] == [None, 527.35, 527.35, 10, 1, 10]
    assert all(c.value is None for r in (9, 10, 11) for c in ws[r][3:6])
    assert ws["B13"].value.startswith("减少地下水开采") and ws["F13"].value.startswith("减少了地下水开采")
    # 成本指标 is a 二级指标 under 产出指标 on the national form; 效益/满意度 absent → 90 points
    assert [c.value for c in ws[15][1:8]] == [
        "产出指标（90分）",
        "成本指标",
        "绿化占地补偿金",
        "=527.35万元",
        "527.35万元",
        90,
        90,
    ]
    assert (ws["A16"].value, ws["G16"].value, ws["H16"].value) == ("总分", 100, 100)
    ws = wb["37 华龙占地补偿"]
    assert [c.value for c in ws[8][3:9]] == [None, 20.33, 0, 10, 0, 0]
    assert ws["H16"].value == 0
    ws = wb["1 服务群众专项经费"]  # no amounts, no indicators: blanks, not zeros
    assert [c.value for c in ws[8][3:9]] == [None, None, None, 10, None, None]
    assert ws["H16"].value is None
    assert wb["2 村党组织活动经费"]["E15"].quotePrefix  # =1173名


def test_project_form_from_the_workbook(example_ds):
    """The form holds what the workbook states and the computed scores, nothing else."""
    (p, s), *_ = [(p, s) for p, s in project_scores(example_ds) if p["no"] == 5]
    form = project_form(p, s, year=2023, department="某镇")
    assert (form.project, form.department, form.implementer, form.year) == (
        "纪检保障经费（运转保障）",
        "某镇",
        None,
        2023,
    )
    assert list(form.funds) == ["total"]
    assert (form.funds["total"].budget, form.funds["total"].rate, form.total_score) == (None, None, None)
    assert [(i.level1, i.level2, i.target, i.actual, i.points, i.level1_points) for i in form.indicators] == [
        ("产出指标", "数量指标", "≥2件", "2件", 75, 75),
        ("满意度指标", "服务对象满意度指标", "≤10%", "0%", 15, 15),
    ]


# --- the bundled example ---------------------------------------------------------------------------


def _script():
    spec = importlib.util.spec_from_file_location("make_example_form", ROOT / "scripts" / "make_example_form.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


EXAMPLE_FORM = ROOT / "examples" / "dongshiduan-2023" / "forms" / "project-25.xlsx"


def test_example_form_is_the_scripts_output(tmp_path):
    """The committed form is what scripts/make_example_form.py writes, and says 示例数据."""
    fresh = load_workbook(_script().main(tmp_path / "f.xlsx")).active
    committed = load_workbook(EXAMPLE_FORM).active
    assert committed.title == "2022年度绿化占地土地流转金"
    values = [[c.value for c in row] for row in committed.iter_rows()]
    assert values == [[c.value for c in row] for row in fresh.iter_rows()]
    assert committed["A3"].value.startswith("示例数据：报告只给出项目名称")
    assert [c.value for c in committed[8][3:9]] == [527.35, 527.35, 527.35, 10, 1, 10]
    assert committed["H20"].value == 99.79
    assert "示例数据" in (ROOT / "examples" / "dongshiduan-2023" / "README.md").read_text(encoding="utf-8")


# --- round trip: jixiao writes, jixiao reads ------------------------------------------------------


def _figures(form: ProjectForm) -> dict:
    def r(x):
        return None if x is None else round(x, 6)

    return {
        "head": (form.project, form.year, form.department, form.implementer, form.goal_expected, form.goal_actual),
        "funds": {
            k: (r(f.initial), r(f.budget), r(f.executed), r(f.points), r(f.rate), r(f.score))
            for k, f in form.funds.items()
            if any(v is not None for v in (f.initial, f.budget, f.executed, f.points, f.rate, f.score))
        },
        "indicators": [
            (i.level1, i.level2, i.name, i.target, i.actual, r(i.points), r(i.score), i.note, r(i.level1_points))
            for i in form.indicators
        ],
        "total": r(form.total_score),
    }


def test_round_trip(tmp_path):
    read = pytest.importorskip("jixiao.forms.read")
    form = _form()
    path = write_form_workbook(tmp_path / "rt.xlsx", [form, _form(project="道路", funds={}, indicators=[])])
    back = read.read_form(path)
    assert len(back) == 2
    assert _figures(back[0]) == _figures(form)
    assert back[0].amount_unit == "万元"
    assert _figures(back[1])["head"][0] == "道路" and _figures(back[1])["funds"] == {}


def test_round_trip_of_the_example_and_scores(scores):
    read = pytest.importorskip("jixiao.forms.read")
    (back,) = read.read_form(EXAMPLE_FORM)
    assert _figures(back) == _figures(_script().example_form())
    (p25,) = read.read_form(scores, sheet="25 2022年度绿化占地土地流转金")
    assert (p25.funds["total"].budget, p25.funds["total"].executed, p25.funds["total"].rate) == (527.35, 527.35, 100)
    assert [(i.level1, i.level2, i.target, i.actual, i.score) for i in p25.indicators] == [
        ("产出指标", "成本指标", "=527.35万元", "527.35万元", 90)
    ]
    assert p25.total_score == 100
