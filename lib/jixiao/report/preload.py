"""Imported by every report kernel as it starts, before it answers its first request.

:func:`jixiao.report.execute.shared_kernel` starts kernels with this import in
``IPKernelApp.exec_lines``. The section notebooks import these modules anyway (pandas,
matplotlib, seaborn, the section code: about a second); importing them while the kernel
boots lets that second pass on the other core while the parent process validates the
workbook and imports nbconvert, papermill and WeasyPrint, instead of after.

Nothing here may fail the kernel or print: a module that cannot be imported is left for
the notebook's own import cell to report, with the notebook's context.
"""

from __future__ import annotations

import importlib

#: Every module a section notebook (township or key project) imports.
MODULES = (
    "jixiao.report.context",
    "jixiao.report.charts",
    "jixiao.report.sections.basic",
    "jixiao.report.sections.assessment",
    "jixiao.report.sections.performance",
    "jixiao.report.sections.goals",
    "jixiao.report.sections.problems",
    "jixiao.report.sections.appendix",
    "jixiao.report.sections.keyproject",
)

for _name in MODULES:
    try:
        importlib.import_module(_name)
    except Exception:  # noqa: BLE001 - reported by the notebook that imports it
        pass
