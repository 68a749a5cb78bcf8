"""County roll-up (县级汇总): one page and one workbook comparing every township's report.

``jixiao rollup reports/`` reads each ``reports/<township>/<year>/manifest.json``, takes
the parameters the report was built with (recorded in the manifest), reloads that
workbook and computes, the same way the report does:

- 换算得分: computed from the 考核得分 categories and the applicable maximum
  (:func:`jixiao.analysis.scoring.selfeval.assessment`) and as the unit states it, and the grade;
- 项目整体支出进度: stated, and recomputed from the projects' budgets and spending;
- 财务比率 (资产负债率, 现金比率, 流动比率, 固定资产成新率) of the financial-report year;
- the count of consistency-check errors and warnings (:func:`jixiao.analysis.checks.run_checks`).

It writes ``<out>/rollup.html`` (self-contained: styles and charts inline, Chinese, the
report's look), ``<out>/rollup.xlsx`` and ``<out>/rollup.json``, atomically
(``publish.staged_output``). Units whose data failed checks (any ``error``) are listed
first; the rest follow by rank. Townships whose batch run failed (from the run-set
manifest ``batch-manifest.json``) are listed with their reasons.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jixiao import __version__
from jixiao.paths import TEMPLATES_DIR
from jixiao.values import is_blank

#: The columns of the summary, in order: key → (header, kind). Kinds: text, int, num, pct.
COLUMNS: dict[str, tuple[str, str]] = {
    "rank": ("排名", "int"),
    "name": ("单位", "text"),
    "year": ("年度", "int"),
    "converted": ("换算得分（计算）", "num"),
    "converted_stated": ("换算得分（所述）", "num"),
    "converted_change": ("换算得分较上年", "num"),
    "grade": ("等级", "text"),
    "assessment_total": ("考核总分（各类别合计）", "num"),
    "applicable_max": ("适用满分", "num"),
    "execution_rate": ("项目整体支出进度（计算）", "pct"),
    "execution_rate_stated": ("项目整体支出进度（所述）", "pct"),
    "debt_ratio": ("资产负债率", "pct"),
    "cash_ratio": ("现金比率", "pct"),
    "current_ratio": ("流动比率", "pct"),
    "fixed_asset_newness": ("固定资产成新率", "pct"),
    "projects": ("项目数", "int"),
    "budget_total": ("预算支出（万元）", "num"),
    "final_total": ("决算支出（万元）", "num"),
    "final_change": ("决算支出较上年（万元）", "num"),
    "errors": ("校验错误", "int"),
    "warnings": ("校验警告", "int"),
    "township": ("代码", "text"),
}


def _f(x: Any) -> float | None:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) or math.isinf(v) else v


# -- one unit ---------------------------------------------------------------------------------
def unit_summary(ds, params, findings=None) -> dict[str, Any]:
    """The roll-up figures of one township-year.

    Parameters
    ----------
    ds : Dataset
    params : Params
    findings : list of Finding, optional
        The consistency-check findings (run here when not given).

    Returns
    -------
    dict
        JSON-ready: the keys of :data:`COLUMNS` (without ``rank``) plus ``error_titles``,
        ``score_basis`` and ``grade_basis``.
    """
    from jixiao.analysis import finance as F
    from jixiao.analysis.checks import run_checks, summarize
    from jixiao.analysis.scoring import grade
    from jixiao.analysis.scoring.selfeval import assessment

    if findings is None:
        findings = run_checks(ds, params)
    counts = summarize(findings)
    a = assessment(ds, params)
    conv = a.computed.converted if a.computed is not None else None
    stated_conv = _f(a.stated_converted)
    g = a.computed.grade if a.computed is not None else grade(stated_conv)
    es = F.execution_summary(ds)
    fr = F.financial_ratios(ds)
    errors = [f for f in findings if f.severity == "error"]
    return {
        "township": params.township,
        "year": params.year,
        "name": ds.name,
        "converted": _f(conv),
        "converted_stated": stated_conv,
        "grade": g,
        "score_basis": "计算" if conv is not None else ("所述" if stated_conv is not None else None),
        "assessment_total": _f(a.raw_total + (a.computed.bonus - a.computed.deduction if a.computed else 0)),
        "assessment_total_stated": _f(a.stated_total),
        "applicable_max": _f(a.applicable_max),
        "execution_rate": _f(es.project_rate),
        "execution_rate_stated": _f(es.stated_progress),
        "debt_ratio": _f(fr.debt_ratio),
        "cash_ratio": _f(fr.cash_ratio),
        "current_ratio": _f(fr.current_ratio),
        "fixed_asset_newness": _f(fr.fixed_asset_newness),
        "ratio_year": fr.year,
        "projects": int(es.projects),
        "budget_total": _f(es.budget_total),
        "final_total": _f(es.final_total),
        "errors": counts["error"],
        "warnings": counts["warning"],
        "infos": counts["info"],
        "passes": counts["pass"],
        "error_titles": list(dict.fromkeys(f.title for f in errors)),
    }


def unit_summary_from_params(params_path: str | Path, findings=None) -> dict[str, Any]:
    """:func:`unit_summary` for a parameters file (reuses the run's loaded workbook)."""
    from jixiao.report.context import open_report

    ctx = open_report(params_path)
    return unit_summary(ctx.ds, ctx.params, findings)


#: What a roll-up writes into its folder (the folder has no manifest: recognised by these).
ROLLUP_FILES = ("rollup.html", "rollup.xlsx", "rollup.json")


def _summary_from_manifest(m: dict) -> dict[str, Any]:
    """Recompute a unit's figures from the parameters recorded in its manifest."""
    from jixiao.params import Params
    from jixiao.workbook.load import load_workbook

    params = Params.model_validate(m["parameters"])
    ds = load_workbook(params.workbook, year=params.year, name=params.name, name_from=params.source)
    return unit_summary(ds, params)


# -- collecting -------------------------------------------------------------------------------
@dataclass
class Collected:
    units: list[dict[str, Any]]
    failures: list[dict[str, Any]]
    problems: list[str]


def find_manifests(reports_dir: Path) -> list[Path]:
    """``<township>/<year>/manifest.json`` of every township report under ``reports_dir``."""
    out = []
    for m in sorted(Path(reports_dir).glob("*/*/manifest.json")):
        if m.parent.name.isdigit():
            out.append(m)
    return out


def collect(
    reports_dir: str | Path,
    *,
    summaries: dict[str, dict] | None = None,
    batch_manifest: str | Path | dict | None = None,
    workers: int = 1,
) -> Collected:
    """Every township's figures under ``reports_dir``.

    Parameters
    ----------
    reports_dir : path
    summaries : dict, optional
        Output folder (str) → :func:`unit_summary` already computed (by a batch's
        workers), used when its workbook hash still matches the manifest.
    batch_manifest : path or dict, optional
        A run-set manifest; its failed townships are listed as failures. By default
        ``reports_dir/batch-manifest.json`` when present.
    workers : int
        Processes for recomputing units (1: in this process).
    """
    from jixiao.report.publish import sha256

    reports_dir = Path(reports_dir)
    summaries = summaries or {}
    units, problems, todo = [], [], []
    for mpath in find_manifests(reports_dir):
        try:
            m = json.loads(mpath.read_text(encoding="utf-8"))
            m["parameters"]["township"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            problems.append(f"{mpath}：清单无法读取（{type(exc).__name__}）")
            continue
        key = str(mpath.parent.resolve())
        pre = summaries.get(key)
        wb = Path(m["parameters"].get("workbook", ""))
        recorded = m.get("inputs", {}).get("workbook", {}).get("sha256")
        changed = not wb.is_file() or (recorded and sha256(wb) != recorded)
        meta = {
            "report_dir": key,
            "report": str(mpath.parent / "report.html"),
            "created": m.get("created"),
            "manifest_checks": m.get("checks"),
            "workbook_changed": bool(changed and wb.is_file()),
        }
        if pre is None and (mpath.parent / "summary.json").is_file():
            # Written by the run itself (runner → unit_summary), when it does.
            try:
                pre = json.loads((mpath.parent / "summary.json").read_text(encoding="utf-8"))
            except (OSError, ValueError):
                pre = None
        if pre is not None and not changed:
            units.append({**pre, **meta})
        elif not wb.is_file():
            problems.append(f"{mpath.parent}：工作簿 {wb} 已不存在，无法汇总")
        else:
            todo.append((m, meta))
    if todo:
        if workers > 1 and len(todo) > 4:
            import multiprocessing as mp
            from concurrent.futures import ProcessPoolExecutor

            with ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("forkserver")) as pool:
                results = list(pool.map(_safe_summary, [m for m, _ in todo]))
        else:
            results = [_safe_summary(m) for m, _ in todo]
        for (_, meta), (summ, err) in zip(todo, results):
            if summ is None:
                problems.append(f"{meta['report_dir']}：无法重新计算（{err}）")
            else:
                units.append({**summ, **meta})

    failures = []
    bm = batch_manifest
    if bm is None and (reports_dir / "batch-manifest.json").is_file():
        bm = reports_dir / "batch-manifest.json"
    if bm is not None:
        data = bm if isinstance(bm, dict) else json.loads(Path(bm).read_text(encoding="utf-8"))
        for o in data.get("townships", []):
            if o.get("status") == "failed":
                failures.append(
                    {
                        "township": o.get("township"),
                        "year": o.get("year"),
                        "name": o.get("name"),
                        "params": o.get("params"),
                        "reason": (o.get("reason") or "").split("\n")[0],
                        "error_type": o.get("error_type"),
                    }
                )
    return Collected(units=units, failures=failures, problems=problems)


def _safe_summary(m: dict) -> tuple[dict | None, str | None]:
    try:
        return _summary_from_manifest(m), None
    except Exception as exc:  # noqa: BLE001 — one unreadable unit must not stop the roll-up
        return None, f"{type(exc).__name__}: {exc}"


# -- year on year -----------------------------------------------------------------------------
def year_on_year(units: list[dict]) -> list[dict]:
    """Add each unit's change from the previous year of the same township, when the roll-up
    holds that year too: ``converted_change`` (换算得分, computed else stated) and
    ``final_change`` (决算支出). Blank where there is no previous year or no figure."""
    by_key = {(u.get("township"), u.get("year")): u for u in units}
    for u in units:
        year = u.get("year")
        last = by_key.get((u.get("township"), year - 1)) if isinstance(year, int) else None
        for key, current, before in (
            ("converted_change", _score(u), _score(last) if last else None),
            ("final_change", _f(u.get("final_total")), _f(last.get("final_total")) if last else None),
        ):
            u[key] = None if current is None or before is None else current - before
    return units


# -- ordering ---------------------------------------------------------------------------------
def _score(u: dict) -> float | None:
    return u.get("converted") if u.get("converted") is not None else u.get("converted_stated")


def rank_units(units: list[dict]) -> list[dict]:
    """Add ``rank`` (1 = highest 换算得分, ties share a rank) and order for the summary:
    units with check errors first (most errors first), then by rank."""
    scored = sorted(((score, u) for u in units if (score := _score(u)) is not None), key=lambda su: -su[0])
    prev, rank = None, 0
    for i, (score, u) in enumerate(scored, 1):
        s = round(score, 2)
        if s != prev:
            rank, prev = i, s
        u["rank"] = rank
    for u in units:
        u.setdefault("rank", None)

    def key(u):
        return (
            0 if u.get("errors") else 1,
            -(u.get("errors") or 0) if u.get("errors") else 0,
            u["rank"] if u["rank"] is not None else 10**9,
            u.get("name") or "",
        )

    return sorted(units, key=key)


def _short(name: str | None) -> str:
    """保定市某县青石镇人民政府 → 青石镇 (for chart labels)."""
    import re

    n = str(name or "")
    n = re.sub(r"(人民政府|办事处)$", "", n)
    m = re.search(r"[^市县区]*(镇|乡|街道)$", n)
    return m.group(0) if m else n


# -- formatting -------------------------------------------------------------------------------
def _fmt(v: Any, kind: str) -> str:
    if is_blank(v):
        return "—"
    if kind == "int":
        return str(int(v))
    if kind == "num":
        from jixiao.rounding import fmt

        return fmt(float(v))
    if kind == "pct":
        from jixiao.rounding import fmt

        return fmt(float(v)) + "%"
    return str(v)


def _stats(units: list[dict]) -> dict[str, Any]:
    import statistics

    scores = [s for u in units if (s := _score(u)) is not None]
    rates = [u["execution_rate"] for u in units if u.get("execution_rate") is not None]
    grades: dict[str, int] = {}
    for u in units:
        if u.get("grade"):
            grades[u["grade"]] = grades.get(u["grade"], 0) + 1
    return {
        "units": len(units),
        "with_errors": sum(1 for u in units if u.get("errors")),
        "with_warnings": sum(1 for u in units if u.get("warnings")),
        "score_mean": statistics.fmean(scores) if scores else None,
        "score_median": statistics.median(scores) if scores else None,
        "score_min": min(scores) if scores else None,
        "score_max": max(scores) if scores else None,
        "rate_mean": statistics.fmean(rates) if rates else None,
        "rate_below_90": sum(1 for r in rates if r < 90),
        "grades": grades,
        "years": sorted({u.get("year") for u in units if u.get("year")}),
    }


# -- outputs ----------------------------------------------------------------------------------
@dataclass
class RollupResult:
    out_dir: Path
    html: Path
    xlsx: Path
    json: Path
    units: list[dict]
    failures: list[dict]
    problems: list[str]


def build_rollup(
    reports_dir: str | Path,
    out_dir: str | Path | None = None,
    *,
    title: str | None = None,
    summaries: dict[str, dict] | None = None,
    batch_manifest: str | Path | dict | None = None,
    workers: int = 1,
) -> RollupResult:
    """Write the county roll-up of the township reports under ``reports_dir``.

    Parameters
    ----------
    reports_dir : path
        The reports root (``reports/``: ``<township>/<year>/manifest.json`` inside).
    out_dir : path, optional
        Where to write; ``reports_dir/rollup`` by default (replaced whole).
    title : str, optional
        Page title; ``乡镇部门整体绩效自评汇总（<年度>年度）`` by default.
    summaries, batch_manifest, workers
        See :func:`collect`.

    Returns
    -------
    RollupResult

    Raises
    ------
    JixiaoError
        No township report was found under ``reports_dir``.
    """
    from jixiao.exceptions import JixiaoError
    from jixiao.report.publish import staged_output

    reports_dir = Path(reports_dir)
    if not reports_dir.is_dir():
        raise JixiaoError(f"找不到报告目录：{reports_dir}")
    col = collect(reports_dir, summaries=summaries, batch_manifest=batch_manifest, workers=workers)
    if not col.units and not col.failures:
        raise JixiaoError(
            f"{reports_dir} 下没有乡镇报告（应有 <乡镇>/<年度>/manifest.json）；请先运行 jixiao run 或 jixiao batch"
        )
    units = rank_units(year_on_year(col.units))
    stats = _stats(units)
    years = stats["years"]
    title = title or ("乡镇部门整体绩效自评汇总" + (f"（{'、'.join(map(str, years))}年度）" if years else ""))
    out_dir = Path(out_dir) if out_dir else reports_dir / "rollup"
    created = dt.datetime.now().astimezone()
    # Replaced whole, but only when it holds nothing else than what a roll-up writes.
    with staged_output(out_dir, owned=ROLLUP_FILES) as stage:
        from jixiao.scale.rollup_charts import rollup_charts  # matplotlib only when charts are drawn

        charts = rollup_charts(units) if units else {}
        page = _render_html(units, col.failures, col.problems, stats, charts, title, created, out_dir)
        (stage / "rollup.html").write_text(page, encoding="utf-8")
        _write_xlsx(stage / "rollup.xlsx", units, col.failures, stats, title, created)
        (stage / "rollup.json").write_text(
            json.dumps(
                {
                    "jixiao_version": __version__,
                    "created": created.isoformat(timespec="seconds"),
                    "title": title,
                    "stats": stats,
                    "units": units,
                    "failures": col.failures,
                    "problems": col.problems,
                },
                ensure_ascii=False,
                indent=2,
                default=str,
            ),
            encoding="utf-8",
        )
    return RollupResult(
        out_dir=out_dir,
        html=out_dir / "rollup.html",
        xlsx=out_dir / "rollup.xlsx",
        json=out_dir / "rollup.json",
        units=units,
        failures=col.failures,
        problems=col.problems,
    )


def _template_env():
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    base = TEMPLATES_DIR
    env = Environment(
        loader=FileSystemLoader([str(base / "rollup"), str(base / "nbconvert" / "jixiao")]),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["fmt"] = _fmt
    env.filters["short"] = _short
    return env


def _render_html(units, failures, problems, stats, charts, title, created, out_dir) -> str:
    env = _template_env()
    cols = [
        (k, *COLUMNS[k])
        for k in (
            "rank",
            "name",
            "converted",
            "converted_stated",
            "converted_change",
            "grade",
            "execution_rate",
            "execution_rate_stated",
            "debt_ratio",
            "cash_ratio",
            "current_ratio",
            "fixed_asset_newness",
            "projects",
            "errors",
            "warnings",
        )
    ]
    import os

    for u in units:
        target = Path(u.get("report", "")).resolve()
        try:  # relative to the page, so the folder can be moved or served as a whole
            rel = Path(os.path.relpath(target, Path(out_dir).resolve())).as_posix()
            # "./" first: a folder named like a URL scheme ("javascript:…") stays a path
            u["link"] = rel if rel.startswith("../") else "./" + rel
        except ValueError:  # another drive
            u["link"] = target.as_uri()
    return env.get_template("rollup.html.j2").render(
        title=title,
        units=units,
        failures=failures,
        problems=problems,
        stats=stats,
        charts=charts,
        cols=cols,
        created=created.strftime("%Y年%m月%d日 %H:%M"),
        version=__version__,
        score=_score,
    )


def _write_xlsx(path: Path, units, failures, stats, title, created) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    from jixiao.xlsx import put  # names come from workbooks: text stays text

    head_fill = PatternFill("solid", fgColor="DDEBF7")
    err_fill = PatternFill("solid", fgColor="FCE4E4")
    thin = Side(style="thin", color="999999")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wb = Workbook()

    def sheet(ws, rows, keys, heading):
        put(ws, 1, 1, heading).font = Font(bold=True, size=12)
        for j, k in enumerate(keys, 1):
            c = put(ws, 2, j, COLUMNS[k][0])
            c.font, c.fill, c.border = Font(bold=True), head_fill, box
            c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            ws.column_dimensions[get_column_letter(j)].width = 30 if k == "name" else (14 if k != "township" else 18)
        for i, u in enumerate(rows, 3):
            for j, k in enumerate(keys, 1):
                kind = COLUMNS[k][1]
                v = u.get(k)
                if kind == "pct" and v is not None:
                    v = v / 100  # an Excel percent cell
                c = put(ws, i, j, v)
                c.border = box
                if kind == "num":
                    c.number_format = "0.00"
                elif kind == "pct":
                    c.number_format = "0.00%"
                if u.get("errors"):
                    c.fill = err_fill
        ws.freeze_panes = "C3"
        ws.row_dimensions[2].height = 32

    keys = list(COLUMNS)
    ws = wb.active
    ws.title = "汇总"
    sheet(ws, units, keys, f"{title}（勾稽校验有错误的单位在前，其余按排名）")
    ws2 = wb.create_sheet("排名")
    ranked = sorted(units, key=lambda u: (u["rank"] is None, u["rank"] or 0, u.get("name") or ""))
    sheet(ws2, ranked, keys, f"{title}：按换算得分排名")
    ws3 = wb.create_sheet("未生成报告")
    put(ws3, 1, 1, "批量运行中未能生成报告的单位").font = Font(bold=True, size=12)
    for j, h in enumerate(["代码", "年度", "单位", "参数文件", "原因"], 1):
        c = put(ws3, 2, j, h)
        c.font, c.fill, c.border = Font(bold=True), head_fill, box
    for i, f in enumerate(failures, 3):
        for j, k in enumerate(["township", "year", "name", "params", "reason"], 1):
            put(ws3, i, j, f.get(k)).border = box
    for letter, w in zip("ABCDE", (16, 8, 30, 40, 90)):
        ws3.column_dimensions[letter].width = w
    ws4 = wb.create_sheet("说明")
    notes = [
        title,
        f"生成时间：{created.strftime('%Y-%m-%d %H:%M')}；jixiao {__version__}",
        "换算得分（计算）= 各考核类别得分合计（含加分、扣分）÷ 适用满分 × 100；适用满分取自工作簿填报数据，未填时取自参数文件。",
        "换算得分（所述）为单位在报告中陈述的换算得分；排名按计算值，无法计算时按所述值。",
        "等级：优 ≥ 90，良 ≥ 80，中 ≥ 60，其下为差（按评分方案）。",
        "项目整体支出进度（计算）= 填有预算数与执行数的项目执行数合计 ÷ 预算数合计 × 100%。",
        "财务比率取财务报告年度（填报数据“财务报告年度”）的资产负债数据：资产负债率 = 负债 ÷ 资产，现金比率 = 货币资金 ÷ 流动负债，"
        "流动比率 = 流动资产 ÷ 流动负债，固定资产成新率 = 净值 ÷ 原值。",
        "校验错误、警告为勾稽校验（jixiao check）的结果；有错误的单位在“汇总”表中排在前面并以红色底纹标出。",
        "换算得分较上年、决算支出较上年：与同一单位上一年度（汇总中有该年度时）相比的增减。",
        f"单位数 {stats['units']}，有校验错误 {stats['with_errors']}，未生成报告 {len(failures)}。",
    ]
    for i, line in enumerate(notes, 1):
        put(ws4, i, 1, line)
    ws4.column_dimensions["A"].width = 120
    wb.save(path)


def escape(text: Any) -> str:
    return html.escape(str(text))


def summaries_by_dir(outcomes: Iterable[dict | Any]) -> dict[str, dict]:
    """Output folder → roll-up figures, from a batch's outcomes (dicts or Outcome)."""
    out = {}
    for o in outcomes:
        d = o if isinstance(o, dict) else o.__dict__
        if d.get("status") == "ok" and d.get("summary") and d.get("out_dir"):
            out[str(Path(d["out_dir"]).resolve())] = d["summary"]
    return out
