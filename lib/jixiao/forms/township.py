"""A township's project forms (``project_forms:``), linked to the rows of its 项目 sheet.

A form belongs to the project whose 项目名称 it states (compared without spaces and
full-width/half-width differences), or, when names repeat or differ, to the 序号 its file
name starts with (``3-服务群众专项经费.xlsx`` → 序号 3). A form linked to no project is kept
(it is still an attachment the unit files) and the review says it could not be linked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from jixiao.exceptions import InputError, Problem
from jixiao.forms.model import ProjectForm
from jixiao.values import text
from jixiao.workbook.dataset import Dataset


@dataclass
class LinkedForm:
    """A form and the 项目 row it belongs to.

    Attributes
    ----------
    form : ProjectForm
    project_no : int or None
        The 项目 sheet's 序号 of its project; ``None`` when it could not be linked.
    row : int or None
        That project's Excel row on the 项目 sheet.
    how : str
        ``名称`` or ``序号`` (how it was linked), or why it was not.
    """

    form: ProjectForm
    project_no: int | None
    row: int | None
    how: str

    @property
    def linked(self) -> bool:
        return self.project_no is not None


def compact(name: object) -> str:
    """A project name as names are compared: no spaces, full-width letters and digits as
    half-width, “（）” as “()”."""
    import unicodedata

    s = unicodedata.normalize("NFKC", text(name) or "")
    return re.sub(r"\s+", "", s)


_LEADING_NO = re.compile(r"^\s*(\d{1,4})\s*[-_.、．\s]")


def link(forms: list[ProjectForm], ds: Dataset) -> list[LinkedForm]:
    """Each form with the 项目 row it belongs to (see the module docstring)."""
    projects = ds.tables.get("projects")
    by_name: dict[str, list[tuple[int, int]]] = {}
    by_no: dict[int, int] = {}
    if projects is not None:
        for rec in projects.to_dict("records"):
            no, row = rec.get("no"), int(rec["_row"])
            if no is None or no != no:  # NaN: a blank 序号 (refused by the loader, kept safe)
                continue
            by_name.setdefault(compact(rec.get("name")), []).append((int(no), row))
            by_no[int(no)] = row
    linked: list[LinkedForm] = []
    for form in forms:
        hits = by_name.get(compact(form.project), [])
        m = _LEADING_NO.match(form.path.stem) if form.path else None
        file_no = int(m.group(1)) if m else None
        if len(hits) == 1:
            linked.append(LinkedForm(form, hits[0][0], hits[0][1], "名称"))
        elif file_no is not None and file_no in by_no and (not hits or any(no == file_no for no, _ in hits)):
            linked.append(LinkedForm(form, file_no, by_no[file_no], "序号"))
        elif len(hits) > 1:
            nos = "、".join(str(no) for no, _ in hits)
            linked.append(LinkedForm(form, None, None, f"项目名称对应多个项目（序号{nos}），文件名未以序号开头"))
        else:
            linked.append(LinkedForm(form, None, None, "项目表中没有这一项目名称"))
    return linked


def form_files(where: Path) -> list[Path]:
    """The form files ``project_forms`` names: the file, or a folder's .xlsx files in name
    order (Excel's ``~$`` lock files left out)."""
    if where.is_dir():
        return sorted(p for p in where.glob("*.xlsx") if not p.name.startswith("~$"))
    return [where]


def township_forms(where: Path, ds: Dataset) -> list[LinkedForm]:
    """The forms in ``where`` (a file or a folder of .xlsx files), read and linked.

    Raises
    ------
    InputError
        A form that cannot be read (file, sheet and cell), or a folder without forms.
    """
    from jixiao.forms.read import read_forms

    files = form_files(where)
    if not files:
        raise InputError(
            [
                Problem(
                    str(where),
                    None,
                    None,
                    "文件夹中没有 .xlsx 文件",
                    "项目支出绩效自评表（.xlsx）",
                    "参数 project_forms 指向的文件夹中没有自评表",
                )
            ]
        )
    return link(read_forms(files), ds)
