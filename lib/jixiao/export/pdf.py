"""The report as PDF: WeasyPrint typesets the report page with its print stylesheet.

``print.css`` (in the template ``templates/nbconvert/jixiao``) gives A4, the running
header, "第 N 页 / 共 M 页", 目录 page numbers through ``target-counter`` and bookmarks
from the headings. Fonts are embedded as CID subsets (no Type 3); Chinese is marked
``lang="zh"`` so the Noto CJK collection picks the Simplified Chinese faces.
"""

from __future__ import annotations

import logging
import threading

from jixiao.export.formats import weasyprint_module
from jixiao.export.tables import fit_tables


class _Collect(logging.Handler):
    """WeasyPrint's warnings logged by one thread (renders in other threads are not ours)."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.thread = threading.get_ident()
        self.messages: list[str] = []

    def emit(self, record):
        if record.thread == self.thread:
            self.messages.append(record.getMessage())


def html_to_pdf(page: str, base_url: str | None = None, warnings: list[str] | None = None) -> bytes:
    """Typeset the report page (with its print stylesheet) into PDF bytes.

    Report tables get fixed column widths first (:func:`~jixiao.export.tables.fit_tables`);
    everything else is the page as ``report.html`` has it.

    Parameters
    ----------
    page : str
        The report HTML (``report.html``).
    base_url : str, optional
        Where relative links would resolve (the report has none: images are inline).
    warnings : list, optional
        Receives WeasyPrint's warnings (unsupported CSS, missing resources).
    """
    weasyprint = weasyprint_module()
    page = fit_tables(page)

    def typeset() -> bytes:
        return weasyprint.HTML(string=page, base_url=base_url or ".").render().write_pdf()

    if warnings is None:
        return typeset()
    # WeasyPrint reports through its logger only: listen while this page is typeset.
    handler = _Collect()
    wlog = logging.getLogger("weasyprint")
    wlog.addHandler(handler)
    try:
        pdf = typeset()
    finally:
        wlog.removeHandler(handler)
    warnings.extend(handler.messages)
    return pdf
