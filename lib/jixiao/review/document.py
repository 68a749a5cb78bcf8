"""The review (审核意见): the consultant's document about a filed report.

Written into the report folder beside the report: ``review.html`` (and ``review.pdf`` when
the run writes PDF) from the template folder ``templates/review`` (``review.html.j2``,
``review.css``), and ``checks.xlsx`` with every finding. In the reviewer's voice: each
error and warning with both figures, the cells they come from, the part of the report
they affect and what to do; info-level notes grouped; passed checks counted (listed in
``checks.xlsx``); what the filed report leaves out, as the sections recorded it
(:attr:`jixiao.report.context.Block.review`); and, for a township, what the analysis of
the data found beyond the checks.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from pydantic import BaseModel, ConfigDict

from jixiao import __version__
from jixiao.analysis.checks import WITHIN_ROUNDING, summarize
from jixiao.configfile import load_yaml_model
from jixiao.paths import TEMPLATES_DIR, config_file
from jixiao.review.acknowledgements import Reviewed
from jixiao.rounding import HALF_CENT, fmt
from jixiao.values import plain


class ReviewConfig(BaseModel):
    """``config/review.yaml``: where each check family's figures stand in the report, and
    what to do about an unresolved finding."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    places: dict[str, str]
    actions: dict[str, str]


@cache
def review_config() -> ReviewConfig:
    return load_yaml_model(config_file("review.yaml"), ReviewConfig, "审核意见配置文件", "places、actions")


@dataclass
class ReviewPart:
    """A part of the review a report kind adds (a township: the analysis's own findings).

    Attributes
    ----------
    title : str
        The part's heading.
    intro : str
        One paragraph before the items (may be empty).
    items : list of str
        One paragraph each (plain text; escaped when rendered).
    """

    title: str
    intro: str = ""
    items: list[str] = field(default_factory=list)


def place(check_id: str) -> str:
    """The part of the report a check's figures stand in (``config/review.yaml``), or ''."""
    return review_config().places.get(check_id.split(".", 1)[0], "")


def section_remarks(nb: Any, titles: dict[str, str]) -> list[tuple[str, str]]:
    """What the sections left out of the filed report: ``(section title, remark)`` pairs.

    Read from the stitched notebook (the run has it in memory: no notebook is read again):
    each cell output's ``metadata.jixiao.review``, and the cell's section
    (``metadata.jixiao.section``, a notebook's stem) named by ``titles``.
    """
    out: list[tuple[str, str]] = []
    for cell in nb.cells:
        title = titles.get((cell.get("metadata", {}).get("jixiao") or {}).get("section", ""), "")
        for output in cell.get("outputs", []):
            for remark in (output.get("metadata", {}).get("jixiao") or {}).get("review", []):
                if (title, remark) not in out:
                    out.append((title, remark))
    return out


#: Sentence ends of the report's text (a quote never runs over one).
_SENTENCE_END = re.compile(r"[。；;\n]")
#: What follows a figure in the report's sentences (分, 万元, %, 个 …).
_UNITS = "分万%个人项元名件次亩平辆"
#: Headings and paragraphs of the report's body, in order.
_BLOCKS = re.compile(r"<h([1-4])\b[^>]*>(.*?)</h\1>|<p(\s[^>]*)?>(.*?)</p>", re.S)
#: The numbering of a heading or a place (二、（四）4. （2）…), stripped before comparing.
_NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[一二三四五六七八九十]+(?=（)|（[一二三四五六七八九十\d]+）|\d+[.．]|[—-])+"
)


