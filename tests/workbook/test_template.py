"""The template has every sheet of the format, and what is filled into it loads back."""

from __future__ import annotations

import datetime as dt
import math

import openpyxl
import pytest

from jixiao.cli import main
from jixiao.exceptions import WorkbookError
from jixiao.workbook.cells import show
from jixiao.workbook.load import load_workbook
from jixiao.workbook.spec import workbook_spec
from jixiao.workbook.template import read_transcription, write_workbook

SPEC = workbook_spec()


@pytest.fixture(scope="module")
def template_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "模板.xlsx"
    assert main(["template", str(path)]) == 0
    return path


@pytest.fixture(scope="module")
def template_wb(template_path):
    wb = openpyxl.load_workbook(template_path)
    yield wb
    wb.close()


def test_template_command_reports_the_file(tmp_path, capsys):
    out = tmp_path / "sub" / "t.xlsx"
    assert main(["template", str(out)]) == 0
    assert out.is_file()
    assert "已写出" in capsys.readouterr().out


def test_template_refuses_other_suffixes(tmp_path, capsys):
    assert main(["template", str(tmp_path / "t.csv")]) == 2
    err = capsys.readouterr().err
    assert "应以 .xlsx 结尾" in err and "Traceback" not in err
    assert not (tmp_path / "t.csv").exists()


def test_every_sheet_of_the_format(template_wb):
    assert template_wb.sheetnames == ["填写说明"] + [s.name for s in SPEC.sheets]
    assert "jixiao validate" in "\n".join(str(c.value) for c in template_wb["填写说明"]["A"])


@pytest.mark.parametrize("sheet", [s for s in SPEC.sheets if s.kind == "table"], ids=lambda s: s.name)
def test_table_headers_in_row_2_with_comments(template_wb, sheet):
    ws = template_wb[sheet.name]
    assert sheet.name in ws["A1"].value  # title row
    headers = [c.value for c in ws[2]]
    assert headers == [c.header for c in sheet.columns]
    for col, cell in zip(sheet.columns, ws[2]):
        assert cell.comment is not None, col.header
        text = cell.comment.text
        assert text.startswith("类型：")
        assert ("必填" in text.splitlines()) == col.required
        assert any(line.startswith("选填") for line in text.splitlines()) != col.required
        if col.type == "money":
            assert "单位：万元" in text
        if col.choices:
            assert "可选：" + "、".join(col.choices) in text
        assert cell.font.bold
    assert ws.max_row == 2  # no data rows
    assert ws.freeze_panes == "A3"


@pytest.mark.parametrize("sheet", [s for s in SPEC.sheets if s.kind == "kv"], ids=lambda s: s.name)
def test_kv_sheets_list_every_key(template_wb, sheet):
    ws = template_wb[sheet.name]
    assert [c.value for c in ws[2]] == list(sheet.kv_headers)
    assert [ws.cell(row=r, column=1).value for r in range(3, ws.max_row + 1)] == [k.key for k in sheet.keys]
    for i, key in enumerate(sheet.keys, start=3):
        assert ws.cell(row=i, column=1).comment is not None, key.key
        assert ws.cell(row=i, column=2).value is None  # nothing filled in
        assert ws.cell(row=i, column=3).value == (key.unit_label or None)


def _validations(ws):
    return {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}


def test_status_has_a_dropdown(template_wb):
    ws = template_wb["项目"]
    col = next(c for c in ws[2] if c.value == "完成状态").column_letter
    dv = _validations(ws)[f"{col}3:{col}2000"]
    assert dv.type == "list"
    assert dv.formula1 == '"已完成,部分完成,未完成"'
    assert dv.showErrorMessage  # otherwise Excel accepts anything silently
    assert f"{col}3" in dv.sqref and f"{col}2000" in dv.sqref


