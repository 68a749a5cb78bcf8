"""Several assessors (多位评价人员): their score sheets read, consolidated and compared.

A key-project parameters file may name ``assessors:``, one score sheet per assessor (a
workbook, optionally a sheet of it, optionally the assessor's name). Each sheet lists the
indicators of the key-project workbook by name (column 指标 / 三级指标 / 指标名称) with the
assessor's 得分 and, optionally, a 扣分理由 (or 扣分原因); other columns (序号, 一级指标, 分值 …)
are ignored. :func:`read_panel` reads them all against the workbook's indicator list and
returns an :class:`AssessorPanel`:

- per indicator scored 评分 (:class:`IndicatorPanel`): every assessor's score, the
  consolidated score (mean by default; median, or trimmed mean — the ``trim`` highest and
  lowest dropped, 去掉一个最高分和一个最低分 — by ``config/survey.yaml`` ``assessors.consolidate``
  or the parameters' ``consolidate:``), the spread (min, max, range) and whether the range
  exceeds ``spread_share`` (20%) of the indicator's points (a review finding,
  ``keyproject.assessors.spread``);
- the consolidated score replaces the workbook's 得分 in the evaluation
  (:func:`jixiao.keyproject.scoring.evaluate_dataset`), with the basis
  "N 位评价人员评分的平均值（x、y、z）".

Indicators scored from data (资金到位率, 满意度 …) are scored from data: a sheet may list
them or not, and their 得分 there is not used. Every problem of a sheet — an indicator
missing or unknown or listed twice, a score blank, not a number, negative or above the
points — is an :class:`~jixiao.exceptions.InputError` with the file, sheet and cell (exit 2).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jixiao.exceptions import InputError, Problem
from jixiao.keyproject.format import _EPS, ASSESSOR, _at, _p, _records, _sheet_name
from jixiao.rounding import round_half_up
from jixiao.values import is_blank, num, text
from jixiao.workbook.cells import compact, normalize_text, show

if TYPE_CHECKING:
    from jixiao.analysis.checks import Finding
    from jixiao.workbook.dataset import Dataset

#: Headers of an assessor's sheet (compared without white space).
NAME_HEADERS = ("指标", "三级指标", "指标名称")
SCORE_HEADERS = ("得分", "评分")
REASON_HEADERS = ("扣分理由", "扣分原因")
#: How far down the header row may sit.
HEADER_SEARCH_ROWS = 12
#: What each consolidation is called in the basis text.
METHOD_LABELS = {"mean": "平均值", "median": "中位数", "trimmed": "去掉最高分和最低分后的平均值"}


@dataclass
class Spread:
    """The assessors' lowest and highest score of an indicator and their difference."""

    min: float
    max: float

    @property
    def range(self) -> float:
        return round_half_up(self.max - self.min, 4)


@dataclass
class IndicatorPanel:
    """One indicator as the assessors scored it."""

    no: int
    name: str
    weight: float
    #: In the order of the assessors (:attr:`AssessorPanel.names`).
    scores: list[float]
    reasons: list[str | None]
    #: Where each score is: ``[file]sheet!C5``.
    cells: list[str]
    #: Full precision; the evaluation rounds it half up like every score.
    consolidated: float
    spread: Spread
    flagged: bool
    #: How the scores were consolidated here (``mean`` when too few for ``trimmed``).
    method: str = "mean"


