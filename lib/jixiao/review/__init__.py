"""The review (审核意见): what the checker and the analysis found, for the consultant.

The filed report (报送版, ``report.*``) is the unit's own document; everything a reviewer
says about it goes here, into ``review.html``/``review.pdf`` and ``checks.xlsx`` beside it.

Modules
-------
acknowledgements
    The workbook's 校验说明 sheet: the consultant's answers to findings, and the error-level
    findings left open (which keep the filed report a draft).
document
    The review page (template folder ``templates/review``) and the files a run writes.
workbook
    ``checks.xlsx``.
"""

from jixiao.review.acknowledgements import Acknowledgement, Reviewed, read_acknowledgements, review_findings
from jixiao.review.document import ReviewPart, render_review, section_remarks, write_review

__all__ = [
    "Acknowledgement",
    "Reviewed",
    "ReviewPart",
    "read_acknowledgements",
    "render_review",
    "review_findings",
    "section_remarks",
    "write_review",
]
