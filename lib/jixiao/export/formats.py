"""Output formats and their renderers, without importing any of them.

``jixiao run`` settles which formats it will write, and whether their renderers are
installed, before anything is written. This module answers both questions at the cost of
a few microseconds, so the run can start its kernel first and let the heavy imports
(nbconvert, WeasyPrint) happen while the kernel boots; :mod:`jixiao.export` does the
writing.
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.exceptions import InputError, JixiaoError, Problem

#: Output formats of ``jixiao run``, in the order they are written.
FORMATS = ("html", "pdf", "docx")


class RendererMissing(JixiaoError):
    """A renderer (WeasyPrint and its Pango libraries, python-docx) is not installed."""

    exit_code = 2


def parse_formats(value: str | Iterable[str] | None, source: str = "--format") -> list[str]:
    """``"html,pdf"`` or ``["pdf", "html"]`` → ``["html", "pdf"]`` (known, deduplicated, ordered).

    Raises
    ------
    InputError
        An unknown or empty format list, naming ``source``.
    """
    if value is None:
        value = []
    items = value.split(",") if isinstance(value, str) else list(value)
    wanted = [str(v).strip().lower().lstrip(".") for v in items if str(v).strip()]
    unknown = [v for v in wanted if v not in FORMATS]
    if unknown or not wanted:
        raise InputError(
            [
                Problem(
                    source,
                    None,
                    None,
                    "、".join(unknown) or "（空）",
                    "、".join(FORMATS),
                    f"输出格式只能是 {'、'.join(FORMATS)}（逗号分隔）",
                )
            ]
        )
    return [f for f in FORMATS if f in wanted]


def weasyprint_module():
    """``weasyprint``, or a :class:`RendererMissing` saying what to install."""
    try:
        import weasyprint
    except ImportError as exc:  # the package, or (OSError subclass on import) libpango
        raise RendererMissing(
            "无法生成 PDF：WeasyPrint 不可用（" + str(exc).splitlines()[0] + "）。"
            "请运行 make setup（Debian 软件包 libpango-1.0-0、libpangoft2-1.0-0、"
            "libharfbuzz-subset0），再运行 jixiao doctor 检查。"
        ) from None
    except OSError as exc:
        raise RendererMissing(
            f"无法生成 PDF：找不到 WeasyPrint 所需的 Pango 库（{exc}）。"
            "请运行 make setup 或 apt-get install libpango-1.0-0 libpangoft2-1.0-0"
        ) from None
    return weasyprint


def docx_module():
    """``docx`` (python-docx), or a :class:`RendererMissing` saying what to install."""
    try:
        import docx
    except ImportError:
        raise RendererMissing(
            "无法生成 Word 文档：python-docx 未安装。请运行 make setup （或 .venv/bin/pip install -e .）"
        ) from None
    return docx


def check_renderers(fmts: Iterable[str]) -> None:
    """Raise :class:`RendererMissing` unless every format's renderer imports."""
    import sys

    this = sys.modules[__name__]  # looked up at call time: tests replace the functions
    if "pdf" in fmts:
        this.weasyprint_module()
    if "docx" in fmts:
        this.docx_module()
