"""The report's sections: their definitions (``config/report.yaml``) and their code.

Each section is one parameterised notebook that calls one module of this package; the
module's public functions take a :class:`~jixiao.report.context.ReportContext` and return
a :class:`~jixiao.report.context.Block` of HTML, one per notebook cell. Sentences live in
``templates/sections/<section>/*.html.j2`` (autoescaped Jinja).

This module only reads the definitions (no pandas, no matplotlib): the parent process of
a run needs the list of sections, not their code. The kernel imports the code
(:mod:`jixiao.report.preload`).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from jixiao.configfile import load_yaml_model
from jixiao.paths import NOTEBOOKS_DIR, config_file

Kind = Literal["township", "key-project"]


class Section(BaseModel):
    """One report section: a notebook and the module of this package it calls."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[A-Za-z0-9_-]+$")
    title: str = Field(min_length=1)
    module: str = Field(pattern=r"^[a-z_]+(\.[a-z_]+)*$")
    notebook: str
    continues: bool = False

    @model_validator(mode="after")
    def _named_for_its_module(self) -> Section:
        # 02_assessment.ipynb ↔ jixiao.report.sections.assessment: a reader finds one from the other.
        stem = self.module.rsplit(".", 1)[-1]
        number, _, rest = Path(self.notebook).stem.partition("_")
        if not (number.isdigit() and rest == stem and self.notebook.endswith(".ipynb")):
            raise ValueError(f"笔记本“{self.notebook}”应命名为 <序号>_{stem}.ipynb（与模块 {self.module} 对应）")
        return self

    @property
    def qualified_module(self) -> str:
        return f"{__name__}.{self.module}"

    @property
    def name(self) -> str:
        """What the progress display shows while the section runs."""
        return self.title


class KindSections(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    #: The kind's notebooks, relative to ``notebooks/``.
    folder: str
    sections: tuple[Section, ...] = Field(min_length=1)


class ReportStructure(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kinds: dict[Kind, KindSections]


@cache
def structure() -> ReportStructure:
    """``config/report.yaml``, validated."""
    return load_yaml_model(config_file("report.yaml"), ReportStructure, "报告结构配置", "kinds")


def sections(kind: Kind = "township") -> tuple[Section, ...]:
    """The sections of a report ``kind``, in order."""
    return structure().kinds[kind].sections


def notebooks_dir(kind: Kind = "township") -> Path:
    """Where the kind's notebooks are in a working copy (``notebooks/``, ``notebooks/key_project/``)."""
    return (NOTEBOOKS_DIR / structure().kinds[kind].folder).resolve()


def section(section_id: str, kind: Kind | None = None) -> Section:
    """The section with this id (of ``kind``, or of any kind)."""
    for k, ks in structure().kinds.items():
        if kind in (None, k):
            for s in ks.sections:
                if s.id == section_id:
                    return s
    raise KeyError(section_id)


def all_modules() -> list[str]:
    """Every section module of every kind, qualified (what a report kernel imports)."""
    seen: dict[str, None] = {}
    for ks in structure().kinds.values():
        for s in ks.sections:
            seen.setdefault(s.qualified_module)
    return list(seen)