@pytest.mark.parametrize("sheet", [s for s in SPEC.sheets if s.kind == "table"], ids=lambda s: s.name)
def test_validations_match_column_types(template_wb, sheet):
    ws = template_wb[sheet.name]
    dvs = _validations(ws)
    for j, col in enumerate(sheet.columns, start=1):
        letter = openpyxl.utils.get_column_letter(j)
        dv = dvs.get(f"{letter}3:{letter}2000")
        if col.type == "enum":
            assert dv.type == "list" and dv.formula1 == '"' + ",".join(col.choices) + '"'
        elif col.type in ("money", "number") and not col.signed:
            assert dv.type == "decimal" and dv.operator == "greaterThanOrEqual" and dv.formula1 == "0"
        elif col.type == "int":
            assert dv.type == "whole"
        elif col.type == "func_code":
            assert dv.type == "whole" and (dv.formula1, dv.formula2) == ("201", "299")
        else:
            assert dv is None, col.header
        if dv is not None:
            assert dv.showErrorMessage and dv.allow_blank


def test_empty_template_fails_with_clear_problems(template_path, capsys):
    code = main(["validate", str(template_path)])
    out, err = capsys.readouterr()
    assert code == 2
    assert "Traceback" not in err and "内部错误" not in err
    assert "基本信息!B3：“单位名称”为必填项" in err
    assert "基本信息!B5：“年度”为必填项" in err
    assert "项目!A3：“项目”表没有填写任何数据行" in err
    # blocks a unit may simply not have are optional (#13): an empty one is absent, not an error
    for sheet in ("考核得分", "预算收入", "支出功能分类"):
        assert f"“{sheet}”表没有填写任何数据行" not in err
    with pytest.raises(WorkbookError) as info:
        load_workbook(template_path)
    assert {p.sheet for p in info.value.problems} == {"基本信息", "项目"}


# -- a small township, filled programmatically ------------------------------------------------

TEST_TOWN = {
    "基本信息": {
        "单位名称": "测试镇人民政府",
        "所属地区": "测试县",
        "年度": 2024,
        "编制数": 12,
        "实有人数": 10,
        "报告日期": "2025-03-31",
    },
    "股室": [{"序号": 1, "股室名称": "党政综合办公室"}, {"序号": 2, "股室名称": "财政所"}],
    "绩效目标架构": [{"序号": 1, "职能": "政务管理", "工作活动": "综合事务管理", "对应项目支出": "办公经费、党建经费"}],
    "考核得分": [
        {"序号": 1, "考核类别": "重大政策落实", "适用分值": 12, "自评得分": 11.5},
        {"序号": 2, "考核类别": "存在问题", "自评得分": -1, "扣分": 1},
        {"考核类别": "合计", "自评得分": 10.5},
    ],
    "预算收入": [{"收入来源": "一般公共预算拨款", "金额": 300.25}, {"收入来源": "合计", "金额": 300.25}],
    "支出功能分类": [
        {"功能分类编码": 201, "科目名称": "一般公共服务支出", "预算数": 200, "决算数": 180.5, "决算占比": "60.17%"},
        {"功能分类编码": 213, "科目名称": "农林水支出", "预算数": 100.25, "决算数": 119.5, "决算占比": "39.83%"},
        {"科目名称": "合计", "预算数": 300.25, "决算数": 300},
    ],
    "资产负债": [
        {"项目": "资产总额", "类别": "资产", "层级": "总额", "上年末": 500, "本年末": 480, "变动率": "-4.00%"}
    ],
    "直达资金": [{"序号": 1, "项目名称": "救灾资金", "支出日期": "2024-07-01", "支出进度": "100%"}],
    "项目": [
        {"序号": 1, "项目名称": "办公经费", "预算数": 10, "执行数": 9.5, "完成状态": "已完成"},
        {"序号": 2, "项目名称": "党建经费", "预算数": 5, "执行数": 5, "完成状态": "部分完成"},
        {"序号": 3, "项目名称": "党建经费", "预算数": 2.5, "执行数": 0, "完成状态": "未完成", "说明": "与序号2同名"},
    ],
    "项目指标": [
        {
            "项目序号": 2,
            "一级指标": "产出指标",
            "指标名称": "活动次数",
            "指标方向": "≥",
            "目标值": 4,
            "实际值": 3,
            "计量单位": "次",
        }
    ],
    "问题": [{"序号": 1, "问题描述": "支出进度偏慢"}],
    "改进措施": [{"序号": 1, "措施": "加快支出", "对应问题": 1}],
    "填报数据": {
        "考核总分": 10.5,
        "项目整体支出进度": "97.5%",
        "在建工程截至日期": "2024-12-31",
        "实现绩效目标项目数": {"数值": 2, "说明": "报告原文"},
    },
    "文字说明": {"报告引言": "根据有关规定，现将测试镇自评情况报告如下："},
}


