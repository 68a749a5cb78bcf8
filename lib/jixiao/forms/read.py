"""Read filled 项目支出绩效自评表 forms from Excel files, finding each block by its labels.

The form's layout is national (财预〔2020〕10号 附件) but no two files place it alike: a
title row or two, merged label columns, blank spacer rows, “其中：” written or not,
full-width punctuation, a block left out, amounts in 元. So nothing is read from fixed
coordinates: the reader looks for the labels of ``config/forms.yaml`` (项目名称, the
项目资金 header row 年初预算数 / 全年预算数 / 全年执行数, 年度总体目标, the 绩效指标 header
row, 总分) and reads each value relative to its label. A cell inside a merged range reads
as the range's top-left cell, and is named by it.

Every problem (not an xlsx file, a damaged one, no form in it, text in a money cell, an
Excel error value, a missing 项目名称 …) is collected with file, sheet and cell and raised
together as one :class:`~jixiao.exceptions.InputError` (exit 2 on the command line).
"""

from __future__ import annotations

import re
import warnings
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from openpyxl import load_workbook as _open_xlsx
from openpyxl.utils import get_column_letter, range_boundaries
from pydantic import BaseModel, ConfigDict, Field, model_validator

from jixiao.configfile import load_yaml_model
from jixiao.exceptions import InputError, Problem
from jixiao.forms.model import FUND_COLUMNS, FUND_ROWS, FormIndicator, FundRow, ProjectForm
from jixiao.paths import config_file
from jixiao.values import is_blank, plain
from jixiao.workbook.cells import _number_from_text, compact, excel_text, is_excel_error, normalize_text, show
from jixiao.workbook.load import _DAMAGED, _check_file, uncached_formulas, worksheet_members

#: How an illustrative form's note starts (jixiao's bundled example carries one).
SAMPLE_WORD = "示例数据"

# --------------------------------------------------------------------------- configuration


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FormLabels(_Strict):
    """Block and field labels, each a list of accepted spellings."""

    title: list[str] = Field(min_length=1)
    project: list[str] = Field(min_length=1)
    department: list[str] = Field(min_length=1)
    implementer: list[str] = Field(min_length=1)
    funds: list[str] = Field(min_length=1)
    goals: list[str] = Field(min_length=1)
    goal_expected: list[str] = Field(min_length=1)
    goal_actual: list[str] = Field(min_length=1)
    indicators: list[str] = Field(min_length=1)


class FormLimits(_Strict):
    """How much of a sheet is read."""

    max_rows: int = Field(400, ge=20, le=5000)
    max_columns: int = Field(30, ge=9, le=200)


class FormsConfig(_Strict):
    """``config/forms.yaml``: what the form reader accepts and how actuals are graded."""

    labels: FormLabels
    fund_rows: dict[str, list[str]]
    fund_columns: dict[str, list[str]]
    indicator_columns: dict[str, list[str]]
    total_labels: list[str] = Field(min_length=1)
    no_value: list[str]
    grades: dict[str, list[str]]
    same_as_target: str | None = None
    unit_synonyms: dict[str, str] = {}
    rate_fraction_max: float = Field(1.5, gt=0, le=10)
    limits: FormLimits

    @model_validator(mode="after")
    def _known_keys(self) -> FormsConfig:
        from jixiao.analysis.scoring.scheme import GRADES

        problems = []
        if set(self.fund_rows) != set(FUND_ROWS):
            problems.append(f"fund_rows 应恰为 {'、'.join(FUND_ROWS)}")
        wanted_cols = {*FUND_COLUMNS, "points", "rate", "score"}
        if set(self.fund_columns) != wanted_cols:
            problems.append(f"fund_columns 应恰为 {'、'.join(sorted(wanted_cols))}")
        ind_cols = {"level1", "level2", "name", "target", "actual", "points", "score", "note"}
        if set(self.indicator_columns) != ind_cols:
            problems.append(f"indicator_columns 应恰为 {'、'.join(sorted(ind_cols))}")
        unknown = [g for g in self.grades if g not in GRADES]
        if unknown or (self.same_as_target is not None and self.same_as_target not in GRADES):
            problems.append(f"grades 与 same_as_target 的等级应为 {'、'.join(GRADES)}")
        seen: dict[str, str] = {}
        for g, words in self.grades.items():
            for w in words:
                if seen.setdefault(_label(w), g) != g:
                    problems.append(f"grades：“{w}”同时列在“{seen[_label(w)]}”和“{g}”下")
        if problems:
            raise ValueError("；".join(problems))
        return self

    @property
    def grade_words(self) -> dict[str, str]:
        """Folded word → grade."""
        return {_label(w): g for g, words in self.grades.items() for w in words}