def _plain_text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def report_sentences(page: str) -> list[tuple[tuple[str, ...], str]]:
    """The sentences of the report's body, each with the headings it stands under
    (``(h1, h2, h3 …)``, numbering stripped); table cells are left out."""
    body = page.split("<main", 1)[-1]
    path: dict[int, str] = {}
    out: list[tuple[tuple[str, ...], str]] = []
    for m in _BLOCKS.finditer(body):
        if m.group(1):
            level = int(m.group(1))
            path = {k: v for k, v in path.items() if k < level}
            path[level] = _NUMBERING.sub("", _plain_text(m.group(2)))
            continue
        if "note" in (m.group(3) or ""):  # a table's or a figure's note is not a sentence of the text
            continue
        headings = tuple(path[k] for k in sorted(path))
        out += [(headings, s.strip()) for s in _SENTENCE_END.split(_plain_text(m.group(4))) if s.strip()]
    return out


def report_headings(page: str) -> list[tuple[str, ...]]:
    """Every heading of the report's body with the headings above it, as printed
    (``("二、部门绩效考核自评情况", "（一）重大政策落实情况", "2.“三保”支出保障情况")``)."""
    body = page.split("<main", 1)[-1].split("</main>", 1)[0]
    path: dict[int, str] = {}
    out: list[tuple[str, ...]] = []
    for m in _BLOCKS.finditer(body):
        if m.group(1):
            level = int(m.group(1))
            path = {k: v for k, v in path.items() if k < level}
            path[level] = _plain_text(m.group(2))
            out.append(tuple(path[k] for k in sorted(path)))
    return out


def placed(check_id: str, headings: list[tuple[str, ...]]) -> str:
    """:func:`place` with each part numbered as the report prints it.

    ``config/review.yaml`` writes places with the numbers of a report that has every part
    (二（三）7.直达资金管理等工作情况); a unit that leaves a part out has the later ones
    numbered up, so each part is looked up among the report's ``headings`` (by its words,
    numbering stripped) and shown with the numbers printed there. A numbered part the
    report does not have is said to be left out; an unnumbered one (重点评价报告) is kept.
    """
    text = place(check_id)
    if not text or not headings:
        return text
    shown = []
    for part in text.split("；"):
        part = part.strip()
        words = _NUMBERING.sub("", part)
        numbered = words != part
        name, paren, narrow = words.partition("（")
        name = name.strip()
        hit = next((h for h in headings if _NUMBERING.sub("", h[-1]).strip() == name), None)
        if hit is None:
            shown.append(f"{part}（本报告未列此部分）" if numbered else part)
            continue
        prefix = "".join(_number_of(h) for h in hit[:-1])
        shown.append(prefix + hit[-1] + paren + narrow)
    return "；".join(shown)


def _number_of(heading: str) -> str:
    """A heading's numbering as a place writes it: ``二、…`` → ``二``, ``（一）…`` → ``（一）``."""
    m = _NUMBERING.match(heading)
    return m.group(0).rstrip("、") if m else ""


def _place_headings(place_text: str) -> list[str]:
    """The headings a place names: each “；”-part, numbering stripped, up to its parenthesis."""
    heads = []
    for part in place_text.split("；"):
        core = _NUMBERING.sub("", part.strip()).split("（", 1)[0].strip()
        if core:
            heads.append(core)
    return heads


def quotes(sentences: list[tuple[tuple[str, ...], str]], finding: Any, limit: int = 2) -> list[str]:
    """The report's sentences that print ``finding``'s stated figure (as printed: 91 or
    91.00, followed by its unit), under the headings of its place when the report has them;
    at most ``limit``, none when the finding states no figure."""
    if finding.stated is None:
        return []
    v = float(finding.stated)
    shown = {plain(v), fmt(v, 2)}
    pattern = re.compile(r"(?<![\d.])(?:" + "|".join(re.escape(x) for x in shown) + r")(?=[" + _UNITS + "])")
    heads = _place_headings(place(finding.id))
    scoped = [(h, s) for h, s in sentences if any(core in heading for core in heads for heading in h)]
    found: list[str] = []
    for _, s in scoped or sentences:
        if pattern.search(s) and s not in found:
            found.append(s)
            if len(found) == limit:
                break
    return found


def _num(v: Any) -> str:
    return "—" if v is None else fmt(float(v), 2)


