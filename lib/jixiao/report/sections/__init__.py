"""One module per report section: functions that compute a block's figures and render it.

Each public function takes a :class:`~jixiao.report.context.ReportContext` and returns a
:class:`~jixiao.report.context.Block` of HTML; the section notebooks call them one per cell.
Sentences live in ``templates/sections/<section>/*.html.j2`` (autoescaped Jinja).
"""
