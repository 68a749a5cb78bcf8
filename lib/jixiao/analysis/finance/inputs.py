"""What derived figures read: a dataset's tables and facts, and ``config/finance.yaml``.

``config/finance.yaml`` holds the classification lists (current vs non-current
balance-sheet lines, the 三公 items) and the 非税 variance threshold; names in it are
matched in comparison form (:func:`name_key`). A sheet the dataset lacks reads as an
empty table, so that every figure of it is "not computable" rather than an error.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Any

import pandas as pd
import yaml
from pandas.api.extensions import ExtensionDtype

from jixiao.paths import config_file
from jixiao.values import is_blank
from jixiao.workbook.dataset import Dataset


def name_key(name: Any) -> str:
    """Comparison form of a name: NFKC-folded (full-width brackets → half-width), no spaces,
    no invisible format characters (zero-width space …)."""
    if is_blank(name):
        return ""
    text = "".join(ch for ch in unicodedata.normalize("NFKC", str(name)) if unicodedata.category(ch) != "Cf")
    return re.sub(r"\s+", "", text)


@cache
def finance_config() -> dict:
    """``config/finance.yaml``, parsed once per process."""
    raw = config_file("finance.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(raw)


def config_keys(names) -> set[str]:
    """The comparison forms (:func:`name_key`) of a config list; empty for a missing list."""
    return {name_key(n) for n in names or ()}


def table(ds: Dataset, sheet_id: str) -> pd.DataFrame:
    """The detail table ``sheet_id`` of ``ds``; an empty table (only ``_row``) when absent."""
    df = ds.tables.get(sheet_id)
    return df if df is not None else pd.DataFrame(columns=["_row"])


def fact(ds: Dataset, sheet_id: str, key_id: str) -> Any:
    """The value of fact ``key_id`` in key-value sheet ``sheet_id``; None when absent."""
    return ds.facts.get(sheet_id, {}).get(key_id)


def records(df: pd.DataFrame) -> list[dict]:
    """The rows of ``df`` as dicts (column id → cell value, ``_row`` included).

    The same dicts as ``df.to_dict("records")`` (values of object and extension columns
    boxed as pandas boxes them: numpy scalars as Python numbers, a missing ``Int64`` as
    None), built column by column: ``to_dict`` indexes every column of the frame positionally
    for each call, which cost more than the figures computed from the rows (the report's
    derived figures read the same small tables a hundred times a run).
    """
    columns = df.columns.tolist()
    if _box_native is None or not columns or not df.columns.is_unique:
        return df.to_dict("records")
    values = [
        map(_box_native, df[c]) if dtype.kind == "O" or isinstance(dtype, ExtensionDtype) else iter(df[c])
        for c, dtype in zip(columns, df.dtypes.values)
    ]
    return [dict(zip(columns, row)) for row in zip(*values)]


try:  # what DataFrame.to_dict boxes values with (pandas ≥ 1.3); else to_dict itself is used
    from pandas.core.dtypes.cast import maybe_box_native as _box_native
except ImportError:  # pragma: no cover - a pandas without it
    _box_native = None
