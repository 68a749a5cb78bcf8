"""The Word report's styles (正文, 标题 1–4, 表格, 图题 …): fonts, sizes, spacing, in the
layout Chinese government reports use (宋体 body, 黑体 headings, A4)."""

from __future__ import annotations

from jixiao.export.docx_xml import _set_fonts, _sort_ppr

BODY_FONT = "宋体"
HEADING_FONT = "黑体"
LATIN_FONT = "Times New Roman"
LATIN_HEADING_FONT = "Arial"
_PAGE_MM = (210, 297)
_MARGINS_MM = (28, 24, 24, 26)
_TEXT_WIDTH_MM = _PAGE_MM[0] - _MARGINS_MM[1] - _MARGINS_MM[3]


def _style(
    doc,
    name: str,
    *,
    base: str | None = "Normal",
    size: float | None = None,
    bold: bool | None = None,
    east_asia: str = BODY_FONT,
    latin: str = LATIN_FONT,
    colour: str | None = "000000",
    align: int | None = None,
    first_line_chars: int | None = None,
    before: float | None = None,
    after: float | None = None,
    line: float | None = None,
    keep_next: bool | None = None,
    page_break: bool | None = None,
    outline: int | None = None,
):
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    styles = doc.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.quick_style = True
    if base is not None and name != base:
        style.base_style = styles[base]
    _set_fonts(style.element, latin, east_asia)
    font = style.font
    if size is not None:
        font.size = Pt(size)
        rpr = style.element.get_or_add_rPr()
        szcs = rpr.find(qn("w:szCs"))
        if szcs is not None:
            szcs.set(qn("w:val"), str(int(size * 2)))
    if bold is not None:
        font.bold = bold
    font.italic = False
    if colour is not None:
        font.color.rgb = RGBColor.from_string(colour)
        color_el = style.element.rPr.find(qn("w:color"))
        for attr in list(color_el.attrib):
            if attr.endswith("themeColor") or attr.endswith("themeShade") or attr.endswith("themeTint"):
                del color_el.attrib[attr]
    pf = style.paragraph_format
    if align is not None:
        pf.alignment = align
    if before is not None:
        pf.space_before = Pt(before)
    if after is not None:
        pf.space_after = Pt(after)
    if line is not None:
        pf.line_spacing = line
    if keep_next is not None:
        pf.keep_with_next = keep_next
    if page_break is not None:
        pf.page_break_before = page_break
    ppr = style.element.get_or_add_pPr()
    if first_line_chars is not None:
        ind = ppr.find(qn("w:ind"))
        if ind is None:
            ind = ppr.makeelement(qn("w:ind"), {})
            ppr.append(ind)
        ind.set(qn("w:firstLineChars"), str(first_line_chars))
        ind.set(qn("w:firstLine"), str(int(first_line_chars / 100 * (size or 12) * 20)))
    if outline is not None:
        lvl = ppr.find(qn("w:outlineLvl"))
        if lvl is None:
            lvl = ppr.makeelement(qn("w:outlineLvl"), {})
            ppr.append(lvl)
        lvl.set(qn("w:val"), str(outline))
    # pPr children must follow the schema order or Word refuses the file.
    _sort_ppr(ppr)
    return style


