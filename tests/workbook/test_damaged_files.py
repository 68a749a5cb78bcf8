"""A damaged workbook is the user's problem, not a defect (#13): exit 2 naming the file and
the sheet, never 内部错误."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from jixiao.cli import main

from support import EXAMPLE_XLSX


def _sheet_part(name: str) -> str:
    """The zip member holding worksheet ``name`` of the example."""
    with zipfile.ZipFile(EXAMPLE_XLSX) as z:
        wb = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet [^>]*name="{name}"[^>]*r:id="([^"]+)"', wb).group(1)
    target = re.search(rf'<Relationship [^>]*Id="{rid}"[^>]*Target="([^"]+)"', rels) or re.search(
        rf'<Relationship [^>]*Target="([^"]+)"[^>]*Id="{rid}"', rels
    )
    return "xl/" + target.group(1).removeprefix("/xl/").removeprefix("xl/")


def _damaged(tmp_path: Path, change) -> Path:
    part = _sheet_part("项目")
    dst = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(EXAMPLE_XLSX) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            zout.writestr(item, change(data) if item.filename == part else data)
    return dst


@pytest.mark.parametrize(
    "change, found",
    [
        (lambda d: d[: len(d) // 2], "ParseError"),  # the sheet's XML cut short
        (lambda d: d.replace(b"</v>", b"&#1;</v>", 1), "ParseError"),  # an illegal character reference
    ],
)
def test_a_damaged_sheet_is_named_exit_2(tmp_path, capsys, change, found):
    path = _damaged(tmp_path, change)
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "damaged.xlsx 项目：工作表“项目”已损坏，无法读取" in err and found in err
    assert "内部错误" not in err and "Traceback" not in err
