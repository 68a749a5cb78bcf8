"""Hostile or careless input files: Excel error values, stored line breaks, a parameters
file naming another unit, and files built to exhaust memory (issue #14).

Each case is refused with a clear message (or read correctly), never accepted silently and
never allowed to take the machine down: the memory cases run in a child process with a
bounded address space, so that even a regression cannot exhaust the test machine.
"""

from __future__ import annotations

import posixpath
import re
import subprocess
import sys
import textwrap
import time
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook as open_xlsx
from pydantic import BaseModel, ConfigDict

from jixiao.cli import main
from jixiao.exceptions import ConfigError, WorkbookError
from jixiao.workbook.load import load_workbook

from support import EXAMPLE_PARAMS, EXAMPLE_XLSX, ROOT, portable

PYTHON = sys.executable


def _edit(path: Path, sheet: str, cell: str, value, data_type: str | None = None) -> None:
    wb = open_xlsx(path)
    c = wb[sheet][cell]
    c.value = value
    if data_type is not None:
        c.data_type = data_type
    wb.save(path)


def _project_name_cell(ds) -> str:
    """The cell of the example's first project name (``B3``-style)."""
    return ds.cell("projects", "name", int(ds.tables["projects"]["_row"].iloc[0])).split("!")[1]


def _params(tmp_path: Path, workbook: Path, **changes) -> Path:
    raw = portable(EXAMPLE_PARAMS)
    raw.update(workbook=str(workbook), output_dir=str(tmp_path / "reports"), **changes)
    path = tmp_path / "params.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


# -- Excel error values ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("error", ["#REF!", "#N/A", "#DIV/0!", "#VALUE!", "#NAME?"])
def test_an_error_value_in_a_text_column_is_an_error_at_its_cell(error, example_copy, example_ds):
    """A project name that is a failed formula is not a name: reported at its cell."""
    cell = _project_name_cell(example_ds)
    _edit(example_copy, "项目", cell, error, "e")
    with pytest.raises(WorkbookError) as info:
        load_workbook(example_copy, year=2023)
    [p] = [p for p in info.value.problems if p.cell == cell]
    assert (p.sheet, p.found) == ("项目", error)
    assert "Excel 错误值" in p.message and "Excel 错误值" in p.expected


def test_an_error_value_in_a_numeric_column_and_in_a_key_says_so(example_copy, example_ds):
    money = example_ds.cell("projects", "budget", int(example_ds.tables["projects"]["_row"].iloc[0])).split("!")[1]
    name = example_ds.locations["unit"]["name"]
    _edit(example_copy, "项目", money, "#DIV/0!", "e")
    _edit(example_copy, "基本信息", name, "#REF!", "e")
    with pytest.raises(WorkbookError) as info:
        load_workbook(example_copy, year=2023)
    for (sheet, cell), error in (("项目", money), "#DIV/0!"), (("基本信息", name), "#REF!"):
        [p] = [p for p in info.value.problems if (p.sheet, p.cell, p.found) == (sheet, cell, error)]
        assert "Excel 错误值" in p.message


def test_validate_reports_an_error_value_with_exit_code_2(example_copy, example_ds, capsys):
    cell = _project_name_cell(example_ds)
    _edit(example_copy, "项目", cell, "#REF!", "e")
    assert main(["validate", str(example_copy), "--year", "2023"]) == 2
    err = capsys.readouterr().err
    assert f"项目!{cell}" in err and "#REF!" in err and "Excel 错误值" in err


# -- _xHHHH_ escapes -----------------------------------------------------------------------------------------------


def test_stored_line_breaks_are_decoded(example_copy, example_ds):
    """``_x000D_`` (a Windows line break as some writers store it) reads as a line break."""
    cell = _project_name_cell(example_ds)
    _edit(example_copy, "项目", cell, "第一行_x000D_\n第二行")
    ds = load_workbook(example_copy, year=2023)
    assert ds.tables["projects"]["name"].iloc[0] == "第一行\n第二行"


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("a_x000D_b", "a\nb"),
        ("a_x000d__x000A_b", "a\nb"),
        ("a\rb", "a\nb"),
        ("制表_x0009_符", "制表\t符"),
        ("_x005F_x000D_", "_x000D_"),  # an escaped underscore: the text _x000D_ itself
        ("铃_x0007_声", "铃声"),  # a control character Excel does not show
        ("x000D_ 与 _x00_", "x000D_ 与 _x00_"),  # not escapes
    ],
)
def test_excel_text_decodes_the_ooxml_escapes(stored, shown):
    from jixiao.workbook.cells import excel_text

    assert excel_text(stored) == shown


# -- parameters name vs the workbook's 单位名称 ---------------------------------------------------------------------


def test_a_parameters_file_naming_another_unit_is_refused(tmp_path, example_ds, capsys):
    params = _params(tmp_path, EXAMPLE_XLSX, name="保定市徐水区大王店镇人民政府")
    where = f"基本信息!{example_ds.locations['unit']['name']}"
    # run refuses it before any kernel starts (nothing written); batch and roll-up load the same way
    for command in ("validate", "check", "run"):
        assert main([command, str(params)]) == 2
        err = capsys.readouterr().err
        assert "保定市徐水区大王店镇人民政府" in err and example_ds.name in err
        assert where in err and "name" in err
    assert not (tmp_path / "reports").exists()


def test_the_same_name_spelt_differently_is_accepted(tmp_path, example_ds):
    """Full-width letters, spaces and invisible characters do not make another name."""
    from jixiao.cli.app import load_any

    name = example_ds.name
    spelt = " " + name[:3] + "\u200b " + name[3:] + "\u3000"
    _params_, ds = load_any(_params(tmp_path, EXAMPLE_XLSX, name=spelt))
    assert ds.name == name


