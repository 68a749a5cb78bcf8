"""Imported by every report kernel as it starts, before it answers its first request.

:func:`jixiao.report.execute.shared_kernel` starts kernels with this import in
``IPKernelApp.exec_lines``. The section notebooks import these modules anyway (pandas,
matplotlib, seaborn, the section code: about a second); importing them while the kernel
boots lets that second pass on the other core while the parent process validates the
workbook and imports nbconvert, papermill and WeasyPrint, instead of after.

The modules are those that ``config/report.yaml`` names for every section of every kind
(:func:`jixiao.report.sections.all_modules`): no list is kept here.

Nothing here may fail the kernel or print: a module that cannot be imported is left for
the notebook's own import cell to report, with the notebook's context.
"""

from __future__ import annotations

import importlib


def preload() -> None:
    """Import the report context and every section module, ignoring failures."""
    try:
        from jixiao.report.sections import all_modules

        names = ["jixiao.report.context", *all_modules()]
    except Exception:  # noqa: BLE001 - reported by the notebook that imports it
        return
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - reported by the notebook that imports it
            pass


preload()
