"""The consultant's answers to findings: the 校验说明 sheet, and which errors remain open.

A row of 校验说明 names a check (its id, ``assessment.total``, or its Chinese title) and,
where that check has several findings, the one it means (``对象``: a cell reference the
finding names, or a phrase of its message), with the reason (``说明``). An acknowledged
finding stays in the review, marked 已说明 with the reason; an error-level finding that is
neither corrected nor acknowledged keeps the filed report a draft (草稿) and makes
``jixiao run --final`` refuse.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from jixiao.values import is_blank, text


@dataclass(frozen=True)
class Acknowledgement:
    """One row of the 校验说明 sheet.

    Attributes
    ----------
    check : str
        Check id or title.
    subject : str or None
        A cell reference or a phrase of the finding's message; None for every finding of the check.
    reason : str
        Why the finding stands (or how it was verified).
    cell : str
        Where the row is (``校验说明!A3``), for the review's own messages.
    """

    check: str
    subject: str | None
    reason: str
    cell: str = ""

    def covers(self, finding: Any) -> bool:
        """True when this row answers ``finding`` (same check; its subject, if any, among the
        finding's cells or in its message)."""
        if self.check not in (finding.id, finding.title):
            return False
        if not self.subject:
            return True
        return any(self.subject in str(c) for c in finding.cells) or self.subject in finding.message


@dataclass
class Reviewed:
    """Findings with the acknowledgement each one has, if any.

    Attributes
    ----------
    items : list of (Finding, Acknowledgement or None)
        Every finding, in the checker's order.
    unmatched : list of Acknowledgement
        Rows of 校验说明 that answer no error, warning or info finding (a misspelt check id,
        a finding corrected since): the review lists them so that they are not left behind.
    """

    items: list[tuple[Any, Acknowledgement | None]] = field(default_factory=list)
    unmatched: list[Acknowledgement] = field(default_factory=list)

    @property
    def open_errors(self) -> list:
        """Error-level findings neither corrected nor acknowledged: they keep the report a draft."""
        return [f for f, ack in self.items if f.severity == "error" and ack is None]

    def of(self, severity: str) -> list[tuple[Any, Acknowledgement | None]]:
        return [(f, a) for f, a in self.items if f.severity == severity]


def read_acknowledgements(ds: Any) -> list[Acknowledgement]:
    """The rows of the workbook's 校验说明 sheet (an empty list when the sheet is absent or empty)."""
    df = getattr(ds, "tables", {}).get("acknowledgements")
    if df is None or df.empty:
        return []
    rows = []
    for r in df.to_dict("records"):
        check = text(r.get("check"))
        if not check:
            continue
        subject = None if is_blank(r.get("subject")) else text(r.get("subject"))
        cell = ds.cell("acknowledgements", "check", int(r["_row"])) if "_row" in r else ""
        rows.append(Acknowledgement(check.strip(), subject and subject.strip(), text(r.get("reason")) or "", cell))
    return rows


def review_findings(findings: list, acknowledgements: list[Acknowledgement]) -> Reviewed:
    """Pair each finding with the first acknowledgement that covers it.

    Passed findings need no answer and are never paired.
    """
    used: set[int] = set()
    items = []
    for f in findings:
        ack = None
        if f.severity != "pass":
            for i, a in enumerate(acknowledgements):
                if a.covers(f):
                    ack = a
                    used.add(i)
                    break
        items.append((f, ack))
    return Reviewed(items, [a for i, a in enumerate(acknowledgements) if i not in used])
