"""The report page: our nbconvert exporters and the data of the report's cover.

:class:`JixiaoHTMLExporter` is the one way the report HTML is made — ``jixiao run``
(:func:`jixiao.report.render.export_html`) and ``jupyter nbconvert --to jixiao_html``
alike. It carries the template (``templates/nbconvert/jixiao``), hides code and prompts,
embeds images, and runs the template's preprocessors, which the template's ``conf.json``
declares (:class:`NumberingPreprocessor`: 表/图 numbered across the report, headings
collected for the 目录). :class:`JixiaoPDFExporter` and :class:`JixiaoDocxExporter`
render the same page and convert it (:mod:`jixiao.export.pdf`, :mod:`jixiao.export.docx`).
"""

from __future__ import annotations

import logging
import re
from html import unescape
from pathlib import Path
from typing import Any

from nbconvert.exporters import HTMLExporter
from nbconvert.preprocessors import Preprocessor
from traitlets import Bool, default

from jixiao import __version__
from jixiao.exceptions import JixiaoError
from jixiao.export.docx import DOCX_MIMETYPE, html_to_docx
from jixiao.export.pdf import html_to_pdf
from jixiao.paths import TEMPLATES_DIR

log = logging.getLogger(__name__)

_NUM = re.compile(r'(<span class="jx-num" data-kind="(table|figure)">)(\d+)(</span>)')
# The 目录 lists sections (h1) and their parts (h2); numbered items (h3) would make it pages long.
_HEADING = re.compile(r'<h([1-2]) id="([A-Za-z0-9_-]+)"[^>]*>(.*?)</h\1>', re.S)
_TAGS = re.compile(r"<[^>]+>")


def template_dir() -> Path:
    """Folder holding the jixiao nbconvert template folders (``jixiao``, ``jixiao_print``)."""
    return TEMPLATES_DIR / "nbconvert"


# -- report metadata ------------------------------------------------------------------------
def report_meta(params_path: str | Path) -> dict[str, Any]:
    """Cover data of one township-year: ``unit``, ``year``, ``title``, ``date``."""
    from jixiao.report.context import open_report, report_date

    ctx = open_report(params_path)
    return {"unit": ctx.ds.name, "year": ctx.params.year, "title": ctx.params.report.title, "date": report_date(ctx)}


def notebook_meta(nb) -> dict[str, Any]:
    """Cover data for a notebook given to nbconvert directly.

    ``jixiao run`` stores it in the stitched notebook's ``metadata.jixiao``; an executed
    section notebook has the parameters file papermill injected, from which it is read.
    """
    stored = dict(nb.metadata.get("jixiao", {}) or {})
    if stored.get("unit"):
        return stored
    params_path = (nb.metadata.get("papermill", {}) or {}).get("parameters", {}).get("params_path")
    if params_path and Path(params_path).is_file():
        try:
            return {**report_meta(params_path), **stored}
        except JixiaoError as exc:  # the cover stays blank rather than failing the export
            log.warning("封面信息无法读取（%s）：%s", params_path, exc)
    return stored


# -- preprocessor ---------------------------------------------------------------------------
class NumberingPreprocessor(Preprocessor):
    """Number 表/图 across the report and collect headings for the 目录.

    Declared in the template's ``conf.json``, so every exporter on the ``jixiao``
    template (and ``jixiao_print``, which extends it) runs it.
    """

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
                    toc.append({"level": int(level), "id": hid, "text": unescape(_TAGS.sub("", inner)).strip()})
        resources.setdefault("jixiao", {})["toc"] = toc
        resources["jixiao"]["counts"] = dict(counters)
        return nb, resources


# -- nbconvert exporters --------------------------------------------------------------------
class JixiaoHTMLExporter(HTMLExporter):
    """The report page: jixiao template, code hidden, 表/图 numbered, 目录 collected."""

    export_from_notebook = "jixiao 报告（HTML）"
    exclude_input = Bool(True, help="Code never reaches the report.").tag(config=True)
    exclude_input_prompt = Bool(True).tag(config=True)
    exclude_output_prompt = Bool(True).tag(config=True)
    embed_images = Bool(True).tag(config=True)

    @default("template_name")
    def _template_name_default(self):
        return "jixiao_print" if self.output_mimetype != "text/html" else "jixiao"

    @default("extra_template_basedirs")
    def _default_extra_template_basedirs(self):
        # Ours first: a folder named jixiao in the working directory does not replace the template.
        return [str(template_dir()), *super()._default_extra_template_basedirs()]

    def from_notebook_node(self, nb, resources=None, **kw):
        """Render ``nb``; ``resources['jixiao']`` (cover data) overrides what the notebook holds."""
        resources = dict(resources or {})
        meta = {**notebook_meta(nb), **resources.get("jixiao", {})}
        resources["jixiao"] = {"version": __version__, **meta}
        return super().from_notebook_node(nb, resources=resources, **kw)


class JixiaoPDFExporter(JixiaoHTMLExporter):
    """The report as a print-ready PDF, typeset by WeasyPrint (``--to jixiao_pdf``)."""

    export_from_notebook = "jixiao 报告（PDF）"
    output_mimetype = "application/pdf"

    @default("file_extension")
    def _file_extension_default(self):
        return ".pdf"

    @default("template_extension")
    def _template_extension_default(self):
        return ".html.j2"

    def from_notebook_node(self, nb, resources=None, **kw):
        page, resources = super().from_notebook_node(nb, resources=resources, **kw)
        base = (resources.get("metadata") or {}).get("path") or "."
        resources["output_extension"] = ".pdf"
        return html_to_pdf(page, base_url=str(base)), resources


class JixiaoDocxExporter(JixiaoHTMLExporter):
    """The report as an editable Word document (``--to jixiao_docx``)."""

    export_from_notebook = "jixiao 报告（Word）"
    output_mimetype = DOCX_MIMETYPE

    @default("file_extension")
    def _file_extension_default(self):
        return ".docx"

    @default("template_extension")
    def _template_extension_default(self):
        return ".html.j2"

    def from_notebook_node(self, nb, resources=None, **kw):
        page, resources = super().from_notebook_node(nb, resources=resources, **kw)
        resources["output_extension"] = ".docx"
        return html_to_docx(page), resources