@cache
def forms_config() -> FormsConfig:
    """The shipped ``config/forms.yaml``, validated (cached)."""
    return load_yaml_model(config_file("forms.yaml"), FormsConfig, "自评表配置文件", "labels、fund_rows、grades …")


def _label(text: Any) -> str:
    """A label's comparison form: folded (:func:`compact`), a trailing colon dropped."""
    return compact(text).rstrip(":")


# --------------------------------------------------------------------------- the sheet grid

_MERGE = re.compile(r"""<(?:\w+:)?mergeCell\b[^>]*?\bref=["']([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)["']""")
_YEAR = re.compile(r"(\d{4})\s*年度?")
_ENUM_PREFIX = re.compile(r"^(?:\(?[0-9一二三四五六七八九十]+[).、．]|[①②③④⑤])")
_POINTS_IN_LABEL = re.compile(r"^(.*?)\((\d+(?:\.\d+)?)分?\)$")
_UNIT_NOTE = re.compile(r"(?:单位|金额单位)[:]?(万元|元)$")
_UNIT_PARENS = re.compile(r"\((万元|元)\)")
#: Merged ranges read per sheet: a form has a few dozen; a hostile file may claim millions.
_MAX_MERGES = 2000


def _merged_ranges(path: Path, limits: FormLimits) -> dict[str, list[tuple[int, int, int, int]]]:
    """Sheet name → merged ranges ``(min_col, min_row, max_col, max_row)``, read from the
    worksheet XML (the read-only reader, which bounds memory, does not read merges).

    Ranges are clipped to the rows and columns the reader reads; the XML is streamed in
    pieces, so a huge sheet costs time, not memory.
    """
    found: dict[str, list[tuple[int, int, int, int]]] = {}
    try:
        with zipfile.ZipFile(path) as zf:
            for name, member in worksheet_members(zf):
                try:
                    fh = zf.open(member)
                except KeyError:
                    continue
                ranges: set[tuple[int, int, int, int]] = set()
                tail = ""
                with fh:
                    while chunk := fh.read(1 << 20):
                        text = tail + chunk.decode("utf-8", errors="replace")
                        for m in _MERGE.finditer(text):
                            c1, r1, c2, r2 = range_boundaries(m.group(1))
                            assert c1 is not None and r1 is not None and c2 is not None and r2 is not None
                            if r1 <= limits.max_rows and c1 <= limits.max_columns and len(ranges) < _MAX_MERGES:
                                ranges.add((c1, r1, min(c2, limits.max_columns), min(r2, limits.max_rows)))
                        tail = text[-300:]  # a tag cut at the chunk's end is matched in the next one
                found[name] = sorted(ranges)
    except (KeyError, ET.ParseError, zipfile.BadZipFile, zlib.error, EOFError, ValueError, TypeError):
        return {}  # openpyxl reports what is really wrong with the file
    return found


@dataclass
class _Grid:
    """One sheet's cells (rows and columns from 1), merged cells resolved to their top-left."""

    name: str
    values: dict[tuple[int, int], Any] = field(default_factory=dict)
    percent: set[tuple[int, int]] = field(default_factory=set)
    errors: set[tuple[int, int]] = field(default_factory=set)
    origin_of: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    max_row: int = 0
    max_col: int = 0
    truncated: int | None = None  # the first row with data below the rows read

    def origin(self, r: int, c: int) -> tuple[int, int]:
        return self.origin_of.get((r, c), (r, c))

    def value(self, r: int, c: int) -> Any:
        return self.values.get(self.origin(r, c))

    def label(self, r: int, c: int) -> str:
        v = self.value(r, c)
        return "" if v is None or not isinstance(v, str) else _label(v)

    def ref(self, r: int, c: int) -> str:
        r0, c0 = self.origin(r, c)
        return f"{get_column_letter(c0)}{r0}"

    def is_error(self, r: int, c: int) -> bool:
        o = self.origin(r, c)
        return o in self.errors or is_excel_error(self.values.get(o))

    def labels(self) -> Iterable[tuple[int, int, str]]:
        """Every text cell (top-left of its range) as ``(row, column, folded text)``."""
        for (r, c), v in sorted(self.values.items()):
            if isinstance(v, str) and v.strip():
                yield r, c, _label(v)