def _info_groups(reviewed: Reviewed) -> list[dict]:
    """Info-level findings in three groups: rounding, blank data, other notes."""
    groups: dict[str, list] = {"rounding": [], "blank": [], "other": []}
    for f, ack in reviewed.of("info"):
        key = "rounding" if WITHIN_ROUNDING in f.message else "blank" if "未提供" in f.message else "other"
        groups[key].append({"f": f, "ack": ack})
    titles = {
        "rounding": "在舍入误差范围内的差异（无需更正）",
        "blank": "因数据空缺无法核对的项目（可补充数据后再核对）",
        "other": "其他提示",
    }
    return [{"title": titles[k], "entries": v} for k, v in groups.items() if v]


def render_review(
    meta: dict,
    reviewed: Reviewed,
    *,
    remarks: list[tuple[str, str]] = (),  # type: ignore[assignment]
    parts: list[ReviewPart] = (),  # type: ignore[assignment]
    report_files: list[str] = (),  # type: ignore[assignment]
    report: str = "",
) -> str:
    """The review page (HTML).

    Parameters
    ----------
    meta : dict
        The report's cover data: ``unit``, ``year``, ``title``.
    reviewed : Reviewed
        The findings paired with the 校验说明 rows that answer them.
    remarks : list of (str, str)
        What the filed report leaves out, by section (:func:`section_remarks`).
    parts : list of ReviewPart
        What the report kind adds.
    report_files : list of str
        The filed report's files (``report.html`` …), named in the opening.
    report : str
        The filed report's page: each error and warning quotes the sentences that print
        its stated figure.
    """
    cfg = review_config()
    counts = summarize([f for f, _ in reviewed.items])
    sentences = report_sentences(report) if report else []
    headings = report_headings(report) if report else []
    issues = []
    for sev in ("error", "warning"):
        for f, ack in reviewed.of(sev):
            issues.append(
                {
                    "f": f,
                    "ack": ack,
                    "place": placed(f.id, headings),
                    "quotes": quotes(sentences, f),
                    "action": cfg.actions.get(sev, ""),
                }
            )
    answered = {s: sum(1 for f, a in reviewed.of(s) if a is not None) for s in ("error", "warning", "info")}
    return (
        _env()
        .get_template("review.html.j2")
        .render(
            meta=meta,
            counts=counts,
            answered=answered,
            open_errors=reviewed.open_errors,
            issues=issues,
            info_groups=_info_groups(reviewed),
            unmatched=reviewed.unmatched,
            remarks=remarks,
            parts=parts,
            report_files=list(report_files),
            half=fmt(HALF_CENT, 3),
            built=dt.date.today().isoformat(),
            version=__version__,
        )
    )


@cache
def _env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR / "review")),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = _num
    return env


def write_review(
    stage: Path,
    meta: dict,
    reviewed: Reviewed,
    fmts: Iterable[str],
    *,
    remarks: list[tuple[str, str]] = (),  # type: ignore[assignment]
    parts: list[ReviewPart] = (),  # type: ignore[assignment]
    report: str = "",
) -> dict[str, Path]:
    """Write ``review.html`` (always), ``review.pdf`` (when ``pdf`` is among ``fmts``) and
    ``checks.xlsx`` into ``stage``; return what was written, by name."""
    from jixiao.review.workbook import write_checks

    fmts = list(fmts)
    page = render_review(
        meta, reviewed, remarks=remarks, parts=parts, report_files=[f"report.{f}" for f in fmts], report=report
    )
    written = {"review.html": stage / "review.html"}
    written["review.html"].write_text(page, encoding="utf-8")
    if "pdf" in fmts:
        from jixiao.export.pdf import html_to_pdf

        written["review.pdf"] = stage / "review.pdf"
        written["review.pdf"].write_bytes(html_to_pdf(page, base_url=str(stage)))
    written["checks.xlsx"] = stage / "checks.xlsx"
    write_checks(written["checks.xlsx"], reviewed, headings=report_headings(report) if report else [])
    return written
