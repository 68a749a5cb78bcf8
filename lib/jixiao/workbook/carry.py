"""Carry forward: next year's workbook from this year's, and the pairs the cross-year checks compare.

What carries over is a rule, not code: ``config/carry.yaml`` (validated here against the
format of ``config/workbook.yaml``) lists the unit's standing facts, the tables copied row
by row (offices, the goal framework, continuing projects) and each 上年/年初 column with the
本年/年末 column of last year's workbook it takes its figure from.

- :func:`carry_forward` builds the data of next year's workbook (for
  :func:`jixiao.workbook.template.write_workbook`) and a comment for every filled cell
  naming its source cell in last year's file (``dongshiduan-2023.xlsx 三公经费!C7``). This
  year's own figures are left blank: nothing is invented.
- :func:`previous_pairs` pairs each 上年/年初 figure this year's workbook states with last
  year's figure it should equal (both cells named), for ``checks/crossyear.py``.
- :func:`previous_dataset` loads last year's workbook of a run's parameters (``previous:``),
  once per process.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from jixiao.configfile import load_yaml_model
from jixiao.exceptions import ConfigError
from jixiao.paths import config_file
from jixiao.values import is_blank, num
from jixiao.workbook.cells import compact
from jixiao.workbook.dataset import Dataset
from jixiao.workbook.spec import WorkbookSpec, workbook_spec


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TableRule(_Strict):
    """How one table sheet carries over (see ``config/carry.yaml``)."""

    copy_: tuple[str, ...] = Field((), alias="copy")
    previous: dict[str, str] = {}
    match: tuple[str, ...] = ()
    total: bool = False
    continuing: bool = False


class ContinuingRule(_Strict):
    """Where a continuing project is marked, and with what."""

    sheet: str
    column: str
    marker: str = Field(min_length=1)
    word: str = Field(min_length=1)

    @model_validator(mode="after")
    def _marker_has_word(self):
        if self.word not in self.marker:
            raise ValueError(f"marker “{self.marker}” 应包含 word “{self.word}”")
        return self


class CarryRules(_Strict):
    """``config/carry.yaml``."""

    version: int
    facts: dict[str, tuple[str, ...]] = {}
    tables: dict[str, TableRule] = {}
    continuing: ContinuingRule

    def match_columns(self, spec: WorkbookSpec, sheet_id: str) -> tuple[str, ...]:
        """The columns that identify a row of ``sheet_id`` across years."""
        rule = self.tables[sheet_id]
        return rule.match or (spec.sheet(sheet_id).label_column.id,)


def _validated(rules: CarryRules, spec: WorkbookSpec) -> CarryRules:
    """Every sheet, column and key the rules name exists in the format, with a fitting type."""
    bad: list[str] = []
    ids = {s.id for s in spec.sheets}
    for sheet_id, keys in rules.facts.items():
        if sheet_id not in ids or spec.sheet(sheet_id).kind != "kv":
            bad.append(f"facts.{sheet_id}：格式中没有这个键值表")
            continue
        known = {k.id for k in spec.sheet(sheet_id).keys}
        bad += [f"facts.{sheet_id}：未知的项目 {k}" for k in keys if k not in known]
    for sheet_id, rule in rules.tables.items():
        if sheet_id not in ids or spec.sheet(sheet_id).kind != "table":
            bad.append(f"tables.{sheet_id}：格式中没有这个明细表")
            continue
        sheet = spec.sheet(sheet_id)
        cols = {c.id: c for c in sheet.columns}
        named = [*rule.copy_, *rule.previous, *rule.previous.values(), *rule.match]
        bad += [f"tables.{sheet_id}：未知的列 {c}" for c in named if c not in cols]
        for target, source in rule.previous.items():
            if target in cols and source in cols and not (cols[target].numeric and cols[source].numeric):
                bad.append(f"tables.{sheet_id}.previous：{target} 与 {source} 应为数字列")
        if rule.continuing and sheet_id != rules.continuing.sheet:
            bad.append(f"tables.{sheet_id}.continuing：延续项目标注在 {rules.continuing.sheet} 表")
    c = rules.continuing
    if c.sheet not in ids or c.column not in {col.id for col in spec.sheet(c.sheet).columns}:
        bad.append(f"continuing：格式中没有 {c.sheet}.{c.column}")
    if bad:
        raise ConfigError(f"结转规则文件 {config_file('carry.yaml')} 无效：\n" + "\n".join(f"- {b}" for b in bad))
    return rules


@cache
def carry_rules() -> CarryRules:
    """The shipped carry-forward rules (``config/carry.yaml``), validated against the format."""
    rules = load_yaml_model(config_file("carry.yaml"), CarryRules, "结转规则文件", "version、facts、tables、continuing")
    return _validated(rules, workbook_spec())


def source_name(ds: Dataset) -> str:
    """How a comment or a finding names last year's file: its file name."""
    return Path(ds.path).name