@pytest.fixture(scope="module")
def test_town(tmp_path_factory):
    path = tmp_path_factory.mktemp("town") / "测试镇-2024.xlsx"
    write_workbook(path, TEST_TOWN, label="测试数据")
    return path


def test_filled_template_loads_back(test_town):
    ds = load_workbook(test_town, year=2024)
    assert ds.name == "测试镇人民政府" and ds.year == 2024
    assert ds.unit["authorized_staff"] == 12 and ds.unit["report_date"] == dt.date(2025, 3, 31)
    assert ds.unit["population"] is None
    assert ds.summary()["项目"] == 3 and ds.summary()["功能分类"] == 2
    f = ds.functions
    assert f["code"].tolist() == [201, 213]
    assert f["final"].tolist() == [180.5, 119.5]
    assert f["final_share"].tolist() == [60.17, 39.83]
    assert ds.stated_total("functions", "final") == 300.0
    assert ds.stated_total("functions", "budget") == 300.25
    assert ds.total_cell("functions", "final") == "支出功能分类!D5"
    assert ds.assessment["score"].tolist() == [11.5, -1.0]
    assert ds.stated_total("assessment", "score") == 10.5
    assert ds.balance_sheet["change_stated"].tolist() == [-4.0]
    assert ds.direct_funds["date"].tolist() == [dt.date(2024, 7, 1)]
    assert ds.direct_funds["progress"].tolist() == [100.0]
    p = ds.projects
    assert p["no"].tolist() == [1, 2, 3]
    assert p["name"].tolist() == ["办公经费", "党建经费", "党建经费"]
    assert p["spent"].tolist() == [9.5, 5.0, 0.0]
    assert p["status"].tolist() == ["已完成", "部分完成", "未完成"]
    assert p["_row"].tolist() == [3, 4, 5]
    i = ds.indicators.iloc[0]
    assert (i["project_no"], i["direction"], i["target"], i["actual"], i["unit"]) == (2, "≥", 4.0, 3.0, "次")
    assert ds.measures["problem_no"].tolist() == [1]
    assert ds.stated["assessment_total"] == 10.5
    assert ds.stated["execution_rate"] == 97.5
    assert ds.stated["achieved_count"] == 2
    assert ds.stated["cip_date"] == dt.date(2024, 12, 31)
    assert ds.stated["converted_score"] is None
    assert ds.texts["intro"].startswith("根据有关规定")
    assert ds.fact_cell("stated", "execution_rate") == "填报数据!B" + str(
        3 + [k.id for k in SPEC.sheet("stated").keys].index("execution_rate")
    )
    # sheets left empty are empty tables, not missing ones
    assert ds.special_funds.empty and list(ds.special_funds.columns)[-1] == "_row"
    assert "special_funds" not in ds.totals


def test_filled_template_validates(test_town, capsys):
    assert main(["validate", str(test_town), "--year", "2024"]) == 0
    out = capsys.readouterr().out
    assert "测试镇人民政府" in out and "3 个项目" in out
    assert main(["validate", str(test_town), "--year", "2023"]) == 2


def test_filling_the_template_by_hand(template_path, tmp_path):
    """What a finance officer does: type into the empty template under its headers."""
    path = tmp_path / "filled.xlsx"
    wb = openpyxl.load_workbook(template_path)
    unit = wb["基本信息"]
    for row in unit.iter_rows(min_row=3):
        if row[0].value == "单位名称":
            row[1].value = "测试镇人民政府"
        elif row[0].value == "年度":
            row[1].value = 2024
    ws = wb["项目"]
    headers = {c.value: c.column for c in ws[2]}
    for r, (no, name, status) in enumerate([(1, "办公经费", "已完成"), (2, "党建经费", "未完成")], start=3):
        ws.cell(row=r, column=headers["序号"], value=no)
        ws.cell(row=r, column=headers["项目名称"], value=name)
        ws.cell(row=r, column=headers["完成状态"], value=status)
    ws = wb["支出功能分类"]
    ws.append([201, "一般公共服务支出", 100, "98.5", "100%"])
    wb["考核得分"].append([1, "重大政策落实", 12, 11])
    wb["预算收入"].append(["一般公共预算拨款", 100])
    wb.save(path)
    ds = load_workbook(path, year=2024)
    assert ds.projects[["no", "name", "status"]].values.tolist() == [
        [1, "办公经费", "已完成"],
        [2, "党建经费", "未完成"],
    ]
    assert ds.functions[["budget", "final", "final_share"]].values.tolist() == [[100.0, 98.5, 100.0]]


