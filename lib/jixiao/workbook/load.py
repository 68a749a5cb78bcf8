"""Load and validate a township workbook into a :class:`~jixiao.workbook.dataset.Dataset`.

The loader collects *every* problem it finds (file, sheet, Excel cell, what was found,
what was expected) and raises them together as one :class:`WorkbookError`, so a finance
officer can fix the whole workbook in one pass.
"""

from __future__ import annotations

import difflib
import re
import warnings
import zipfile
import zlib
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pandas as pd
from openpyxl import load_workbook as _open_xlsx
from openpyxl.utils import get_column_letter

from jixiao.exceptions import Problem, WorkbookError
from jixiao.values import is_blank
from jixiao.workbook.cells import CellValueError, compact, normalize_text, parse_cell, show
from jixiao.workbook.dataset import Dataset
from jixiao.workbook.spec import TOTAL_LABELS, Sheet, WorkbookSpec, workbook_spec

#: How far down a sheet the header row may sit (title rows and merged cells above it).
HEADER_SEARCH_ROWS = 12
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls and encrypted .xlsx both use OLE
_UNIT_IN_HEADER = re.compile(r"^(.*?)[(（]([^()（）]*)[)）]$")
# Worksheet XML: a cell element, its reference, and its content (any namespace prefix).
_XML_CELL = re.compile(r"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_XML_REF = re.compile(r"""\br=["']([A-Z]+[0-9]+)["']""")
_XML_FORMULA = re.compile(r"<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)
_XML_VALUE = re.compile(r"<(?:\w+:)?v\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?v>)", re.S)
_XML_TEXT_TYPE = re.compile(r"""\bt=["'](?:str|inlineStr)["']""")
_XML_ROW_END = re.compile(r"</(?:\w+:)?\Z")  # what precedes "row>" in a row end tag


class _Collector:
    """Problems found so far, all naming the same file."""

    def __init__(self, file: str):
        self.file = file
        self.items: list[Problem] = []

    def add(self, sheet, cell, found, expected, message):
        self.items.append(Problem(self.file, sheet, cell, show(found) if found is not None else "", expected, message))


def _check_file(path: Path, shown: str) -> None:
    def fail(found, expected, message):
        raise WorkbookError(Problem(shown, None, None, found, expected, message))

    if not path.exists():
        fail("", "存在的 .xlsx 文件", "找不到工作簿文件")
    if path.is_dir():
        fail("目录", ".xlsx 文件", "给出的路径是目录，不是工作簿")
    suffix = path.suffix.lower()
    if suffix in (".xls", ".et"):
        fail(suffix, ".xlsx", "不支持旧版 .xls 格式，请在 Excel/WPS 中“另存为” .xlsx 工作簿")
    if suffix in (".csv", ".txt"):
        fail(suffix, ".xlsx", "不支持 CSV/文本文件：工作簿需要多个工作表，请使用 jixiao template 生成的 .xlsx 模板")
    if suffix not in (".xlsx", ".xlsm"):
        fail(suffix or "无扩展名", ".xlsx", "文件类型不受支持，应为 Excel 工作簿（.xlsx）")
    if path.stat().st_size == 0:
        fail("空文件（0 字节）", "Excel 工作簿", "文件为空")
    with path.open("rb") as fh:
        head = fh.read(8)
    if head == _OLE_MAGIC:
        fail(
            "加密或旧版格式的文件",
            "未加密的 .xlsx",
            "工作簿已设置打开密码（或实为 .xls 格式），请取消密码后另存为 .xlsx",
        )
    if not zipfile.is_zipfile(path):
        fail("无法识别的内容", "Excel 工作簿（.xlsx）", "文件已损坏或不是 Excel 工作簿")


def _xml_rows(fh, chunk: int = 1 << 22):
    """The worksheet XML read from ``fh`` in pieces that end at a row's end tag.

    A cell never spans rows, so each piece can be scanned on its own; memory stays at a
    few chunks however large the sheet XML is (a compressed sheet can expand a thousandfold).
    """
    import codecs

    decoder = codecs.getincrementaldecoder("utf-8")()
    buf = ""
    while True:
        data = fh.read(chunk)
        buf += decoder.decode(data, final=not data)
        if not data:
            if buf:
                yield buf
            return
        # After the last row end tag (``</row>`` or ``</x:row>``; "<" never occurs in text).
        cut = buf.rfind("row>")
        while cut >= 0 and _XML_ROW_END.search(buf, max(0, cut - 40), cut) is None:
            cut = buf.rfind("row>", 0, cut)
        if cut >= 0:
            yield buf[: cut + 4]
            buf = buf[cut + 4 :]


def uncached_formulas(path: Path, sheets: set[str] | None = None) -> list[tuple[str, str, str]]:
    """Formula cells saved without their computed value: ``[(sheet, cell, formula)]``.

    Excel and WPS store a formula's last result next to it, and that is what the loader
    reads (``data_only``). A workbook written by a program (openpyxl, a report generator)
    and never opened and saved in Excel has formulas but no results: read naively, every
    total would be blank. Found by scanning the worksheet XML (openpyxl reads either the
    formulas or the values, not both), which costs a few milliseconds.

    Parameters
    ----------
    path : Path
        The workbook.
    sheets : set of str, optional
        Scan only the sheets whose :func:`~jixiao.workbook.cells.compact` name is in it
        (the sheets the format reads); every sheet by default.
    """
    import xml.etree.ElementTree as ET

    found: list[tuple[str, str, str]] = []
    try:
        with zipfile.ZipFile(path) as zf:
            for name, member in worksheet_members(zf):
                if sheets is not None and compact(name) not in sheets:
                    continue
                try:
                    fh = zf.open(member)
                except KeyError:
                    continue
                with fh:
                    for xml in _xml_rows(fh):
                        if "<f" not in xml and ":f" not in xml:
                            continue
                        for m in _XML_CELL.finditer(xml):
                            inner = m.group(2) or ""
                            f = _XML_FORMULA.search(inner)
                            if f is None:
                                continue
                            v = _XML_VALUE.search(inner)
                            if v is not None and ((v.group(1) or "").strip() or _XML_TEXT_TYPE.search(m.group(1))):
                                continue  # a result is stored (Excel stores a formula's empty text as t="str" <v></v>)
                            ref = _XML_REF.search(m.group(1))
                            text = (f.group(1) or "").strip()
                            found.append(
                                (
                                    name,
                                    ref.group(1) if ref else "",
                                    "=" + _xml_unescape(text) if text else "（共享公式）",
                                )
                            )
    except (KeyError, ET.ParseError, zipfile.BadZipFile, UnicodeDecodeError, zlib.error, EOFError, NotImplementedError):
        return []  # not a layout this scan knows: openpyxl reports what is really wrong
    return found


def worksheet_members(zf: zipfile.ZipFile) -> list[tuple[str, str]]:
    """``(sheet name, zip member)`` of every worksheet of an open .xlsx, in the workbook's
    order (``xl/workbook.xml`` and its relationships; a target may be absolute or relative).

    Raises
    ------
    KeyError, xml.etree.ElementTree.ParseError
        A workbook part missing or not XML (callers leave the diagnosis to openpyxl).
    """
    import posixpath
    import xml.etree.ElementTree as ET

    ns_main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    ns_rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    book = ET.fromstring(zf.read("xl/workbook.xml"))
    rels = ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    out = []
    for sh in book.iter(f"{ns_main}sheet"):
        target = targets.get(sh.get(f"{ns_rel}id"), "")
        out.append(
            (sh.get("name", ""), target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}"))
        )
    return out


def _xml_unescape(text: str) -> str:
    from xml.sax.saxutils import unescape

    return unescape(text, {"&quot;": '"', "&apos;": "'"})


def _split_header(text: str) -> tuple[str, str | None]:
    """``预算数（万元）`` → (``预算数``, ``万元``); ``预算数`` → (``预算数``, None)."""
    m = _UNIT_IN_HEADER.match(text)
    return (m.group(1), m.group(2)) if m else (text, None)


def _find_header(rows: list[tuple], wanted: dict[str, Any]) -> tuple[int, dict[str, int]] | None:
    """The header row index and a map column key → 0-based position, or None."""
    best = None
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found: dict[str, int] = {}
        for j, cell in enumerate(row):
            if cell is None or cell.value is None:
                continue  # most cells of a row read A … max_columns are empty
            base, _unit = _split_header(compact(cell.value))
            if base in wanted and base not in found:
                found[base] = j
        if found and (best is None or len(found) > len(best[1])):
            best = (i, found)
    return best


#: What reading a damaged worksheet raises (its XML, its compressed data).
_DAMAGED: tuple[type[BaseException], ...] = (ET.ParseError, zipfile.BadZipFile, zlib.error, EOFError)
try:  # openpyxl parses with lxml when it is installed
    from lxml.etree import XMLSyntaxError

    _DAMAGED = (*_DAMAGED, XMLSyntaxError)
except ImportError:  # pragma: no cover - lxml is a dependency of the project
    pass


def _rows(ws, sheet: Sheet, limits: WorkbookSpec, out: _Collector) -> list[tuple] | None:
    """The sheet's rows, columns A … ``limits.max_columns`` only; None (and a problem) when
    a row below ``limits.max_rows`` holds data.

    Bounded whatever the file says: rows are as wide as the columns read (a single cell in
    column XFD would otherwise make every row 16,384 cells wide), and blank rows below the
    cap are skipped, not kept (formatting can extend a used range to a million rows).
    """
    # A read-only sheet trusts the file's <dimension> record, which some programs write
    # wrongly (e.g. "A1"): rows and columns outside it would silently not be read.
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()
    rows: list[tuple] = []
    try:
        for i, row in enumerate(ws.iter_rows(max_col=limits.max_columns), 1):
            if i <= limits.max_rows:
                rows.append(tuple(row))
            elif any(not is_blank(_value(c)) for c in row):
                j = next(j for j, c in enumerate(row) if not is_blank(_value(c)))
                out.add(
                    sheet.name,
                    f"{get_column_letter(j + 1)}{i}",
                    f"第 {i} 行有数据",
                    f"至多 {limits.max_rows} 行",
                    f"工作表“{sheet.name}”超过 {limits.max_rows} 行，未读取：请删除多余的行"
                    "（上限见格式定义 config/workbook.yaml 的 max_rows）",
                )
                return None
    except _DAMAGED as exc:
        # The sheet's XML is cut short, holds an illegal character or its compressed data is
        # corrupt: the file's problem, not jixiao's (exit 2, naming the sheet).
        out.add(
            sheet.name,
            None,
            f"{type(exc).__name__}: {exc}",
            "完整的工作表（用 Excel 或 WPS 打开后另存为 .xlsx 通常可修复）",
            f"工作表“{sheet.name}”已损坏，无法读取",
        )
        return None
    return rows


def _value(cell):
    return None if cell is None else cell.value


def _is_error_cell(cell) -> bool:
    """The file marks the cell as holding an Excel error value (``t="e"``)."""
    return cell is not None and getattr(cell, "data_type", None) == "e"


def _is_percent_cell(cell) -> bool:
    return cell is not None and "%" in (getattr(cell, "number_format", "") or "")


def _read_table(ws, sheet: Sheet, out: _Collector, limits: WorkbookSpec):
    rows = _rows(ws, sheet, limits, out)
    if rows is None:
        return None
    by_header = {compact(c.header): c for c in sheet.columns}
    header = _find_header(rows, by_header)
    if header is None:
        out.add(
            sheet.name,
            "1",
            "",
            "表头：" + "、".join(c.header for c in sheet.columns),
            f"在前{HEADER_SEARCH_ROWS}行中找不到表头",
        )
        return None
    hrow, positions = header
    header_cells = rows[hrow]
    colmap: dict[str, int] = {}
    yuan: set[str] = set()
    for key, pos in positions.items():
        col = by_header[key]
        _base, unit = _split_header(compact(header_cells[pos].value))
        where = f"{get_column_letter(pos + 1)}{hrow + 1}"
        if unit is not None:
            if col.type == "money" and unit == "元":
                yuan.add(col.id)
            elif unit not in ("", col.unit_label) and not (col.unit and unit == col.unit):
                out.add(
                    sheet.name,
                    where,
                    header_cells[pos].value,
                    f"{col.header}（{col.unit_label or '无单位'}）",
                    f"列“{col.header}”的单位与格式不符",
                )
        colmap[col.id] = pos
    # A header we do not know but that is close to one we expect is a typo: without this
    # the column's data would be dropped silently (e.g. 决算金额 for 决算数).
    unmatched = {compact(c.header): c for c in sheet.columns if c.id not in colmap}
    for pos, cell in enumerate(header_cells):
        text = compact(_value(cell))
        base = _split_header(text)[0]
        if not base or base in by_header:
            continue
        # 0.5: 决算金额 ~ 决算数 (0.57) is a typo; 经办人, 备注 … match nothing and are ignored.
        near = difflib.get_close_matches(base, list(unmatched), n=1, cutoff=0.5)
        if near:
            out.add(
                sheet.name,
                f"{get_column_letter(pos + 1)}{hrow + 1}",
                _value(cell),
                unmatched[near[0]].header,
                f"未知的列“{normalize_text(_value(cell))}”（是否应为“{unmatched[near[0]].header}”？该列数据未被读取）",
            )
    for col in sheet.columns:
        if col.required and col.id not in colmap:
            out.add(sheet.name, str(hrow + 1), "", col.header, f"缺少必需的列“{col.header}”")
    if any(c.required and c.id not in colmap for c in sheet.columns):
        return None

    label_pos = colmap.get(sheet.label_column.id)
    records, total = [], None
    for i in range(hrow + 1, len(rows)):
        row = rows[i]
        values = {cid: _value(row[p]) if p < len(row) else None for cid, p in colmap.items()}
        if all(is_blank(v) for v in values.values()):
            continue
        label = compact(values.get(sheet.label_column.id)) if label_pos is not None else ""
        # A note under the table ("注：…") is prose, not a record.
        non_blank = [v for v in values.values() if not is_blank(v)]
        if len(non_blank) == 1 and normalize_text(non_blank[0]).startswith(("注", "说明:", "备注")):
            continue
        # The label column decides a total row; a row whose label is blank may carry 合计 in
        # a column before it (序号 merged across, as many forms print it). A 合计 in any
        # other column (说明 …) is text: the row stays a record.
        is_total = label in TOTAL_LABELS or (
            not label
            and label_pos is not None
            and any(
                compact(values[cid]) in TOTAL_LABELS
                for cid, pos in colmap.items()
                if pos < label_pos and isinstance(values[cid], str)
            )
        )
        rec: dict[str, Any] = {"_row": i + 1}
        for col in sheet.columns:
            if col.id not in colmap:
                rec[col.id] = None
                continue
            pos = colmap[col.id]
            cell = row[pos] if pos < len(row) else None
            raw = _value(cell)
            where = f"{get_column_letter(pos + 1)}{i + 1}"
            if is_total and pos <= (label_pos or 0) and isinstance(raw, str) and compact(raw) in TOTAL_LABELS:
                rec[col.id] = None
                continue
            if is_blank(raw):
                if col.required and not is_total:
                    out.add(sheet.name, where, "", col.header, f"“{col.header}”为必填项，不能为空")
                rec[col.id] = None
                continue
            try:
                rec[col.id] = parse_cell(
                    raw,
                    col,
                    yuan=col.id in yuan,
                    percent_cell=_is_percent_cell(cell),
                    error_cell=_is_error_cell(cell),
                )
            except CellValueError as exc:
                out.add(sheet.name, where, raw, exc.expected, f"“{col.header}”{exc.message}")
                rec[col.id] = None
        if is_total:
            if total is not None:
                out.add(
                    sheet.name,
                    f"{get_column_letter((label_pos or 0) + 1)}{i + 1}",
                    "合计",
                    "至多一个合计行",
                    "出现了多个合计行",
                )
            total = rec
        else:
            records.append(rec)

    for col in sheet.columns:
        if col.unique and col.id in colmap:
            seen: dict[Any, int] = {}
            for rec in records:
                v = rec[col.id]
                if v is None:
                    continue
                if v in seen:
                    letter = get_column_letter(colmap[col.id] + 1)
                    out.add(
                        sheet.name,
                        f"{letter}{rec['_row']}",
                        v,
                        f"唯一的{col.header}",
                        f"{col.header} {show(v)} 重复（第{seen[v]}行已使用）：项目名称可以相同，{col.header}必须唯一",
                    )
                else:
                    seen[v] = rec["_row"]
    if len(records) < sheet.min_rows:
        out.add(
            sheet.name, f"A{hrow + 2}", "无数据行", f"至少{sheet.min_rows}行数据", f"“{sheet.name}”表没有填写任何数据行"
        )
    letters = {cid: get_column_letter(p + 1) for cid, p in colmap.items()}
    return records, total, letters


def _read_kv(ws, sheet: Sheet, out: _Collector, limits: WorkbookSpec):
    rows = _rows(ws, sheet, limits, out)
    if rows is None:
        return None
    wanted = {compact(h): h for h in sheet.kv_headers}
    header = _find_header(rows, wanted)
    if header is None or compact("项目") not in header[1] or compact(sheet.value_header) not in header[1]:
        out.add(
            sheet.name,
            "1",
            "",
            "表头：" + "、".join(sheet.kv_headers[:2]),
            f"在前{HEADER_SEARCH_ROWS}行中找不到表头“项目”“{sheet.value_header}”",
        )
        return None
    hrow, positions = header
    kpos, vpos = positions[compact("项目")], positions[compact(sheet.value_header)]
    upos = positions.get(compact("单位"))
    by_key = {compact(k.key): k for k in sheet.keys}
    facts: dict[str, Any] = {}
    cells: dict[str, str] = {}
    seen_rows: dict[str, int] = {}
    for i in range(hrow + 1, len(rows)):
        row = rows[i]
        kcell = row[kpos] if kpos < len(row) else None
        vcell = row[vpos] if vpos < len(row) else None
        key_text = compact(_value(kcell))
        if not key_text:
            if not is_blank(_value(vcell)):
                out.add(sheet.name, f"{get_column_letter(kpos + 1)}{i + 1}", "", "项目名称", "有数值但没有项目名称")
            continue
        key = by_key.get(key_text)
        if key is None:
            if key_text.startswith(("注", "说明")) and is_blank(_value(vcell)):
                continue
            near = difflib.get_close_matches(key_text, list(by_key), n=1, cutoff=0.5)
            hint = f"（是否应为“{by_key[near[0]].key}”？）" if near else ""
            out.add(
                sheet.name,
                f"{get_column_letter(kpos + 1)}{i + 1}",
                _value(kcell),
                "本表规定的项目名称之一",
                f"未知的项目“{normalize_text(_value(kcell))}”{hint}",
            )
            continue
        if key.id in seen_rows:
            out.add(
                sheet.name,
                f"{get_column_letter(kpos + 1)}{i + 1}",
                key.key,
                "每个项目只出现一次",
                f"项目“{key.key}”重复（第{seen_rows[key.id]}行已填写）",
            )
            continue
        seen_rows[key.id] = i + 1
        where = f"{get_column_letter(vpos + 1)}{i + 1}"
        cells[key.id] = where
        raw = _value(vcell)
        if is_blank(raw):
            facts[key.id] = None
            continue
        unit = compact(_value(row[upos])) if upos is not None and upos < len(row) else ""
        try:
            facts[key.id] = parse_cell(
                raw,
                key,
                yuan=(key.type == "money" and unit == "元"),
                percent_cell=_is_percent_cell(vcell),
                error_cell=_is_error_cell(vcell),
            )
        except CellValueError as exc:
            out.add(sheet.name, where, raw, exc.expected, f"“{key.key}”{exc.message}")
            facts[key.id] = None
    for key in sheet.keys:
        if key.required and facts.get(key.id) is None:
            where = cells.get(key.id) or f"{get_column_letter(kpos + 1)}"
            out.add(sheet.name, where, "", key.key, f"“{key.key}”为必填项，不能为空")
        facts.setdefault(key.id, None)
    return facts, cells


def _frame(sheet: Sheet, records: list[dict]) -> pd.DataFrame:
    # Column by column, then one frame: setting columns one at a time on a frame cost more
    # than reading the sheet.
    columns: dict[str, Any] = {}
    for c in sheet.columns:
        values = [r.get(c.id) for r in records]
        if c.type in ("money", "number", "percent"):
            columns[c.id] = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").astype("float64")
        elif c.type in ("int", "year", "func_code"):
            columns[c.id] = pd.array(values, dtype="Int64")
        else:
            # Text, choices, dates and mixed values stay Python objects with None for a
            # blank (pandas would infer a str dtype and turn blanks into NaN).
            columns[c.id] = pd.Series(values, dtype=object)
    columns["_row"] = pd.Series([r.get("_row") for r in records], dtype="int64")
    return pd.DataFrame(columns, index=pd.RangeIndex(len(records)))


def load_workbook(
    path: str | Path,
    *,
    year: int | None = None,
    spec: WorkbookSpec | None = None,
    name: str | None = None,
    name_from: str | Path | None = None,
) -> Dataset:
    """Load a township workbook, validating every cell.

    Parameters
    ----------
    path : str or Path
        The ``.xlsx`` file.
    year : int, optional
        The year the parameters expect; a workbook for another year is an error.
    spec : WorkbookSpec, optional
        The format; the shipped one by default.
    name : str, optional
        The unit name the parameters give (``name:``); a workbook stating another one is
        an error (:func:`name_problem`).
    name_from : str or Path, optional
        The parameters file ``name`` comes from, for the message.

    Returns
    -------
    Dataset

    Raises
    ------
    WorkbookError
        With every problem found, each naming sheet and cell.
    """
    spec = spec or workbook_spec()
    path = Path(path)
    shown = str(path)
    _check_file(path, shown)
    wanted = {compact(sheet.name) for sheet in spec.sheets}
    uncached = uncached_formulas(path, wanted)
    if uncached:
        # Every value behind these formulas would read as blank: say that, and only that.
        raise WorkbookError(
            [
                Problem(
                    shown,
                    sh,
                    cell,
                    f,
                    "公式的计算结果（数值）",
                    "单元格是公式，但文件中没有保存计算结果（工作簿由程序生成、未在 Excel/WPS 中保存过）："
                    "请用 Excel 或 WPS 打开并保存该文件，或把公式改为数值",
                )
                for sh, cell, f in uncached
            ]
        )
    try:
        with warnings.catch_warnings():
            # openpyxl warns about data validation and conditional formatting extensions
            # it does not read; they are irrelevant to the values.
            warnings.simplefilter("ignore")
            wb = _open_xlsx(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for broken files
        raise WorkbookError(
            Problem(
                shown,
                None,
                None,
                type(exc).__name__,
                "可读取的 .xlsx 工作簿",
                f"无法打开工作簿：文件已损坏或格式不正确（{exc}）",
            )
        ) from None
    try:
        return read_workbook(wb, path, year=year, spec=spec, name=name, name_from=name_from)
    finally:
        wb.close()


def read_workbook(
    wb,
    path: str | Path,
    *,
    year: int | None = None,
    spec: WorkbookSpec | None = None,
    name: str | None = None,
    name_from: str | Path | None = None,
) -> Dataset:
    """Read and validate the cells of an opened workbook: what :func:`load_workbook` does
    once the file has been checked and opened.

    Parameters
    ----------
    wb : openpyxl.Workbook
        The workbook, opened with ``data_only=True`` (read-only or not): anything with
        ``sheetnames`` and ``wb[name]`` giving worksheets. Not closed here. The contract
        test hands it an in-memory copy of the example with cells changed, instead of
        saving and reopening a file for each of hundreds of variants.
    path : str or Path
        The file it was read from (problems name it; the dataset keeps it).
    year, spec, name, name_from
        As for :func:`load_workbook`.

    Returns
    -------
    Dataset

    Raises
    ------
    WorkbookError
        With every problem found, each naming sheet and cell.
    """
    spec = spec or workbook_spec()
    path = Path(path)
    out = _Collector(str(path))
    by_name = {compact(n): n for n in wb.sheetnames}
    tables, totals, facts, locations = {}, {}, {}, {}
    unread: set[str] = set()  # sheets already reported as missing or without a usable header
    for sheet in spec.sheets:
        actual = by_name.get(compact(sheet.name))
        old = next((by_name[compact(f)] for f in sheet.formerly if compact(f) in by_name), None)
        if actual is None and old is not None:
            out.add(
                old,
                None,
                old,
                f"工作表“{sheet.name}”",
                f"工作表“{old}”是旧版格式的表名，现为“{sheet.name}”，表中各项也有调整：该表数据未被读取。"
                f"请在新模板的“{sheet.name}”表中填写（jixiao template 生成新模板）",
            )
        if actual is None:
            spec_names = {compact(x.name) for x in spec.sheets} | {compact("填写说明")}
            strays = [n for k, n in by_name.items() if k not in spec_names]
            near = difflib.get_close_matches(compact(sheet.name), [compact(n) for n in strays], n=1, cutoff=0.6)
            if near:
                stray = next(n for n in strays if compact(n) == near[0])
                out.add(
                    stray,
                    None,
                    stray,
                    f"工作表名“{sheet.name}”",
                    f"未知的工作表“{stray}”（是否应为“{sheet.name}”？该表数据未被读取）",
                )
                continue
            if sheet.required:
                out.add(
                    sheet.name,
                    None,
                    "",
                    f"工作表“{sheet.name}”",
                    f"缺少工作表“{sheet.name}”（现有：{'、'.join(wb.sheetnames)}）",
                )
                unread.add(sheet.id)
            if sheet.kind == "table":
                tables[sheet.id] = _frame(sheet, [])
            else:
                facts[sheet.id] = {k.id: None for k in sheet.keys}
            continue
        ws = wb[actual]
        if sheet.kind == "table":
            got = _read_table(ws, sheet, out, spec)
            if got is None:
                unread.add(sheet.id)
            records, total, letters = got if got else ([], None, {})
            tables[sheet.id] = _frame(sheet, records)
            if total is not None:
                totals[sheet.id] = total
            locations[sheet.id] = letters
        else:
            got = _read_kv(ws, sheet, out, spec)
            if got is None:
                unread.add(sheet.id)
            facts[sheet.id], locations[sheet.id] = got if got else ({k.id: None for k in sheet.keys}, {})

    ds = Dataset(path=path, spec=spec, tables=tables, totals=totals, facts=facts, locations=locations)
    hook = _spec_cross_checks(spec)
    if hook is not None:
        hook(ds, out, year, frozenset(unread))
    mismatch = name_problem(ds, name, name_from)
    if mismatch is not None:
        out.items.append(mismatch)
    if out.items:
        raise WorkbookError(out.items)
    return ds


def same_name(a: str, b: str) -> bool:
    """Two spellings of one name: equal once folded (NFKC), without white space and
    invisible characters (:func:`~jixiao.workbook.cells.compact`)."""
    return compact(a) == compact(b)


def name_problem(ds: Dataset, name: str | None, name_from: str | Path | None = None) -> Problem | None:
    """The problem when the parameters' ``name`` differs from the name the workbook states.

    The workbook's name is the ``name`` key of its key-value sheet (基本信息!单位名称 for a
    township). Nothing to compare (no ``name`` given, none stated, or the sheet unread) is
    no problem: a missing 单位名称 is reported where it is missing.

    Parameters
    ----------
    ds : Dataset
        The loaded workbook.
    name : str or None
        The parameters file's ``name``.
    name_from : str or Path, optional
        That parameters file, for the message.
    """
    if name is None or not name.strip():
        return None
    for sheet in ds.spec.sheets:
        if sheet.kind != "kv" or not any(k.id == "name" for k in sheet.keys):
            continue
        stated = ds.facts.get(sheet.id, {}).get("name")
        if not isinstance(stated, str) or same_name(stated, name):
            return None
        key = next(k for k in sheet.keys if k.id == "name")
        cell = ds.locations.get(sheet.id, {}).get("name")
        source = f"参数文件 {name_from} 中的 name" if name_from is not None else "参数文件中的 name"
        return Problem(
            str(ds.path),
            sheet.name,
            cell,
            stated,
            f"{name}（{source}）",
            f"工作簿中的{key.key}“{stated}”（{sheet.name}!{cell}）与{source}“{name}”不一致："
            "请确认参数文件指向了这个单位的工作簿",
        )
    return None


def _spec_cross_checks(spec: WorkbookSpec):
    """The rules spanning cells for this kind of workbook, or None.

    A spec names its own (``cross_checks: package.module:function``); without one, the
    township rules below apply to township workbooks and nothing to any other kind.
    The function is called as ``f(ds, collector, year, unread)``; it reports problems with
    ``collector.add(sheet, cell, found, expected, message)``.
    """
    if spec.cross_checks:
        import importlib

        module, _, name = spec.cross_checks.partition(":")
        return getattr(importlib.import_module(module), name)
    return _cross_checks if spec.kind == "township" else None


def _indicator_checks(ds: Dataset, out: _Collector, unread: frozenset[str]) -> None:
    """Targets and actuals the project scoring could not read (validate ⇒ run): a blank or
    unreadable 目标值, an 实际值 that does not fit its target (a word for a number, another
    unit), weights given for some indicators of a level and not others — each at its cell."""
    if "indicators" in unread:
        return
    from jixiao.analysis.finance.inputs import records
    from jixiao.analysis.scoring.project import indicator_problems

    df = ds.tables["indicators"]
    if not len(df):
        return
    sheet = ds.spec.sheet("indicators")
    by_project: dict[Any, list[dict]] = {}  # in order of first appearance, blanks together
    for rec in records(df):
        no = rec.get("project_no")
        by_project.setdefault(None if is_blank(no) else no, []).append(rec)
    for group in by_project.values():
        for row, column, found, message in indicator_problems(group):
            out.add(
                sheet.name,
                ds.cell("indicators", column, row).split("!")[1],
                "" if found is None else found,
                _INDICATOR_EXPECTED.get(column, "可计分的指标"),
                f"“{sheet.column(column).header}”：{message}",
            )


#: What a readable indicator cell holds, for the messages of :func:`_indicator_checks`.
_INDICATOR_EXPECTED = {
    "target": "比较符+数字+单位（如“≥30个”“≤5%”）或定性描述（如“效果明显”）",
    "direction": "与目标值一致的指标方向（≥、≤、= 或 定性）",
    "actual": "与目标值相符的实际值：数字（可带相同单位）或 达成、部分达成、未达成",
    "weight": "同一一级指标的权重全部填写或全部留空",
    "level1": "一级指标",
}


def _cross_checks(ds: Dataset, out: _Collector, year: int | None, unread: frozenset[str] = frozenset()) -> None:
    """Rules that span cells: the year, and references between sheets.

    References into a sheet already reported as unreadable (``unread``: a required sheet
    missing, or no usable header) are not checked: every reference into it would
    otherwise be reported again as "does not exist".
    """
    wb_year = ds.facts["unit"].get("year")
    if year is not None and wb_year is not None and wb_year != year:
        out.add(
            "基本信息",
            ds.locations["unit"].get("year"),
            wb_year,
            f"{year}（参数文件中的年度）",
            f"工作簿年度 {wb_year} 与参数文件年度 {year} 不一致",
        )
    _indicator_checks(ds, out, unread)
    project_nos = set(ds.tables["projects"]["no"].dropna().tolist())
    for sheet_id, col_id, target_id, target, what in (
        ("indicators", "project_no", "projects", project_nos, "“项目”表中的序号"),
        ("monitoring", "project_no", "projects", project_nos, "“项目”表中的序号"),
        ("measures", "problem_no", "problems", set(ds.tables["problems"]["no"].dropna().tolist()), "“问题”表中的序号"),
    ):
        if target_id in unread:
            continue
        df = ds.tables[sheet_id]
        for value, row in zip(df[col_id], df["_row"]):
            if pd.notna(value) and value not in target:
                sheet = ds.spec.sheet(sheet_id)
                out.add(
                    sheet.name,
                    ds.cell(sheet_id, col_id, row).split("!")[1],
                    value,
                    what,
                    f"“{sheet.column(col_id).header}” {value} 在{what.split('中')[0]}中不存在",
                )