class _Collector:
    def __init__(self, file: str):
        self.file = file
        self.items: list[Problem] = []

    def add(self, sheet: str | None, cell: str | None, found: Any, expected: str, message: str) -> None:
        p = Problem(self.file, sheet, cell, "" if found is None else show(found), expected, message)
        if p not in self.items:  # a merged cell is read once per row it spans: report it once
            self.items.append(p)


def _grid(ws, name: str, merges: list[tuple[int, int, int, int]], limits: FormLimits, out: _Collector) -> _Grid | None:
    g = _Grid(name)
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()  # a wrong <dimension> record would hide rows (see workbook.load)
    try:
        for r, row in enumerate(ws.iter_rows(max_col=limits.max_columns), 1):
            if r > limits.max_rows:
                if any(not is_blank(getattr(c, "value", None)) for c in row):
                    g.truncated = r  # a problem only if the sheet is a form (read_form decides)
                    break
                continue
            for c, cell in enumerate(row, 1):
                v = getattr(cell, "value", None)
                if is_blank(v):
                    continue
                g.values[(r, c)] = v
                g.max_row, g.max_col = max(g.max_row, r), max(g.max_col, c)
                if getattr(cell, "data_type", None) == "e":
                    g.errors.add((r, c))
                if "%" in (getattr(cell, "number_format", "") or ""):
                    g.percent.add((r, c))
    except _DAMAGED as exc:
        out.add(
            name,
            None,
            f"{type(exc).__name__}: {exc}",
            "完整的工作表（用 Excel 或 WPS 打开后另存为 .xlsx 通常可修复）",
            f"工作表“{name}”已损坏，无法读取",
        )
        return None
    for c1, r1, c2, r2 in merges:
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                if (r, c) != (r1, c1):
                    g.origin_of[(r, c)] = (r1, c1)
                    g.values.pop((r, c), None)  # Excel keeps only the top-left value
        g.max_row, g.max_col = max(g.max_row, r2), max(g.max_col, c2)
    return g


# --------------------------------------------------------------------------- reading one form


