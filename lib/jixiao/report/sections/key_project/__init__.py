"""The key-project report (重点评价): its context, its outline and what its sections share.

The report follows the national outline for project evaluation reports (项目支出绩效评价报告
参考提纲, 财预〔2020〕10号), one notebook of ``notebooks/key_project/`` and one module of this
package per part (``config/report.yaml``): 一、基本情况 (:mod:`.basic`) · 二、绩效评价工作开展情况
(:mod:`.work`) · 三、综合评价情况及评价结论 (:mod:`.conclusion`) · 四、绩效评价指标分析
(:mod:`.indicators`) · 五、主要经验及做法、存在的问题及原因分析 (:mod:`.lessons`) · 六、有关建议
(:mod:`.advice`) · 七、其他需要说明的问题 (:mod:`.other`) · 附件 (:mod:`.annex`). Each notebook
opens a :class:`KeyProjectContext` with :func:`open_key_report`, prints its part's heading
with ``ctx.section_heading()`` and calls its module.

A part the workbook leaves empty is left out of the report and the numbering closes up
(no gaps, no lone （一）): :meth:`KeyProjectContext.section_heading` numbers a part among
the parts present (:func:`present_parts`, which every notebook computes from the same data)
and prints nothing for an absent one; the sub-parts are numbered by a :class:`Numbering`
inside each part. What was left out goes to the review as the block's
:attr:`~jixiao.report.context.Block.review` remarks, naming the sheet and cell (the report
itself never says 未提供).

The key-project checks go to the evaluation's review (:mod:`jixiao.review`), not into the
report. The context is the township's :class:`~jixiao.report.context.ReportContext` (same
heading, narrative, table and figure blocks, same numbering) with the project's facts as
``ctx.unit``, the scores as ``ctx.evaluation``, the loaded project as ``ctx.project`` and
the key-project checks as ``ctx.findings``.

Wherever the workbook flags its data as illustrative (项目概况/示例数据 = 是) the report
says 示例数据: on the cover, next to the score tables and chart, the indicator analysis
and the overall score.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from markupsafe import escape

from jixiao.keyproject import (
    SAMPLE_LABEL,
    Evaluation,
    KeyProject,
    KeyProjectParams,
    load_key_params,
    load_key_project,
    run_key_checks,
    sample_text,
)
from jixiao.report.context import Block, ReportContext, cn_num, open_cached
from jixiao.values import is_blank, text

#: The part that is not numbered (it follows the 落款 and opens a page).
ANNEX = "annex"


def _part(section) -> str:
    """A section's part: its module's name (``key_project.lessons`` → ``lessons``)."""
    return section.module.rsplit(".", 1)[-1]


@dataclass
class KeyProjectContext(ReportContext):
    """A :class:`ReportContext` for one key project."""

    # The key project's parameters, not the township's Params that ReportContext declares
    # (ReportContext itself only reads ``.year``, which both have).
    params: KeyProjectParams  # type: ignore[assignment]

    @property
    def evaluation(self) -> Evaluation:
        from jixiao.keyproject import evaluate_dataset

        return self._once("evaluation", lambda: evaluate_dataset(self.ds, self.params.option_weights()))

    @property
    def project(self) -> KeyProject | None:
        """The loaded project (:class:`~jixiao.keyproject.KeyProject`): what the loader adds
        beyond the workbook (a respondent-level survey, several assessors' scores)."""
        return self.shared.get("project")

    @property
    def findings(self):
        return self._once("key_findings", lambda: run_key_checks(self.ds, self.evaluation))

    @property
    def unit(self) -> dict:
        return self.ds.facts["project"]

    @property
    def sample(self) -> str | None:
        """The 示例数据 note (the workbook's 示例数据说明), or None when the data is real."""
        return sample_text(self.ds)

    def sample_short(self, what: str = "本表所列指标得分") -> str | None:
        """A one-line 示例数据 label for a table or figure note, or None for real data."""
        return f"{SAMPLE_LABEL}：{what}为示例，不是实际评价结果。" if self.sample else None

    def for_section(self, section: str) -> KeyProjectContext:
        return KeyProjectContext(params=self.params, ds=self.ds, section=section, shared=self.shared)

    # -- the outline -------------------------------------------------------------------
    def text(self, key: str) -> str | None:
        """The assessor's text ``key`` of the 报告正文 sheet, or None when blank."""
        return text(self.ds.facts["texts"].get(key))

    def section_heading(self) -> Block:
        """This notebook's part as its ``<h1>``: ``三、综合评价情况及评价结论``, numbered among
        the parts present; nothing for a part the workbook leaves empty; ``附件`` unnumbered.

        The numbered parts run on (each follows the previous one on the same page, as an
        evaluation report prints); the 附件 open a page."""
        from jixiao.report.sections import section

        s = section(self.section, "key-project")
        part = _part(s)
        if part == ANNEX:
            return self.heading(s.title, level=1)
        parts = present_parts(self)
        if part not in parts:
            return Block("")
        h = self.heading(f"{cn_num(list(parts).index(part) + 1)}、{parts[part]}", level=1)
        return Block(h.replace('class="section"', 'class="section run-on"', 1))

    def missing(self, key: str, what: str) -> str:
        """The review's remark for a blank text: ``“报告正文”表“评价目的”（报告正文!B7）未填写：…``."""
        spec = self.ds.spec.sheet("texts")
        label = next(k.key for k in spec.keys if k.id == key)
        return f"“{spec.name}”表“{label}”（{self.ds.fact_cell('texts', key)}）未填写：报告未列{what}。"


def present_parts(ctx: KeyProjectContext) -> dict[str, str]:
    """The numbered parts the report holds, in order (``config/report.yaml``): part → title.

    一 to 四 always stand (the project's facts, the indicator system, the scores); 五 when
    the workbook gives experience or problems (titled by what it holds), 六 when it gives
    recommendations, 七 when its 其他需要说明的问题 is filled in.
    """
    from jixiao.report.sections import sections

    ds = ctx.ds
    out = {}
    for s in sections("key-project"):
        part, title = _part(s), s.title
        if part == ANNEX:
            continue
        if part == "lessons":
            if ds.findings.empty and ds.problems.empty:
                continue
            title = lessons_title(ctx)
        elif part == "advice" and ds.recommendations.empty:
            continue
        elif part == "other" and not ctx.text("other"):
            continue
        out[part] = title
    return out


def lessons_title(ctx: KeyProjectContext) -> str:
    """五's title, naming only what it holds (主要经验及做法 / 存在的问题 / 及原因分析)."""
    parts = []
    if not ctx.ds.findings.empty:
        parts.append("主要经验及做法")
    if not ctx.ds.problems.empty:
        parts.append("存在的问题及原因分析" if has_causes(ctx) else "存在的问题")
    return "、".join(parts)


def has_causes(ctx: KeyProjectContext) -> bool:
    return any(text(c) for c in ctx.ds.problems.get("cause", []))


def sheet_name(ctx: KeyProjectContext, sheet_id: str) -> str:
    """A sheet's name in the workbook (for the review's remarks)."""
    return ctx.ds.spec.sheet(sheet_id).name


def blank_facts(ctx: KeyProjectContext, keys) -> list[str]:
    """The labels (with cells) of the 项目概况 entries ``keys`` left blank."""
    spec = ctx.ds.spec.sheet("project")
    return [
        f"“{k.key}”（{ctx.ds.fact_cell('project', k.id)}）"
        for k in spec.keys
        if k.id in keys and is_blank(ctx.unit.get(k.id))
    ]


class Numbering:
    """Sub-part numbers that close up over left-out parts: ``（一）``, ``（二）`` … or ``1．``, ``2．`` …"""

    def __init__(self, style: str = "（一）"):
        self.style, self.n = style, 0

    def __call__(self) -> str:
        self.n += 1
        return f"（{cn_num(self.n)}）" if self.style == "（一）" else f"{self.n}．"


def paragraphs(value: str | None, css: str = "") -> str:
    """The assessor's text as paragraphs (one per line), escaped."""
    cls = f' class="{css}"' if css else ""
    return "".join(f"<p{cls}>{escape(line.strip())}</p>" for line in (value or "").splitlines() if line.strip())


def sentence(value: str) -> str:
    """A clause ended once: ``…扣0.5分`` and ``…扣0.5分。`` both give ``…扣0.5分。``."""
    return re.sub(r"[。；;，,\s]+$", "", value) + "。"


def _key_project_context(params) -> KeyProjectContext:
    kp = load_key_project(params)
    ctx = KeyProjectContext(params=params, ds=kp.ds)
    ctx.shared["evaluation"] = kp.evaluation
    ctx.shared["project"] = kp
    return ctx


def open_key_report(params_path: str | Path, section: str = "") -> KeyProjectContext:
    """The key-project report's context for a parameters file
    (:func:`~jixiao.report.context.open_cached`)."""
    return open_cached(params_path, section, load_key_params, _key_project_context)  # type: ignore[return-value]


def _caption(ctx: KeyProjectContext, text: str) -> str:
    return f"{text}（{SAMPLE_LABEL}）" if ctx.sample else text


def sample_note(ctx: KeyProjectContext, short: str | None = None) -> Block:
    """The red 示例数据 note: the workbook's full 示例数据说明, or a one-line label for
    ``short`` (what is illustrative: 以下扣分及其原因 …); empty for real data."""
    text = ctx.sample_short(short) if short else ctx.sample
    if not text:
        return Block("")
    return Block(f'<p class="noindent sample-label">{escape(text)}</p>')
