"""Table layout shared by the PDF and the Word document (:mod:`jixiao.export.tables`)."""

from __future__ import annotations


def test_column_widths_keep_short_cells_and_numbers_whole(small_page):
    from lxml import html as lhtml

    from jixiao.export.tables import column_widths, fit_tables, table_rows

    root = lhtml.document_fromstring(small_page)
    projects = [t for t in root.iter("table") if "report" in t.get("class", "")][1]
    widths, fits = column_widths(table_rows(projects), 50.0, pad_em=1.0)
    assert fits and abs(sum(widths) - 50.0) < 1e-6
    no, name, status, amount = widths
    assert no >= 2 + 1.0  # 序号 and 60 on one line
    assert status >= 4 + 1.0  # 完成状态 / 已完成 not broken
    assert amount >= len("630.00") * 0.6 + 1.0
    assert name == max(widths)  # the long text takes the rest
    fitted = fit_tables(small_page)
    assert fitted.count("<colgroup>") == 2 and "jx-fixed" in fitted