def source_cell(ds: Dataset, ref: str) -> str:
    """``dongshiduan-2023.xlsx 三公经费!C7``: a cell of last year's workbook, with its file."""
    return f"{source_name(ds)} {ref}"


def _key(row: dict, columns: tuple[str, ...]) -> tuple[str, ...] | None:
    """A row's identity across years: its ``columns`` compared as written (spaces, width and
    invisible characters aside); None when one is blank."""
    key = tuple(compact(row.get(c)) for c in columns)
    return None if any(not k for k in key) else key


# -- carrying forward --------------------------------------------------------------------------
#: What a carried cell's comment says: (sheet name, data row index or key name, header) → text.
Comments = dict[tuple[str, Any, str | None], str]


def carry_forward(last: Dataset, year: int | None = None) -> tuple[dict[str, Any], Comments]:
    """Next year's workbook data from last year's dataset, and the comments naming sources.

    Parameters
    ----------
    last : Dataset
        Last year's workbook, loaded.
    year : int, optional
        The new workbook's year; last year's + 1 by default. For a later year the 上年
        figures are not filled (last year's workbook is not that year's 上年).

    Returns
    -------
    (data, comments)
        ``data`` as :func:`~jixiao.workbook.template.write_workbook` takes it (sheet name →
        rows or key → value); ``comments``: (sheet name, row index in ``data`` or key,
        column header or None for a key's value) → the comment for that cell.
    """
    rules, spec = carry_rules(), last.spec
    year = last.year + 1 if year is None else year
    figures = year == last.year + 1
    data: dict[str, Any] = {}
    comments: Comments = {}
    for sheet_id, keys in rules.facts.items():
        sheet = spec.sheet(sheet_id)
        values: dict[str, Any] = {}
        for key in sheet.keys:
            value = last.facts.get(sheet_id, {}).get(key.id)
            if key.id == "year" and sheet_id == "unit":
                values[key.key] = year
            elif key.id in keys and not is_blank(value):
                values[key.key] = value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else value
                comments[(sheet.name, key.key, None)] = (
                    f"上年结转（请确认）：{source_cell(last, last.fact_cell(sheet_id, key.id))}"
                )
        data[sheet.name] = values
    for sheet_id, rule in rules.tables.items():
        sheet = spec.sheet(sheet_id)
        label = sheet.label_column
        rows: list[dict[str, Any]] = []
        df = last.tables.get(sheet_id)
        for rec in [] if df is None else df.to_dict("records"):
            row = {sheet.column(c).header: _plain_value(rec.get(c)) for c in rule.copy_}
            i = len(rows)
            comments[(sheet.name, i, label.header)] = (
                "延续项目（请确认，不再实施的删除本行）" if rule.continuing else "上年结转（请确认）"
            ) + f"：{source_cell(last, last.cell(sheet_id, label.id, rec['_row']))}"
            for target, source in rule.previous.items() if figures else ():
                value = num(rec.get(source))
                if value is None:
                    continue
                header = sheet.column(target).header
                row[header] = value
                comments[(sheet.name, i, header)] = _figure_note(last, sheet_id, source, rec["_row"])
            if rule.continuing:
                c = rules.continuing
                row[sheet.column(c.column).header] = c.marker
            rows.append(row)
        total = last.totals.get(sheet_id)
        if rule.total and total is not None and figures:
            row = {label.header: "合计"}
            for target, source in rule.previous.items():
                value = num(total.get(source))
                if value is not None:
                    header = sheet.column(target).header
                    row[header] = value
                    comments[(sheet.name, len(rows), header)] = _figure_note(last, sheet_id, source, total["_row"])
            rows.append(row)
        data[sheet.name] = rows
    return data, comments


def _figure_note(last: Dataset, sheet_id: str, source: str, row: int) -> str:
    header = last.spec.sheet(sheet_id).column(source).header
    return f"取自上年{header}：{source_cell(last, last.cell(sheet_id, source, row))}"


def _plain_value(v: Any) -> Any:
    """A loaded value as a template cell takes it (pandas' NA → blank, Int64 → int)."""
    if is_blank(v):
        return None
    if hasattr(v, "item"):  # numpy scalars
        return v.item()
    return v


