"""``jixiao doctor``: is this machine ready to build reports, and if not, what to install.

Each check says what it found and, when something is missing, the Debian package or
command that provides it (``make setup`` installs all of them: the Debian packages in
``system-packages.txt`` and the Python packages in ``pyproject.toml``). Required items
make the command fail (exit 1); optional ones only inform.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass

from jixiao.exceptions import JixiaoError

SANS = "Noto Sans CJK SC"
SERIF = "Noto Serif CJK SC"
SETUP = "make setup"


class DoctorFailed(JixiaoError):
    """A required component is missing."""

    exit_code = 1


@dataclass
class Check:
    name: str
    #: ``ok``, ``missing`` (required and absent) or ``optional`` (absent, not required).
    status: str
    detail: str
    fix: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def _result(name: str, ok: bool, required: bool, detail: str, fix: str) -> Check:
    return Check(name, "ok" if ok else ("missing" if required else "optional"), detail, fix)


def fontconfig_families() -> set[str] | None:
    """Families fontconfig knows for Chinese (what WeasyPrint sees); None without fc-list."""
    exe = shutil.which("fc-list")
    if not exe:
        return None
    try:
        out = subprocess.run([exe, ":lang=zh", "family"], capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return {name.strip() for line in out.splitlines() for name in line.split(",") if name.strip()}


def check_fonts() -> list[Check]:
    fams = fontconfig_families()
    fix = f"sudo apt-get install fonts-noto-cjk（或 {SETUP}）"
    if fams is None:
        return [
            Check(
                "中文字体（fontconfig）",
                "missing",
                "找不到 fc-list：fontconfig 未安装",
                "sudo apt-get install fontconfig fonts-noto-cjk",
            )
        ]
    checks = [
        _result(
            f"黑体 {SANS}", SANS in fams, True, "已安装" if SANS in fams else "未安装：PDF 与图表无法显示简体中文", fix
        ),
        _result(
            f"宋体 {SERIF}",
            SERIF in fams,
            False,
            "已安装（PDF 正文字体）" if SERIF in fams else "未安装：PDF 正文改用黑体",
            fix,
        ),
    ]
    return checks


def check_matplotlib_font() -> Check:
    try:
        from matplotlib import font_manager

        from jixiao.report.charts import CJK_FAMILIES

        names = {f.name for f in font_manager.fontManager.ttflist}
    except Exception as exc:  # noqa: BLE001 — report, don't crash the doctor
        return Check(
            "图表中文字体（matplotlib）",
            "missing",
            f"matplotlib 无法载入：{exc}",
            f".venv/bin/pip install -e '.[test]'（或 {SETUP}）",
        )
    found = next((f for f in CJK_FAMILIES if f in names), None)
    return _result(
        "图表中文字体（matplotlib）",
        found is not None,
        True,
        f"使用 {found}" if found else "matplotlib 找不到中文字体：图表中的中文会显示为方框",
        "sudo apt-get install fonts-noto-cjk，然后删除 matplotlib 字体缓存（~/.cache/matplotlib）",
    )


def check_kernel() -> list[Check]:
    checks = []
    try:
        import ipykernel
        from jupyter_client.kernelspec import KernelSpecManager

        specs = KernelSpecManager().find_kernel_specs()
    except Exception as exc:  # noqa: BLE001
        return [
            Check(
                "Jupyter 内核（ipykernel）",
                "missing",
                f"无法载入：{exc}",
                f".venv/bin/pip install -e '.[test]'（或 {SETUP}）",
            )
        ]
    python3 = "python3" in specs
    detail = f"ipykernel {ipykernel.__version__}，内核 python3"
    if python3:
        try:
            argv0 = KernelSpecManager().get_kernel_spec("python3").argv[0]
            # jupyter_client runs a spec's bare "python" with this interpreter.
            same = argv0 in ("python", "python3", sys.executable)
            detail += "（本环境的 Python）" if same else f"（{argv0}）"
        except Exception:  # noqa: BLE001
            pass
    checks.append(
        _result(
            "Jupyter 内核 python3",
            python3,
            True,
            detail if python3 else "找不到 python3 内核：章节笔记本无法执行",
            f"{sys.executable} -m ipykernel install --sys-prefix（或 {SETUP}）",
        )
    )
    checks.append(
        _result(
            "JupyterLab 内核 jixiao",
            "jixiao" in specs,
            False,
            "已注册（JupyterLab 中打开笔记本用）"
            if "jixiao" in specs
            else "未注册（只影响在 JupyterLab 中编辑笔记本）",
            f"{SETUP}（{sys.executable} -m ipykernel install --sys-prefix --name jixiao）",
        )
    )
    return checks


def check_weasyprint() -> list[Check]:
    pango_fix = f"sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0（或 {SETUP}）"
    try:
        import weasyprint
        from weasyprint.text.ffi import harfbuzz_subset, pango
    except ImportError as exc:
        return [
            Check("PDF 生成器 WeasyPrint", "missing", f"无法载入：{exc}", f".venv/bin/pip install -e .（或 {SETUP}）")
        ]
    except OSError as exc:  # cffi could not open libpango / libgobject
        return [Check("PDF 生成器 WeasyPrint", "missing", f"找不到 Pango 库：{exc}", pango_fix)]
    v = pango.pango_version()
    pango_v = f"{v // 10000}.{v // 100 % 100}.{v % 100}"
    checks = [
        _result("PDF 生成器 WeasyPrint", True, True, f"WeasyPrint {weasyprint.__version__}，Pango {pango_v}", pango_fix)
    ]
    checks.append(
        _result(
            "HarfBuzz 字体子集库",
            harfbuzz_subset is not None,
            False,
            "已安装"
            if harfbuzz_subset is not None
            else "未安装：PDF 仍可生成，但嵌入字体的子集化慢约 30 倍（一分钟以上）",
            f"sudo apt-get install libharfbuzz-subset0（或 {SETUP}）",
        )
    )
    return checks


def check_pdf_trial() -> Check:
    """Typeset two Chinese words and look at the fonts in the PDF: embedded CID fonts of
    the Simplified Chinese faces, no Type 3."""
    name = "PDF 试排（中文字体嵌入）"
    try:
        import weasyprint
    except Exception:  # noqa: BLE001 — reported by check_weasyprint
        return Check(name, "missing", "WeasyPrint 不可用", f"见上一项（{SETUP}）")
    page = (
        f"<html lang=\"zh\"><body><p style=\"font-family: '{SERIF}', '{SANS}'\">绩效自评</p>"
        f"<p style=\"font-family: '{SANS}'; font-weight: bold\">报告</p></body></html>"
    )
    try:
        pdf = weasyprint.HTML(string=page).write_pdf(uncompressed_pdf=True)
    except Exception as exc:  # noqa: BLE001
        return Check(name, "missing", f"排版失败：{exc}", SETUP)
    fonts = sorted({f.decode("latin-1").split("+", 1)[-1] for f in re.findall(rb"/BaseFont\s*/([^\s/<>\[\]]+)", pdf)})
    type3 = b"/Type3" in pdf
    embedded = bool(re.search(rb"/FontFile[23]?\b", pdf))
    sc = [f for f in fonts if "CJK-SC" in f or "SC" in f.split("-")]
    ok = bool(sc) and embedded and not type3
    detail = "嵌入 " + "、".join(fonts) if fonts else "PDF 中没有字体"
    if type3:
        detail += "；含 Type 3 字体"
    if fonts and not sc:
        detail += "；不是简体中文字形（SC）"
    return _result(name, ok, True, detail, f"sudo apt-get install fonts-noto-cjk（或 {SETUP}）")


def check_docx() -> Check:
    try:
        from importlib.metadata import version

        import docx  # noqa: F401

        return Check("Word 生成器 python-docx", "ok", f"python-docx {version('python-docx')}")
    except ImportError as exc:
        return Check(
            "Word 生成器 python-docx", "missing", f"无法载入：{exc}", f".venv/bin/pip install -e .（或 {SETUP}）"
        )


def check_poppler() -> Check:
    found = [t for t in ("pdftoppm", "pdffonts") if shutil.which(t)]
    return _result(
        "PDF 工具 pdftoppm / pdffonts",
        len(found) == 2,
        False,
        "已安装（测试用来把 PDF 页面渲染为图片）" if len(found) == 2 else "未安装（只有测试与检查页面图片时需要）",
        f"sudo apt-get install poppler-utils（或 {SETUP}）",
    )


CHECKS: list[Callable[[], Check | list[Check]]] = [
    check_fonts,
    check_matplotlib_font,
    check_kernel,
    check_weasyprint,
    check_pdf_trial,
    check_docx,
    check_poppler,
]


def diagnose() -> list[Check]:
    """Run every check, in order."""
    out: list[Check] = []
    for fn in CHECKS:
        got = fn()
        out.extend(got if isinstance(got, list) else [got])
    return out