def define_styles(doc) -> None:
    from docx.oxml.ns import qn

    # Document defaults: Latin in Times New Roman, Chinese in 宋体, marked zh-CN.
    rpr_default = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = rpr_default.find(qn("w:rFonts"))
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), BODY_FONT)
    lang = rpr_default.find(qn("w:lang"))
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    ppr_default = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    spacing = ppr_default.find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")

    def s(name: str, **kw):  # the style, for the few that are tuned further below
        return _style(doc, name, **kw)

    s("Normal", base=None, size=12, line=1.0, before=0, after=0)
    # Body text: 小四 宋体, justified, 2-character first-line indent, 1.5 line spacing.
    s("Body Text", size=12, align=3, first_line_chars=200, line=1.5, before=0, after=0)
    s(
        "Heading 1",
        size=16,
        bold=False,
        east_asia=HEADING_FONT,
        latin=LATIN_HEADING_FONT,
        before=0,
        after=18,
        line=1.3,
        keep_next=True,
        page_break=True,
        outline=0,
    )
    s(
        "Heading 2",
        size=14,
        bold=False,
        east_asia=HEADING_FONT,
        latin=LATIN_HEADING_FONT,
        before=12,
        after=6,
        line=1.3,
        keep_next=True,
        page_break=False,
        outline=1,
    )
    s(
        "Heading 3",
        size=12,
        bold=True,
        east_asia=HEADING_FONT,
        latin=LATIN_HEADING_FONT,
        before=9,
        after=3,
        line=1.3,
        keep_next=True,
        page_break=False,
        outline=2,
    )
    s("Heading 4", size=12, bold=True, east_asia=BODY_FONT, before=6, after=0, line=1.3, keep_next=True, outline=3)
    title = s(
        "Title",
        size=24,
        bold=True,
        east_asia=HEADING_FONT,
        latin=LATIN_HEADING_FONT,
        align=1,
        before=0,
        after=0,
        line=1.5,
    )
    for el in title.element.get_or_add_pPr().findall(qn("w:pBdr")):  # the template's blue rule
        el.getparent().remove(el)
    for tag in ("w:spacing", "w:kern"):  # the template's letter-spacing and kerning
        for el in title.element.get_or_add_rPr().findall(qn(tag)):
            el.getparent().remove(el)
    s("Cover Unit", size=18, east_asia=HEADING_FONT, latin=LATIN_HEADING_FONT, align=1, before=0, after=0)
    s("Cover Date", size=15, east_asia=BODY_FONT, align=1)
    s(
        "TOC Heading",
        size=18,
        bold=False,
        east_asia=HEADING_FONT,
        latin=LATIN_HEADING_FONT,
        align=1,
        before=0,
        after=18,
        page_break=True,
        outline=9,
        keep_next=False,
    )
    text_twips = int(_TEXT_WIDTH_MM / 25.4 * 1440)
    for level, size in ((1, 12), (2, 11.5)):
        st = s(f"toc {level}", size=size, bold=(level == 1), before=6 if level == 1 else 0, line=1.5)
        ppr = st.element.get_or_add_pPr()
        tabs = ppr.makeelement(qn("w:tabs"), {})
        tabs.append(
            tabs.makeelement(qn("w:tab"), {qn("w:val"): "right", qn("w:leader"): "dot", qn("w:pos"): str(text_twips)})
        )
        ppr.insert(0, tabs)
        if level == 2:
            ind = ppr.makeelement(qn("w:ind"), {qn("w:leftChars"): "200", qn("w:left"): "460"})
            ppr.append(ind)
        _sort_ppr(ppr)
        st.element.set(qn("w:styleId"), f"TOC{level}")
        st.unhide_when_used = True
    s(
        "Caption",
        size=10.5,
        bold=True,
        east_asia=HEADING_FONT,
        latin=LATIN_HEADING_FONT,
        align=1,
        before=9,
        after=3,
        keep_next=True,
    )
    s("Figure", size=10.5, align=1, before=6, after=0, keep_next=True, line=1.0)
    s("Table Text", size=10.5, line=1.15)
    s("Table Note", size=9, colour="404040", before=3, after=6, line=1.2)
    s("Finding", size=11, align=3, line=1.4, before=6, after=6)
    s("Report Note", size=9, colour="7F7F7F", before=24)
    s("Signature", size=12, align=2, line=1.5, before=0, after=0, keep_next=True)
    s("Header", size=9, colour="595959", align=1)
    s("Footer", size=9, colour="404040", align=1)
    for name in ("List Bullet", "List Number"):
        s(name, size=12, line=1.5)