@dataclass
class AssessorPanel:
    """Several assessors' scores of a key project, consolidated (:func:`read_panel`)."""

    names: list[str]
    sources: list[str]
    #: ``mean`` | ``median`` | ``trimmed`` (as configured).
    method: str
    trim: int
    spread_share: float
    indicators: list[IndicatorPanel] = field(default_factory=list)

    @property
    def flags(self) -> list[IndicatorPanel]:
        """The indicators whose assessors differ by more than ``spread_share`` of the points."""
        return [i for i in self.indicators if i.flagged]

    def get(self, no: int) -> IndicatorPanel | None:
        """The indicator with this 序号, or None (not scored 评分)."""
        return next((i for i in self.indicators if i.no == no), None)

    def method_label(self, entry: IndicatorPanel) -> str:
        if entry.method == "trimmed":
            return "平均值" if self.trim == 0 else _trim_label(self.trim)
        return METHOD_LABELS[entry.method]

    def basis(self, entry: IndicatorPanel) -> str:
        """``3 位评价人员评分的平均值（2、3.5、4）`` (the evaluation's 得分说明)."""
        scores = "、".join(_p(s) for s in entry.scores)
        text_ = f"{len(entry.scores)} 位评价人员评分的{self.method_label(entry)}（{scores}）"
        if self.method == "trimmed" and entry.method != "trimmed":
            text_ += f"（评价人员不足 {2 * self.trim + 1} 位，取平均值）"
        return text_

    def findings(self) -> list[Finding]:
        """One warning per flagged indicator, or one pass when none is flagged."""
        from jixiao.analysis.checks import Finding

        title = "评价人员评分差异"
        out = []
        for i in self.flags:
            each = "、".join(f"{n}{_p(s)}分" for n, s in zip(self.names, i.scores))
            out.append(
                Finding(
                    "keyproject.assessors.spread",
                    title,
                    "warning",
                    f"指标“{i.name}”（分值{_p(i.weight)}分）：{each}，最高与最低相差{_p(i.spread.range)}分，"
                    f"超过分值的{_p(self.spread_share * 100)}%（{_p(self.spread_share * i.weight)}分）；"
                    f"采用{self.method_label(i)}{_p(round_half_up(i.consolidated, 2))}分，请核实评分依据。",
                    stated=i.spread.max,
                    computed=i.spread.min,
                    difference=i.spread.range,
                    tolerance=self.spread_share * i.weight,
                    cells=list(i.cells),
                )
            )
        if not out:
            out.append(
                Finding(
                    "keyproject.assessors.spread",
                    title,
                    "pass",
                    f"{len(self.names)} 位评价人员（{'、'.join(self.names)}）对{len(self.indicators)}项评分指标的"
                    f"评分相差均不超过分值的{_p(self.spread_share * 100)}%。",
                    cells=[],
                )
            )
        return out


def _trim_label(trim: int) -> str:
    return "去掉一个最高分和一个最低分后的平均值" if trim == 1 else f"去掉{trim}个最高分和{trim}个最低分后的平均值"


def consolidate(scores: list[float], method: str, trim: int = 1) -> tuple[float, str]:
    """(consolidated score, method used): ``trimmed`` falls back to ``mean`` with ≤ 2 × trim scores.

    Examples
    --------
    >>> consolidate([6, 7, 10], "mean")[0], consolidate([6, 7, 10], "median")[0]
    (7.666666666666667, 7)
    >>> consolidate([6, 7, 8, 10], "trimmed")
    (7.5, 'trimmed')
    >>> consolidate([6, 10], "trimmed")
    (8.0, 'mean')
    """
    if method == "median":
        return statistics.median(scores), "median"
    if method == "trimmed" and len(scores) > 2 * trim:
        kept = sorted(scores)[trim : len(scores) - trim]
        return sum(kept) / len(kept), "trimmed"
    return sum(scores) / len(scores), "mean"


# ======================================================================== reading sheets


def _read_sheet(path: Path, shown: str, sheet: str | None) -> tuple[str, list[list[Any]]]:
    """The sheet's values (the first sheet by default), or an InputError naming the file."""
    # the survey reader's checks: a missing, empty, encrypted, CSV-as-xlsx or damaged file
    from jixiao.keyproject.survey import _open_rows

    if path.suffix.lower() in (".csv", ".txt"):
        raise InputError(Problem(shown, None, None, path.suffix, ".xlsx", "评价人员评分表应为 Excel 工作簿（.xlsx）"))
    return _open_rows(path, shown, sheet)


def _find_header(rows: list[list[Any]]) -> tuple[int, dict[str, int]] | None:
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found: dict[str, int] = {}
        for j, c in enumerate(row):
            key = compact(c)
            for role, names in (("name", NAME_HEADERS), ("score", SCORE_HEADERS), ("reason", REASON_HEADERS)):
                if key in names and role not in found:
                    found[role] = j
        if "name" in found and "score" in found:
            return i, found
    return None