# -- every example in the format loads back as itself -----------------------------------------

_DEFAULTS = {
    "text": "示例文字",
    "longtext": "示例文字",
    "int": 1,
    "money": 1.25,
    "number": 2.5,
    "percent": "50%",
    "date": "2023-10-23",
    "year": 2023,
    "func_code": 201,
    "value": 4,
}
_REFERENCES = {("项目指标", "项目序号"), ("监控情况", "项目序号"), ("改进措施", "对应问题")}


def _example(field, where):
    if where in _REFERENCES:
        return 1  # the 项目 / 问题 rows written below have 序号 1
    if field.example is not None:
        return field.example
    return field.choices[0] if field.choices else _DEFAULTS[field.type]


def _loaded(field, written):
    if field.type in ("text", "longtext"):
        return show(written)
    if field.type in ("int", "year", "func_code"):
        return int(written)
    if field.type == "percent":
        return float(written[:-1]) if isinstance(written, str) else written * 100
    if field.type == "date":
        return written if isinstance(written, dt.date) else dt.date.fromisoformat(written)
    if field.type in ("money", "number", "value"):
        return float(written)
    return written


def test_every_format_example_round_trips(tmp_path):
    data, expected = {}, {}
    for sheet in SPEC.sheets:
        if sheet.kind == "table":
            row = {c.header: _example(c, (sheet.name, c.header)) for c in sheet.columns}
            data[sheet.name] = [row]
            expected[sheet.id] = {c.id: _loaded(c, row[c.header]) for c in sheet.columns}
        else:
            values = {k.key: _example(k, (sheet.name, k.key)) for k in sheet.keys}
            data[sheet.name] = values
            expected[sheet.id] = {k.id: _loaded(k, values[k.key]) for k in sheet.keys}
    path = write_workbook(tmp_path / "examples.xlsx", data)
    ds = load_workbook(path)
    for sheet in SPEC.sheets:
        if sheet.kind == "table":
            got = ds.tables[sheet.id].drop(columns="_row").iloc[0].to_dict()
        else:
            got = ds.facts[sheet.id]
        for key, want in expected[sheet.id].items():
            value = got[key]
            assert not (isinstance(value, float) and math.isnan(value)), (sheet.name, key)
            assert value == want, (sheet.name, key, value, want)


# -- developer errors in the data given to write_workbook -----------------------------------


@pytest.mark.parametrize(
    "data, match",
    [
        ({"不存在的表": []}, "unknown sheets"),
        ({"项目": [{"序号": 1, "项目名字": "x"}]}, "unknown columns"),
        ({"填报数据": {"考核总份": 1}}, "unknown keys"),
    ],
)
def test_write_workbook_refuses_unknown_names(tmp_path, data, match):
    with pytest.raises(KeyError, match=match):
        write_workbook(tmp_path / "x.xlsx", data)


def test_read_transcription_merges_and_refuses_clashes(tmp_path):
    (tmp_path / "a.yaml").write_text("股室:\n  - {序号: 1, 股室名称: 办公室}\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("基本信息:\n  单位名称: 测试镇\n", encoding="utf-8")
    assert read_transcription(tmp_path) == {
        "股室": [{"序号": 1, "股室名称": "办公室"}],
        "基本信息": {"单位名称": "测试镇"},
    }
    (tmp_path / "c.yaml").write_text("股室: []\n", encoding="utf-8")
    with pytest.raises(KeyError, match="股室"):
        read_transcription(tmp_path)