# -- pairs the cross-year checks compare ---------------------------------------------------------
@dataclass
class Pair:
    """A 上年/年初 figure of this year's workbook and last year's figure it should equal.

    ``last_value``/``last_cell`` are None when last year's workbook has no such row.
    """

    sheet: str
    column: str
    label: str
    value: float | None
    cell: str
    last_value: float | None
    last_cell: str | None


def previous_pairs(ds: Dataset, last: Dataset) -> dict[tuple[str, str], list[Pair]]:
    """Every 上年/年初 figure ``ds`` states (or leaves blank where last year had one), paired
    with last year's, by (sheet id, column id): detail rows matched by the rule's ``match``
    columns, the 合计 rows with each other."""
    rules = carry_rules()
    out: dict[tuple[str, str], list[Pair]] = {}
    for sheet_id, rule in rules.tables.items():
        if not rule.previous:
            continue
        cols = rules.match_columns(ds.spec, sheet_id)
        label_id = ds.spec.sheet(sheet_id).label_column.id
        last_rows: dict[tuple[str, ...], dict] = {}
        for rec in last.tables[sheet_id].to_dict("records"):
            k = _key(rec, cols)
            if k is not None:
                last_rows.setdefault(k, rec)  # a label given twice: the first is the one compared
        for target, source in rule.previous.items():
            if target not in ds.locations.get(sheet_id, {}) or source not in last.locations.get(sheet_id, {}):
                continue  # a column left out of either sheet: nothing stated, or nothing to compare with
            pairs: list[Pair] = []
            for rec in ds.tables[sheet_id].to_dict("records"):
                k = _key(rec, cols)
                old = last_rows.get(k) if k is not None else None
                value, last_value = num(rec.get(target)), None if old is None else num(old.get(source))
                if value is None and last_value is None:
                    continue
                pairs.append(
                    Pair(
                        sheet_id,
                        target,
                        str(rec.get(label_id) or ""),
                        value,
                        ds.cell(sheet_id, target, rec["_row"]),
                        last_value,
                        None if old is None else source_cell(last, last.cell(sheet_id, source, old["_row"])),
                    )
                )
            this_total, last_total = ds.totals.get(sheet_id), last.totals.get(sheet_id)
            if this_total is not None and last_total is not None:
                value, last_value = num(this_total.get(target)), num(last_total.get(source))
                if value is not None or last_value is not None:
                    pairs.append(
                        Pair(
                            sheet_id,
                            target,
                            "合计",
                            value,
                            ds.cell(sheet_id, target, this_total["_row"]),
                            last_value,
                            source_cell(last, last.cell(sheet_id, source, last_total["_row"])),
                        )
                    )
            out[(sheet_id, target)] = pairs
    return out


# -- last year's dataset of a run ----------------------------------------------------------------
_PREVIOUS: dict[tuple, Dataset] = {}


def previous_dataset(params: Any) -> Dataset | None:
    """Last year's workbook of a run (``params.previous``), loaded once per process; None
    when the parameters name no previous year.

    The cache key holds the modification times of last year's parameters file and workbook,
    so an edited file is read again. Raises what loading raises (``ParametersError``,
    ``WorkbookError``): last year's workbook is checked as strictly as this year's.
    """
    from jixiao.params import load_params
    from jixiao.workbook.load import load_workbook

    prev = getattr(params, "previous", None) if not isinstance(params, dict) else params.get("previous")
    if prev is None:
        return None
    prev = Path(prev)
    last = load_params(prev)
    workbook = Path(last.workbook)
    key = (str(prev.resolve()), prev.stat().st_mtime_ns, str(workbook), workbook.stat().st_mtime_ns)
    ds = _PREVIOUS.get(key)
    if ds is None:
        ds = load_workbook(workbook, year=last.year, name=last.name, name_from=last.source)
        if len(_PREVIOUS) > 16:  # a batch's worker goes through many townships
            _PREVIOUS.clear()
        _PREVIOUS[key] = ds
    return ds


def previous_chain(params: Any, most: int = 2, *, at_least: int = 1) -> list[tuple[Any, Dataset]]:
    """Up to ``most`` earlier years of a run through its chain of ``previous:``, latest
    first: ``[(params, dataset), …]``; empty when the chain is shorter than ``at_least``
    (found from the parameters files alone: no workbook is read then)."""
    from jixiao.params import load_params

    nodes: list[tuple[Any, Any]] = []  # (the run naming it, the earlier year's parameters)
    node = params
    while len(nodes) < most and getattr(node, "previous", None) is not None:
        last = load_params(node.previous)
        nodes.append((node, last))
        node = last
    if len(nodes) < at_least:
        return []
    return [(last, ds) for run, last in nodes if (ds := previous_dataset(run)) is not None]
