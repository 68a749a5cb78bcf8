"""The measure the filed report (报送版) is held to: the share of the seed report's narrative
sentences found in a report's visible text.

A copy of the team's ``seed_recall.py`` (kept here so the test runs on a plain clone): a
sentence is a piece of the seed between 。, ；and line breaks with at least 12 汉字; both
texts are normalised (white space dropped, full-width digits and ％ folded, trailing zeros
of decimals dropped, curly quotes and ASCII punctuation folded to one form) and a sentence
counts when it is a substring of the report's text.
"""

from __future__ import annotations

import html
import re

_DIGITS = str.maketrans("０１２３４５６７８９．％", "0123456789.%")


def normalise(s: str) -> str:
    s = re.sub(r"\s+", "", s)
    s = s.translate(_DIGITS)
    s = re.sub(r"(\d+)\.(\d*?)0+(?!\d)", lambda m: m.group(1) + ("." + m.group(2) if m.group(2) else ""), s)
    s = s.replace("“", '"').replace("”", '"')
    return s.replace(",", "，").replace(";", "；").replace(":", "：").replace("(", "（").replace(")", "）")


def page_text(page: str) -> str:
    """The visible text of an HTML page (styles and scripts dropped, tags removed)."""
    page = re.sub(r"<style.*?</style>|<script.*?</script>", "", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def sentences(seed: str) -> list[str]:
    """The seed's narrative sentences, normalised."""
    out = [normalise(x) for x in re.split(r"[。；\n]", seed)]
    return [s for s in out if len(re.findall(r"[\u4e00-\u9fff]", s)) >= 12]


def recall(seed: str, report_text: str) -> tuple[int, int, list[str]]:
    """(found, total, missing sentences) of ``seed`` in ``report_text``."""
    text = normalise(report_text)
    all_ = sentences(seed)
    missing = [s for s in all_ if s not in text]
    return len(all_) - len(missing), len(all_), missing
