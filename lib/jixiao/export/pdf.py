"""The report as PDF: WeasyPrint typesets the report page with its print stylesheet.

``print.css`` (in the template ``templates/nbconvert/jixiao``) gives A4, the running
header, "第 N 页 / 共 M 页", 目录 page numbers through ``target-counter`` and bookmarks
from the headings. Fonts are embedded as CID subsets (no Type 3); Chinese is marked
``lang="zh"`` so the Noto CJK collection picks the Simplified Chinese faces.

Nothing is fetched while typesetting: the report's images are inline ``data:`` URIs, and
WeasyPrint gets a URL fetcher (:func:`report_url_fetcher`) that serves those and files
inside the report's own folder, and refuses everything else — the network, and local
files elsewhere, which a ``<a rel="attachment">`` would otherwise embed into the PDF.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from jixiao.export.formats import weasyprint_module
from jixiao.export.tables import fit_tables

log = logging.getLogger(__name__)


def _shown(url: str) -> str:
    """``url`` fit for a log line: shortened, control characters shown escaped."""
    short = url if len(url) <= 160 else url[:160] + "…"
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in short)


def _inside(url: str, folder: Path | None) -> Path | None:
    """The file a ``file:`` URL names, if it lies inside ``folder`` (symlinks resolved)."""
    if folder is None:
        return None
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):  # file://host/… is another machine's file
        return None
    target = Path(url2pathname(unquote(parts.path))).resolve()
    return target if target.is_file() and target.is_relative_to(folder) else None


def _allowed(url: str, folder: Path | None) -> str:
    """The URL to fetch for ``url``, or ``ValueError`` (logged) when it is not the report's."""
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme == "data":
        return url
    if scheme == "file" and (target := _inside(url, folder)) is not None:
        # The resolved path, not the URL: what was checked is what is read.
        return target.as_uri()
    log.warning("生成 PDF 时拒绝读取 %s：报告只使用内嵌的图片和报告文件夹中的文件。", _shown(url))
    raise ValueError(f"jixiao 不读取报告之外的资源：{_shown(url)}")


def report_url_fetcher(base_url: str | None = None):
    """A WeasyPrint URL fetcher serving only the report's own assets.

    Served: ``data:`` URIs (the charts) and regular files inside ``base_url`` (the report's
    folder), if given. Refused, with a warning and without any access: every other scheme
    (``http``, ``https``, ``ftp``…) and ``file:`` URLs outside that folder. WeasyPrint
    fetches stylesheets, images, fonts and attachments (``<a rel="attachment">``,
    ``<link rel="attachment">``) through the fetcher, so none of them reaches further.

    Parameters
    ----------
    base_url : str, optional
        The report's folder (a path or ``file:`` URL); without it no file is served.
    """
    from weasyprint.urls import ensure_url

    folder: Path | None = None
    if base_url:
        base = ensure_url(base_url)
        if base.lower().startswith("file:"):
            folder = Path(url2pathname(unquote(urlsplit(base).path))).resolve()
            folder = folder if folder.is_dir() else folder.parent

    try:
        from weasyprint.urls import URLFetcher
    except ImportError:  # older WeasyPrint: a fetcher is a function returning a dict
        from weasyprint import default_url_fetcher

        def fetch(url, *args, **kwargs):
            return default_url_fetcher(_allowed(url, folder), *args, **kwargs)

        return fetch

    class ReportURLFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            return super().fetch(_allowed(url, folder), headers)

    # No redirects (only data: and local files are served anyway), errors are warnings.
    return ReportURLFetcher(allow_redirects=False, fail_on_errors=False)


class _Collect(logging.Handler):
    """Warnings logged by one thread (renders in other threads are not ours)."""

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
        The report's folder: where relative links resolve (the report has none: images
        are inline), and the only folder whose files WeasyPrint may read
        (:func:`report_url_fetcher`).
    warnings : list, optional
        Receives WeasyPrint's warnings (unsupported CSS, missing resources) and the
        resources refused by the URL fetcher.
    """
    weasyprint = weasyprint_module()
    page = fit_tables(page)

    def typeset() -> bytes:
        fetcher = report_url_fetcher(base_url)
        return weasyprint.HTML(string=page, base_url=base_url or ".", url_fetcher=fetcher).render().write_pdf()

    if warnings is None:
        return typeset()
    # WeasyPrint reports through its logger only, the fetcher through ours: listen to
    # both while this page is typeset.
    handler = _Collect()
    loggers = [logging.getLogger("weasyprint"), log]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        pdf = typeset()
    finally:
        for logger in loggers:
            logger.removeHandler(handler)
    warnings.extend(handler.messages)
    return pdf
