"""The parameters file: typed, strict, and resolved against its own folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from jixiao.exceptions import InputError, ParametersError
from jixiao.params import Params, load_params

from support import EXAMPLE_PARAMS, EXAMPLE_XLSX, ROOT


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_example_parameters_load():
    p = load_params(EXAMPLE_PARAMS)
    assert isinstance(p, Params)
    assert (p.township, p.year, p.name) == ("dongshiduan", 2023, "保定市徐水区东史端镇人民政府")
    assert p.workbook.resolve() == EXAMPLE_XLSX.resolve()
    assert p.output_dir.resolve() == (ROOT / "reports").resolve()
    assert p.out_dir.resolve() == (ROOT / "reports" / "dongshiduan" / "2023").resolve()
    assert p.scoring_scheme == "national"
    assert p.assessment.applicable_max == 92
    assert "98.91" in p.assessment.applicable_max_source
    assert p.report.formats == ["html"]
    assert p.source == EXAMPLE_PARAMS


def test_example_parameters_load_from_any_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    p = load_params(EXAMPLE_PARAMS)
    assert p.workbook.resolve() == EXAMPLE_XLSX.resolve()
    assert p.output_dir.resolve() == (ROOT / "reports").resolve()


def test_relative_paths_resolve_against_the_file_not_the_cwd(tmp_path, monkeypatch):
    (tmp_path / "data").mkdir()
    shutil.copy(EXAMPLE_XLSX, tmp_path / "data" / "wb.xlsx")
    params = write(
        tmp_path / "params" / "t-2023.yaml", "township: t\nyear: 2023\nworkbook: ../data/wb.xlsx\noutput_dir: out\n"
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    p = load_params(params)
    assert p.workbook.resolve() == (tmp_path / "data" / "wb.xlsx").resolve()
    assert p.output_dir.resolve() == (tmp_path / "params" / "out").resolve()
    assert p.out_dir.resolve() == (tmp_path / "params" / "out" / "t" / "2023").resolve()


def test_default_output_dir_is_reports_under_the_cwd(tmp_path, monkeypatch):
    params = write(tmp_path / "p.yaml", f"township: t\nyear: 2023\nworkbook: {EXAMPLE_XLSX}\n")
    monkeypatch.chdir(tmp_path)
    p = load_params(params)
    assert p.workbook == EXAMPLE_XLSX  # absolute paths are kept
    assert p.output_dir == tmp_path / "reports"


def _problems(tmp_path, text) -> list:
    params = write(tmp_path / "p.yaml", text)
    with pytest.raises(ParametersError) as info:
        load_params(params)
    assert isinstance(info.value, InputError) and info.value.exit_code == 2
    assert all(p.file == str(params) for p in info.value.problems)
    return info.value.problems


def test_unknown_key_is_named(tmp_path):
    (p,) = _problems(tmp_path, f"township: t\nyear: 2023\nworkbook: {EXAMPLE_XLSX}\nworkbok: x.xlsx\n")
    assert "workbok" in p.message and "未知的参数" in p.message
    assert "workbook" in p.expected  # the known keys are listed


def test_unknown_nested_key_is_named(tmp_path):
    (p,) = _problems(tmp_path, f"township: t\nyear: 2023\nworkbook: {EXAMPLE_XLSX}\nreport:\n  colour: red\n")
    assert "report.colour" in p.message


def test_every_bad_key_is_reported(tmp_path):
    problems = _problems(tmp_path, "township: T T\nyear: 1066\nworkbook: x.xlsx\nextra: 1\n")
    keys = " ".join(p.message for p in problems)
    assert len(problems) == 3
    for key in ("township", "year", "extra"):
        assert key in keys


def test_township_as_a_number_is_refused(tmp_path):
    # YAML reads 007 as the number 7: silently renaming the township to "7" would be wrong.
    (p,) = _problems(tmp_path, f"township: 007\nyear: 2023\nworkbook: {EXAMPLE_XLSX}\n")
    assert "township" in p.message and "引号" in p.message
    assert p.found == "7"


def test_township_quoted_is_accepted(tmp_path):
    params = write(tmp_path / "p.yaml", f"township: '007'\nyear: 2023\nworkbook: {EXAMPLE_XLSX}\n")
    assert load_params(params).township == "007"


@pytest.mark.parametrize("township", ["Dongshiduan", "东史端", "dong shi", "-x", ""])
def test_township_must_be_a_plain_slug(tmp_path, township):
    (p,) = _problems(tmp_path, f"township: '{township}'\nyear: 2023\nworkbook: {EXAMPLE_XLSX}\n")
    assert "township" in p.message


@pytest.mark.parametrize("year", ["1989", "2101", "abc", "2023.5"])
def test_year_out_of_range_or_not_a_year(tmp_path, year):
    (p,) = _problems(tmp_path, f"township: t\nyear: {year}\nworkbook: {EXAMPLE_XLSX}\n")
    assert "year" in p.message


@pytest.mark.parametrize("fmt", ["['pdf', 'exe']", "html"])
def test_report_formats_are_checked(tmp_path, fmt):
    (p,) = _problems(tmp_path, f"township: t\nyear: 2023\nworkbook: {EXAMPLE_XLSX}\nreport:\n  formats: {fmt}\n")
    assert "report.formats" in p.message


def test_applicable_max_must_be_positive(tmp_path):
    (p,) = _problems(tmp_path, f"township: t\nyear: 2023\nworkbook: {EXAMPLE_XLSX}\nassessment:\n  applicable_max: 0\n")
    assert "assessment.applicable_max" in p.message


def test_missing_workbook_is_named(tmp_path):
    (p,) = _problems(tmp_path, "township: t\nyear: 2023\nworkbook: 没有这个文件.xlsx\n")
    assert "没有这个文件.xlsx" in p.message and "不存在" in p.message
    assert p.found == str(tmp_path / "没有这个文件.xlsx")


def test_workbook_that_is_a_directory_is_refused(tmp_path):
    (tmp_path / "wb.xlsx").mkdir()
    (p,) = _problems(tmp_path, "township: t\nyear: 2023\nworkbook: wb.xlsx\n")
    assert "wb.xlsx" in p.message


def test_missing_keys(tmp_path):
    problems = _problems(tmp_path, "township: t\n")
    assert {p.message for p in problems} == {"缺少参数“year”", "缺少参数“workbook”"}


@pytest.mark.parametrize(
    "text, message",
    [
        ("township: [t\n", "不是有效的 YAML"),
        ("- township: t\n", "应为键值对"),
        ("", "应为键值对"),
    ],
)
def test_not_a_mapping_or_not_yaml(tmp_path, text, message):
    (p,) = _problems(tmp_path, text)
    assert message in p.message


def test_missing_parameters_file(tmp_path):
    with pytest.raises(ParametersError) as info:
        load_params(tmp_path / "none.yaml")
    (p,) = info.value.problems
    assert "找不到参数文件" in p.message and p.file == str(tmp_path / "none.yaml")


def test_validate_with_the_example_parameters(capsys):
    from jixiao.cli import main

    assert main(["validate", str(EXAMPLE_PARAMS)]) == 0
    out = capsys.readouterr().out
    assert "39 个项目" in out and "保定市徐水区东史端镇人民政府" in out


@pytest.mark.parametrize("command", ["validate", "check", "run"])
def test_key_project_parameters_point_to_evaluate(command, capsys):
    """A key-project parameters file given to a township command: one problem that says
    which command to use, not "unknown parameter kind / project"."""
    from jixiao.cli import main

    key_params = ROOT / "params" / "nanhuqu-road-2023.yaml"
    assert main([command, str(key_params)]) == 2
    err = capsys.readouterr().err
    assert "发现 1 个问题" in err and "重点项目评价的参数文件" in err and "jixiao evaluate" in err
    assert "未知的参数" not in err and "Traceback" not in err


def test_kind_township_is_the_default_and_may_be_written(tmp_path):
    assert (
        load_params(write(tmp_path / "a.yaml", f"township: t\nyear: 2023\nworkbook: {EXAMPLE_XLSX}\n")).kind
        == "township"
    )
    assert (
        load_params(
            write(tmp_path / "b.yaml", f"kind: township\ntownship: t\nyear: 2023\nworkbook: {EXAMPLE_XLSX}\n")
        ).kind
        == "township"
    )


def test_unknown_keys_name_the_keys_of_the_model(tmp_path):
    """The accepted keys come from the model (no hand-kept list): top level and nested."""
    (top,) = _problems(tmp_path, f"township: t\nyear: 2023\nworkbook: {EXAMPLE_XLSX}\ncolour: red\n")
    assert top.message == "未知的参数“colour”"
    assert top.expected.split("、") == [f for f, info in Params.model_fields.items() if not info.exclude]
    assert "kind" in top.expected and "source" not in top.expected
    (nested,) = _problems(tmp_path, f"township: t\nyear: 2023\nworkbook: {EXAMPLE_XLSX}\nreport:\n  colour: red\n")
    assert nested.message == "未知的参数“report.colour”" and nested.expected == "formats、title"


def test_bad_values_are_explained_in_chinese(tmp_path):
    (p,) = _problems(tmp_path, f"township: t\nyear: 二〇二三\nworkbook: {EXAMPLE_XLSX}\n")
    assert p.message == "参数“year”不正确：应为整数，实为“二〇二三”" and p.found == "二〇二三"


# -- validate ⇒ run (#13): what a run would trip on is refused when the file is read --------------
def test_a_scheme_file_resolves_against_the_parameters_file(tmp_path, monkeypatch):
    from jixiao.paths import PACKAGE_DIR

    shutil.copy(PACKAGE_DIR / "schemes" / "regional.yaml", write(tmp_path / "params" / "schemes" / "x.yaml", ""))
    params = write(
        tmp_path / "params" / "t.yaml",
        f"township: t\nyear: 2023\nworkbook: {EXAMPLE_XLSX}\nscoring_scheme: schemes/x.yaml\n",
    )
    monkeypatch.chdir(tmp_path)  # not the parameters file's folder
    p = load_params(params)
    assert Path(p.scoring_scheme) == (tmp_path / "params" / "schemes" / "x.yaml").resolve()


@pytest.mark.parametrize(
    "scheme, said",
    [
        ("nosuch", "没有名为“nosuch”的评分方案（可用：national、regional）"),
        ("schemes/missing.yaml", "missing.yaml 不存在或无法读取"),
        ("t.yaml", "评分方案文件"),  # a file that is not a scheme (the parameters file itself)
    ],
)
def test_a_scheme_a_run_could_not_load_is_refused(tmp_path, scheme, said):
    params = write(
        tmp_path / "t.yaml", f"township: t\nyear: 2023\nworkbook: {EXAMPLE_XLSX}\nscoring_scheme: {scheme}\n"
    )
    with pytest.raises(ParametersError) as info:
        load_params(params)
    [problem] = info.value.problems
    assert problem.found == scheme and said in problem.message and "scoring_scheme" in problem.message


@pytest.mark.parametrize("value", [".inf", "1e-300", ".nan", "0.5"])
def test_an_applicable_maximum_a_conversion_cannot_use_is_refused(tmp_path, value):
    params = write(
        tmp_path / "t.yaml",
        f"township: t\nyear: 2023\nworkbook: {EXAMPLE_XLSX}\nassessment:\n  applicable_max: {value}\n",
    )
    with pytest.raises(ParametersError) as info:
        load_params(params)
    assert "applicable_max" in str(info.value)