def test_load_workbook_compares_the_name_it_is_given(example_ds):
    with pytest.raises(WorkbookError) as info:
        load_workbook(EXAMPLE_XLSX, year=2023, name="另一个镇", name_from="params/x.yaml")
    [p] = info.value.problems
    assert (p.sheet, p.cell, p.found) == ("基本信息", example_ds.locations["unit"]["name"], example_ds.name)
    assert "另一个镇" in p.expected and "params/x.yaml" in p.expected


# -- bounded resources: huge used range ----------------------------------------------------------------------------


def _sheet_member(zf: zipfile.ZipFile, sheet: str) -> str:
    main_ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rel_ns = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    rels = {r.get("Id"): r.get("Target") for r in ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))}
    for sh in ET.fromstring(zf.read("xl/workbook.xml")).iter(f"{main_ns}sheet"):
        if sh.get("name") == sheet:
            target = rels[sh.get(f"{rel_ns}id")]
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
    raise KeyError(sheet)


def _with_rows(src: Path, dst: Path, sheet: str, column: str, n: int, value: str = "1") -> None:
    """``src`` with ``n`` more rows in ``sheet``, each with one number in ``column``: the
    sheet XML edited directly (openpyxl takes seconds to write 60,000 cells)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        member = _sheet_member(zin, sheet)
        edited = False
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == member:
                edited = True
                xml = data.decode("utf-8")
                last = max(int(r) for r in re.findall(r'<row[^>]*\sr="(\d+)"', xml))
                rows = "".join(
                    f'<row r="{r}"><c r="{column}{r}"><v>{value}</v></c></row>' for r in range(last + 1, last + 1 + n)
                )
                assert "</sheetData>" in xml
                xml = xml.replace("</sheetData>", rows + "</sheetData>", 1)
                xml = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="A1:{column}{last + n}"/>', xml)
                data = xml.encode("utf-8")
            zout.writestr(item, data)
    assert edited, member


_MEASURE = textwrap.dedent(
    """
    import resource, sys, time
    resource.setrlimit(resource.RLIMIT_AS, (3 * 2**30, 3 * 2**30))  # a regression fails, not the machine
    from jixiao.exceptions import WorkbookError
    from jixiao.workbook.load import load_workbook
    start = time.perf_counter()
    try:
        load_workbook(sys.argv[1])
        outcome = "loaded"
    except WorkbookError as exc:
        outcome = "refused: " + str(exc).replace("\\n", " ")[:500]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"{outcome}|{peak}|{time.perf_counter() - start:.1f}")
    """
)


def _load_in_child(path: Path) -> tuple[str, int, float]:
    """(outcome, peak RSS in MB, seconds) of loading ``path`` in a fresh process."""
    done = subprocess.run(
        [PYTHON, "-c", _MEASURE, str(path)], capture_output=True, text=True, timeout=120, cwd=ROOT, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    outcome, peak, seconds = done.stdout.strip().rsplit("|", 2)
    return outcome, int(peak), float(seconds)


def test_a_cell_in_column_xfd_on_60000_rows_is_read_in_bounded_memory(tmp_path):
    """One stray cell per row in the last column (XFD), 60,000 rows: a 0.4 MB file that
    used to make every row 16,384 cells wide (gigabytes). Columns beyond the format's are
    not read, blank rows beyond the row cap are not kept."""
    bomb = tmp_path / "xfd.xlsx"
    _with_rows(EXAMPLE_XLSX, bomb, "项目", "XFD", 60_000)
    assert bomb.stat().st_size < 1_000_000
    _, baseline, _ = _load_in_child(EXAMPLE_XLSX)
    outcome, peak, seconds = _load_in_child(bomb)
    assert outcome == "loaded", outcome
    assert peak < baseline + 150, (peak, baseline)
    assert seconds < 30


def test_a_sheet_longer_than_the_row_cap_is_refused_by_name(tmp_path):
    long = tmp_path / "long.xlsx"
    _with_rows(EXAMPLE_XLSX, long, "项目", "A", 25_000)
    with pytest.raises(WorkbookError) as info:
        load_workbook(long, year=2023)
    [p] = info.value.problems
    assert p.sheet == "项目" and "20000" in p.message and "项目" in p.message
    assert re.fullmatch(r"A\d+", p.cell or "")


# -- bounded resources: YAML aliases -------------------------------------------------------------------------------

BILLION_LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{n}: &{n} [{','.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi")
)


def test_billion_laughs_is_small():
    assert len(BILLION_LAUGHS.encode()) < 430


def test_a_parameters_file_with_aliases_is_refused_quickly(tmp_path):
    """Run in a child with bounded memory: before the fix, quoting the expanded value in
    the error message exhausted it."""
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(BILLION_LAUGHS, encoding="utf-8")
    script = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (3 * 2**30, 3 * 2**30))\n"
        "from jixiao.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    start = time.perf_counter()
    for command in ("validate", "run"):
        done = subprocess.run(
            [PYTHON, "-c", script, command, str(bomb)],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=ROOT,
            check=False,
        )
        assert done.returncode == 2, done.stderr[-2000:]
        assert str(bomb) in done.stderr and "别名" in done.stderr
    assert time.perf_counter() - start < 30


class _Scheme(BaseModel):
    model_config = ConfigDict(extra="forbid")
    weights: dict[str, float] = {}


def test_a_configuration_file_with_aliases_is_refused(tmp_path):
    from jixiao.configfile import load_yaml_model

    path = tmp_path / "scheme.yaml"
    path.write_text("base: &w {预算执行率: 10}\nweights: *w\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_yaml_model(path, _Scheme, "评分方案文件", "weights")
    assert str(path) in str(info.value) and "别名" in str(info.value)
