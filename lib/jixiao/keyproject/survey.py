"""Satisfaction surveys (满意度调查): a respondent-level questionnaire export, counted.

Online questionnaire tools (问卷星, 腾讯问卷 …) export one row per respondent: a few
metadata columns (序号, 提交答卷时间, 所用时间, 来源, 来源详情, 来自IP …) and one column per
question, headed by the question text. :func:`read_survey` reads such an export (``.xlsx``,
or ``.csv`` in UTF-8, UTF-8 with BOM or GB18030) and computes what an assessor otherwise
counts by hand in Excel (:class:`SurveyResult`):

- per question (:class:`QuestionStats`): the count of each answer, the valid answers
  (``n_valid``), the blank or unrecognised ones (``n_invalid``), the 满意率 (satisfied
  answers ÷ valid answers) and the 满意度得分 (Σ answers × weight ÷ valid answers × 100);
- over all questions (:class:`OverallStats`): the same over every valid answer, and the
  95% margin of error of the 满意率 for the sample size.

The settings are data (``config/survey.yaml``, :func:`survey_config`): the metadata column
headers, the answers with their weights and whether each counts as satisfied, spelling
aliases, the numeric 1–5 scale (5 best), the cells that mean "not answered", z.

Reading rules
-------------
- The header row is the first of the first 12 rows that holds a metadata header, else the
  first with at least two filled cells (a title row above it is skipped); every non-blank
  row below it is a respondent.
- A column whose header is a metadata header is not a question, wherever it stands. Every
  other column is a question; its display name drops the numbering (``1、``, ``Q1.``,
  ``第1题``) unless that makes two questions alike.
- An answer is recognised after white space and full-width forms are folded: an answer
  word, an alias, or a whole number of the numeric scale. Blank cells and the
  ``blank_values`` (``(跳过)``, ``-3`` …) count as not answered; anything else is
  unrecognised, listed with its cell (:attr:`SurveyResult.invalid`). Both are excluded from
  the question's figures and counted in its ``n_invalid``.
- A column in which fewer than half of the filled cells are recognised answers is not a
  satisfaction question (a free-text 意见建议 column, a demographic question): it is left
  out and listed (:attr:`SurveyResult.skipped`), not counted as hundreds of bad answers.

The margin of error
-------------------
``MOE = z × √(p(1 − p) ÷ n) × 100`` percentage points, z = 1.96 (95%), p the overall 满意率,
n the respondents with at least one valid answer: the answers of one respondent are not
independent, so the sample size is the number of respondents, not of answers. With a
population N (``population``) the finite-population correction ``√((N − n) ÷ (N − 1))``
applies; without one it does not (the population is taken as large). At p = 0 or 1 the
formula gives 0 (a known limit of this, the normal-approximation, interval).
"""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from jixiao.configfile import load_yaml_model
from jixiao.exceptions import InputError, Problem
from jixiao.paths import config_file
from jixiao.values import is_blank
from jixiao.workbook.cells import compact, excel_text, normalize_text, show

if TYPE_CHECKING:
    from jixiao.analysis.checks import Finding
    from jixiao.workbook.dataset import Dataset

#: How far down the header row may sit (title rows above it).
HEADER_SEARCH_ROWS = 12
#: A column is a satisfaction question when at least this share of its filled cells are
#: recognised answers (see the module docstring).
QUESTION_SHARE = 0.5
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# "1、", "1.", "Q1.", "Q1：", "第1题", "1)", "(1)", "5(" (a matrix row) at the start of a question header.
_NUMBERING = re.compile(
    r"^\s*(?:[Qq]\s*\d+(?:[.\-_]\d+)*\s*[、.．:：)）]?|第\s*\d+\s*题[、.．:：]?|[(（]\d+[)）]|\d+(?:\.\d+)*\s*[、.．:：)）]|\d+(?=[(（]))\s*"
)


# ======================================================================== the settings


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SurveyAnswer(_Strict):
    """One answer of the scale: its weight in the 满意度得分 and whether it is satisfied."""

    answer: str = Field(min_length=1)
    weight: float = Field(ge=0, le=1)
    satisfied: bool