class _FormReader:
    """Reads one sheet into a :class:`ProjectForm`, adding every problem to ``out``."""

    def __init__(self, g: _Grid, path: Path, cfg: FormsConfig, out: _Collector):
        self.g, self.path, self.cfg, self.out = g, path, cfg, out
        self.sheet = g.name
        self.no_value = {_label(x) for x in cfg.no_value}

    # -- small readers -------------------------------------------------------------------
    def problem(self, r: int | None, c: int | None, found: Any, expected: str, message: str) -> None:
        cell = self.g.ref(r, c) if r is not None and c is not None else None
        self.out.add(self.sheet, cell, found, expected, message)

    def error_value(self, r: int, c: int, what: str) -> bool:
        if self.g.is_error(r, c):
            v = self.g.value(r, c)
            self.problem(
                r,
                c,
                v,
                f"{what}（单元格为 Excel 错误值，请修正公式或改为数值或文字）",
                f"{_quoted(what)}为 Excel 错误值 {str(v or '').strip() or '#错误'}（公式出错或引用失效）",
            )
            return True
        return False

    def text(self, r: int, c: int, what: str) -> str | None:
        """A text cell as written (escapes decoded, white space at the ends removed)."""
        if self.error_value(r, c, what):
            return None
        v = self.g.value(r, c)
        if is_blank(v):
            return None
        if isinstance(v, str):
            return excel_text(v).strip() or None
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            if self.g.origin(r, c) in self.g.percent:
                return plain(float(v) * 100, 4) + "%"
            return plain(float(v), 6)
        return show(v)

    def number(self, r: int, c: int, what: str, *, money: bool = False, yuan: bool = False) -> float | None:
        """A numeric cell: a number, a numeric text (full-width digits, thousands
        separators, a 万元/元 suffix for money), or a blank mark (—, /); else a problem."""
        if self.error_value(r, c, what):
            return None
        v = self.g.value(r, c)
        if is_blank(v) or (isinstance(v, str) and _label(v) in self.no_value):
            return None
        factor = 1 / 10000 if (money and yuan) else 1.0
        if isinstance(v, bool):
            x = None
        elif isinstance(v, (int, float)):
            x = float(v)
        else:
            t = normalize_text(v)
            if money:
                for suffix, f in (("万元", 1.0), ("元", 1 / 10000)):
                    if t.endswith(suffix):
                        t, factor = t[: -len(suffix)], f
                        break
            elif t.endswith("分"):
                t = t[:-1]
            x = _number_from_text(t)
        if x is None:
            expected = "金额（数字，如 1234.56）" if money else "数字"
            self.problem(r, c, v, expected, f"{_quoted(what)}应为数字，实为文字“{normalize_text(v)}”")
            return None
        if x < 0:  # no amount, point, score or rate of the form can be negative
            self.problem(r, c, v, "不小于 0 的数字", f"{_quoted(what)}不能为负数")
            return None
        return round(x * factor, 10)

    def rate(self, r: int, c: int, what: str) -> float | None:
        """执行率 in percentage points: ``98%`` text, a percent-formatted 0.98, a plain 0.98
        (not above ``rate_fraction_max``) or a plain 98."""
        if self.error_value(r, c, what):
            return None
        v = self.g.value(r, c)
        if is_blank(v) or (isinstance(v, str) and _label(v) in self.no_value):
            return None
        if isinstance(v, str):
            t = normalize_text(v)
            if t.endswith("%"):
                x = _number_from_text(t[:-1])
                if x is None:
                    self.problem(r, c, v, "百分比（如 97.47%）", f"{_quoted(what)}应为百分比，实为“{t}”")
                return x
        x = self.number(r, c, what)
        if x is None:
            return None
        if self.g.origin(r, c) in self.g.percent or abs(x) <= self.cfg.rate_fraction_max:
            return round(x * 100, 10)
        return x

    def find(self, words: Iterable[str], *, rows: range | None = None, prefix: bool = False) -> tuple[int, int] | None:
        """The first cell (top-to-bottom, left-to-right) whose label is one of ``words``."""
        wanted = [_label(w) for w in words]
        for r, c, lab in self.g.labels():
            if rows is not None and r not in rows:
                continue
            if lab in wanted or (prefix and any(lab.startswith(w) for w in wanted)):
                return r, c
        return None

    def right_of(self, r: int, c: int) -> tuple[int, int] | None:
        """The first cell right of (r, c)'s merged range, on the same row, or None."""
        r0, c0 = self.g.origin(r, c)
        nxt = c0 + 1
        while self.g.origin(r, nxt) == (r0, c0):
            nxt += 1
        return (r, nxt) if nxt <= self.g.max_col else None

    # -- the blocks ----------------------------------------------------------------------
    def read(self) -> ProjectForm | None:
        cfg = self.cfg
        form = ProjectForm(path=self.path, sheet=self.sheet, project="")
        n_before = len(self.out.items)
        title_at = self.find(cfg.labels.title, prefix=False) or self._title_cell()
        if title_at is not None:
            form.title = self.text(*title_at, "标题")
            form.cells["title"] = self.g.ref(*title_at)
        form.year = self._year(title_at)
        form.sample = self._sample_note()
        project = self._field(cfg.labels.project, "项目名称", form)
        form.department = self._field(cfg.labels.department, "主管部门", form)
        form.implementer = self._field(cfg.labels.implementer, "实施单位", form)
        if project is None:
            at = self.find(cfg.labels.project, prefix=True)
            if at is None:
                self.problem(None, None, "", "“项目名称”及其内容", "找不到“项目名称”")
            else:
                cell = form.cells.get("project") or self.g.ref(*at)
                self.out.add(self.sheet, cell, "", "项目名称", "“项目名称”为必填项，不能为空")
        form.project = project or ""
        form.amount_unit = self._unit()
        self._funds(form)
        ind_header = self._indicator_header()
        self._goals(form, ind_header[0] if ind_header else None)
        if ind_header is None:
            self.problem(
                None,
                None,
                "",
                "绩效指标表头：" + "、".join(v[0] for v in cfg.indicator_columns.values()),
                "找不到“绩效指标”的表头行（三级指标、年度指标值、实际完成值、分值、得分）",
            )
        else:
            self._indicators(form, *ind_header)
        return form if len(self.out.items) == n_before else None

    def _sample_note(self) -> str | None:
        """The note of an illustrative form (a cell starting “示例数据”, as jixiao's example
        and a form written with ``label=`` carry), kept whole."""
        for r, c, lab in self.g.labels():
            if lab.startswith(_label(SAMPLE_WORD)):
                return self.text(r, c, "示例数据说明")
        return None

    def _title_cell(self) -> tuple[int, int] | None:
        # “2023年度项目支出绩效自评表”, “项目支出绩效自评表（2023年度）” in one cell
        for r, c, lab in self.g.labels():
            if any(_label(w) in lab for w in self.cfg.labels.title):
                return r, c
        return None

    def _year(self, title_at: tuple[int, int] | None) -> int | None:
        top = title_at[0] if title_at else 1
        for r, _c, lab in self.g.labels():
            if top <= r <= top + 2:
                m = _YEAR.search(lab)
                if m and "年度" in lab and 1990 <= int(m.group(1)) <= 2100:
                    return int(m.group(1))
        return None

    def _field(self, words: list[str], what: str, form: ProjectForm) -> str | None:
        """A field whose value stands right of its label (or after its colon in the label
        cell itself: “项目名称：道路工程”)."""
        key = {"项目名称": "project", "主管部门": "department", "实施单位": "implementer"}[what]
        wanted = [_label(w) for w in words]
        for r, c, lab in self.g.labels():
            if lab in wanted:
                nxt = self.right_of(r, c)
                if nxt is None:
                    return None
                if self.g.label(*nxt) in {_label(w) for ws in self._all_field_labels() for w in ws}:
                    return None  # the next label: this field is blank
                form.cells[key] = self.g.ref(*nxt)
                return self.text(*nxt, what)
            for w in wanted:
                if lab.startswith(w + ":") and len(lab) > len(w) + 1:
                    raw = normalize_text(self.g.value(r, c))
                    form.cells[key] = self.g.ref(r, c)
                    return re.split(r"[:：]", raw, maxsplit=1)[1].strip() or None
        return None

    def _all_field_labels(self) -> list[list[str]]:
        lb = self.cfg.labels
        return [lb.project, lb.department, lb.implementer, lb.funds, lb.goals]

    def _unit(self) -> str:
        """元 when the form says so (“单位：元”, “项目资金（元）”, “全年预算数（元）”)."""
        for _r, _c, lab in self.g.labels():
            m = _UNIT_NOTE.search(lab)
            if m:
                return m.group(1)
            m = _UNIT_PARENS.search(lab)
            if m and any(lab.startswith(_label(w)) for w in (*self.cfg.labels.funds, *self._fund_col_words())):
                return m.group(1)
        return "万元"

    def _fund_col_words(self) -> list[str]:
        return [w for ws in self.cfg.fund_columns.values() for w in ws]

    def _header_key(self, lab: str, table: dict[str, list[str]]) -> str | None:
        base = _UNIT_PARENS.sub("", lab)
        base = re.sub(r"\([^()]*\)$", "", base)  # 分值(10) / 得分（分）
        for key, words in table.items():
            if base in (_label(w) for w in words):
                return key
        return None

    def _funds(self, form: ProjectForm) -> None:
        """项目资金: the header row (年初预算数 … 得分), then the rows below it whose label is
        one of the fund rows, up to the 年度总体目标 or 绩效指标 block."""
        cols: dict[str, int] = {}
        header_row = None
        for r in range(1, self.g.max_row + 1):
            found: dict[str, int] = {}
            for c in range(1, self.g.max_col + 1):
                if self.g.origin(r, c) != (r, c):
                    continue
                key = self._header_key(self.g.label(r, c), self.cfg.fund_columns)
                if key is not None and key not in found:
                    found[key] = c
            if "budget" in found and "executed" in found:
                header_row, cols = r, found
                break
        if header_row is None:
            self.problem(
                None,
                None,
                "",
                "项目资金表头：年初预算数、全年预算数、全年执行数",
                "找不到“项目资金”的表头行（年初预算数、全年预算数、全年执行数）",
            )
            return
        first_amount = min(cols[k] for k in FUND_COLUMNS if k in cols)
        yuan = form.amount_unit == "元"
        row_words = {k: [_label(w) for w in ws] for k, ws in self.cfg.fund_rows.items()}
        stop = [_label(w) for w in (*self.cfg.labels.goals, *self.cfg.labels.indicators)]
        for r in range(header_row + 1, min(header_row + 12, self.g.max_row) + 1):
            labels = [(c, self.g.label(r, c)) for c in range(1, first_amount)]
            if any(lab.startswith(s) for _c, lab in labels if lab for s in stop):
                break
            key, label_col = None, 0
            for c, lab in labels:
                bare = _ENUM_PREFIX.sub("", re.sub(r"^其中:?", "", lab))
                key = next((k for k, words in row_words.items() if bare in words), None)
                if key is not None:
                    label_col = c
                    break
            if key is None or key in form.funds:
                continue
            fr = FundRow(key=key, label=self.text(r, label_col, "项目资金") or "", row=r)
            fr.cells["label"] = self.g.ref(r, label_col)
            for k, c in cols.items():
                fr.cells[k] = self.g.ref(r, c)
                what = f"“{FUND_ROWS[key]}”的{self.cfg.fund_columns[k][0]}"
                if k in FUND_COLUMNS:
                    setattr(fr, k, self.number(r, c, what, money=True, yuan=yuan))
                elif key == "total":
                    if k == "rate":
                        fr.rate = self.rate(r, c, what)
                    else:
                        setattr(fr, k, self.number(r, c, what))
            form.funds[key] = fr
        if "total" not in form.funds:
            self.problem(
                header_row + 1,
                1,
                "",
                "“年度资金总额”行",
                "“项目资金”表头下找不到“年度资金总额”行",
            )

    def _goals(self, form: ProjectForm, ind_row: int | None) -> None:
        """年度总体目标: the texts under 预期目标 and 实际完成情况, or the first two texts right
        of the label when the form has no such headers."""
        at = self.find(self.cfg.labels.goals, prefix=True)
        if at is None:
            return
        r0, c0 = at
        bottom = ind_row - 1 if ind_row else min(self.g.max_row, r0 + 6)
        span = range(r0, bottom + 1)
        heads = []
        for key, words in (
            ("goal_expected", self.cfg.labels.goal_expected),
            ("goal_actual", self.cfg.labels.goal_actual),
        ):
            h = self.find(words, rows=range(r0, min(r0 + 2, bottom) + 1), prefix=True)
            if h is not None and h[1] > c0:
                heads.append((key, h))
        if heads:
            for key, (hr, hc) in heads:
                for r in range(hr + 1, bottom + 1):
                    if self.g.origin(r, hc)[0] != r:
                        continue
                    t = self.text(r, hc, "年度总体目标")
                    if t is not None:
                        setattr(form, key, t)
                        form.cells[key] = self.g.ref(r, hc)
                        break
            return
        # No 预期目标 / 实际完成情况 headers: the first two texts right of the label.
        texts = []
        for r in span:
            pos = self.right_of(r, c0)
            while pos is not None:
                if self.g.origin(*pos) == pos:
                    t = self.text(*pos, "年度总体目标")
                    if t is not None:
                        texts.append((t, self.g.ref(*pos)))
                pos = self.right_of(*pos)
        for key, item in zip(("goal_expected", "goal_actual"), texts):
            setattr(form, key, item[0])
            form.cells[key] = item[1]

    def _indicator_header(self) -> tuple[int, dict[str, int]] | None:
        for r in range(1, self.g.max_row + 1):
            found: dict[str, int] = {}
            for c in range(1, self.g.max_col + 1):
                if self.g.origin(r, c)[1] != c:
                    continue
                key = self._header_key(self.g.label(r, c), self.cfg.indicator_columns)
                if key is not None and key not in found:
                    found[key] = c
            if "name" in found and "target" in found:
                return r, found
        return None

    def _indicators(self, form: ProjectForm, hr: int, cols: dict[str, int]) -> None:
        missing = [k for k in ("level1", "name", "target", "actual", "points", "score") if k not in cols]
        if missing:
            names = "、".join(self.cfg.indicator_columns[k][0] for k in missing)
            self.problem(hr, 1, "", f"列：{names}", f"“绩效指标”表头缺少：{names}")
            return
        totals = {_label(w) for w in self.cfg.total_labels}
        level1 = level2 = ""
        level1_points: float | None = None
        level1_cell = ""
        prev: FormIndicator | None = None
        for r in range(hr + 1, self.g.max_row + 1):
            left = [self.g.label(r, c) for c in range(1, cols["points"])]
            if any(lab in totals for lab in left):
                form.total_points = self.number(r, cols["points"], "“总分”行的分值")
                form.total_score = self.number(r, cols["score"], "总分")
                form.cells["total_points"] = self.g.ref(r, cols["points"])
                form.cells["total_score"] = self.g.ref(r, cols["score"])
                return
            if self.g.origin(r, cols["name"])[1] < cols["name"] and not is_blank(self.g.value(r, cols["name"])):
                break  # one text across the columns (注：…, 填报人：…): the table has ended
            own = {k: self.g.origin(r, c)[0] == r for k, c in cols.items()}
            if all(is_blank(self.g.value(r, c)) for c in cols.values()):
                continue  # a spacer row
            # 一级 / 二级指标: merged over their rows, or written once and left blank below
            raw1 = self.text(r, cols["level1"], "一级指标")
            if raw1 is not None:
                name1, pts = _split_points(raw1)
                if name1 != level1:
                    level2 = ""
                level1, level1_points, level1_cell = name1, pts, self.g.ref(r, cols["level1"])
            if "level2" in cols:
                raw2 = self.text(r, cols["level2"], "二级指标")
                if raw2 is not None:
                    level2 = _split_points(raw2)[0]
            name = self.text(r, cols["name"], "三级指标")
            same_name = prev is not None and self.g.ref(r, cols["name"]) == prev.cells.get("name")
            points_blank = is_blank(self.g.value(r, cols["points"])) or not own["points"]
            score_blank = is_blank(self.g.value(r, cols["score"])) or not own["score"]
            if prev is not None and (same_name or (name is None and points_blank and score_blank)):
                # the indicator continues on this row: its texts go on
                for k in ("target", "actual", "note"):
                    if k in cols and own[k] and self.g.ref(r, cols[k]) != prev.cells.get(k):
                        t = self.text(r, cols[k], self.cfg.indicator_columns[k][0])
                        if t is not None:
                            old = getattr(prev, k)
                            setattr(prev, k, t if old is None else f"{old}\n{t}")
                            prev.cells.setdefault(k, self.g.ref(r, cols[k]))
                continue
            if name is None:
                if (
                    points_blank
                    and score_blank
                    and all(is_blank(self.g.value(r, cols[k])) for k in ("target", "actual") if own[k])
                ):
                    continue  # a level label alone (满意度指标（10分） with no indicators)
                self.problem(r, cols["name"], "", "三级指标名称", "该行有分值或指标值，但“三级指标”为空")
                continue
            if not level1:
                self.problem(r, cols["level1"], "", "一级指标", f"指标“{name}”没有一级指标")
                continue
            ind = FormIndicator(
                level1=level1,
                level2=level2,
                name=name,
                target=self.text(r, cols["target"], "年度指标值"),
                actual=self.text(r, cols["actual"], "实际完成值"),
                points=self.number(r, cols["points"], f"指标“{name}”的分值"),
                score=self.number(r, cols["score"], f"指标“{name}”的得分"),
                note=self.text(r, cols["note"], "偏差原因分析及改进措施") if "note" in cols else None,
                level1_points=level1_points,
                row=r,
            )
            ind.cells = {k: self.g.ref(r, c) for k, c in cols.items()}
            ind.cells["level1"] = level1_cell
            form.indicators.append(ind)
            prev = ind
        if not form.indicators:
            self.problem(hr + 1, cols["name"], "", "至少一行绩效指标", "“绩效指标”表头下没有指标")


