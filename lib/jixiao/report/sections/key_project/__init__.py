"""The key-project report (重点评价): its context and what its sections share.

The notebooks of ``notebooks/key_project/`` open a :class:`KeyProjectContext` with
:func:`open_key_report` and call one module of this package each (``01_overview.ipynb`` →
:mod:`.overview`, ``02_indicators`` → :mod:`.indicators`, ``03_findings`` → :mod:`.findings`).
The key-project checks go to the evaluation's review (:mod:`jixiao.review`), not into the report. The context is the township's
:class:`~jixiao.report.context.ReportContext` (same heading, narrative, table and figure blocks,
same numbering) with the project's facts as ``ctx.unit``, the scores as ``ctx.evaluation``
and the key-project checks as ``ctx.findings``.

Wherever the workbook flags its data as illustrative (项目概况/示例数据 = 是) the report
says 示例数据: on the cover, next to the indicator table, the dimension table and chart,
and the overall score.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from markupsafe import escape

from jixiao.keyproject import (
    SAMPLE_LABEL,
    Evaluation,
    KeyProjectParams,
    load_key_params,
    load_key_project,
    run_key_checks,
    sample_text,
)
from jixiao.report.context import Block, ReportContext, open_cached


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


def _key_project_context(params) -> KeyProjectContext:
    kp = load_key_project(params)
    ctx = KeyProjectContext(params=params, ds=kp.ds)
    ctx.shared["evaluation"] = kp.evaluation
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
