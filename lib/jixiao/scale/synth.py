"""Synthetic townships: valid, varied workbooks and parameter files for scale tests.

``jixiao synth --n 50 --out DIR`` writes, deterministically for a seed,

- ``DIR/workbooks/<slug>-<year>.xlsx``: a township workbook in the shipped format
  (written by :func:`jixiao.workbook.template.write_workbook`), with a generated name (某某镇 from
  syllable lists), offices, functions, 5–200 projects with indicators, budgets and final
  accounts that add up, a balance sheet, stated figures and narrative texts from phrase
  lists; optional sheets are left out of some townships;
- ``DIR/params/<slug>-<year>.yaml``: its parameters file (paths relative to itself;
  reports go to ``DIR/reports`` unless ``output_dir`` is given);
- ``DIR/synth.json``: what was generated, which townships carry deliberate
  inconsistencies (and which checks must flag them) and which are broken (and how).

Three kinds of township:

``valid``
    Loads, and every consistency check passes or is informational (no ``error``).
``inconsistent``
    Loads (``jixiao validate`` passes) but one to three figures are deliberately wrong
    (a stated total off, a share that does not match …): ``run_checks`` reports an
    ``error`` for each, at the check id recorded in ``synth.json``.
``broken``
    Fails validation (``WorkbookError``): a text in a money cell, a duplicate project
    序号, a missing required sheet … (the "45 ok / 5 broken" batch scenario).

Nothing is copied from the bundled example: every name, amount and sentence is drawn
from the random generator seeded with ``seed`` and the township's index.

This module makes the set (:func:`generate`); one township's data is
:func:`jixiao.scale.synth_data.township_data`, its names and phrases come from
:mod:`jixiao.scale.synth_vocab`, its deliberate faults from :mod:`jixiao.scale.synth_faults`.
"""

from __future__ import annotations

import json
import math
import random
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

from jixiao.scale.synth_data import township_data
from jixiao.scale.synth_faults import BREAKAGES, INCONSISTENCIES, break_workbook, drop_sheet, make_inconsistent
from jixiao.scale.synth_vocab import township_names
from jixiao.scale.synth_years import link_years, plant_crossyear

__all__ = ["BREAKAGES", "INCONSISTENCIES", "OPTIONAL_SHEETS", "Township", "generate", "township_data"]

#: Optional sheets a township may leave out (the loader treats them as empty).
OPTIONAL_SHEETS = [
    "专项资金",
    "直达资金",
    "三保支出",
    "三保明细",
    "三公经费",
    "非税收入",
    "总决算",
    "固定资产",
    "实物资产",
    "项目指标",
    "监控情况",
    "问题",
    "改进措施",
    "绩效目标架构",
]


@dataclass
class Township:
    """What :func:`generate` made for one township (recorded in ``synth.json``)."""

    index: int
    slug: str
    name: str
    year: int
    kind: str  # valid | inconsistent | broken
    projects: int
    params: str
    workbook: str
    omitted_sheets: list[str] = field(default_factory=list)
    inconsistencies: dict[str, str] = field(default_factory=dict)  # kind → check id
    broken: str | None = None  # breakage kind
    broken_reason: str | None = None
    #: Last year's parameters file (``previous:``), for a township made over several years.
    previous: str | None = None
    crossyear: dict[str, str] = field(default_factory=dict)  # planted cross-year mismatch → check id


def _project_counts(rng: random.Random, n: int, low: int, high: int) -> list[int]:
    """Log-uniform over [low, high], stratified so a batch spans the whole range."""
    counts = []
    for i in range(n):
        q = (i + rng.random()) / n if n > 1 else rng.random()
        counts.append(int(round(math.exp(math.log(low) + q * (math.log(high) - math.log(low))))))
    if n >= 2:  # the whole range, ends included
        counts[0], counts[-1] = low, high
    rng.shuffle(counts)
    return [min(max(c, low), high) for c in counts]


