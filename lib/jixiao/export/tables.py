"""Table layout shared by the PDF and the Word document.

Both formats give a report table fixed column widths computed here from the cells' text
(:func:`column_widths`), so a table breaks its lines the same way in ``report.pdf`` and
``report.docx``. :func:`fit_tables` writes them into the page WeasyPrint typesets; the
Word builder (:mod:`jixiao.export.docx`) sets them on its tables.
"""

from __future__ import annotations

import re

#: The PDF's text width and table font size (print.css: A4 with 26 + 24 mm side margins, 9pt).
PDF_TEXT_WIDTH_MM = 160
PDF_TABLE_PT = 9
#: Cell text up to this wide (in em: four Chinese characters, "完成状态", "已完成") is kept
#: on one line; browsers' automatic layout would squeeze such columns to one character.
_SHORT_EM = 4.0


def _text(el) -> str:
    """An element's text with HTML white space collapsed; full-width spaces (U+3000) are
    typed on purpose (表1　…, a date line to fill by hand) and kept."""
    if el is None:
        return ""
    return re.sub(r"[ \t\r\n\f\v]+", " ", el.text_content()).strip(" \t\r\n\f\v")


def _classes(el) -> set[str]:
    return set((el.get("class") or "").split())


def _display_width(text: str) -> float:
    """Width of ``text`` in em: CJK and full-width characters 1, others 0.6 (digits are
    0.5 em in Times New Roman, wider in the faces LibreOffice substitutes for it)."""
    return sum(1.0 if ord(ch) > 0x2E80 else 0.6 for ch in text)


def _longest_unbreakable(text: str) -> float:
    """Widest run that cannot wrap: a number or Latin word (CJK wraps anywhere)."""
    runs = re.findall(r"[\x21-\x7e\u00b7\u2014\u2030%]+", text)
    widest = max((_display_width(r) for r in runs), default=0.0)
    return max(widest, 1.0 if text else 0.0)


def _span(cell) -> int:
    try:
        return max(1, int(cell.get("colspan", 1) or 1))
    except ValueError:
        return 1


def table_rows(table) -> list[tuple[str, list]]:
    """A table's rows as ``(kind, [th/td elements])``; kind is head, body or foot (the
    ``tr.total`` row counts as foot)."""
    rows = []
    for section in table:
        if not isinstance(section.tag, str):
            continue
        stag = section.tag.lower()
        if stag in ("thead", "tbody", "tfoot"):
            trs, kind = section.findall("tr"), {"thead": "head", "tbody": "body", "tfoot": "foot"}[stag]
        elif stag == "tr":
            trs, kind = [section], "body"
        else:
            continue
        for tr in trs:
            cells = [c for c in tr if isinstance(c.tag, str) and c.tag.lower() in ("td", "th")]
            rows.append(("foot" if kind == "body" and "total" in _classes(tr) else kind, cells))
    return rows


def column_widths(rows, total_em: float, pad_em: float) -> tuple[list[float], bool]:
    """Column widths (em of the table font) filling ``total_em``.

    Like a browser's automatic layout — each column as wide as its longest line where
    the width allows, the rest shared in proportion — except that a column is never
    narrower than its longest number or Latin word, nor than its short cells (up to four
    Chinese characters), so 序号, 已完成 and 2607.15 never break.

    Returns
    -------
    (widths, fits)
        ``fits`` is False when even the minimum widths exceed the text width (the widths
        are then scaled down, and unbreakable content may not fit its cell).
    """
    ncols = max((sum(_span(c) for c in cells) for _, cells in rows), default=0)
    max_w = [1.0 + pad_em] * ncols
    min_w = [1.0 + pad_em] * ncols
    for kind, cells in rows:
        col = 0
        for c in cells:
            span = _span(c)
            if span == 1 and col < ncols:
                text = _text(c)
                bold = 1.06 if kind != "body" or c.tag.lower() == "th" else 1.0
                width = _display_width(text) * bold
                max_w[col] = max(max_w[col], width + pad_em)
                min_w[col] = max(min_w[col], max(_longest_unbreakable(text) * bold, min(width, _SHORT_EM)) + pad_em)
            col += span
    if not ncols:
        return [], True
    if sum(max_w) <= total_em:
        return [w * total_em / sum(max_w) for w in max_w], True
    if sum(min_w) >= total_em:
        return [w * total_em / sum(min_w) for w in min_w], sum(min_w) <= total_em
    extra = total_em - sum(min_w)
    give = [mx - mn for mx, mn in zip(max_w, min_w)]
    return [mn + g / sum(give) * extra for mn, g in zip(min_w, give)], True


def fit_tables(page: str) -> str:
    """The report page with column widths set on every report table (``<colgroup>`` and
    ``table-layout: fixed`` through the class ``jx-fixed``) for print.

    The widths come from :func:`column_widths`, so the PDF and the Word document share
    them; typesetting with fixed layout is also much faster in WeasyPrint than the
    automatic layout, which measures every Chinese cell at every break opportunity.
    """
    from lxml import html as lhtml

    root = lhtml.document_fromstring(page)
    changed = False
    for table in root.iter("table"):
        if "report" not in _classes(table) or table.find("colgroup") is not None:
            continue
        rows = table_rows(table)
        widths, fits = column_widths(rows, PDF_TEXT_WIDTH_MM / (PDF_TABLE_PT / 72 * 25.4), pad_em=1.0)
        if not widths or not fits:
            continue  # leave it to the automatic layout (cells may wrap anywhere)
        colgroup = lhtml.Element("colgroup")
        total = sum(widths)
        for w in widths:
            colgroup.append(lhtml.Element("col", style=f"width: {w / total * 100:.2f}%"))
        caption = table.find("caption")
        if caption is not None:
            caption.addnext(colgroup)
        else:
            table.insert(0, colgroup)
        table.set("class", (table.get("class") or "") + " jx-fixed")
        changed = True
    if not changed:
        return page
    return lhtml.tostring(root, doctype="<!DOCTYPE html>", encoding="unicode", method="html")
