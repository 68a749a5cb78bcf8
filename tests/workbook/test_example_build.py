"""The committed example workbook is what the transcription builds.

The transcription (``examples/dongshiduan-2023/transcription/*.yaml``) is the reviewed
source; the ``.xlsx`` next to it is generated. If someone edits one without rebuilding
the other, these tests fail.
"""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from jixiao.cli import main
from jixiao.workbook.load import load_workbook
from jixiao.workbook.spec import workbook_spec
from jixiao.workbook.template import read_transcription, write_workbook

from support import EXAMPLE_XLSX

TRANSCRIPTION = EXAMPLE_XLSX.parent / "transcription"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    path = tmp_path_factory.mktemp("build") / "built.xlsx"
    write_workbook(path, read_transcription(TRANSCRIPTION))
    return path


@pytest.fixture(scope="module")
def built_ds(built):
    return load_workbook(built, year=2023)


def test_transcription_covers_the_required_sheets():
    data = read_transcription(TRANSCRIPTION)
    spec = workbook_spec()
    assert set(data) <= {s.name for s in spec.sheets}
    assert {s.name for s in spec.sheets if s.required} <= set(data)
    assert len(data["项目"]) == 39


@pytest.mark.parametrize("sheet", [s for s in workbook_spec().sheets if s.kind == "table"], ids=lambda s: s.name)
def test_tables_agree(example_ds, built_ds, sheet):
    pd.testing.assert_frame_equal(example_ds.tables[sheet.id], built_ds.tables[sheet.id], obj=sheet.name)


def test_totals_agree(example_ds, built_ds):
    assert example_ds.totals == built_ds.totals
    assert set(example_ds.totals) == {
        "assessment",
        "special_funds",
        "three_public",
        "nontax",
        "budget_revenue",
        "fund_types",
        "fixed_assets",
    }


@pytest.mark.parametrize("sheet", [s for s in workbook_spec().sheets if s.kind == "kv"], ids=lambda s: s.name)
def test_facts_agree(example_ds, built_ds, sheet):
    assert example_ds.facts[sheet.id] == built_ds.facts[sheet.id]


def test_cell_locations_agree(example_ds, built_ds):
    assert example_ds.locations == built_ds.locations


def test_every_cell_agrees(built):
    """Beyond what the loader reads: every value and number format of every data sheet."""
    committed = openpyxl.load_workbook(EXAMPLE_XLSX)
    fresh = openpyxl.load_workbook(built)
    try:
        assert committed.sheetnames == fresh.sheetnames
        for name in committed.sheetnames[1:]:  # 填写说明 carries the build label
            a, b = committed[name], fresh[name]
            assert (a.max_row, a.max_column) == (b.max_row, b.max_column), name
            for row_a, row_b in zip(a.iter_rows(), b.iter_rows()):
                for ca, cb in zip(row_a, row_b):
                    assert (ca.value, ca.number_format) == (cb.value, cb.number_format), f"{name}!{ca.coordinate}"
    finally:
        committed.close()
        fresh.close()


def test_the_documented_build_command(tmp_path, capsys, example_ds):
    out = tmp_path / "dongshiduan-2023.xlsx"
    assert main(["template", str(out), "--data", str(TRANSCRIPTION)]) == 0
    capsys.readouterr()
    ds = load_workbook(out, year=2023)
    for sheet_id, df in example_ds.tables.items():
        pd.testing.assert_frame_equal(df, ds.tables[sheet_id], obj=sheet_id)
    assert ds.facts == example_ds.facts
    wb = openpyxl.load_workbook(out, read_only=True)
    assert any("数据来源" in str(r[0]) for r in wb["填写说明"].iter_rows(values_only=True))
    wb.close()
