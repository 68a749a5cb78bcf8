"""`jixiao doctor`: what is installed, what is missing, and what to install."""

from __future__ import annotations

import sys

import pytest


def _run(argv, capsys):
    from jixiao.cli import main

    code = main(argv)
    cap = capsys.readouterr()
    return code, cap.out, cap.err


def test_everything_in_place(capsys):
    """The test environment is set up by `make setup`: every required item is there."""
    from jixiao.doctor import diagnose

    checks = diagnose()
    missing = [c for c in checks if c.status == "missing"]
    assert not missing, missing
    names = " ".join(c.name for c in checks)
    for item in (
        "Noto Sans CJK SC",
        "Noto Serif CJK SC",
        "matplotlib",
        "python3",
        "WeasyPrint",
        "python-docx",
        "pdftoppm",
        "PDF 试排",
    ):
        assert item in names
    code, out, _ = _run(["doctor"], capsys)
    assert code == 0
    assert "一切就绪" in out and "WeasyPrint" in out


def test_pdf_trial_embeds_simplified_chinese_faces():
    from jixiao.doctor import check_pdf_trial

    check = check_pdf_trial()
    assert check.ok, check
    assert "Noto-Serif-CJK-SC" in check.detail and "Noto-Sans-CJK-SC-Bold" in check.detail


def test_missing_fonts_fail_with_the_package_to_install(capsys, monkeypatch):
    from jixiao import doctor

    monkeypatch.setattr(doctor, "fontconfig_families", lambda: {"DejaVu Sans"})
    code, out, err = _run(["doctor"], capsys)
    assert code == 1
    assert "fonts-noto-cjk" in out
    assert "Noto Sans CJK SC" in err and "make setup" in err


def test_missing_weasyprint_fails(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import weasyprint → ImportError
    from jixiao.doctor import check_weasyprint

    [check] = check_weasyprint()
    assert check.status == "missing" and "make setup" in check.fix
    code, out, _ = _run(["doctor"], capsys)
    assert code == 1
    assert "WeasyPrint" in out


def test_missing_optional_items_do_not_fail(capsys, monkeypatch):
    from jixiao import doctor

    real_which = doctor.shutil.which
    monkeypatch.setattr(
        doctor.shutil, "which", lambda name: None if name in ("pdftoppm", "pdffonts") else real_which(name)
    )
    import weasyprint.text.ffi as ffi

    monkeypatch.setattr(ffi, "harfbuzz_subset", None)
    checks = {c.name: c for c in doctor.diagnose()}
    assert checks["PDF 工具 pdftoppm / pdffonts"].status == "optional"
    assert "poppler-utils" in checks["PDF 工具 pdftoppm / pdffonts"].fix
    assert checks["HarfBuzz 字体子集库"].status == "optional"
    assert "libharfbuzz-subset0" in checks["HarfBuzz 字体子集库"].fix
    code, out, _ = _run(["doctor"], capsys)
    assert code == 0


@pytest.mark.parametrize("argv", [["doctor", "--help"]])
def test_help(argv, capsys):
    code, out, _ = _run(argv, capsys)
    assert code == 0 and "中文字体" in out
