"""WordprocessingML helpers of the Word builder (:mod:`jixiao.export.docx`).

What python-docx has no API for: East Asian fonts, fields (TOC, PAGE, PAGEREF), paragraph
borders and shading, fixed table layout and repeated header rows, and putting the
children of ``w:pPr`` and ``w:settings`` in the order the schema demands (Word refuses a
file otherwise).
"""

from __future__ import annotations

_PPR_ORDER = [
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "framePr",
    "widowControl",
    "numPr",
    "suppressLineNumbers",
    "pBdr",
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
]


def _sort_ppr(ppr) -> None:
    def key(child):
        name = child.tag.split("}")[-1]
        return _PPR_ORDER.index(name) if name in _PPR_ORDER else len(_PPR_ORDER)

    children = sorted(ppr, key=key)
    for child in children:
        ppr.remove(child)
    for child in children:
        ppr.append(child)


_SETTINGS_BEFORE_UPDATE = {
    "writeProtection",
    "view",
    "zoom",
    "removePersonalInformation",
    "removeDateAndTime",
    "doNotDisplayPageBoundaries",
    "displayBackgroundShape",
    "printPostScriptOverText",
    "printFractionalCharacterWidth",
    "printFormsData",
    "embedTrueTypeFonts",
    "embedSystemFonts",
    "saveSubsetFonts",
    "saveFormsData",
    "mirrorMargins",
    "alignBordersAndEdges",
    "bordersDoNotSurroundHeader",
    "bordersDoNotSurroundFooter",
    "gutterAtTop",
    "hideSpellingErrors",
    "hideGrammaticalErrors",
    "activeWritingStyle",
    "proofState",
    "formsDesign",
    "attachedTemplate",
    "linkStyles",
    "stylePaneFormatFilter",
    "stylePaneSortMethod",
    "documentType",
    "mailMerge",
    "revisionView",
    "trackRevisions",
    "doNotTrackMoves",
    "doNotTrackFormatting",
    "documentProtection",
    "autoFormatOverride",
    "styleLockTheme",
    "styleLockQFSet",
    "defaultTabStop",
    "autoHyphenation",
    "consecutiveHyphenLimit",
    "hyphenationZone",
    "doNotHyphenateCaps",
    "showEnvelope",
    "summaryLength",
    "clickAndTypeStyle",
    "defaultTableStyle",
    "evenAndOddHeaders",
    "bookFoldRevPrinting",
    "bookFoldPrinting",
    "bookFoldPrintingSheets",
    "drawingGridHorizontalSpacing",
    "drawingGridVerticalSpacing",
    "displayHorizontalDrawingGridEvery",
    "displayVerticalDrawingGridEvery",
    "doNotUseMarginsForDrawingGridOrigin",
    "drawingGridHorizontalOrigin",
    "drawingGridVerticalOrigin",
    "doNotShadeFormData",
    "noPunctuationKerning",
    "characterSpacingControl",
    "printTwoOnOne",
    "strictFirstAndLastChars",
    "noLineBreaksAfter",
    "noLineBreaksBefore",
    "savePreviewPicture",
    "doNotValidateAgainstSchema",
    "saveInvalidXml",
    "ignoreMixedContent",
    "alwaysShowPlaceholderText",
    "doNotDemarcateInvalidXml",
    "saveXmlDataOnly",
    "useXSLTWhenSaving",
    "saveThroughXslt",
    "showXMLTags",
    "alwaysMergeEmptyNamespace",
}


def _sort_settings(settings) -> None:
    """Move ``w:updateFields`` to its place in the settings sequence (after the elements
    the schema puts before it)."""
    from docx.oxml.ns import qn

    upd = settings.find(qn("w:updateFields"))
    settings.remove(upd)
    last_before = None
    for child in settings:
        if child.tag.split("}")[-1] in _SETTINGS_BEFORE_UPDATE:
            last_before = child
    if last_before is None:
        settings.insert(0, upd)
    else:
        last_before.addnext(upd)


def _set_fonts(rpr_owner, latin: str, east_asia: str) -> None:
    """Latin and East Asian font of a style or run (theme fonts removed)."""
    from docx.oxml.ns import qn

    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        if attr.endswith("Theme"):
            del fonts.attrib[attr]
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:hint"), "eastAsia")


def _fld_char(kind: str, dirty: bool = False):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    r = OxmlElement("w:r")
    fc = OxmlElement("w:fldChar")
    fc.set(qn("w:fldCharType"), kind)
    if dirty:  # Word recomputes the field's result when it opens the document
        fc.set(qn("w:dirty"), "true")
    r.append(fc)
    return r


