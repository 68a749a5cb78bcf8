"""The workbook format, read from ``config/workbook.yaml`` and validated.

Every other module (loader, template, data dictionary, example builder) asks this one
what the sheets and columns are, so the format is described exactly once.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from jixiao.paths import config_file

ColumnType = Literal[
    "text",
    "longtext",
    "int",
    "money",
    "number",
    "percent",
    "date",
    "year",
    "enum",
    "func_code",
    "value",
]

#: Labels that mark the row holding a stated total (compared after removing spaces).
TOTAL_LABELS = ("合计", "总计", "合计数")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Field_(_Strict):
    """What a column of a table sheet and a key of a key-value sheet have in common."""

    id: str
    type: ColumnType
    required: bool = False
    unit: str | None = None
    signed: bool = False
    choices: tuple[str, ...] | None = None
    note: str | None = None
    example: str | int | float | dt.date | None = None

    @model_validator(mode="after")
    def _enum_has_choices(self):
        if (self.type == "enum") != (self.choices is not None):
            raise ValueError(f"{self.id}: enum columns (and only they) list choices")
        return self

    @property
    def numeric(self) -> bool:
        return self.type in ("int", "money", "number", "percent", "year", "func_code")

    @property
    def unit_label(self) -> str:
        """The unit a finance officer expects to see, e.g. 万元 for money."""
        if self.unit:
            return self.unit
        return {"money": "万元", "percent": "%"}.get(self.type, "")


class Column(Field_):
    """A column of a table sheet, found by its header text."""

    header: str
    label: bool = False
    unique: bool = False


class Key(Field_):
    """A row of a key-value sheet, found by the text in its 项目 column."""

    key: str
    group: str | None = None


class Sheet(_Strict):
    """One worksheet of the township workbook."""

    name: str
    id: str
    kind: Literal["kv", "table"]
    required: bool = False
    description: str = ""
    columns: tuple[Column, ...] = ()
    keys: tuple[Key, ...] = ()
    value_header: str = "数值"
    #: Fewest detail rows a valid workbook has (a township always has projects …).
    min_rows: int = 0
    #: Names the sheet had in earlier versions of the format: a workbook still using one is
    #: told what the sheet is called now (its content is not read as the new sheet's, whose
    #: items may differ).
    formerly: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _shape(self):
        if self.kind == "table":
            if not self.columns or self.keys:
                raise ValueError(f"{self.name}: a table sheet has columns and no keys")
            if sum(c.label for c in self.columns) != 1:
                raise ValueError(f"{self.name}: exactly one column is the label column")
        elif not self.keys or self.columns:
            raise ValueError(f"{self.name}: a kv sheet has keys and no columns")
        return self

    @property
    def label_column(self) -> Column:
        return next(c for c in self.columns if c.label)

    def column(self, col_id: str) -> Column:
        return next(c for c in self.columns if c.id == col_id)

    @property
    def kv_headers(self) -> tuple[str, ...]:
        """Header row of a key-value sheet."""
        return ("项目", self.value_header, "单位", "说明")


class WorkbookSpec(_Strict):
    """The whole workbook format."""

    version: int
    #: What the workbook describes: the township loader's cross-sheet rules
    #: (``load._cross_checks``) apply to ``township`` workbooks only.
    kind: str = "township"
    #: The template's 填写说明 text; the township guide (``template.GUIDE``) when absent.
    guide: str | None = None
    #: ``package.module:function`` running the rules that span cells once every cell is
    #: read, called as ``f(ds, collector, year, unread)`` (see ``load.load_workbook``).
    cross_checks: str | None = None
    #: Most rows a sheet may hold: a sheet with data below this row is refused, not read
    #: (a workbook's used range can be inflated to a million rows).
    max_rows: int = Field(20000, ge=100)
    #: Columns read from each sheet (A … this one): cells further right are not read, so
    #: that a stray cell in column XFD costs nothing.
    max_columns: int = Field(64, ge=8, le=16384)
    sheets: tuple[Sheet, ...] = Field(min_length=1)

    def sheet(self, sheet_id: str) -> Sheet:
        """The sheet with this id (``functions``) or name (``支出功能分类``)."""
        for s in self.sheets:
            if sheet_id in (s.id, s.name):
                return s
        raise KeyError(sheet_id)


def _config_text(name: str) -> str:
    return config_file(name).read_text(encoding="utf-8")


@cache
def workbook_spec() -> WorkbookSpec:
    """The workbook format shipped with the package (parsed once per process)."""
    return WorkbookSpec.model_validate(yaml.safe_load(_config_text("workbook.yaml")))


@cache
def function_codes() -> dict[int, str]:
    """支出功能分类 class codes → names, from ``config/function_codes.yaml``."""
    return {int(k): v for k, v in yaml.safe_load(_config_text("function_codes.yaml"))["codes"].items()}


@cache
def enum_aliases() -> dict[str, str]:
    """Variant spelling → canonical value for enumerated columns."""
    raw = yaml.safe_load(_config_text("enums.yaml"))["aliases"]
    return {str(alias): canon for canon, aliases in raw.items() for alias in aliases}
