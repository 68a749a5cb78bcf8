"""The machine says no (#13): a full or read-only disk, no permission, a path through a file,
a name too long. A plain Chinese message saying what to do, exit 1 or 2 — never 内部错误."""

from __future__ import annotations

import errno

import pytest

from jixiao.cli import main

from support import EXAMPLE_XLSX, params_for


def _run(argv, capsys):
    code = main(argv)
    cap = capsys.readouterr()
    return code, cap.out + cap.err


def test_an_output_folder_through_a_file(tmp_path, capsys):
    a_file = tmp_path / "not-a-folder"
    a_file.write_text("x", encoding="utf-8")
    params = params_for(EXAMPLE_XLSX, tmp_path, output_dir=str(a_file / "reports"))
    code, out = _run(["run", str(params)], capsys)
    assert code == 1, out
    assert "路径中有一段是文件而不是文件夹" in out and "内部错误" not in out and "Traceback" not in out


@pytest.mark.parametrize(
    "err, said",
    [
        (errno.ENOSPC, "磁盘空间不足"),
        (errno.EROFS, "文件系统只读"),
        (errno.EACCES, "没有权限"),
    ],
)
def test_what_the_disk_refuses_is_said_plainly(tmp_path, capsys, monkeypatch, err, said):
    import jixiao.report.township as township

    def refuse(*args, **kwargs):
        raise OSError(err, "refused", str(tmp_path / "reports" / "x" / "report.pdf"))

    monkeypatch.setattr(township, "run_report", refuse)
    code, out = _run(["run", str(params_for(EXAMPLE_XLSX, tmp_path))], capsys)
    assert code == 1 and said in out and "report.pdf" in out and "内部错误" not in out


def test_a_township_name_too_long_for_a_folder_is_refused_as_a_parameter(tmp_path, capsys):
    params = params_for(EXAMPLE_XLSX, tmp_path, township="a" * 300)
    code, out = _run(["validate", str(params)], capsys)
    assert code == 2 and "“township”" in out and "过长（至多 64 个字符）" in out
