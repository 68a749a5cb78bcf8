"""What a batch runs: run-set YAML files and parameter paths (files, globs, folders).

A run-set is the batch's command line written down (see :class:`RunSet`); its relative
paths resolve against the run-set file itself.
"""

from __future__ import annotations

import glob
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from jixiao.configfile import safe_yaml
from jixiao.exceptions import InputError, Problem
from jixiao.scale.task import KERNEL_RETRIES


@dataclass
class RunSet:
    """A batch: parameter files and options (from the command line or a run-set YAML).

    A run-set file looks like::

        # runset.yaml — paths are relative to this file; globs are expanded
        params:
          - params/*.yaml
          - other/township-2023.yaml
        workers: 2            # local worker processes (default: the number of cores)
        formats: [html, pdf]  # default: each parameters file's report.formats
        force: false          # rebuild even if unchanged
        retries: 2            # kernel-start retries
        scheduler: null       # tcp://host:8786 for Dask
        manifest: reports/batch-manifest.json
        rollup: reports       # build the county roll-up of this folder afterwards
        notebooks: notebooks  # section notebooks, laid out like the repository's notebooks/
    """

    params: list[Path]
    workers: int | None = None
    formats: list[str] | None = None
    force: bool = False
    retries: int = KERNEL_RETRIES
    scheduler: str | None = None
    manifest: Path | None = None
    rollup: Path | None = None
    notebooks: Path | None = None
    source: Path | None = None


_RUNSET_KEYS = {"params", "workers", "formats", "force", "retries", "scheduler", "manifest", "rollup", "notebooks"}


def is_runset(path: Path) -> bool:
    """Whether a YAML file is a run-set (has ``params:``, no ``township:``)."""
    try:
        raw = safe_yaml(Path(path).read_text(encoding="utf-8"))
    except Exception:
        return False
    return isinstance(raw, dict) and "params" in raw and "township" not in raw


def load_runset(path: str | Path) -> RunSet:
    """Read a run-set YAML (see :class:`RunSet`); relative paths resolve against it."""
    path = Path(path)
    shown = str(path)
    try:
        # no aliases: a few hundred bytes of them expand to gigabytes (configfile.safe_yaml)
        raw = safe_yaml(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise InputError(
            Problem(shown, None, None, type(exc).__name__, "YAML 格式的批量运行清单", f"无法读取：{exc}")
        ) from None
    if not isinstance(raw, dict) or "params" not in raw:
        raise InputError(
            Problem(shown, None, None, type(raw).__name__, "键值对，含 params 列表", "批量运行清单应含 params 列表")
        )
    unknown = set(raw) - _RUNSET_KEYS
    if unknown:
        raise InputError(
            Problem(
                shown,
                None,
                None,
                "、".join(sorted(unknown)),
                "、".join(sorted(_RUNSET_KEYS)),
                "批量运行清单中有未知的键",
            )
        )
    base = path.resolve().parent
    items = raw["params"]
    if isinstance(items, str):
        items = [items]
    if not isinstance(items, list) or not items:
        raise InputError(Problem(shown, None, None, str(items), "参数文件列表", "params 应为非空列表"))
    rel = lambda v: None if v in (None, False) else (base / str(v)).resolve()  # noqa: E731
    formats = raw.get("formats")
    if isinstance(formats, str):
        formats = [f.strip() for f in formats.split(",") if f.strip()]
    rollup = raw.get("rollup")
    return RunSet(
        params=expand_params(
            [str(base / str(p)) if not Path(str(p)).is_absolute() else str(p) for p in items], source=shown
        ),
        workers=raw.get("workers"),
        formats=formats,
        force=bool(raw.get("force", False)),
        retries=int(raw.get("retries", KERNEL_RETRIES)),
        scheduler=raw.get("scheduler"),
        manifest=rel(raw.get("manifest")),
        rollup=None if rollup in (None, False) else rel(rollup if rollup is not True else "."),
        notebooks=rel(raw.get("notebooks")),
        source=path,
    )


def expand_params(items: Iterable[str | Path], source: str = "命令行") -> list[Path]:
    """Parameter files from paths, globs and folders (``*.yaml`` inside), in order, once each."""
    out: list[Path] = []
    missing = []
    for item in items:
        text = str(item)
        p = Path(text)
        if p.is_dir():
            hits = sorted(list(p.glob("*.yaml")) + list(p.glob("*.yml")))
        elif any(ch in text for ch in "*?["):
            hits = [Path(h) for h in sorted(glob.glob(text))]
        else:
            hits = [p]
        if not hits:
            missing.append(text)
        for h in hits:
            if not h.exists():
                missing.append(str(h))
                continue
            r = h.resolve()
            if r not in out:
                out.append(r)
    if missing:
        raise InputError(
            [Problem(source, None, None, m, "存在的参数文件（.yaml）", f"找不到参数文件：{m}") for m in missing]
        )
    return out
