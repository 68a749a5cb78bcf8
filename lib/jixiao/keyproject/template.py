"""The key-project workbook template: empty, or filled from transcribed data.

``jixiao template --kind key-project`` writes it (:mod:`jixiao.cli.workbook`).

The township's writer (:func:`jixiao.workbook.template.write_workbook`) does the work with
the key-project spec; this module adds the red 示例数据 labels when the data says it is
illustrative.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jixiao.keyproject.format import SAMPLE_LABEL, key_project_spec

#: How an illustrative text of the bundled example begins (its sheet's title row then says 示例数据).
SAMPLE_MARK = "（示例）"


def _marked(data: Any) -> bool:
    """Some text of a sheet's transcribed data starts with :data:`SAMPLE_MARK`."""
    if isinstance(data, dict):
        return any(_marked(v) for v in data.values())
    if isinstance(data, list):
        return any(_marked(v) for v in data)
    return isinstance(data, str) and data.startswith(SAMPLE_MARK)


def write_key_project_template(
    path: str | Path, data: dict[str, Any] | None = None, *, label: str | None = None
) -> Path:
    """Write the key-project workbook: an empty template, or filled from transcribed data.

    Parameters
    ----------
    path : str or Path
        The ``.xlsx`` to write.
    data : dict, optional
        Sheet name → rows / key → value, as for :func:`jixiao.workbook.template.write_workbook`
        (``read_transcription(folder)`` reads a folder of YAML files into this).
    label : str, optional
        A line for the 填写说明 sheet (where the data came from).

    When the data's 项目概况 says 示例数据 = 是, the 填写说明 sheet and the title row of the
    评价指标 sheet say so in red, and a note row under the indicator table repeats the
    workbook's 示例数据说明 (the loader skips such 注 rows). Every other sheet holding text
    that starts with （示例） (the illustrative parts of the report's text) says in its
    title row, in red, that those texts are 示例数据.
    """
    from openpyxl import load_workbook as open_xlsx
    from openpyxl.styles import Font

    from jixiao.workbook.template import write_workbook

    spec = key_project_spec()
    data = data or {}
    facts = data.get(spec.sheet("project").name) or {}

    def given(key):
        v = facts.get(key)
        return v.get("数值") if isinstance(v, dict) else v

    sample = str(given("示例数据") or "").strip() == "是"
    note = given("示例数据说明")
    if sample:
        label = "\n".join(x for x in (label, f"【{SAMPLE_LABEL}】{note or '本工作簿含示例数据，仅供演示。'}") if x)
    path = write_workbook(path, data or None, spec=spec, label=label)
    if sample:
        wb = open_xlsx(path)
        red = Font(bold=True, color="C00000")
        guide = wb["填写说明"]
        for row in guide.iter_rows():
            if row[0].value and str(row[0].value).startswith(f"【{SAMPLE_LABEL}】"):
                row[0].font = red
        ws = wb[spec.sheet("indicators").name]
        ws["A1"].value = f"{ws['A1'].value}【{SAMPLE_LABEL}】"
        ws["A1"].font = Font(bold=True, size=12, color="C00000")
        last = ws.max_row + 2
        ws.cell(row=last, column=1, value=f"注：本表为{SAMPLE_LABEL}。{note or ''}").font = red
        for sheet in spec.sheets:
            if sheet.id in ("project", "indicators") or not _marked(data.get(sheet.name)):
                continue
            title = wb[sheet.name]["A1"]
            title.value = f"{title.value}【{SAMPLE_LABEL}：标有“{SAMPLE_MARK}”的内容】"
            title.font = Font(bold=True, size=12, color="C00000")
        wb.save(path)
        wb.close()
    return path
