"""Stitch executed section notebooks into one report and export it with nbconvert.

Merging is done with nbformat (nbconvert has no merge); the look lives in the template
folder ``templates/nbconvert/jixiao`` (``conf.json``, ``index.html.j2``, ``report.css``),
rendered by nbconvert's :class:`HTMLExporter` with a preprocessor of ours that numbers
tables and figures across the whole report and collects the headings for the 目录.
"""

from __future__ import annotations

import copy
import html
import re
from pathlib import Path
from typing import Any

import nbformat
from nbconvert.exporters import HTMLExporter
from nbconvert.preprocessors import Preprocessor

from jixiao.paths import TEMPLATES_DIR
from jixiao import __version__

_NUM = re.compile(r'(<span class="jx-num" data-kind="(table|figure)">)(\d+)(</span>)')
# The 目录 lists sections (h1) and their parts (h2); numbered items (h3) would make it pages long.
_HEADING = re.compile(r'<h([1-2]) id="([A-Za-z0-9_-]+)"[^>]*>(.*?)</h\1>', re.S)
_TAGS = re.compile(r"<[^>]+>")


def template_dir() -> Path:
    """Folder holding the jixiao nbconvert template folder."""
    return TEMPLATES_DIR / "nbconvert"


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


class NumberingPreprocessor(Preprocessor):
    """Number 表/图 across the report and collect headings for the 目录."""

    def preprocess(self, nb, resources):
        counters = {"table": 0, "figure": 0}
        toc: list[dict[str, Any]] = []

        def renumber(match):
            counters[match.group(2)] += 1
            return f"{match.group(1)}{counters[match.group(2)]}{match.group(4)}"

        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            for out in cell.get("outputs", []):
                data = out.get("data", {})
                if "text/html" not in data:
                    continue
                text = data["text/html"]
                text = "".join(text) if isinstance(text, list) else text
                text = _NUM.sub(renumber, text)
                data["text/html"] = text
                for level, hid, inner in _HEADING.findall(text):
                    toc.append({"level": int(level), "id": hid, "text": html.unescape(_TAGS.sub("", inner)).strip()})
        resources.setdefault("jixiao", {})["toc"] = toc
        resources["jixiao"]["counts"] = dict(counters)
        return nb, resources


def html_exporter() -> HTMLExporter:
    """nbconvert's HTML exporter on the jixiao template, code hidden."""
    exporter = HTMLExporter(
        template_name="jixiao",
        extra_template_basedirs=[str(template_dir())],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )
    exporter.register_preprocessor(NumberingPreprocessor(), enabled=True)
    return exporter


def export_html(nb: nbformat.NotebookNode, meta: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Render the stitched notebook to the report HTML.

    Parameters
    ----------
    nb : NotebookNode
        The merged, executed notebook.
    meta : dict
        Cover data: ``unit``, ``year``, ``title``, ``date`` and optionally ``sample``.

    Returns
    -------
    (html, resources)
        The page, and nbconvert's resources (``resources['jixiao']`` has the 目录
        entries and the table/figure counts).
    """
    res = {"jixiao": {**meta, "version": __version__}}
    body, res = html_exporter().from_notebook_node(nb, resources=res)
    return body, res
