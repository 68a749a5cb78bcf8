"""Incremental batches: is a township's last successful report still current?

A report folder's ``manifest.json`` (written by :mod:`jixiao.report.publish`) records the
SHA-256 of every input; :func:`up_to_date` compares them with the inputs now. A batch skips
the townships that are up to date unless forced.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from jixiao import __version__
from jixiao.exceptions import JixiaoError
from jixiao.scale.task import load_any_params, notebooks_dir_for, params_kind

if TYPE_CHECKING:
    from jixiao.report.sections import Kind


def _notebooks_for(kind: Kind, notebooks_dir: Path | None) -> list[Path]:
    """The section notebooks a report of this kind runs (``notebooks_dir`` laid out like the
    repository's ``notebooks/``; the repository's by default)."""
    from jixiao.report import sections

    nb_dir = Path(notebooks_dir_for(kind, notebooks_dir) or sections.notebooks_dir(kind))
    return [nb_dir / s.notebook for s in sections.sections(kind)]


def up_to_date(
    params_path: Path, *, formats: list[str] | None = None, notebooks_dir: Path | None = None
) -> tuple[bool, str]:
    """Whether the last successful report of ``params_path`` is still current.

    Compares the report folder's ``manifest.json`` with the inputs now: the parameters
    file's and the workbook's SHA-256, the jixiao version and the fingerprint of its
    code, configuration and templates (:func:`jixiao.report.publish.code_fingerprint`), every
    section notebook's SHA-256; and requires each requested format's file to be there
    unchanged.

    Returns
    -------
    (bool, str)
        Up to date or not, and why (Chinese, for the summary).
    """
    from jixiao.report.publish import code_fingerprint, sha256

    params_path = Path(params_path)
    kind = params_kind(params_path)
    try:
        params = load_any_params(params_path)
    except JixiaoError:
        return False, "参数文件有误"
    mpath = Path(params.out_dir) / "manifest.json"
    if not mpath.is_file():
        return False, "尚无报告"
    try:
        m = json.loads(mpath.read_text(encoding="utf-8"))
        inputs = m["inputs"]
        if not isinstance(inputs, dict):
            raise TypeError
    except (OSError, ValueError, KeyError, TypeError):
        return False, "清单（manifest.json）无法读取"
    if m.get("jixiao_version") != __version__:
        return False, f"jixiao 版本已变（{m.get('jixiao_version')} → {__version__}）"
    if (inputs.get("jixiao") or {}).get("sha256") != code_fingerprint():
        return False, "jixiao 的程序、配置或模板已修改"
    if inputs.get("parameters", {}).get("sha256") != sha256(params_path):
        return False, "参数文件已修改"
    wb = Path(params.workbook)
    if not wb.is_file() or inputs.get("workbook", {}).get("sha256") != sha256(wb):
        return False, "工作簿已修改"
    try:
        other = params.other_inputs() if hasattr(params, "other_inputs") else []
        files_now = {str(p): sha256(p) for p in other}
    except OSError:
        return False, "附带的输入文件无法读取"
    if files_now != (inputs.get("files") or {}):
        return False, "附带的输入文件（项目自评表、上年度参数文件或工作簿等）已修改"
    recorded = inputs.get("notebooks") or {}
    try:
        nbs = _notebooks_for(kind, notebooks_dir)
    except Exception:
        return False, "章节笔记本无法确定"
    now = {p.name: sha256(p) for p in nbs if p.is_file()}
    if now != recorded:
        return False, "章节笔记本已修改"
    wanted = list(formats) if formats else list(getattr(getattr(params, "report", None), "formats", ["html"]))
    outputs = m.get("outputs") or {}
    for fmt in wanted:
        info = outputs.get(fmt)
        if isinstance(info, dict):
            f = Path(params.out_dir) / info.get("file", f"report.{fmt}")
            if not f.is_file() or (info.get("sha256") and info["sha256"] != sha256(f)):
                return False, f"{fmt} 报告缺失或已改动"
        elif not (Path(params.out_dir) / f"report.{fmt}").is_file():
            return False, f"尚无 {fmt} 报告"
    return True, f"输入未变（上次生成于 {m.get('created', '?')}）"
