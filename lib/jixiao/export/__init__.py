"""The report as HTML, PDF and Word, all from the same stitched report page.

Every format starts from the page that becomes ``report.html`` — our nbconvert template
``templates/nbconvert/jixiao`` rendered by :class:`~jixiao.export.html.JixiaoHTMLExporter` —
so the three formats never disagree:

* **HTML** (:mod:`jixiao.export.html`) — the exporters registered with nbconvert
  (entry points ``jixiao_html``, ``jixiao_pdf``, ``jixiao_docx``), so
  ``jupyter nbconvert --to jixiao_pdf NB.ipynb`` works on any executed section or
  stitched notebook, and the cover data (:func:`~jixiao.export.html.notebook_meta`).
* **PDF** (:mod:`jixiao.export.pdf`) — WeasyPrint typesets the page with its print
  stylesheet; report tables get fixed column widths (:mod:`jixiao.export.tables`).
* **DOCX** (:mod:`jixiao.export.docx`, :mod:`jixiao.export.docx_xml`) — python-docx
  builds a Word document from the page, with the same table column widths.

:mod:`jixiao.export.formats` settles which formats a run writes and whether their
renderers are installed, without importing any of them. ``jixiao run`` renders the page
once and calls :func:`write_report` for each format.

This package imports nothing heavy itself: the names below are loaded from their modules
when first used.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

#: Names importable from ``jixiao.export``, and the module defining each.
_LAZY = {
    "JixiaoHTMLExporter": "html",
    "JixiaoPDFExporter": "html",
    "JixiaoDocxExporter": "html",
    "NumberingPreprocessor": "html",
    "report_meta": "html",
    "notebook_meta": "html",
    "html_to_pdf": "pdf",
    "html_to_docx": "docx",
    "DOCX_MIMETYPE": "docx",
    "table_rows": "tables",
    "column_widths": "tables",
    "fit_tables": "tables",
    "FORMATS": "formats",
    "RendererMissing": "formats",
    "parse_formats": "formats",
    "check_renderers": "formats",
}

__all__ = ["write_report", *_LAZY]


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{module}"), name)


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


def write_report(stage: Path, fmt: str, page: str) -> Path:
    """Write the stitched page as ``stage/report.<fmt>`` (html, pdf or docx).

    Used by the township run and the key-project evaluation alike.
    """
    target = Path(stage) / f"report.{fmt}"
    if fmt == "html":
        target.write_text(page, encoding="utf-8")
    elif fmt == "pdf":
        from jixiao.export.pdf import html_to_pdf

        target.write_bytes(html_to_pdf(page, base_url=str(stage)))
    elif fmt == "docx":
        from jixiao.export.docx import html_to_docx

        target.write_bytes(html_to_docx(page))
    else:
        raise ValueError(f"unknown format {fmt!r}")
    return target