class SurveySettings(_Strict):
    """``survey`` in ``config/survey.yaml``."""

    metadata_columns: tuple[str, ...]
    answers: tuple[SurveyAnswer, ...] = Field(min_length=2)
    aliases: dict[str, str] = {}
    numeric: dict[int, str] = {}
    blank_values: tuple[str, ...] = ()
    z: float = Field(default=1.96, gt=0)
    indicator: Literal["rate", "score"] = "rate"

    @model_validator(mode="after")
    def _consistent(self) -> SurveySettings:
        names = [a.answer for a in self.answers]
        if len(set(names)) != len(names):
            raise ValueError("answers 中的选项重复")
        if not any(a.satisfied for a in self.answers):
            raise ValueError("answers 中至少应有一个选项计为满意（satisfied: true）")
        for what, targets in (("aliases", self.aliases.values()), ("numeric", self.numeric.values())):
            unknown = sorted({t for t in targets if t not in names})
            if unknown:
                raise ValueError(f"{what} 指向未知的选项：{'、'.join(unknown)}（可用：{'、'.join(names)}）")
        return self

    @property
    def order(self) -> tuple[str, ...]:
        """The answers, best first."""
        return tuple(a.answer for a in self.answers)

    @property
    def satisfied(self) -> tuple[str, ...]:
        return tuple(a.answer for a in self.answers if a.satisfied)

    def weights(self) -> dict[str, float]:
        return {a.answer: a.weight for a in self.answers}


class AssessorSettings(_Strict):
    """``assessors`` in ``config/survey.yaml`` (used by :mod:`jixiao.keyproject.assessors`)."""

    consolidate: Literal["mean", "median", "trimmed"] = "mean"
    trim: int = Field(default=1, ge=1)
    spread_share: float = Field(default=0.2, gt=0, le=1)


class SurveyConfig(_Strict):
    version: Literal[1]
    survey: SurveySettings
    assessors: AssessorSettings = AssessorSettings()


@cache
def _default_config_path() -> Path:
    return config_file("survey.yaml")


def survey_config(path: str | Path | None = None) -> SurveyConfig:
    """The survey and assessor settings (default: the shipped ``config/survey.yaml``).

    Raises
    ------
    ConfigError
        The file is missing, not YAML or invalid (each offending key named).
    """
    return load_yaml_model(
        Path(path) if path is not None else _default_config_path(),
        SurveyConfig,
        "满意度调查配置文件",
        "version、survey、assessors",
    )


# ========================================================================== the results


@dataclass
class QuestionStats:
    """One question's figures; rates and scores in percentage points (None without answers)."""

    question: str
    n_valid: int
    n_invalid: int
    counts: dict[str, int]
    satisfaction_rate: float | None
    score: float | None
    #: The header as written (with its numbering) and its column letter.
    header: str = ""
    column: str = ""
    n_blank: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "n_valid": self.n_valid,
            "n_invalid": self.n_invalid,
            "counts": dict(self.counts),
            "satisfaction_rate": self.satisfaction_rate,
            "score": self.score,
        }


@dataclass
class OverallStats:
    """Every valid answer of every question together.

    ``margin_of_error`` is the 95% margin of error of ``satisfaction_rate`` (percentage
    points) for ``n_respondents`` respondents, with the finite-population correction when
    ``population`` is given (see the module docstring).
    """

    n_valid: int
    satisfaction_rate: float | None
    score: float | None
    margin_of_error: float | None
    counts: dict[str, int] = field(default_factory=dict)
    n_respondents: int = 0
    z: float = 1.96
    population: int | None = None

    @property
    def corrected(self) -> bool:
        """Whether the finite-population correction applied."""
        return self.population is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "n_valid": self.n_valid,
            "satisfaction_rate": self.satisfaction_rate,
            "score": self.score,
            "margin_of_error": self.margin_of_error,
        }

    def formula(self) -> str:
        """The margin of error's formula with its figures, in Chinese."""
        base = f"误差范围 = {_num(self.z)} × √(p(1−p) ÷ n)，p 为总体满意率，n = {self.n_respondents}（有效答卷份数）"
        if self.population is not None:
            return base + f"，乘以有限总体校正系数 √((N−n) ÷ (N−1))，N = {self.population}（调查总体）"
        return base + "，未给出调查总体，不作有限总体校正"


