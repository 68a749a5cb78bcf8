"""What a township parameters file names, loaded: its workbook and its project forms.

Every path that turns a parameters file into data (``validate``, ``check``, ``run``, the
report kernel, a batch task) goes through :func:`load_township`, so that what validation
accepts is what the report is built from (validate ⇒ run).
"""

from __future__ import annotations

from jixiao.params import Params
from jixiao.workbook.dataset import Dataset


def load_township(params: Params) -> Dataset:
    """The township-year's dataset, with the forms of ``project_forms`` attached.

    Raises
    ------
    InputError
        A problem in the workbook or in a form, with its file, sheet and cell (exit 2).
    """
    from jixiao.workbook.load import load_workbook

    ds = load_workbook(params.workbook, year=params.year, name=params.name, name_from=params.source)
    if params.project_forms is not None:
        from jixiao.forms.township import township_forms

        ds.forms = township_forms(params.project_forms, ds)
    return ds
