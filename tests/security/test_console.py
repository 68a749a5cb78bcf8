"""Text from files reaches the console literally (issue #14).

Square brackets in a unit or project name are not rich markup (``[/]`` used to crash,
``[link=…]`` made a live link), and control characters in file names, parameters and
messages (ANSI colours, OSC 8 hyperlinks, BEL, carriage return) are shown escaped, never
sent to the terminal: on every path that prints file text.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from openpyxl import load_workbook as open_xlsx

from jixiao.cli import main

from support import EXAMPLE_PARAMS, EXAMPLE_XLSX, portable

MARKUP = "[link=http://example.com/x]点击[/link][/][bold red]东史端"
#: Colour, bell, an OSC 8 hyperlink and a carriage return (no "/": it is also a file name).
ESC = "\x1b[31m红\x07\x1b]8;;mailto:x@evil.example\x1b\\链接\x1b]8;;\x1b\\\r尾"
#: What the terminal shows for ESC: every control character as a visible escape.
ESC_SHOWN = "\\x1b[31m红\\x07\\x1b]8;;mailto:x@evil.example\\x1b\\链接\\x1b]8;;\\x1b\\\\x0d尾"
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


def _flat(text: str) -> str:
    """Console output without table borders, spaces and line breaks (a long name folds
    across lines of its cell)."""
    return re.sub(r"[\s│┃─━┏┓┗┛┡┩└┘┌┐├┤┼╇╈╋╭╮╰╯]+", "", text)


def _no_control(*texts: str) -> None:
    for text in texts:
        assert CONTROL.search(text) is None, repr(CONTROL.findall(text))


@pytest.fixture
def hostile(tmp_path) -> Path:
    """The example with markup in the unit name and a project name, saved under a file
    name holding control characters."""
    path = tmp_path / f"工作簿{ESC}.xlsx"
    shutil.copy(EXAMPLE_XLSX, path)
    wb = open_xlsx(path)
    for row in wb["基本信息"].iter_rows():
        if row[0].value == "单位名称":
            row[1].value = MARKUP
    wb["项目"]["B3"].value = "[/]" + wb["项目"]["B3"].value
    wb.save(path)
    return path


def test_validate_prints_names_and_paths_literally(hostile, capsys):
    assert main(["validate", str(hostile), "--year", "2023"]) == 0
    out, err = capsys.readouterr()
    _no_control(out, err)
    assert _flat(MARKUP) in _flat(out)
    assert _flat(ESC_SHOWN) in _flat(out)


def test_check_prints_names_literally(hostile, capsys):
    assert main(["check", str(hostile)]) in (0, 1)
    out, err = capsys.readouterr()
    _no_control(out, err)
    assert _flat(MARKUP) in _flat(out)


def test_check_json_stays_json(hostile, capsys):
    assert main(["check", str(hostile), "--format", "json"]) in (0, 1)
    out = capsys.readouterr().out
    _no_control(out)
    assert isinstance(json.loads(out), list)


def test_error_messages_print_found_values_literally(tmp_path, capsys):
    """A problem quotes what it found: brackets and escape sequences included."""
    bad = tmp_path / f"坏{ESC}.xlsx"
    shutil.copy(EXAMPLE_XLSX, bad)
    wb = open_xlsx(bad)
    wb["项目"]["A3"].value = MARKUP  # 序号 must be a whole number
    wb.save(bad)
    assert main(["validate", str(bad)]) == 2
    out, err = capsys.readouterr()
    _no_control(out, err)
    assert MARKUP in err and ESC_SHOWN in err


def test_parameters_text_is_printed_escaped(tmp_path, capsys):
    """Values quoted from a parameters file (an invalid township, a unit name that is not
    the workbook's) print escaped, through both kinds of error message."""
    raw = portable(EXAMPLE_PARAMS)
    raw.update(workbook=str(EXAMPLE_XLSX), name=MARKUP + ESC)
    params = tmp_path / "params.yaml"
    params.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    assert main(["validate", str(params)]) == 2
    err = capsys.readouterr().err
    _no_control(err)
    assert MARKUP + ESC_SHOWN in err

    raw.update(township="dong" + ESC, name=None)
    params.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    assert main(["validate", str(params)]) == 2
    err = capsys.readouterr().err
    _no_control(err)
    assert "dong" + ESC_SHOWN in err


def test_run_summary_prints_paths_and_findings_literally(tmp_path, capsys):
    from jixiao.cli.app import print_run_summary

    folder = tmp_path / f"reports{ESC}"
    finding = SimpleNamespace(severity="error", title=MARKUP, message=ESC)
    result = SimpleNamespace(
        findings=[finding],
        report=folder / "report.html",
        outputs={"html": folder / "report.html", "pdf": folder / "report.pdf"},
        seconds=1.0,
        sections=["a"],
        review=folder / "review.html",
        draft=True,
        open_errors=[finding],
    )
    print_run_summary(result, "报告已生成", (f"{MARKUP}：综合得分 90 分",))
    out, err = capsys.readouterr()
    _no_control(out, err)
    flat = _flat(out)
    assert _flat(MARKUP) in flat and _flat(ESC_SHOWN) in flat
    assert flat.count(_flat(f"reports{ESC_SHOWN}")) == 3  # report, pdf and review, each literal


def test_a_console_escapes_control_characters_whatever_prints_them(capsys):
    """The backstop: text printed without :func:`plain` still cannot reach the terminal raw
    (rich itself drops BEL and CR; escape sequences are shown escaped)."""
    from rich.text import Text

    from jixiao.cli.app import err, out

    out.print(Text("A" + ESC))
    out.print("B" + ESC, markup=False)
    err.print("C :thumbs_up:" + ESC, markup=False)
    o, e = capsys.readouterr()
    _no_control(o, e)
    shown = "\\x1b[31m红"
    assert "A" + shown in o and "B" + shown in o
    assert "C :thumbs_up:" + shown in e