# -- the set ----------------------------------------------------------------------------------
def generate(
    out: str | Path,
    n: int,
    *,
    seed: int = 0,
    year: int = 2023,
    inconsistent_share: float = 0.2,
    broken: int = 0,
    broken_share: float | None = None,
    projects: tuple[int, int] = (5, 200),
    output_dir: str | Path | None = None,
    formats: list[str] | None = None,
    years: tuple[int, int] | None = None,
    crossyear_share: float = 0.5,
) -> list[Township]:
    """Write ``n`` synthetic townships (and ``synth.json``) under ``out``.

    Parameters
    ----------
    out : path
        Folder for ``workbooks/``, ``params/`` and ``synth.json``.
    n : int
        How many townships (including the broken ones).
    seed : int
        Same seed → byte-for-byte the same data (and the same files, up to the xlsx
        timestamps openpyxl writes).
    year : int
        The report year.
    inconsistent_share : float
        Share of the valid townships given deliberate inconsistencies (0 … 1).
    broken : int
        How many townships are deliberately broken (fail validation).
    broken_share : float, optional
        Alternatively, the broken share of ``n`` (rounded; overrides ``broken``).
    projects : (int, int)
        Range of project counts (log-uniform, spread over the set).
    output_dir : path, optional
        ``output_dir`` written into each parameters file; ``out/reports`` by default.
    formats : list of str, optional
        ``report.formats`` of each parameters file (``["html"]`` by default).
    years : (int, int), optional
        Consecutive years ``(first, last)`` of every township instead of ``year``: each year's
        workbook agrees with the year before (:func:`jixiao.scale.synth_years.link_years`)
        and its parameters file names it (``previous:``). Inconsistencies and breakage go
        into the last year only.
    crossyear_share : float
        With ``years``, the share of the townships (not broken) whose last year gets
        deliberate cross-year mismatches (:func:`jixiao.scale.synth_years.plant_crossyear`).

    Returns
    -------
    list of Township
        One per township-year (townships in order, each's years in order).
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    if broken_share is not None:
        broken = int(round(n * broken_share))
    if not 0 <= broken <= n:
        raise ValueError("broken must be between 0 and n")
    if years is not None and not years[0] <= years[1]:
        raise ValueError("years must be (first, last) with first <= last")
    year_list = list(range(years[0], years[1] + 1)) if years else [year]
    from jixiao.workbook.template import write_workbook

    out = Path(out)
    (out / "workbooks").mkdir(parents=True, exist_ok=True)
    (out / "params").mkdir(parents=True, exist_ok=True)
    master = random.Random(f"jixiao-synth-{seed}")
    names = township_names(master, n)
    counts = _project_counts(master, n, *projects)
    order = list(range(n))
    master.shuffle(order)
    broken_idx = set(order[:broken])
    rest = order[broken:]
    n_incons = int(round(len(rest) * inconsistent_share))
    incons_idx = set(rest[:n_incons])
    # Cross-year mismatches go to townships that load (the rest of the order, repeated from its start).
    n_cross = int(round(len(rest) * crossyear_share)) if len(year_list) > 1 else 0
    cross_idx = set(rest[::-1][:n_cross])
    rep_dir = Path(output_dir) if output_dir is not None else out / "reports"
    made: list[Township] = []
    for i, ((short, full, slug, county), n_proj) in enumerate(zip(names, counts)):
        rng = random.Random(f"jixiao-synth-{seed}-{i}")
        omit = {s for s in OPTIONAL_SHEETS if rng.random() < 0.15}
        drawn: list[tuple[dict[str, Any], dict[str, Any]]] = []
        for y in year_list:
            data, meta = township_data(rng, name=full, short=short, county=county, year=y, n_projects=n_proj, omit=omit)
            if drawn:
                link_years(drawn[-1][0], data)
            drawn.append((data, meta))
        previous: str | None = None
        for y, (data, meta) in zip(year_list, drawn):
            last_year = y == year_list[-1]
            kind = (
                "valid"
                if not last_year
                else "broken"
                if i in broken_idx
                else "inconsistent"
                if i in incons_idx
                else "valid"
            )
            incons: dict[str, str] = {}
            cross: dict[str, str] = {}
            bkind = None
            if kind == "inconsistent":
                incons = make_inconsistent(rng, data, meta, omit)
            elif kind == "broken":
                # every kind of breakage in turn, so a handful of broken townships covers them
                bkind = break_workbook(rng, data, y, list(BREAKAGES)[sorted(broken_idx).index(i) % len(BREAKAGES)])
            if last_year and i in cross_idx and previous is not None:
                cross = plant_crossyear(rng, data)
            stem = f"{slug}-{y}"
            wb_path = out / "workbooks" / f"{stem}.xlsx"
            write_workbook(wb_path, data, label=f"合成数据（jixiao synth，seed {seed}，第 {i + 1} 个）：仅供测试与基准")
            if bkind == "missing_sheet":
                drop_sheet(wb_path, "资产负债")
            params: dict[str, Any] = {
                "township": slug,
                "year": y,
                "name": full,
                "workbook": f"../workbooks/{stem}.xlsx",
                "output_dir": _rel(rep_dir, out / "params"),
                "scoring_scheme": "national",
            }
            if "适用满分" not in data["填报数据"]:
                params["assessment"] = {
                    "applicable_max": meta["applicable_max"],
                    "applicable_max_source": "合成数据：各考核类别适用分值之和",
                }
            params["report"] = {"formats": list(formats or ["html"])}
            if previous is not None:
                params["previous"] = previous
            p_path = out / "params" / f"{stem}.yaml"
            p_path.write_text(
                f"# 合成乡镇（jixiao synth，seed {seed}）：{full} {y}年度\n"
                + yaml.safe_dump(params, allow_unicode=True, sort_keys=False),
                encoding="utf-8",
            )
            made.append(
                Township(
                    index=i,
                    slug=slug,
                    name=full,
                    year=y,
                    kind=kind,
                    projects=len(data["项目"]),
                    params=str(p_path.relative_to(out)),
                    workbook=str(wb_path.relative_to(out)),
                    omitted_sheets=sorted(omit),
                    inconsistencies=incons,
                    broken=bkind,
                    broken_reason=BREAKAGES.get(bkind) if bkind else None,
                    previous=previous,
                    crossyear=cross,
                )
            )
            previous = p_path.name
    summary = {
        "seed": seed,
        "year": year_list[-1],
        "years": year_list,
        "n": n,
        "broken": broken,
        "inconsistent": sum(t.kind == "inconsistent" for t in made),
        "townships": [asdict(t) for t in made],
    }
    (out / "synth.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    return made


def _rel(target: Path, base: Path) -> str:
    """``target`` relative to ``base`` when both are under one root, else absolute."""
    import os

    target, base = Path(target).absolute(), Path(base).absolute()
    try:
        return os.path.relpath(target, base)
    except ValueError:  # different drives
        return str(target)