def _instr(code: str):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    r = OxmlElement("w:r")
    t = OxmlElement("w:instrText")
    t.set(qn("xml:space"), "preserve")
    t.text = code
    r.append(t)
    return r


def _run_xml(parent, text: str | None = None, tab: bool = False):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    r = OxmlElement("w:r")
    if tab:
        r.append(OxmlElement("w:tab"))
    if text is not None:
        t = OxmlElement("w:t")
        t.set(qn("xml:space"), "preserve")
        t.text = text
        r.append(t)
    parent.append(r)
    return r


def _field_xml(parent, code: str, cached: str) -> None:
    parent.append(_fld_char("begin"))
    parent.append(_instr(f" {code} "))
    parent.append(_fld_char("separate"))
    _run_xml(parent, text=cached)
    parent.append(_fld_char("end"))


def _field(paragraph, code: str, cached: str) -> None:
    """A simple field (PAGE, NUMPAGES) at the end of ``paragraph``."""
    _field_xml(paragraph._p, code, cached)


def _colour(run, hex_colour: str) -> None:
    from docx.shared import RGBColor

    run.font.color.rgb = RGBColor.from_string(hex_colour)


def _no_indent(p) -> None:
    from docx.shared import Pt

    p.paragraph_format.first_line_indent = Pt(0)
    ind = p._p.get_or_add_pPr().find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}ind")
    if ind is not None:
        ind.set("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}firstLineChars", "0")


def _border(p, side: str, colour: str, size: int = 4, space: int = 1) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    ppr = p._p.get_or_add_pPr()
    bdr = ppr.find(qn("w:pBdr"))
    if bdr is None:
        bdr = OxmlElement("w:pBdr")
        ppr.append(bdr)
    b = OxmlElement(f"w:{side}")
    b.set(qn("w:val"), "single")
    b.set(qn("w:sz"), str(size))
    b.set(qn("w:space"), str(space))
    b.set(qn("w:color"), colour)
    bdr.append(b)
    _sort_ppr(ppr)


def _shade(owner, fill: str, cell: bool = False) -> None:
    """Background ``fill`` on a paragraph (``w:p``) or a cell's ``w:tcPr``."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    target = owner if cell else owner.get_or_add_pPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    if cell:
        # tcPr order: tcW, gridSpan, vMerge, tcBorders, shd, noWrap, tcMar, textDirection, tcFitText, vAlign
        valign = target.find(qn("w:vAlign"))
        if valign is not None:
            valign.addprevious(shd)
        else:
            target.append(shd)
    else:
        target.append(shd)
        _sort_ppr(target)


def _table_props(table, widths_mm: list[float]) -> None:
    """Fixed layout with the computed column widths, thin grey borders, cell margins."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm

    tblpr = table._tbl.tblPr
    tblw = tblpr.find(qn("w:tblW"))
    if tblw is None:
        tblw = OxmlElement("w:tblW")
        tblpr.append(tblw)
    tblw.set(qn("w:w"), str(int(sum(widths_mm) / 25.4 * 1440)))
    tblw.set(qn("w:type"), "dxa")
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        b = OxmlElement(f"w:{side}")
        b.set(qn("w:val"), "single")
        b.set(qn("w:sz"), "4")
        b.set(qn("w:space"), "0")
        b.set(qn("w:color"), "7F7F7F")
        borders.append(b)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    margins = OxmlElement("w:tblCellMar")
    for side, w in (("top", 20), ("left", 70), ("bottom", 20), ("right", 70)):
        m = OxmlElement(f"w:{side}")
        m.set(qn("w:w"), str(w))
        m.set(qn("w:type"), "dxa")
        margins.append(m)
    # tblPr order: tblStyle, tblpPr, tblOverlap, bidiVisual, tblStyleRowBandSize,
    # tblStyleColBandSize, tblW, jc, tblCellSpacing, tblInd, tblBorders, shd, tblLayout, tblCellMar, tblLook
    old = tblpr.find(qn("w:tblBorders"))
    if old is not None:
        tblpr.remove(old)
    look = tblpr.find(qn("w:tblLook"))
    for el in (borders, layout, margins):
        if look is not None:
            look.addprevious(el)
        else:
            tblpr.append(el)
    grid = table._tbl.tblGrid
    for gc, width in zip(grid.findall(qn("w:gridCol")), widths_mm):
        gc.set(qn("w:w"), str(int(Mm(width).twips)))


def _row_props(row, header: bool) -> None:
    """Rows never split across pages; header rows repeat on every page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))
    if header:
        h = OxmlElement("w:tblHeader")
        h.set(qn("w:val"), "true")
        trpr.append(h)
