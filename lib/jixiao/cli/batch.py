"""The ``jixiao batch``, ``jixiao rollup`` and ``jixiao synth`` commands.

Errors follow the CLI's rules: a :class:`~jixiao.exceptions.JixiaoError` becomes a Chinese message and its
exit code (a batch with failed townships exits 1, bad input 2, Ctrl-C 130).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from jixiao.cli.app import app, err, out, plain, wide
from jixiao.exceptions import InputError, JixiaoError, Problem

STATUS_LABELS = {"ok": "完成", "failed": "失败", "skipped": "跳过"}
STATUS_STYLES = {"ok": "green", "failed": "bold red", "skipped": "cyan"}


class BatchFailed(JixiaoError):
    """Some townships of a batch failed (each is listed with its reason)."""

    exit_code = 1


@app.command()
def batch(
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="PARAMS.yaml…", help="参数文件、含参数文件的目录、通配符，或批量运行清单（runset.yaml）"
        ),
    ],
    workers: Annotated[
        int | None, typer.Option("--workers", "-j", help="本机工作进程数（默认为 CPU 核数；0 表示在本进程中依次运行）")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="输入未变的单位也重新生成")] = False,
    formats: Annotated[
        str | None,
        typer.Option("--format", "-f", metavar="html,pdf,docx", help="输出格式（默认取各参数文件的 report.formats）"),
    ] = None,
    scheduler: Annotated[
        str | None, typer.Option(help="Dask 调度器地址（如 tcp://HOST:8786）：在 Dask 集群上运行")
    ] = None,
    retries: Annotated[int | None, typer.Option(help="内核启动失败时的重试次数")] = None,
    manifest: Annotated[
        Path | None, typer.Option(help="批量运行清单（JSON）的输出路径（默认为报告根目录下的 batch-manifest.json）")
    ] = None,
    rollup: Annotated[bool, typer.Option("--rollup", help="结束后生成县级汇总（报告根目录下的 rollup/）")] = False,
    notebooks: Annotated[
        Path | None,
        typer.Option(
            help="章节笔记本目录，结构同仓库的 notebooks/（重点评价的笔记本在其 key_project/ 下；默认即仓库中的 notebooks/）"
        ),
    ] = None,
) -> None:
    """批量生成多个乡镇的报告：本机进程池（或 Dask 集群），显示总进度，结束时给出汇总表与运行清单；有失败时退出码为 1。"""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from jixiao.scale.batch import run_batch
    from jixiao.scale.pool import default_workers
    from jixiao.scale.runset import RunSet, expand_params, is_runset, load_runset
    from jixiao.scale.task import KERNEL_RETRIES

    rs = RunSet(params=[])
    plain = []
    for p in paths:
        if p.is_file() and p.suffix.lower() in (".yaml", ".yml") and is_runset(p):
            got = load_runset(p)
            rs.params += [x for x in got.params if x not in rs.params]
            for k in ("workers", "formats", "scheduler", "manifest", "rollup", "notebooks"):
                if getattr(got, k) is not None:
                    setattr(rs, k, getattr(got, k))
            rs.force = rs.force or got.force
            rs.retries = got.retries
        else:
            plain.append(str(p))
    if plain:
        rs.params += [x for x in expand_params(plain) if x not in rs.params]
    if not rs.params:
        raise InputError(Problem("命令行", None, None, "", "至少一个参数文件", "没有要运行的参数文件"))
    # Command-line options win over the run-set file.
    if workers is not None:
        rs.workers = workers
    if formats is not None:
        from jixiao.export.formats import parse_formats

        rs.formats = parse_formats(formats)
    if scheduler is not None:
        rs.scheduler = scheduler
    if retries is not None:
        rs.retries = retries
    if manifest is not None:
        rs.manifest = manifest
    if notebooks is not None:
        rs.notebooks = notebooks
    rs.force = rs.force or force
    n_workers = default_workers() if rs.workers is None else rs.workers
    where = f"Dask 集群 {rs.scheduler}" if rs.scheduler else (f"{n_workers} 个工作进程" if n_workers else "本进程")

    failures_shown = []
    with Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn(
            "完成 [green]{task.fields[ok]}[/] · 失败 [red]{task.fields[failed]}[/] · "
            "跳过 [cyan]{task.fields[skipped]}[/] · 剩余 {task.fields[remaining]}"
        ),
        TimeElapsedColumn(),
        TextColumn("预计剩余"),
        TimeRemainingColumn(),
        console=err,
        transient=False,
    ) as progress:
        task = progress.add_task(
            f"批量生成（{where}）", total=len(rs.params), ok=0, failed=0, skipped=0, remaining=len(rs.params)
        )
        state = {"ok": 0, "failed": 0, "skipped": 0}

        def on_event(kind, outcome, info):
            if kind == "plan":
                # Skipped townships take no time: leave them out of the bar (and its ETA).
                progress.update(task, total=info["to_run"], remaining=info["to_run"])
            elif kind in ("skipped", "done"):
                state[outcome.status] += 1
                if kind == "done":
                    progress.advance(task)
                if outcome.status == "failed":
                    failures_shown.append(outcome)
                    progress.console.print(
                        Text.assemble(
                            ("✗ ", "bold red"), (_label(outcome), "bold"), "：", outcome.reason.split("\n")[0]
                        )
                    )
                done = state["ok"] + state["failed"]
                total = progress.tasks[0].total or 0
                progress.update(
                    task,
                    ok=state["ok"],
                    failed=state["failed"],
                    skipped=state["skipped"],
                    remaining=max(0, int(total) - done),
                )

        result = run_batch(
            rs.params,
            workers=rs.workers,
            formats=rs.formats,
            force=rs.force,
            retries=KERNEL_RETRIES if rs.retries is None else rs.retries,
            scheduler=rs.scheduler,
            notebooks_dir=rs.notebooks,
            manifest=rs.manifest,
            on_event=on_event,
        )
    _print_summary(result)
    if (rs.rollup is not None or rollup) and not result.interrupted:
        _rollup_after(result, rs.rollup)
    if result.interrupted:
        left = sum(1 for o in result.outcomes if o.status == "skipped" and o.reason.startswith("已中断"))
        err.print(
            f"[bold yellow]已中断[/]：{left} 个单位未完成（未留下半成品，下次运行时会重新生成）；"
            f"已完成的 {result.count('ok')} 份报告完整保留。"
        )
        raise KeyboardInterrupt
    if result.failed:
        names = "、".join(_label(o) for o in result.failed[:10]) + (" 等" if len(result.failed) > 10 else "")
        raise BatchFailed(f"{len(result.failed)} 个单位未能生成报告：{names}（原因见上表与 {result.manifest}）")


def _label(o) -> str:
    if o.township:
        return f"{o.name or o.township}" + (f" {o.year}" if o.year else "")
    return Path(o.params).name


def _print_summary(result) -> None:
    t = result.totals()
    table = Table(title=f"批量运行结果：完成 {t['ok']}，失败 {t['failed']}，跳过 {t['skipped']}", show_lines=False)
    table.add_column("单位", overflow="fold")
    table.add_column("年度", no_wrap=True)
    table.add_column("状态", no_wrap=True)
    table.add_column("用时", justify="right", no_wrap=True)
    table.add_column("说明", overflow="fold", ratio=1, min_width=30)
    rows = result.outcomes
    hidden = 0
    if len(rows) > 60:  # a province: list what needs attention, count the rest
        keep = [o for o in rows if o.status == "failed"]
        hidden = len(rows) - len(keep)
        rows = keep
    order = {"failed": 0, "ok": 1, "skipped": 2}
    for o in sorted(rows, key=lambda o: (order[o.status], o.township or "")):
        note = o.reason.split("\n")[0] if o.status != "ok" else (o.out_dir or "")
        if o.status == "ok" and o.attempts > 1:
            note += f"（内核重试 {o.attempts - 1} 次）"
        table.add_row(
            Text(o.name or o.township or Path(o.params).name),
            str(o.year or ""),
            Text(STATUS_LABELS[o.status], style=STATUS_STYLES[o.status]),
            f"{o.seconds:.1f} 秒" if o.status != "skipped" else "",
            Text(note),
        )
    wide().print(table)
    if hidden:
        out.print(f"（另有 {hidden} 个完成或跳过的单位未列出，见运行清单）")
    speed = (
        f"，平均每个单位 {t['task_seconds'] / max(1, t['ok'] + t['failed']):.1f} 秒" if t["ok"] + t["failed"] else ""
    )
    where = {
        "local": f"{result.workers} 个工作进程",
        "dask": f"Dask（{result.workers} 个 worker）",
        "inline": "本进程",
    }[result.backend]
    out.print(
        f"共 {t['townships']} 个单位：[green]完成 {t['ok']}[/]，[red]失败 {t['failed']}[/]，"
        f"[cyan]跳过 {t['skipped']}[/]；用时 {t['seconds']:.1f} 秒（{where}{speed}）。"
    )
    if result.manifest:
        out.print(Text.assemble("运行清单：", plain(result.manifest)))


def _rollup_after(result, root: Path | None) -> None:
    from jixiao.scale.rollup import build_rollup, summaries_by_dir

    reports = Path(root) if root else (result.manifest.parent if result.manifest else Path("reports"))
    try:
        r = build_rollup(reports, summaries=summaries_by_dir(result.outcomes), batch_manifest=result.to_dict())
    except JixiaoError as exc:
        err.print(Text.assemble(("未生成汇总：", "yellow"), plain(exc)))
        return
    out.print(Text.assemble("县级汇总：", plain(r.html), f"（{len(r.units)} 个单位）、", plain(r.xlsx)))


@app.command()
def rollup(
    reports_dir: Annotated[Path, typer.Argument(help="报告根目录（含 <乡镇>/<年度>/manifest.json）")] = Path("reports"),
    out_dir: Annotated[Path | None, typer.Option("--out", help="输出目录（默认为 报告根目录/rollup）")] = None,
    title: Annotated[str | None, typer.Option(help="汇总标题")] = None,
    manifest: Annotated[
        Path | None,
        typer.Option(help="批量运行清单（默认为报告根目录下的 batch-manifest.json）：列出未能生成报告的单位"),
    ] = None,
    workers: Annotated[int, typer.Option("--workers", "-j", help="重新计算各单位数据的进程数")] = 1,
) -> None:
    """县级汇总：各单位换算得分与等级、支出进度、财务比率、校验错误与警告，排名与分布图（rollup.html、rollup.xlsx）。"""
    from jixiao.scale.rollup import build_rollup

    r = build_rollup(reports_dir, out_dir, title=title, batch_manifest=manifest, workers=workers)
    n_err = sum(1 for u in r.units if u.get("errors"))
    out.print(Text.assemble(("汇总已生成", "bold green"), "：", plain(r.html)))
    out.print(Text.assemble("　　　　　 ", plain(r.xlsx)))
    out.print(
        f"{len(r.units)} 个单位（勾稽校验有错误 {n_err} 个）"
        + (f"，未生成报告 {len(r.failures)} 个" if r.failures else "")
        + "。"
    )
    for p in r.problems:
        err.print(Text.assemble(("未能汇总：", "yellow"), plain(p)))


@app.command()
def synth(
    n: Annotated[int, typer.Option("--n", min=1, help="生成的乡镇个数")],
    out_dir: Annotated[Path, typer.Option("--out", help="输出目录（workbooks/、params/、synth.json）")],
    seed: Annotated[int, typer.Option(help="随机种子：相同种子生成相同数据")] = 0,
    year: Annotated[int, typer.Option(help="年度")] = 2023,
    inconsistent_share: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="有意设置勾稽不一致（校验会报错误）的单位比例")
    ] = 0.2,
    broken: Annotated[int, typer.Option(min=0, help="有意损坏（无法通过 validate）的单位个数")] = 0,
    broken_share: Annotated[
        float | None, typer.Option(min=0.0, max=1.0, help="有意损坏的单位比例（代替 --broken）")
    ] = None,
    min_projects: Annotated[int, typer.Option(min=1, help="最少项目数")] = 5,
    max_projects: Annotated[int, typer.Option(min=1, help="最多项目数")] = 200,
    formats: Annotated[
        str | None,
        typer.Option("--format", "-f", metavar="html,pdf,docx", help="写入参数文件的 report.formats（默认 html）"),
    ] = None,
    output_dir: Annotated[
        Path | None, typer.Option(help="写入参数文件的报告输出目录（默认为 输出目录/reports）")
    ] = None,
    years: Annotated[
        str | None,
        typer.Option(
            metavar="FIRST-LAST",
            help="连续年度（如 2022-2024，代替 --year）：每个乡镇各年度的工作簿前后衔接，参数文件以 previous: 指向上一年度",
        ),
    ] = None,
    crossyear_share: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="与 --years 同用：最后一年有意设置跨年度不一致的单位比例")
    ] = 0.5,
) -> None:
    """生成合成乡镇工作簿与参数文件（名称、项目、金额、文字均随机生成且相互勾稽），供测试与基准使用。"""
    from jixiao.scale.synth import generate

    span = _years(years) if years else None

    if min_projects > max_projects:
        raise InputError(
            Problem(
                "命令行",
                None,
                None,
                f"{min_projects} > {max_projects}",
                "最少项目数 ≤ 最多项目数",
                "--min-projects 不能大于 --max-projects",
            )
        )
    fmts = None
    if formats:
        from jixiao.export.formats import parse_formats

        fmts = parse_formats(formats)
    made = generate(
        out_dir,
        n,
        seed=seed,
        year=year,
        inconsistent_share=inconsistent_share,
        broken=broken,
        broken_share=broken_share,
        projects=(min_projects, max_projects),
        output_dir=output_dir.resolve() if output_dir else None,
        formats=fmts,
        years=span,
        crossyear_share=crossyear_share,
    )
    if len(made) <= 40:
        table = Table(title=f"合成乡镇（seed {seed}）")
        for col in ("单位", "代码", "项目数", "类型", "说明"):
            table.add_column(col, overflow="fold")
        kinds = {"valid": "有效", "inconsistent": "有意不一致", "broken": "有意损坏"}
        for t in made:
            note = (
                t.broken_reason
                or "、".join([*t.inconsistencies, *t.crossyear])
                or ("缺表：" + "、".join(t.omitted_sheets) if t.omitted_sheets else "")
            )
            table.add_row(t.name, t.slug, str(t.projects), kinds[t.kind], note)
        wide().print(table)
    counts = {k: sum(t.kind == k for t in made) for k in ("valid", "inconsistent", "broken")}
    if span is not None:
        out.print(
            f"{n} 个乡镇 × {span[1] - span[0] + 1} 个年度（{span[0]}–{span[1]}）；"
            f"有意设置跨年度不一致 {sum(bool(t.crossyear) for t in made)} 个。",
            markup=False,
        )
    out.print(
        f"已生成 {len(made)} 个{'乡镇年度' if span else '乡镇'}：有效 {counts['valid']}，有意不一致 {counts['inconsistent']}，"
        f"有意损坏 {counts['broken']}；项目数 {min(t.projects for t in made if t.projects)}–{max(t.projects for t in made)}。"
    )
    out.print(f"参数文件：{out_dir / 'params'}；说明：{out_dir / 'synth.json'}", markup=False)
    out.print(f"下一步：jixiao batch {out_dir / 'params'} --rollup", markup=False)


def _years(text: str) -> tuple[int, int]:
    """``2022-2024`` → (2022, 2024); a single year ``2023`` → (2023, 2023)."""
    import re

    m = re.fullmatch(r"\s*(\d{4})\s*(?:[-–~至]\s*(\d{4}))?\s*", text)
    first, last = (int(m.group(1)), int(m.group(2) or m.group(1))) if m else (0, -1)
    if not m or not 1990 <= first <= last <= 2100 or last - first > 20:
        raise InputError(
            Problem("命令行", None, None, text, "FIRST-LAST，如 2022-2024", "--years 应为起止年度，如 2022-2024")
        )
    return first, last
