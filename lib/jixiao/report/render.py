"""Stitch executed section notebooks into one report and export it with nbconvert.

Merging is done with nbformat (nbconvert has no merge); the page is rendered by
:class:`jixiao.export.html.JixiaoHTMLExporter` — the exporter ``jupyter nbconvert --to
jixiao_html`` uses — on the template folder ``templates/nbconvert/jixiao``
(``conf.json``, ``index.html.j2``, ``report.css``), whose ``conf.json`` adds the
preprocessor that numbers tables and figures across the whole report and collects the
headings for the 目录.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import nbformat

from jixiao.export.html import JixiaoHTMLExporter


def merge_notebooks(paths: list[Path]) -> nbformat.NotebookNode:
    """One notebook with the cells of ``paths`` in order (cell ids made unique).

    The merged notebook records which section each cell came from in
    ``cell.metadata.jixiao.section``.
    """
    merged = None
    for i, path in enumerate(paths):
        nb = nbformat.read(path, as_version=4)
        for j, cell in enumerate(nb.cells):
            # Section notebooks share cell ids when copied from one another; the merged
            # notebook needs unique ids or nbformat "corrects" them with a warning.
            cell["id"] = f"s{i:02d}-c{j:03d}"
            cell.metadata.setdefault("jixiao", {})["section"] = Path(path).stem
        if merged is None:
            merged = copy.deepcopy(nb)
            merged.cells = []
            merged.metadata.pop("papermill", None)
        merged.cells.extend(nb.cells)
    return merged or nbformat.v4.new_notebook()


def export_html(nb: nbformat.NotebookNode, meta: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Render the stitched notebook to the report HTML.

    Parameters
    ----------
    nb : NotebookNode
        The merged, executed notebook.
    meta : dict
        Cover data: ``unit``, ``year``, ``title``, ``date`` and optionally ``sample``
        (over whatever the notebook's ``metadata.jixiao`` holds).

    Returns
    -------
    (html, resources)
        The page, and nbconvert's resources (``resources['jixiao']`` has the 目录
        entries and the table/figure counts).
    """
    return JixiaoHTMLExporter().from_notebook_node(nb, resources={"jixiao": dict(meta)})
