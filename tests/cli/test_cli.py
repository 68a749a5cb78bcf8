"""The command line as a user meets it: usage errors are usage errors, never internal ones."""

import pytest

from jixiao.cli import main


@pytest.mark.parametrize("argv", [[], ["bogus"], ["validate"]])
def test_usage_errors_are_not_internal_errors(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 2
    assert "内部错误" not in err and "Traceback" not in err
    assert "Usage" in out + err or "用法" in out + err


def test_bad_option_value_is_a_clear_input_error(capsys):
    assert main(["check", "--format", "xml", "x.yaml"]) == 2
    err = capsys.readouterr().err
    assert "--format 只能是 table 或 json（发现：xml" in err and "内部错误" not in err


def test_help_lists_the_commands(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for command in ("validate", "check", "template", "run", "docs"):
        assert command in out


def test_version(capsys):
    from jixiao import __version__

    assert main(["version"]) == 0
    assert capsys.readouterr().out.strip() == __version__
