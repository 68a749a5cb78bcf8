"""Key-project template: the empty workbook and the example built from its transcription.

Mirrors :mod:`jixiao.keyproject.template`.
"""

from __future__ import annotations

import openpyxl
from keyproject_support import EXAMPLE_DIR, EXAMPLE_XLSX, params_file, run_cli

from jixiao.keyproject import SAMPLE_LABEL, key_project_spec, write_key_project_template
from jixiao.workbook.template import read_transcription


def test_empty_template_has_every_sheet_and_reports_required_fields(tmp_path, capsys):
    path = write_key_project_template(tmp_path / "empty.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["填写说明", *[s.name for s in key_project_spec().sheets]]
    assert "重点项目绩效评价" in wb["填写说明"]["A1"].value
    assert wb["评价指标"]["H2"].value == "计分方式"
    wb.close()
    code, _, err = run_cli(["evaluate", params_file(tmp_path, path), "--check"], capsys)
    assert code == 2 and "Traceback" not in err
    assert "项目概况!" in err and "“项目名称”为必填项" in err and "评价指标" in err


def test_example_workbook_is_labelled_sample():
    wb = openpyxl.load_workbook(EXAMPLE_XLSX)
    try:
        ws = wb["评价指标"]
        assert SAMPLE_LABEL in ws["A1"].value
        assert any(
            isinstance(c.value, str) and c.value.startswith(f"注：本表为{SAMPLE_LABEL}")
            for row in ws.iter_rows()
            for c in row
        )
        assert any(SAMPLE_LABEL in str(r[0]) for r in wb["填写说明"].iter_rows(values_only=True) if r[0])
        # the sheets of the report's illustrative text say so in their title row; the works
        # (from the seed) do not
        for name in ("报告正文", "评价发现", "存在问题", "意见建议"):
            assert wb[name]["A1"].value.endswith("【示例数据：标有“（示例）”的内容】"), name
            assert wb[name]["A1"].font.color.rgb.endswith("C00000")
        assert SAMPLE_LABEL not in wb["工程量"]["A1"].value
        kv = {r[0]: r[1] for r in wb["项目概况"].iter_rows(min_row=3, values_only=True)}
        assert kv["示例数据"] == "是" and "示例数据" in kv["示例数据说明"]
    finally:
        wb.close()


def test_example_workbook_is_built_from_its_transcription(tmp_path):
    fresh = write_key_project_template(
        tmp_path / "fresh.xlsx",
        read_transcription(EXAMPLE_DIR / "transcription"),
        label="数据来源：examples/nanhuqu-road-2023/transcription",
    )
    a, b = openpyxl.load_workbook(EXAMPLE_XLSX), openpyxl.load_workbook(fresh)
    try:
        assert a.sheetnames == b.sheetnames
        for name in a.sheetnames:
            wa, wb_ = a[name], b[name]
            assert (wa.max_row, wa.max_column) == (wb_.max_row, wb_.max_column), name
            for ra, rb in zip(wa.iter_rows(), wb_.iter_rows()):
                for ca, cb in zip(ra, rb):
                    assert (ca.value, ca.number_format) == (cb.value, cb.number_format), f"{name}!{ca.coordinate}"
    finally:
        a.close()
        b.close()