def _quoted(what: str) -> str:
    """“年度指标值” for a bare name; a phrase already quoting its name (指标“受益村数”的得分) as is."""
    return what if "“" in what else f"“{what}”"


def _split_points(label: str) -> tuple[str, float | None]:
    """``产出指标（50分）`` → (``产出指标``, 50.0); ``一、产出指标`` → (``产出指标``, None)."""
    folded = _ENUM_PREFIX.sub("", normalize_text(label).replace(" ", ""))  # “一、产出指标”
    m = _POINTS_IN_LABEL.match(folded)
    if m:
        return m.group(1), float(m.group(2))
    return folded, None


# --------------------------------------------------------------------------- files and folders


def _looks_like_form(g: _Grid, cfg: FormsConfig) -> bool:
    """A sheet is a form when it has the title, or 项目名称 with a 项目资金 or 绩效指标 block."""
    labels = [lab for _r, _c, lab in g.labels()]
    title = [_label(w) for w in cfg.labels.title]
    if any(t in lab for lab in labels for t in title):
        return True
    project = any(lab.startswith(_label(w)) for lab in labels for w in cfg.labels.project)
    blocks = {_label(w) for w in (*cfg.fund_rows["total"], *cfg.indicator_columns["name"])}
    return project and any(lab in blocks for lab in labels)


