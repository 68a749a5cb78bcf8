"""Commands on a workbook: ``validate``, ``check``, ``template``, ``docs``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from jixiao.cli.app import app, dump_json, load_any, out, plain, problem, wide
from jixiao.exceptions import InputError


@app.command()
def validate(
    path: Annotated[Path, typer.Argument(help="参数文件（params/*.yaml）或工作簿（.xlsx）")],
    year: Annotated[int | None, typer.Option(help="期望的年度（直接给工作簿时）")] = None,
) -> None:
    """载入并校验工作簿：通过时打印摘要（退出码 0），否则列出全部问题（退出码 2）。"""
    _params, ds = load_any(path, year)
    # Names, paths and values are the file's text: plain, never markup.
    table = Table(title=plain(f"工作簿校验通过：{ds.path.name}", "table.title"), show_header=False)
    for k, v in ds.summary().items():
        table.add_row(plain(k), plain(v))
    out.print(table)
    out.print(
        f"{ds.summary()['项目']} 个项目（projects），{len(ds.functions)} 个功能分类，{len(ds.indicators)} 个项目指标。"
    )


@app.command()
def check(
    path: Annotated[Path, typer.Argument(help="参数文件（params/*.yaml）或工作簿（.xlsx）")],
    format: Annotated[str, typer.Option("--format", help="输出格式：table（表格）或 json")] = "table",
) -> None:
    """勾稽校验：核对合计、占比、比率与计数，列出全部结果；有未更正也未在“校验说明”表中说明的错误时退出码为 1。"""
    from rich.text import Text

    from jixiao.analysis.checks import SEVERITIES, SEVERITY_LABELS, ChecksFailed, run_checks, summarize
    from jixiao.review import read_acknowledgements, review_findings
    from jixiao.rounding import fmt

    if format not in ("table", "json"):
        raise InputError([problem(str(path), format, "table 或 json", "--format 只能是 table 或 json")])
    params, ds = load_any(path)
    findings = run_checks(ds, params)
    counts = summarize(findings)
    reviewed = review_findings(findings, read_acknowledgements(ds))
    answer = {id(f): ack for f, ack in reviewed.items if ack is not None}
    if format == "json":
        # Plain echo: rich would treat brackets in messages as markup.
        typer.echo(
            dump_json(
                [{**f.to_dict(), "acknowledged": answer[id(f)].reason if id(f) in answer else None} for f in findings]
            )
        )
    else:
        table = Table(title=plain(f"勾稽校验：{ds.name} {ds.year}年度", "table.title"), show_lines=True)
        table.add_column("结果", no_wrap=True, min_width=4)
        table.add_column("编号", overflow="fold")
        table.add_column("说明", overflow="fold", ratio=1, min_width=30)
        table.add_column("所述", no_wrap=True)
        table.add_column("计算", no_wrap=True)
        table.add_column("单元格", overflow="fold")
        style = {"error": "bold red", "warning": "yellow", "info": "cyan", "pass": "green"}

        def number(x):  # counts and scores print as 8 and 91, amounts as 2607.15
            return "" if x is None else (str(int(x)) if float(x).is_integer() else fmt(x))

        # Errors first: that is what has to be fixed before the report goes out.
        for f in sorted(findings, key=lambda f: SEVERITIES.index(f.severity)):
            ack = answer.get(id(f))
            table.add_row(
                Text(SEVERITY_LABELS[f.severity] + ("\n已说明" if ack else ""), style=style[f.severity]),
                plain(f.id),
                plain(f.message + (f"\n【已说明】{ack.reason}" if ack else "")),
                number(f.stated),
                number(f.computed),
                plain("\n".join(f.cells)),
            )
        # Redirected to a file, rich would assume 80 columns and fold every message.
        wide().print(table)
        out.print(
            f"共 {len(findings)} 项：" + "，".join(f"{SEVERITY_LABELS[s]} {counts[s]}" for s in SEVERITIES) + "。",
            markup=False,
        )
        for a in reviewed.unmatched:
            out.print(f"“校验说明”{a.cell}（{a.check}）未对应任何发现，请核对。", markup=False)
    if reviewed.open_errors:
        # Raised rather than typer.Exit(code=1): main() runs the app with
        # standalone_mode=False, where click returns an Exit's code instead of raising it,
        # and main() would report success.
        answered = counts["error"] - len(reviewed.open_errors)
        raise ChecksFailed(
            f"勾稽校验发现 {counts['error']} 个错误"
            + (f"（{answered} 个已说明）" if answered else "")
            + f"，{len(reviewed.open_errors)} 个尚未更正或说明"
        )


#: What ``jixiao template --kind`` writes.
_KINDS = ("township", "key-project", "project-form")


@app.command()
def template(
    out_path: Annotated[Path, typer.Argument(metavar="OUT.xlsx", help="输出的空白模板")],
    data: Annotated[Path | None, typer.Option(help="用此目录中的 YAML 转录数据填充（开发用）")] = None,
    kind: Annotated[
        str,
        typer.Option(
            help="township（乡镇年度工作簿）、key-project（重点评价项目工作簿）"
            "或 project-form（项目支出绩效自评表，全国通用格式）"
        ),
    ] = "township",
    from_params: Annotated[
        Path | None,
        typer.Option(
            "--from",
            metavar="PARAMS.yaml",
            help="上年度的参数文件：结转单位信息、股室、绩效目标架构、延续项目，并以上年本年数填写上年数",
        ),
    ] = None,
    year: Annotated[int | None, typer.Option(help="新工作簿的年度（与 --from 同用；默认为上年度 + 1）")] = None,
) -> None:
    """写出空白工作簿模板（表头、批注、下拉选项与数值校验）；--from 上年参数文件：预填可结转的内容。"""
    from jixiao.workbook.template import read_transcription, write_workbook

    if out_path.suffix.lower() != ".xlsx":
        raise InputError([problem(str(out_path), out_path.suffix or "无扩展名", ".xlsx", "输出文件应以 .xlsx 结尾")])
    if kind not in _KINDS:
        raise InputError([problem(str(out_path), kind, "、".join(_KINDS), "--kind 只能是 " + "、".join(_KINDS))])
    if kind == "project-form" and data is not None:
        raise InputError([problem(str(data), "--data", "不用 --data", "自评表模板是空白表，不用 --data 填充")])
    if from_params is not None and (kind != "township" or data is not None):
        raise InputError(
            [problem(str(from_params), "--from", "单独使用 --from", "--from 只用于乡镇年度工作簿，且不与 --data 同用")]
        )
    if year is not None and from_params is None:
        raise InputError([problem("命令行", f"--year {year}", "--from 上年参数文件", "--year 只与 --from 同用")])
    content = read_transcription(data) if data else None
    label = f"数据来源：{data}" if data else None
    if kind == "key-project":
        from jixiao.keyproject import write_key_project_template

        write_key_project_template(out_path, content, label=label)
    elif kind == "project-form":
        from jixiao.forms.write import write_form_template

        write_form_template(out_path)
    elif from_params is not None:
        _carried_template(out_path, from_params, year)
    else:
        write_workbook(out_path, content, label=label)
    out.print(plain(f"已写出 {out_path}"))


def _carried_template(out_path: Path, from_params: Path, year: int | None) -> None:
    """``template --from``: next year's workbook with what carries over from last year's
    (``config/carry.yaml``), each carried cell commented with its source cell."""
    from jixiao.params import load_params
    from jixiao.workbook.carry import carry_forward, source_name
    from jixiao.workbook.load import load_workbook
    from jixiao.workbook.template import write_workbook

    last_params = load_params(from_params)
    if year is not None and year <= last_params.year:
        raise InputError(
            [
                problem(
                    "命令行",
                    f"--year {year}",
                    f"晚于 {last_params.year} 的年度",
                    f"--year 应晚于上年度参数文件 {from_params} 的年度 {last_params.year}",
                )
            ]
        )
    last = load_workbook(
        last_params.workbook, year=last_params.year, name=last_params.name, name_from=last_params.source
    )
    data, comments = carry_forward(last, year)
    new_year = data["基本信息"]["年度"]
    if new_year != last_params.year + 1:
        out.print(
            plain(
                f"注意：{new_year} 年的上年为 {new_year - 1} 年，不是 {last_params.year} 年：上年数未预填，请按上年报告填写。"
            )
        )
    write_workbook(
        out_path,
        data,
        comments=comments,
        label=(
            f"{new_year}年度工作簿，由 {source_name(last)}（{last_params.year}年度）结转：单位信息、股室、绩效目标架构、"
            "延续项目（“说明”列标注“延续（请确认）”）和各“上年”“上年末”数已预填，批注注明其在上年工作簿中的单元格；"
            "本年数字均为空白，请按本年情况填写并确认结转内容。"
        ),
    )
    out.print(
        plain(
            f"已由 {source_name(last)} 结转：{len(data.get('股室', []))} 个股室、"
            f"{len(data.get('绩效目标架构', []))} 条绩效目标架构、{len(data.get('项目', []))} 个延续项目（请确认）、"
            f"{sum(1 for text in comments.values() if text.startswith('取自上年'))} 个上年数。"
        )
    )


@app.command()
def docs(
    out_path: Annotated[Path, typer.Argument(help="数据字典输出路径")] = Path("docs/data-format.md"),
) -> None:
    """由格式定义生成数据字典（docs/data-format.md）。"""
    from jixiao.workbook.datadict import render_data_dictionary

    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(render_data_dictionary(), encoding="utf-8")
    out.print(plain(f"已写出 {out_path}"))