def _letter(j: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(j + 1)


def _is_note(label: str) -> bool:
    return label.startswith(("注:", "注：", "说明:", "说明："))


def read_panel(
    entries: list[Any],
    ds: Dataset,
    *,
    method: str = "mean",
    trim: int = 1,
    spread_share: float = 0.2,
    score_digits: int = 2,
    workbook: str | None = None,
) -> AssessorPanel:
    """Read every assessor's sheet against the key-project workbook's indicators.

    Parameters
    ----------
    entries : list
        Each with ``path`` (resolved), ``sheet`` and ``name`` (may be None): the
        parameters' ``assessors`` (:class:`~jixiao.keyproject.format.AssessorSheet`).
    ds : Dataset
        The loaded key-project workbook (its 评价指标 are the indicator list).
    method, trim, spread_share
        The consolidation and the spread threshold (``config/survey.yaml``).
    score_digits : int
        The evaluation's rounding of scores (a deduction is judged as printed).
    workbook : str, optional
        How messages name the key-project workbook (default: its path).

    Raises
    ------
    InputError
        Every problem of every sheet, each with file, sheet and cell (exit code 2).
    """
    recs = _records(ds, "indicators")
    scored = [r for r in recs if r["method"] == ASSESSOR]
    by_name = {compact(r["name"]): r for r in recs}
    problems: list[Problem] = []
    names: list[str] = []
    sources: list[str] = []
    # per assessor: indicator no → (score, reason, cell)
    sheets: list[dict[int, tuple[float, str | None, str]]] = []
    for e in entries:
        path = Path(e.path)
        shown = str(e.path)
        sheet_name, rows = _read_sheet(path, shown, e.sheet)
        name = e.name or (e.sheet if e.sheet else path.stem)
        names.append(name)
        sources.append(f"{path.name}（{sheet_name}）")
        ref = f"[{path.name}]{sheet_name}"
        header = _find_header(rows)
        if header is None:
            problems.append(
                Problem(
                    shown,
                    sheet_name,
                    "1",
                    "",
                    "表头：指标、得分（可选：扣分理由）",
                    f"评价人员“{name}”的评分表在前{HEADER_SEARCH_ROWS}行中找不到表头（指标、得分）",
                )
            )
            sheets.append({})
            continue
        h, cols = header
        got: dict[int, tuple[float, str | None, str]] = {}
        first_row: dict[int, int] = {}
        for i, row in enumerate(rows[h + 1 :], h + 2):

            def cell(role: str, row=row, cols=cols) -> Any:
                j = cols.get(role)
                return row[j] if j is not None and j < len(row) else None

            label = normalize_text(cell("name"))
            value = cell("score")
            if not label and is_blank(value):
                continue
            ncell = f"{_letter(cols['name'])}{i}"
            scell = f"{_letter(cols['score'])}{i}"
            if compact(label) in ("合计", "总计", "总分") or (_is_note(label) and is_blank(value)):
                continue
            if not label:
                problems.append(
                    Problem(
                        shown, sheet_name, ncell, "", "指标名称", f"评价人员“{name}”的评分表第{i}行有得分但没有指标名称"
                    )
                )
                continue
            rec = by_name.get(compact(label))
            if rec is None:
                problems.append(
                    Problem(
                        shown,
                        sheet_name,
                        ncell,
                        label,
                        "重点评价工作簿“评价指标”表中的三级指标",
                        f"评价人员“{name}”的评分表中的指标“{label}”不在评价指标体系中",
                    )
                )
                continue
            no = int(rec["no"])
            if no in first_row:
                problems.append(
                    Problem(
                        shown,
                        sheet_name,
                        ncell,
                        label,
                        "每个指标一行",
                        f"评价人员“{name}”的评分表中指标“{label}”重复（另见第{first_row[no]}行）",
                    )
                )
                continue
            first_row[no] = i
            if rec["method"] != ASSESSOR:
                continue  # scored from data: the sheet's score is not used
            w = float(rec["weight"])
            x = num(value)
            if is_blank(value) or x is None:
                problems.append(
                    Problem(
                        shown,
                        sheet_name,
                        scell,
                        "" if is_blank(value) else show(value),
                        f"0～{_p(w)} 之间的数字",
                        f"评价人员“{name}”对指标“{label}”的得分" + ("为空" if is_blank(value) else "不是数字"),
                    )
                )
                continue
            if x < 0 or x > w + _EPS:
                problems.append(
                    Problem(
                        shown,
                        sheet_name,
                        scell,
                        show(value),
                        f"0～{_p(w)}（该指标分值）",
                        f"评价人员“{name}”对指标“{label}”的得分 {_p(x)} "
                        + ("为负数" if x < 0 else f"超过其分值 {_p(w)}"),
                    )
                )
                continue
            reason = text(cell("reason"))
            got[no] = (x, normalize_text(reason) if reason else None, f"{ref}!{scell}")
        missing = [r for r in scored if int(r["no"]) not in first_row]
        for r in missing:
            problems.append(
                Problem(
                    shown,
                    sheet_name,
                    f"{_letter(cols['name'])}{h + 2}:{_letter(cols['name'])}{max(len(rows), h + 2)}",
                    "",
                    f"指标“{r['name']}”的一行",
                    f"评价人员“{name}”的评分表缺少指标“{r['name']}”（序号{int(r['no'])}）",
                )
            )
        sheets.append(got)
    if problems:
        raise InputError(problems)

    panel = AssessorPanel(names, sources, method, trim, spread_share)
    wb_shown = workbook or str(ds.path)
    for r in scored:
        no, w = int(r["no"]), float(r["weight"])
        marks = [s[no] for s in sheets]
        scores = [m[0] for m in marks]
        value, used = consolidate(scores, method, trim)
        spread = Spread(min(scores), max(scores))
        entry = IndicatorPanel(
            no=no,
            name=str(r["name"]),
            weight=w,
            scores=scores,
            reasons=[m[1] for m in marks],
            cells=[m[2] for m in marks],
            consolidated=value,
            spread=spread,
            flagged=spread.max - spread.min > spread_share * w + _EPS,
            method=used,
        )
        panel.indicators.append(entry)
        if round_half_up(value, score_digits) < w - _EPS and text(r.get("reason")) is None and not any(entry.reasons):
            problems.append(
                Problem(
                    wb_shown,
                    _sheet_name(ds, "indicators"),
                    _at(ds, "indicators", "reason", r["_row"]),
                    "",
                    "扣分原因（或评价人员评分表的扣分理由）",
                    f"指标“{r['name']}”按 {panel.basis(entry)} 得"
                    f"{_p(round_half_up(value, score_digits))}分（分值 {_p(w)}），必须说明扣分原因",
                )
            )
    if problems:
        raise InputError(problems)
    return panel


def panel_reason(panel: AssessorPanel, entry: IndicatorPanel) -> str | None:
    """The assessors' 扣分理由 of an indicator, each with its assessor's name, or None."""
    parts = [f"{n}：{r}" for n, r in zip(panel.names, entry.reasons) if r]
    return "；".join(parts) or None


def score_cells(panel: AssessorPanel) -> list[str]:
    """Every assessor score cell (for a finding that concerns them all)."""
    return [c for i in panel.indicators for c in i.cells]


def stated_differences(panel: AssessorPanel, ds: Dataset, score_digits: int = 2) -> list[Finding]:
    """The workbook's 得分 of each 评分 indicator against the consolidated score.

    The evaluation uses the consolidated score; the workbook's own 得分 (which the workbook
    format still requires) is compared with it, so that a stale figure is seen.
    """
    from jixiao.analysis.checks import Finding

    by_no = {int(r["no"]): r for r in _records(ds, "indicators")}
    out: list[Finding] = []
    diffs = []
    for i in panel.indicators:
        r = by_no[i.no]
        stated = num(r.get("score"))
        mine = round_half_up(i.consolidated, score_digits)
        if stated is not None and round_half_up(stated, score_digits) != mine:
            diffs.append(
                Finding(
                    "keyproject.assessors.stated",
                    "评价人员合议得分与所填得分",
                    "warning",
                    f"指标“{i.name}”：评价指标表所填得分{_p(stated)}分，{panel.basis(i)}为{_p(mine)}分，报告采用后者。",
                    stated=stated,
                    computed=mine,
                    difference=stated - mine,
                    tolerance=0.0,
                    cells=[ds.cell("indicators", "score", int(r["_row"])), *i.cells],
                )
            )
    out.extend(diffs)
    if not diffs:
        out.append(
            Finding(
                "keyproject.assessors.stated",
                "评价人员合议得分与所填得分",
                "pass",
                f"评价指标表所填得分与{len(panel.names)}位评价人员评分的"
                f"{METHOD_LABELS[panel.method] if panel.method != 'trimmed' else _trim_label(panel.trim)}一致"
                f"（{len(panel.indicators)}项评分指标）。",
                cells=[],
            )
        )
    return out