def read_form(path: str | Path, sheet: str | None = None) -> list[ProjectForm]:
    """Every 项目支出绩效自评表 in one workbook (one form per sheet).

    Parameters
    ----------
    path : str or Path
        The ``.xlsx`` file.
    sheet : str, optional
        Read only this sheet (it must be a form); by default every sheet that looks like a
        form (the title 项目支出绩效自评表, or 项目名称 with a 项目资金 or 绩效指标 block),
        skipping the others (notes, lists).

    Returns
    -------
    list of ProjectForm
        In sheet order; figures in 万元.

    Raises
    ------
    InputError
        With every problem found, each with file, sheet and cell: not a readable xlsx file,
        no form in it, a number that is text, an Excel error value, a missing 项目名称 …
    """
    path = Path(path)
    forms, problems = _read_file(path, sheet)
    if problems:
        raise InputError(problems)
    return forms


def _read_file(path: Path, only: str | None) -> tuple[list[ProjectForm], list[Problem]]:
    shown = str(path)
    if path.suffix.lower() in (".csv", ".txt") and path.is_file():
        return [], [
            Problem(shown, None, None, path.suffix, ".xlsx", "不支持 CSV/文本文件：自评表应为 Excel 工作簿（.xlsx）")
        ]
    try:
        _check_file(path, shown)
    except InputError as exc:
        return [], exc.problems
    cfg = forms_config()
    out = _Collector(shown)
    # Formulas saved without their result read as blank: a problem in a form's sheet only.
    uncached: dict[str, list[tuple[str, str]]] = {}
    for sh, cell, formula in uncached_formulas(path):
        uncached.setdefault(sh, []).append((cell, formula))
    merges = _merged_ranges(path, cfg.limits)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = _open_xlsx(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for broken files
        return [], [
            Problem(
                shown,
                None,
                None,
                type(exc).__name__,
                "可读取的 .xlsx 工作簿",
                f"无法打开文件：文件已损坏或格式不正确（{exc}）",
            )
        ]
    forms: list[ProjectForm] = []
    try:
        names = wb.sheetnames
        if only is not None:
            if only not in names:
                out.add(only, None, only, "、".join(names), f"文件中没有工作表“{only}”")
                return [], out.items
            names = [only]
        for name in names:
            ws = wb[name]
            if not hasattr(ws, "iter_rows"):
                continue  # a chart sheet
            g = _grid(ws, name, merges.get(name, []), cfg.limits, out)
            if g is None:
                continue
            if only is None and not _looks_like_form(g, cfg):
                continue
            if name in uncached:
                for cell, formula in uncached[name][:20]:
                    out.add(
                        name,
                        cell,
                        formula,
                        "公式的计算结果（数值）",
                        "单元格是公式，但文件中没有保存计算结果（由程序生成、未在 Excel/WPS 中保存过）："
                        "请用 Excel 或 WPS 打开并保存该文件，或把公式改为数值",
                    )
                continue
            if g.truncated is not None:
                out.add(
                    name,
                    f"A{g.truncated}",
                    f"第 {g.truncated} 行有数据",
                    f"至多 {cfg.limits.max_rows} 行",
                    f"工作表“{name}”超过 {cfg.limits.max_rows} 行，未读取：一张自评表不会这样长，请删除多余的行"
                    "（上限见 config/forms.yaml 的 limits.max_rows）",
                )
                continue
            form = _FormReader(g, path, cfg, out).read()
            if form is not None:
                forms.append(form)
    finally:
        wb.close()
    if not forms and not out.items:
        out.add(
            None,
            None,
            "、".join(wb.sheetnames),
            "项目支出绩效自评表（标题、项目名称、项目资金、绩效指标）",
            "文件中没有找到项目支出绩效自评表"
            + (f"（工作表“{only}”不是自评表）" if only else f"（工作表：{'、'.join(wb.sheetnames)}）"),
        )
    return forms, out.items


def form_files(paths: Iterable[str | Path]) -> list[Path]:
    """The form files named: each file as given, each folder's ``*.xlsx`` sorted by name
    (Excel's ``~$`` lock files left out)."""
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files.extend(sorted(f for f in p.iterdir() if f.suffix.lower() == ".xlsx" and not f.name.startswith("~$")))
        else:
            files.append(p)
    return files


def read_forms(paths: Iterable[str | Path]) -> list[ProjectForm]:
    """Every form in the files and folders given (a folder: its ``*.xlsx``, sorted).

    Raises
    ------
    InputError
        With every problem of every file (all files are read before raising), or when a
        folder holds no ``.xlsx`` file.
    """
    given = [Path(p) for p in paths]
    forms: list[ProjectForm] = []
    problems: list[Problem] = []
    for p in given:
        if p.is_dir() and not form_files([p]):
            problems.append(
                Problem(str(p), None, None, "空文件夹", "含自评表（.xlsx）的文件夹", "文件夹中没有 .xlsx 文件")
            )
    for f in form_files(given):
        got, found = _read_file(f, None)
        forms.extend(got)
        problems.extend(found)
    if problems:
        raise InputError(problems)
    return forms
