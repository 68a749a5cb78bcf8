"""Reading back what jixiao wrote: every cell of an xlsx, and any formula in its XML."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path


def formulas(path: Path) -> list[str]:
    """Every ``<f>`` element (a formula) in the worksheets of ``path``, as XML."""
    with zipfile.ZipFile(path) as z:
        return [
            m
            for name in z.namelist()
            if name.startswith("xl/worksheets/")
            for m in re.findall(r"<f[ >].*?</f>|<f/>", z.read(name).decode("utf-8"))
        ]
