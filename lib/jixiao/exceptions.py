"""The exceptions jixiao raises for bad input, each carrying where and what.

Everything a user can cause derives from :class:`JixiaoError`; the command line turns it
into a Chinese message and a non-zero exit, never a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file.

    Attributes
    ----------
    file : str
        The file, as the user named it.
    sheet : str or None
        Worksheet name, when the problem is inside a workbook.
    cell : str or None
        Excel coordinate inside the sheet (``C7``), or a column/row (``C``, ``7``).
    found : str
        What was there (``""`` for nothing).
    expected : str
        What should have been there.
    message : str
        One Chinese sentence for the user.
    """

    file: str
    sheet: str | None
    cell: str | None
    found: str
    expected: str
    message: str

    @property
    def where(self) -> str:
        """``决算!C7``-style location, or the sheet or file alone when that is all there is."""
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet or ""

    def __str__(self) -> str:
        loc = f"{self.file}" + (f" {self.where}" if self.where else "")
        parts = [f"{loc}：{self.message}"]
        if self.found != "" or self.expected:
            parts.append(f"（发现：{self.found or '空'}；应为：{self.expected}）")
        return "".join(parts)


class JixiaoError(Exception):
    """Base of every error caused by the user's input or environment."""

    exit_code = 1


class InputError(JixiaoError):
    """An input file is missing, unreadable or invalid; carries every problem found."""

    exit_code = 2

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class WorkbookError(InputError):
    """The township workbook breaks the format (see ``config/workbook.yaml``)."""


class ParametersError(InputError):
    """The parameters YAML file is invalid."""


class ConfigError(JixiaoError):
    """A configuration file shipped with or given to jixiao (a scoring scheme) is invalid.

    When the file failed validation, :func:`jixiao.configfile.load_yaml_model` sets
    ``file`` (the file as shown) and ``fields`` (each offending field); otherwise they
    are absent.
    """

    # Declared only (no class default): set on validation errors, absent otherwise.
    file: str
    fields: list[str]

    exit_code = 2


@dataclass
class SectionFailure(JixiaoError):
    """A report section notebook failed while executing."""

    section: str
    error: str
    notebook: str = ""
    exit_code: int = field(default=1)

    def __str__(self) -> str:
        return f"章节“{self.section}”执行失败：{self.error}" + (f"（见 {self.notebook}）" if self.notebook else "")


class DraftRefused(JixiaoError):
    """``--final`` asked for, but error-level findings are neither corrected nor
    acknowledged in the workbook's 校验说明 (nothing is written)."""

    exit_code = 1

    def __init__(self, open_errors: list):
        self.open_errors = list(open_errors)
        lines = [
            f"  {f.title}：{f.message}" + (f"（{'、'.join(map(str, f.cells))}）" if f.cells else "")
            for f in self.open_errors
        ]
        super().__init__(
            f"报告仍为草稿，未生成定稿：{len(self.open_errors)} 项错误尚未更正或在“校验说明”表中说明：\n"
            + "\n".join(lines)
        )
