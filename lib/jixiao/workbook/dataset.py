"""The typed dataset one township workbook loads into.

Tables are pandas DataFrames whose columns are the English ids of
``config/workbook.yaml`` plus ``_row`` (the Excel row the record came from), so that
every figure computed from them can name the cells it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from jixiao.workbook.spec import WorkbookSpec


@dataclass
class Dataset:
    """One township-year, as loaded and validated from its workbook.

    Attributes
    ----------
    path : Path
        The workbook it came from.
    spec : WorkbookSpec
        The format it was read with.
    tables : dict of str to DataFrame
        Detail rows of each table sheet, by sheet id (``functions``, ``projects`` …);
        money in 万元 and percentages in percentage points as float (NaN when blank),
        counts as nullable ``Int64``, text as ``str`` or ``None``.
    totals : dict of str to dict
        The 合计 row each table *states* (column id → value, plus ``_row``); absent when
        the workbook states no total for that sheet.
    facts : dict of str to dict
        Key-value sheets (``unit``, ``stated``, ``texts``): key id → value or ``None``.
    locations : dict
        For tables, column id → Excel column letter; for key-value sheets, key id →
        the value cell (``B7``).
    forms : list of LinkedForm
        The official 项目支出绩效自评表 forms the parameters file names (``project_forms``),
        each linked to its 项目 row (:func:`jixiao.inputs.load_township` attaches them);
        empty when none are given.
    """

    path: Path
    spec: WorkbookSpec
    tables: dict[str, pd.DataFrame]
    totals: dict[str, dict[str, Any]]
    facts: dict[str, dict[str, Any]]
    locations: dict[str, dict[str, str]] = field(default_factory=dict)
    forms: list[Any] = field(default_factory=list)

    def __getattr__(self, name: str):
        # ds.functions, ds.projects … read better in notebooks than ds.tables["functions"].
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        facts = self.__dict__.get("facts", {})
        if name in facts:
            return facts[name]
        raise AttributeError(name)

    # -- where figures come from -------------------------------------------------------
    def cell(self, sheet_id: str, col_id: str, row: int) -> str:
        """Excel reference ``支出功能分类!D5`` of a table cell."""
        sheet = self.spec.sheet(sheet_id)
        letter = self.locations.get(sheet_id, {}).get(col_id, "?")
        return f"{sheet.name}!{letter}{row}"

    def fact_cell(self, sheet_id: str, key_id: str) -> str:
        """Excel reference ``填报数据!B5`` of a key-value entry (the sheet alone if absent)."""
        sheet = self.spec.sheet(sheet_id)
        where = self.locations.get(sheet_id, {}).get(key_id)
        return f"{sheet.name}!{where}" if where else sheet.name

    def total_cell(self, sheet_id: str, col_id: str) -> str | None:
        """Excel reference of a stated total, or None when the sheet states none."""
        total = self.totals.get(sheet_id)
        return None if total is None else self.cell(sheet_id, col_id, total["_row"])

    def column_cells(self, sheet_id: str, col_id: str, rows=None) -> str:
        """``支出功能分类!D3:D11``-style reference for a column's detail rows."""
        df = self.tables[sheet_id]
        rows = list(df["_row"] if rows is None else rows)
        if not rows:
            return self.spec.sheet(sheet_id).name
        first, last = self.cell(sheet_id, col_id, min(rows)), self.cell(sheet_id, col_id, max(rows))
        return first if min(rows) == max(rows) else f"{first}:{last.split('!')[1]}"

    def stated_total(self, sheet_id: str, col_id: str) -> float | None:
        """The total the unit states for a column, or None."""
        total = self.totals.get(sheet_id)
        return None if total is None else total.get(col_id)

    # -- convenience -------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self.facts["unit"]["name"]

    @property
    def year(self) -> int:
        return self.facts["unit"]["year"]

    def summary(self) -> dict[str, int | str]:
        """Counts a user checks at a glance after loading."""
        counts: dict[str, int | str] = {
            "单位": self.name,
            "年度": self.year,
            "股室": len(self.offices),
            "绩效目标架构": len(self.goal_framework),
            "考核类别": len(self.assessment),
            "功能分类": len(self.functions),
            "项目": len(self.projects),
            "项目指标": len(self.indicators),
            "问题": len(self.problems),
            "改进措施": len(self.measures),
        }
        if self.forms:
            counts["项目支出绩效自评表"] = len(self.forms)
        return counts
