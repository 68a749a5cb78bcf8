"""Next year's workbook from the example, as a user makes it: ``jixiao template --from``, then
this year's figures filled in (by the test, with openpyxl).

Importable from every test folder (``pythonpath = ["tests"]``).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import yaml
from openpyxl import load_workbook as open_xlsx

from jixiao.cli import main

from support import EXAMPLE_PARAMS

#: The example's name (the parameters files of next year name the same unit).
NAME = "保定市徐水区东史端镇人民政府"


def carried_template(tmp_path: Path, *extra: str) -> Path:
    """``jixiao template <tmp>/dongshiduan-2024.xlsx --from params/dongshiduan-2023.yaml``."""
    out = Path(tmp_path) / "dongshiduan-2024.xlsx"
    assert main(["template", str(out), "--from", str(EXAMPLE_PARAMS), *extra]) == 0
    return out


def fill_this_year(path: Path) -> None:
    """This year's own figures, as the unit would type them: every project confirmed as
    continuing and completed, the 三公 and balance-sheet figures of this year, one row of
    each required table."""
    wb = open_xlsx(path)
    ws = wb["项目"]
    for r in range(3, ws.max_row + 1):
        if ws.cell(r, 2).value:
            ws.cell(r, 8).value = "已完成"  # 完成状态
            ws.cell(r, 10).value = "延续"  # 说明: the continuation confirmed
    tp = wb["三公经费"]
    tp["B3"], tp["C3"] = 12.0, 5.1  # 公务用车运行维护费: 本年预算, 本年决算
    tp["B7"], tp["C7"] = 12.0, 5.1  # 合计
    bs = wb["资产负债"]
    bs["E3"], bs["E8"], bs["E10"] = 7100.0, 10.0, 7090.0  # 本年末 of the totals
    wb["考核得分"].append([1, "重大政策落实", 12, 11])
    wb["预算收入"].append(["一般公共预算拨款", 2000])
    wb["支出功能分类"].append([201, "一般公共服务支出", 1300, 1250])
    wb.save(path)


def filled_next_year(tmp_path: Path) -> Path:
    """The example's 2024 workbook, carried and filled in (:func:`fill_this_year`)."""
    path = carried_template(tmp_path)
    fill_this_year(path)
    return path


def next_year(
    tmp_path: Path,
    edit: Callable | None = None,
    *,
    previous: str | Path | None = EXAMPLE_PARAMS,
    base: Path | None = None,
    **params,
) -> Path:
    """The parameters file of the example's 2024 (carried, filled, ``edit(wb)`` applied), with
    ``previous:`` the example's 2023 (relative to the new file's folder when a relative path).

    ``base``: a copy of this :func:`filled_next_year` workbook instead of making it again."""
    if base is not None:
        path = Path(tmp_path) / "dongshiduan-2024.xlsx"
        shutil.copyfile(base, path)
    else:
        path = filled_next_year(tmp_path)
    if edit is not None:
        wb = open_xlsx(path)
        edit(wb)
        wb.save(path)
    raw = {"township": "dongshiduan", "year": 2024, "name": NAME, "workbook": path.name, **params}
    if previous is not None:
        raw["previous"] = str(previous)
    out = Path(tmp_path) / "dongshiduan-2024.yaml"
    out.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return out