@dataclass
class SkippedColumn:
    """A column left out: too few of its filled cells are satisfaction answers."""

    header: str
    column: str
    filled: int
    recognised: int


@dataclass
class SurveyResult:
    """A questionnaire export, counted (:func:`read_survey`)."""

    path: Path
    sheet: str
    n_rows: int
    questions: list[QuestionStats]
    overall: OverallStats
    invalid: list[tuple[str, str]]
    skipped: list[SkippedColumn] = field(default_factory=list)
    #: The answers that occur, best first (the columns of a distribution table).
    answers: tuple[str, ...] = ()
    #: Which answers count as satisfied, and the weight of each (as used).
    satisfied: tuple[str, ...] = ()
    weights: dict[str, float] = field(default_factory=dict)
    header_row: int = 1

    @property
    def name(self) -> str:
        """The file's name (without its folder)."""
        return self.path.name

    def question(self, text: str) -> QuestionStats | None:
        """The question whose display name or header is ``text`` (white space ignored)."""
        key = compact(text)
        for q in self.questions:
            if key in (compact(q.question), compact(q.header)):
                return q
        return None

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``jixiao survey --format json``."""
        return {
            "n_rows": self.n_rows,
            "questions": [q.to_dict() for q in self.questions],
            "overall": self.overall.to_dict(),
        }


# ========================================================================= reading cells


def _num(x: float) -> str:
    return f"{x:g}"


def _col(i: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(i + 1)


def _fail(shown: str, sheet: str | None, cell: str | None, found: Any, expected: str, message: str) -> InputError:
    return InputError(Problem(shown, sheet, cell, "" if found is None else show(found), expected, message))


def _looks_like_text(head: bytes) -> bool:
    """The first bytes decode as text with separators: a CSV or text file."""
    for enc in ("utf-8-sig", "gb18030"):
        try:
            s = head.decode(enc)
        except UnicodeDecodeError:
            # the cut may fall inside a character: retry without the last bytes
            try:
                s = head[:-3].decode(enc)
            except UnicodeDecodeError:
                continue
        if s and all(ch.isprintable() or ch in "\r\n\t" for ch in s) and any(sep in s for sep in ",\t;"):
            return True
    return False


def _xlsx_rows(path: Path, shown: str, sheet: str | None) -> tuple[str, list[list[Any]]]:
    from openpyxl import load_workbook

    if path.stat().st_size == 0:
        raise _fail(shown, None, None, "空文件（0 字节）", "Excel 工作簿（.xlsx）", "文件为空")
    with path.open("rb") as fh:
        head = fh.read(4096)
    if head[:8] == _OLE_MAGIC:
        raise _fail(
            shown,
            None,
            None,
            "加密或旧版格式的文件",
            "未加密的 .xlsx",
            "文件已设置打开密码（或实为 .xls 格式），请取消密码后另存为 .xlsx",
        )
    if not zipfile.is_zipfile(path):
        if _looks_like_text(head):
            raise _fail(
                shown,
                None,
                None,
                "CSV/文本内容",
                "Excel 工作簿（.xlsx），或扩展名为 .csv 的 CSV 文件",
                "文件扩展名为 .xlsx，内容却是 CSV 文本：请把扩展名改为 .csv，或在 Excel/WPS 中另存为 .xlsx",
            )
        raise _fail(shown, None, None, "无法识别的内容", "Excel 工作簿（.xlsx）", "文件已损坏或不是 Excel 工作簿")
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged package
        raise _fail(
            shown, None, None, f"{type(exc).__name__}: {exc}", "Excel 工作簿（.xlsx）", "文件已损坏，无法读取"
        ) from None
    try:
        if sheet is not None:
            match = [ws for ws in wb.worksheets if compact(ws.title) == compact(sheet)]
            if not match:
                raise _fail(
                    shown,
                    None,
                    None,
                    sheet,
                    "、".join(ws.title for ws in wb.worksheets),
                    f"找不到工作表“{sheet}”",
                )
            ws = match[0]
        elif wb.worksheets:
            ws = wb.worksheets[0]
        else:
            raise _fail(shown, None, None, "", "至少一个工作表", "工作簿中没有工作表")
        if hasattr(ws, "reset_dimensions"):
            ws.reset_dimensions()  # a wrong <dimension> record would hide rows
        try:
            rows = [list(r) for r in ws.iter_rows(values_only=True)]
        except Exception as exc:
            raise _fail(
                shown, ws.title, None, f"{type(exc).__name__}: {exc}", "完整的工作表", f"工作表“{ws.title}”已损坏"
            ) from None
        return ws.title, rows
    finally:
        wb.close()


def _decode(data: bytes, shown: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    for enc in ("utf-8", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise _fail(shown, None, None, "无法识别的编码", "UTF-8 或 GB18030 编码的 CSV", "CSV 文件的编码无法识别")


def _csv_rows(path: Path, shown: str) -> tuple[str, list[list[Any]]]:
    data = path.read_bytes()
    if not data.strip():
        raise _fail(shown, path.stem, "A1", "", "表头与答卷", "文件为空")
    if data[:4] == b"PK\x03\x04" or data[:8] == _OLE_MAGIC:
        raise _fail(
            shown,
            None,
            None,
            "Excel 工作簿内容",
            "CSV 文本",
            "文件扩展名为 .csv，内容却是 Excel 工作簿：请把扩展名改为 .xlsx",
        )
    try:
        text = _decode(data, shown)
    except UnicodeDecodeError:
        raise _fail(
            shown, None, None, "无法识别的编码", "UTF-8 或 GB18030 编码的 CSV", "CSV 文件的编码无法识别"
        ) from None
    try:
        dialect: Any = csv.Sniffer().sniff(text[:8192], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = [list(r) for r in csv.reader(io.StringIO(text, newline=""), dialect)]
    except csv.Error as exc:
        raise _fail(shown, path.stem, None, str(exc), "CSV 文本", "CSV 文件格式有误") from None
    # Excel opens a CSV as one sheet named after the file: cells are named the same way.
    return path.stem, rows


def _open_rows(path: Path, shown: str, sheet: str | None) -> tuple[str, list[list[Any]]]:
    if not path.exists():
        raise _fail(shown, None, None, "", "存在的 .xlsx 或 .csv 文件", "找不到满意度调查文件")
    if path.is_dir():
        raise _fail(shown, None, None, "目录", ".xlsx 或 .csv 文件", "给出的路径是目录，不是文件")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx_rows(path, shown, sheet)
    if suffix in (".csv", ".txt"):
        return _csv_rows(path, shown)
    if suffix in (".xls", ".et"):
        raise _fail(shown, None, None, suffix, ".xlsx 或 .csv", "不支持旧版 .xls 格式，请在 Excel/WPS 中“另存为” .xlsx")
    raise _fail(shown, None, None, suffix or "无扩展名", ".xlsx 或 .csv", "文件类型不受支持，应为 .xlsx 或 .csv")


# ======================================================================== the answers


class _Scale:
    """Recognises an answer cell: an answer word, an alias, a number of the scale."""

    def __init__(self, cfg: SurveySettings):
        self.words = {compact(a): a for a in cfg.order}
        self.words.update({compact(k): v for k, v in cfg.aliases.items()})
        self.numeric = {int(k): v for k, v in cfg.numeric.items()}
        self.blank = {compact(b) for b in cfg.blank_values}

    def read(self, value: Any) -> tuple[str, str | None]:
        """``("blank", None)``, ``("answer", 满意)`` or ``("unrecognised", None)``."""
        if is_blank(value) or (isinstance(value, str) and not normalize_text(value)):
            return "blank", None
        if isinstance(value, bool):
            return "unrecognised", None
        if isinstance(value, (int, float)):
            if isinstance(value, float) and not value.is_integer():
                return "unrecognised", None
            n = int(value)
            key = compact(str(n))
            if key in self.blank:
                return "blank", None
            return ("answer", self.numeric[n]) if n in self.numeric else ("unrecognised", None)
        key = compact(value)
        if key in self.blank:
            return "blank", None
        if key in self.words:
            return "answer", self.words[key]
        m = re.fullmatch(r"(\d+)(?:\.0+)?分?", key)
        if m and int(m.group(1)) in self.numeric:
            return "answer", self.numeric[int(m.group(1))]
        return "unrecognised", None


def question_name(header: str) -> str:
    """The question text without its numbering: ``"1、您对道路质量是否满意"`` → ``"您对道路质量是否满意"``.

    A matrix question's row label in brackets (``"5(路面平整)"``) loses its brackets.
    """
    # As written (not NFKC-folded: that would turn the full-width ，into ","); only spaces tidied.
    text = re.sub(r"\s+", " ", excel_text(str(header))).strip()
    # The numbering is matched on a folded copy (１２． is 12.) of the same length, cut from the original.
    folded = "".join(f if len(f := unicodedata.normalize("NFKC", ch)) == 1 else ch for ch in text)
    m = _NUMBERING.match(folded)
    stripped = text[m.end() :].strip() if m else text
    m = re.fullmatch(r"[(（](.+)[)）]", stripped)
    if m:
        stripped = m.group(1).strip()
    return stripped or text


def _header_row(rows: list[list[Any]], metadata: set[str]) -> int | None:
    first_two = first_any = None
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        filled = [c for c in row if not is_blank(c) and normalize_text(c)]
        if not filled:
            continue
        if any(compact(c) in metadata for c in filled):
            return i
        if first_two is None and len(filled) >= 2:
            first_two = i
        if first_any is None:
            first_any = i
    return first_two if first_two is not None else first_any


def _rate(n: int, part: float) -> float | None:
    return part / n * 100 if n else None


def margin_of_error(p: float, n: int, z: float = 1.96, population: int | None = None) -> float:
    """``z × √(p(1 − p) ÷ n)`` (× the finite-population correction with ``population``), as a share.

    Examples
    --------
    >>> round(margin_of_error(0.9, 100), 6)
    0.0588
    >>> round(margin_of_error(0.9, 100, population=1000), 6)
    0.055811
    """
    moe = z * math.sqrt(p * (1 - p) / n)
    if population is not None:
        moe *= math.sqrt((population - n) / (population - 1)) if population > 1 else 0.0
    return moe


def read_survey(
    path: str | Path,
    *,
    sheet: str | None = None,
    population: int | None = None,
    weights: dict[str, float] | None = None,
    config: SurveySettings | None = None,
    shown: str | None = None,
) -> SurveyResult:
    """Read and count a respondent-level questionnaire export.

    Parameters
    ----------
    path : path
        ``.xlsx`` (the first sheet, or ``sheet``) or ``.csv`` (UTF-8, UTF-8 with BOM, GB18030).
    sheet : str, optional
        The worksheet of an ``.xlsx``.
    population : int, optional
        The surveyed population (for the finite-population correction of the margin of error).
    weights : dict, optional
        Answer → weight overriding the configured ones (a key project's ``satisfaction_weights``).
    config : SurveySettings, optional
        Default: ``survey`` of :func:`survey_config`.
    shown : str, optional
        How messages name the file (default: ``path`` as given).

    Raises
    ------
    InputError
        With the file and, where there is one, the sheet and cell: the file cannot be read,
        is empty, has no question columns, or every answer is blank (exit code 2).
    """
    cfg = config or survey_config().survey
    p = Path(path)
    shown = shown or str(path)
    sheet_name, rows = _open_rows(p, shown, sheet)
    metadata = {compact(m) for m in cfg.metadata_columns}
    h = _header_row(rows, metadata)
    if h is None:
        raise _fail(
            shown, sheet_name, "A1", "", "表头（序号、提交答卷时间 …、各题题目）与每位受访者一行的答卷", "工作表为空"
        )
    header = rows[h]
    width = max((len(r) for r in rows[h:]), default=0)
    body = [(i, r) for i, r in enumerate(rows[h + 1 :], h + 2) if any(not is_blank(c) for c in r)]
    columns: list[tuple[int, str]] = []  # (position, header text) of every question column
    for j in range(width):
        head = header[j] if j < len(header) else None
        if is_blank(head) or not normalize_text(head):
            if any(j < len(r) and not is_blank(r[j]) for _, r in body):
                columns.append((j, f"{_col(j)}列（无表头）"))
            continue
        if compact(head) not in metadata:
            columns.append((j, re.sub(r"\s+", " ", excel_text(str(head))).strip()))
    header_span = f"A{h + 1}:{_col(max(width, 1) - 1)}{h + 1}"
    if not columns:
        raise _fail(
            shown,
            sheet_name,
            header_span,
            "、".join(normalize_text(c) for c in header if not is_blank(c)),
            "至少一列问题（表头为题目，每行一位受访者的回答）",
            "没有问题列：表头只有答卷信息列（序号、提交答卷时间、来源等），找不到题目",
        )
    if not body:
        raise _fail(shown, sheet_name, f"A{h + 2}", "", "每位受访者一行的答卷", "表头下没有答卷")

    scale = _Scale(cfg)
    used_weights = {**cfg.weights(), **(weights or {})}
    satisfied = set(cfg.satisfied)
    read: list[tuple[int, str, list[str | None], int, list[tuple[str, str]]]] = []
    skipped: list[SkippedColumn] = []
    for j, head in columns:
        answers: list[str | None] = []
        blanks, bad = 0, []
        for i, r in body:
            v = r[j] if j < len(r) else None
            kind, answer = scale.read(v)
            answers.append(answer)
            if kind == "blank":
                blanks += 1
            elif kind == "unrecognised":
                bad.append((f"{sheet_name}!{_col(j)}{i}", show(v)))
        recognised = sum(a is not None for a in answers)
        filled = recognised + len(bad)
        if filled and recognised < QUESTION_SHARE * filled:
            skipped.append(SkippedColumn(head, _col(j), filled, recognised))
            continue
        read.append((j, head, answers, blanks, bad))
    if not read:  # every column was skipped (a column without a filled cell is kept)
        raise _fail(
            shown,
            sheet_name,
            header_span,
            "、".join(s.header for s in skipped[:5]) + ("…" if len(skipped) > 5 else ""),
            "以满意度选项（" + "、".join(cfg.order) + "）或 1～5 作答的问题",
            "没有满意度问题：各问题列的回答大多不是满意度选项",
        )

    names = [question_name(head) for _, head, *_ in read]
    dupes = {n for n in names if names.count(n) > 1}
    shown_names = [head if name in dupes else name for name, (_, head, *_) in zip(names, read)]
    seen = Counter(shown_names)
    questions: list[QuestionStats] = []
    invalid: list[tuple[str, str]] = []
    total: Counter[str] = Counter()
    responded = [False] * len(body)
    for (j, head, answers, blanks, bad), name in zip(read, shown_names):
        label = f"{name}（{_col(j)}列）" if seen[name] > 1 else name
        counts = Counter(a for a in answers if a is not None)
        for k, a in enumerate(answers):
            if a is not None:
                responded[k] = True
        n = sum(counts.values())
        total.update(counts)
        invalid.extend(bad)
        questions.append(
            QuestionStats(
                question=label,
                n_valid=n,
                n_invalid=blanks + len(bad),
                counts={},  # filled below, with the same answers for every question
                satisfaction_rate=_rate(n, sum(c for a, c in counts.items() if a in satisfied)),
                score=_rate(n, sum(c * used_weights[a] for a, c in counts.items())),
                header=head,
                column=_col(j),
                n_blank=blanks,
            )
        )
        questions[-1].counts = dict(counts)
    order = tuple(a for a in cfg.order if total[a])
    for q in questions:
        q.counts = {a: q.counts.get(a, 0) for a in order}
    n_all = sum(total.values())
    if not n_all:
        raise _fail(
            shown,
            sheet_name,
            f"{_col(read[0][0])}{h + 2}:{_col(read[-1][0])}{body[-1][0]}",
            "",
            "满意度选项（" + "、".join(cfg.order) + "）或 1～5",
            "所有问题的回答均为空",
        )
    n_resp = sum(responded)
    if population is not None and population < n_resp:
        raise _fail(
            shown,
            None,
            None,
            str(population),
            f"不小于有效答卷份数 {n_resp}",
            f"调查总体 {population} 小于有效答卷份数 {n_resp}",
        )
    rate = _rate(n_all, sum(c for a, c in total.items() if a in satisfied))
    assert rate is not None  # n_all > 0
    overall = OverallStats(
        n_valid=n_all,
        satisfaction_rate=rate,
        score=_rate(n_all, sum(c * used_weights[a] for a, c in total.items())),
        margin_of_error=margin_of_error(rate / 100, n_resp, cfg.z, population) * 100,
        counts={a: total[a] for a in order},
        n_respondents=n_resp,
        z=cfg.z,
        population=population,
    )
    return SurveyResult(
        path=p,
        sheet=sheet_name,
        n_rows=len(body),
        questions=questions,
        overall=overall,
        invalid=invalid,
        skipped=skipped,
        answers=order,
        satisfied=tuple(a for a in cfg.order if a in satisfied),
        weights={a: used_weights[a] for a in cfg.order},
        header_row=h + 1,
    )


# ===================================================================== in a key project


def survey_findings(result: SurveyResult, ds: Dataset, indicators: list) -> list[Finding]:
    """The review's findings about a key project's survey file.

    What was read (答卷, 有效回答, 满意率, margin of error); blank and unrecognised answers and
    left-out columns; that the file, not the workbook's 满意度调查 counts, scores the 满意度
    indicator (when the workbook has counts too); that no indicator is scored 满意度 (the
    file then only feeds the report's 附件).
    """
    from jixiao.analysis.checks import Finding
    from jixiao.keyproject.format import _records
    from jixiao.rounding import fmt, fmt_pct

    title = "满意度调查文件"
    cid = "keyproject.survey"
    ref = f"[{result.name}]{result.sheet}"
    o = result.overall
    out = [
        Finding(
            cid,
            title,
            "info",
            f"满意度调查文件 {result.name}（工作表“{result.sheet}”）：答卷{result.n_rows}份，"
            f"{len(result.questions)}个问题，有效回答{o.n_valid}个，满意率{fmt_pct(o.satisfaction_rate)}，"
            f"满意度得分{fmt(o.score)}，95%置信水平下误差范围±{fmt(o.margin_of_error)}个百分点（{o.formula()}）。",
            computed=o.satisfaction_rate,
            cells=[f"{ref}!A{result.header_row}"],
        )
    ]
    blanks = sum(q.n_blank for q in result.questions)
    if blanks:
        out.append(
            Finding(
                cid,
                title,
                "info",
                f"{blanks}个回答为空或未作答，未计入各题的有效回答。",
                cells=[],
            )
        )
    if result.invalid:
        shown = "、".join(f"{c}“{v}”" for c, v in result.invalid[:10])
        more = f"等{len(result.invalid)}个" if len(result.invalid) > 10 else ""
        out.append(
            Finding(
                cid,
                title,
                "warning",
                f"无法识别的回答：{shown}{more}，未计入（应为满意度选项或 1～5）。",
                cells=[f"[{result.name}]{c}" for c, _ in result.invalid[:10]],
            )
        )
    for s in result.skipped:
        out.append(
            Finding(
                cid,
                title,
                "info",
                f"第{s.column}列“{s.header}”的{s.filled}个回答中只有{s.recognised}个是满意度选项，"
                "视为非满意度问题，未计入。",
                cells=[f"{ref}!{s.column}{result.header_row}"],
            )
        )
    counted = [r for r in _records(ds, "survey") if r.get("count") is not None]
    users = [i for i in indicators if i.method == "满意度"]
    if counted and users:
        n = sum(int(r["count"]) for r in counted)
        out.append(
            Finding(
                cid,
                title,
                "warning",
                f"“满意度调查”表填写了各选项人数（合计{n}人），同时给出了满意度调查文件 {result.name}："
                f"满意度指标（{'、'.join(i.name for i in users)}）按调查文件计算，“满意度调查”表的人数未使用。",
                cells=[ds.column_cells("survey", "count", [r["_row"] for r in counted])],
            )
        )
    if not users:
        out.append(
            Finding(
                cid,
                title,
                "info",
                f"评价指标中没有计分方式为“满意度”的指标：满意度调查文件 {result.name} 的统计结果列入附件，未用于计分。",
                cells=[],
            )
        )
    return out
