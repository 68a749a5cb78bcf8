"""The report as PDF and as a Word document, from the same stitched report page.

Both start from the page that becomes ``report.html`` (our nbconvert template
``templates/nbconvert/jixiao``), so the three formats never disagree:

* **PDF** — WeasyPrint typesets the page with its print stylesheet (``print.css``: A4,
  running header, "第 N 页 / 共 M 页", 目录 page numbers through ``target-counter``,
  bookmarks from the headings). Fonts are embedded as CID subsets (no Type 3), Chinese
  is marked ``lang="zh"`` so the Noto CJK collection picks the Simplified Chinese faces.
* **DOCX** — python-docx builds a Word document from the page: cover, a real TOC field,
  Heading 1–3 styles, real tables (numbers right-aligned, header row repeated), charts as
  pictures, header and page-number footer, 宋体/黑体 as East Asian fonts. (pandoc was
  measured too: its tables came out borderless with equal, badly wrapped columns and an
  English "Table of Contents"; fixing that needs a reference document plus
  post-processing, so the document is built directly.)

The exporters are registered with nbconvert (entry points ``jixiao_html``,
``jixiao_pdf``, ``jixiao_docx``), so ``jupyter nbconvert --to jixiao_pdf NB.ipynb``
works on any executed section or stitched notebook; ``jixiao run`` calls
:func:`html_to_pdf` and :func:`html_to_docx` on the page it has already rendered.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import logging
import re
from pathlib import Path
from typing import Any

from nbconvert.exporters import HTMLExporter
from traitlets import Bool, default

from jixiao.exceptions import JixiaoError
# Re-exported: callers and nbconvert users import them from here.
from jixiao.export.formats import FORMATS, RendererMissing, docx_module, parse_formats, weasyprint_module  # noqa: F401

log = logging.getLogger(__name__)

DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# -- report metadata ------------------------------------------------------------------------
def report_meta(params_path: str | Path) -> dict[str, Any]:
    """Cover data of one township-year: ``unit``, ``year``, ``title``, ``date``."""
    from jixiao.report.context import open_report, report_date

    ctx = open_report(params_path)
    return {"unit": ctx.ds.name, "year": ctx.params.year, "title": ctx.params.report.title,
            "date": report_date(ctx)}


def notebook_meta(nb) -> dict[str, Any]:
    """Cover data for a notebook given to nbconvert directly.

    ``jixiao run`` stores it in the stitched notebook's ``metadata.jixiao``; an executed
    section notebook has the parameters file papermill injected, from which it is read.
    """
    stored = dict(nb.metadata.get("jixiao", {}) or {})
    if stored.get("unit"):
        return stored
    params_path = (nb.metadata.get("papermill", {}) or {}).get("parameters", {}).get("params_path")
    if params_path and Path(params_path).is_file():
        try:
            return {**report_meta(params_path), **stored}
        except JixiaoError as exc:  # the cover stays blank rather than failing the export
            log.warning("封面信息无法读取（%s）：%s", params_path, exc)
    return stored


# -- nbconvert exporters --------------------------------------------------------------------
class JixiaoHTMLExporter(HTMLExporter):
    """The report page: jixiao template, code hidden, 表/图 numbered, 目录 collected."""

    export_from_notebook = "jixiao 报告（HTML）"
    exclude_input = Bool(True, help="Code never reaches the report.").tag(config=True)
    exclude_input_prompt = Bool(True).tag(config=True)
    exclude_output_prompt = Bool(True).tag(config=True)
    embed_images = Bool(True).tag(config=True)

    @default("template_name")
    def _template_name_default(self):
        return "jixiao_print" if self.output_mimetype != "text/html" else "jixiao"

    @default("extra_template_basedirs")
    def _default_extra_template_basedirs(self):
        from jixiao.report.render import template_dir

        return [*super()._default_extra_template_basedirs(), str(template_dir())]

    def __init__(self, *args, **kwargs):
        from jixiao.report.render import NumberingPreprocessor

        super().__init__(*args, **kwargs)
        self.register_preprocessor(NumberingPreprocessor(), enabled=True)

    def from_notebook_node(self, nb, resources=None, **kw):
        from jixiao import __version__

        resources = dict(resources or {})
        meta = {**notebook_meta(nb), **resources.get("jixiao", {})}
        resources["jixiao"] = {"version": __version__, **meta}
        return super().from_notebook_node(nb, resources=resources, **kw)


class JixiaoPDFExporter(JixiaoHTMLExporter):
    """The report as a print-ready PDF, typeset by WeasyPrint (``--to jixiao_pdf``)."""

    export_from_notebook = "jixiao 报告（PDF）"
    output_mimetype = "application/pdf"

    @default("file_extension")
    def _file_extension_default(self):
        return ".pdf"

    @default("template_extension")
    def _template_extension_default(self):
        return ".html.j2"

    def from_notebook_node(self, nb, resources=None, **kw):
        page, resources = super().from_notebook_node(nb, resources=resources, **kw)
        base = (resources.get("metadata") or {}).get("path") or "."
        resources["output_extension"] = ".pdf"
        return html_to_pdf(page, base_url=str(base)), resources


class JixiaoDocxExporter(JixiaoHTMLExporter):
    """The report as an editable Word document (``--to jixiao_docx``)."""

    export_from_notebook = "jixiao 报告（Word）"
    output_mimetype = DOCX_MIMETYPE

    @default("file_extension")
    def _file_extension_default(self):
        return ".docx"

    @default("template_extension")
    def _template_extension_default(self):
        return ".html.j2"

    def from_notebook_node(self, nb, resources=None, **kw):
        page, resources = super().from_notebook_node(nb, resources=resources, **kw)
        resources["output_extension"] = ".docx"
        return html_to_docx(page), resources


# -- PDF ------------------------------------------------------------------------------------
class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def html_to_pdf(page: str, base_url: str | None = None, warnings: list[str] | None = None) -> bytes:
    """Typeset the report page (with its print stylesheet) into PDF bytes.

    Report tables get fixed column widths first (:func:`fit_tables`); everything else
    is the page as ``report.html`` has it.

    Parameters
    ----------
    page : str
        The report HTML (``report.html``).
    base_url : str, optional
        Where relative links would resolve (the report has none: images are inline).
    warnings : list, optional
        Receives WeasyPrint's warnings (unsupported CSS, missing resources).
    """
    weasyprint = weasyprint_module()
    page = fit_tables(page)
    handler = _Collect()
    wlog = logging.getLogger("weasyprint")
    wlog.addHandler(handler)
    try:
        doc = weasyprint.HTML(string=page, base_url=base_url or ".").render()
        pdf = doc.write_pdf()
    finally:
        wlog.removeHandler(handler)
    if warnings is not None:
        warnings.extend(handler.messages)
    return pdf


# -- DOCX -----------------------------------------------------------------------------------
#: East Asian fonts of the Word document: what Word and WPS on Chinese Windows have.
#: (LibreOffice on Linux substitutes Noto Serif/Sans CJK SC for them.)
BODY_FONT = "宋体"
HEADING_FONT = "黑体"
LATIN_FONT = "Times New Roman"
LATIN_HEADING_FONT = "Arial"
_FONT_TABLE = {  # name → (altName, panose1): charset 86 = GB2312 lets Word substitute sensibly
    "宋体": ("SimSun", "02010600030101010101"),
    "黑体": ("SimHei", "02010609060101010101"),
}
# Page geometry, as in print.css: A4, margins top/right/bottom/left in mm.
_PAGE_MM = (210, 297)
_MARGINS_MM = (28, 24, 24, 26)
_TEXT_WIDTH_MM = _PAGE_MM[0] - _MARGINS_MM[1] - _MARGINS_MM[3]
_DOCX_TABLE_PT = 10.5  # 五号
#: The PDF's text width and table font size (print.css: A4 with 26 + 24 mm side margins, 9pt).
PDF_TEXT_WIDTH_MM = 160
PDF_TABLE_PT = 9
_CHART_DPI = 200
_SEVERITY_COLOURS = {"error": "C00000", "warning": "7F6000", "info": "1F4E79", "pass": "385723"}
_FINDING_BORDERS = {"error": "C00000", "warning": "BF9000", "info": "2E75B6", "pass": "548235"}


def write_report(stage: Path, fmt: str, page: str) -> Path:
    """Write the stitched page as ``stage/report.<fmt>`` (html, pdf or docx).

    Used by the township run and the key-project evaluation alike.
    """
    target = Path(stage) / f"report.{fmt}"
    if fmt == "html":
        target.write_text(page, encoding="utf-8")
    elif fmt == "pdf":
        target.write_bytes(html_to_pdf(page, base_url=str(stage)))
    elif fmt == "docx":
        target.write_bytes(html_to_docx(page))
    else:
        raise ValueError(f"unknown format {fmt!r}")
    return target


def html_to_docx(page: str) -> bytes:
    """Build the Word version of the report page; returns the ``.docx`` bytes."""
    docx_module()
    from lxml import html as lhtml

    root = lhtml.document_fromstring(page)
    builder = _DocxBuilder(root)
    return builder.build()


def _text(el) -> str:
    return re.sub(r"\s+", " ", el.text_content()).strip() if el is not None else ""


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


class _DocxBuilder:
    """HTML of our report template → a styled Word document (python-docx)."""

    def __init__(self, root):
        import docx

        self.root = root
        self.doc = docx.Document()
        self.bookmark_id = 0
        self._style_ids: dict[str, str] = {}
        self.toc: list[tuple[int, str, str]] = []  # (level, text, bookmark)

        def first(cls):
            found = root.find_class(cls)
            return found[0] if found else None

        self.unit = _text(first("cover-unit"))
        title = first("cover-title")
        self.title_lines = [_text(s) for s in title.findall("span")] if title is not None else []
        if title is not None and not self.title_lines:
            self.title_lines = [_text(title)]
        self.title = "".join(self.title_lines) or _text(root.find(".//title"))
        self.date = _text(first("cover-date"))
        self.note = _text(first("cover-note"))

    # -- document set-up --------------------------------------------------------------------
    def build(self) -> bytes:
        self._styles()
        self._page_setup()
        self._cover()
        toc_at = self._toc_placeholder()
        main = self.root.find(".//main")
        self._blocks(main if main is not None else self.root.find(".//body"))
        footer = self.root.find_class("report-footer")
        if footer:
            self._para("Report Note", _text(footer[0])).alignment = 1
        self._fill_toc(toc_at)
        self._settings()
        self._properties()
        buf = io.BytesIO()
        self.doc.save(buf)
        return buf.getvalue()

    def _set_fonts(self, rpr_owner, latin: str, east_asia: str) -> None:
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

    def _style(self, name: str, *, base: str | None = "Normal", size: float | None = None,
               bold: bool | None = None, east_asia: str = BODY_FONT, latin: str = LATIN_FONT,
               colour: str | None = "000000", align: int | None = None, first_line_chars: int | None = None,
               before: float | None = None, after: float | None = None, line: float | None = None,
               keep_next: bool | None = None, page_break: bool | None = None, outline: int | None = None):
        from docx.enum.style import WD_STYLE_TYPE
        from docx.oxml.ns import qn
        from docx.shared import Pt, RGBColor

        styles = self.doc.styles
        try:
            style = styles[name]
        except KeyError:
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.quick_style = True
        if base is not None and name != base:
            style.base_style = styles[base]
        self._set_fonts(style.element, latin, east_asia)
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

    def _styles(self) -> None:
        from docx.oxml.ns import qn

        doc = self.doc
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

        s = self._style
        s("Normal", base=None, size=12, line=1.0, before=0, after=0)
        # Body text: 小四 宋体, justified, 2-character first-line indent, 1.5 line spacing.
        s("Body Text", size=12, align=3, first_line_chars=200, line=1.5, before=0, after=0)
        s("Heading 1", size=16, bold=False, east_asia=HEADING_FONT, latin=LATIN_HEADING_FONT, before=0, after=18,
          line=1.3, keep_next=True, page_break=True, outline=0)
        s("Heading 2", size=14, bold=False, east_asia=HEADING_FONT, latin=LATIN_HEADING_FONT, before=12, after=6,
          line=1.3, keep_next=True, page_break=False, outline=1)
        s("Heading 3", size=12, bold=True, east_asia=HEADING_FONT, latin=LATIN_HEADING_FONT, before=9, after=3,
          line=1.3, keep_next=True, page_break=False, outline=2)
        s("Heading 4", size=12, bold=True, east_asia=BODY_FONT, before=6, after=0, line=1.3, keep_next=True,
          outline=3)
        title = s("Title", size=24, bold=True, east_asia=HEADING_FONT, latin=LATIN_HEADING_FONT, align=1, before=0,
                  after=0, line=1.5)
        for el in title.element.get_or_add_pPr().findall(qn("w:pBdr")):  # the template's blue rule
            el.getparent().remove(el)
        for tag in ("w:spacing", "w:kern"):  # the template's letter-spacing and kerning
            for el in title.element.get_or_add_rPr().findall(qn(tag)):
                el.getparent().remove(el)
        s("Cover Unit", size=18, east_asia=HEADING_FONT, latin=LATIN_HEADING_FONT, align=1, before=0, after=0)
        s("Cover Date", size=15, east_asia=BODY_FONT, align=1)
        s("TOC Heading", size=18, bold=False, east_asia=HEADING_FONT, latin=LATIN_HEADING_FONT, align=1, before=0,
          after=18, page_break=True, outline=9, keep_next=False)
        text_twips = int(_TEXT_WIDTH_MM / 25.4 * 1440)
        for level, size in ((1, 12), (2, 11.5)):
            st = s(f"toc {level}", size=size, bold=(level == 1), before=6 if level == 1 else 0, line=1.5)
            ppr = st.element.get_or_add_pPr()
            tabs = ppr.makeelement(qn("w:tabs"), {})
            tabs.append(tabs.makeelement(qn("w:tab"), {qn("w:val"): "right", qn("w:leader"): "dot",
                                                       qn("w:pos"): str(text_twips)}))
            ppr.insert(0, tabs)
            if level == 2:
                ind = ppr.makeelement(qn("w:ind"), {qn("w:leftChars"): "200", qn("w:left"): "460"})
                ppr.append(ind)
            _sort_ppr(ppr)
            st.element.set(qn("w:styleId"), f"TOC{level}")
            st.unhide_when_used = True
        s("Caption", size=10.5, bold=True, east_asia=HEADING_FONT, latin=LATIN_HEADING_FONT, align=1, before=9,
          after=3, keep_next=True)
        s("Figure", size=10.5, align=1, before=6, after=0, keep_next=True, line=1.0)
        s("Table Text", size=10.5, line=1.15)
        s("Table Note", size=9, colour="404040", before=3, after=6, line=1.2)
        s("Finding", size=11, align=3, line=1.4, before=6, after=6)
        s("Report Note", size=9, colour="7F7F7F", before=24)
        s("Header", size=9, colour="595959", align=1)
        s("Footer", size=9, colour="404040", align=1)
        for name in ("List Bullet", "List Number"):
            s(name, size=12, line=1.5)

    def _page_setup(self) -> None:
        from docx.shared import Mm

        sec = self.doc.sections[0]
        sec.page_width, sec.page_height = Mm(_PAGE_MM[0]), Mm(_PAGE_MM[1])
        sec.top_margin, sec.right_margin, sec.bottom_margin, sec.left_margin = (Mm(m) for m in _MARGINS_MM)
        sec.header_distance, sec.footer_distance = Mm(15), Mm(12)
        # The cover page has no header and no page number.
        sec.different_first_page_header_footer = True
        header = sec.header.paragraphs[0]
        header.style = self.doc.styles["Header"]
        header.add_run(f"{self.unit}　{self.title}".strip("　"))
        _border(header, "bottom", "7F7F7F", size=6, space=4)
        footer = sec.footer.paragraphs[0]
        footer.style = self.doc.styles["Footer"]
        footer.add_run("第 ")
        _field(footer, "PAGE", "1")
        footer.add_run(" 页 / 共 ")
        _field(footer, "NUMPAGES", "1")
        footer.add_run(" 页")

    def _cover(self) -> None:
        from docx.shared import Pt

        p = self._para("Cover Unit", self.unit)
        p.paragraph_format.space_before = Pt(170)
        for i, line in enumerate(self.title_lines or [self.title]):
            t = self._para("Title", line)
            if i == 0:
                t.paragraph_format.space_before = Pt(40)
        if self.note:
            n = self._para("Cover Date")
            n.paragraph_format.space_before = Pt(24)
            r = n.add_run(self.note)
            r.font.size = Pt(11)
            _colour(r, "C00000")
        d = self._para("Cover Date", self.date)
        d.paragraph_format.space_before = Pt(250 if not self.note else 215)

    def _toc_placeholder(self):
        heading = self._para("TOC Heading", "目　录")
        anchor = self._para("toc 1")
        return heading, anchor

    def _fill_toc(self, toc_at) -> None:
        """A real TOC field (levels 1–2) whose cached result lists the headings.

        Each entry links to its heading and carries a PAGEREF field, as Word writes them.
        The page numbers depend on the word processor's own pagination, so they are left
        for it to fill in: Word updates the field when it opens the document (it asks,
        because of ``updateFields``); in LibreOffice or WPS, 工具 → 更新 → 全部更新 (or
        右键 目录 → 更新域).
        """
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        _heading, anchor = toc_at
        entries = [e for e in self.toc if e[0] <= 2]
        paragraphs = [anchor]
        for _ in entries[1:]:
            new = OxmlElement("w:p")
            paragraphs[-1]._p.addnext(new)
            from docx.text.paragraph import Paragraph

            paragraphs.append(Paragraph(new, anchor._parent))
        for para, (level, text, mark) in zip(paragraphs, entries):
            self._set_style(para, f"toc {level}")
            link = OxmlElement("w:hyperlink")
            link.set(qn("w:anchor"), mark)
            link.set(qn("w:history"), "1")
            para._p.append(link)
            _run_xml(link, text=text)
            _run_xml(link, tab=True)
            _field_xml(link, f"PAGEREF {mark} \\h", "")
        first, last = paragraphs[0], paragraphs[-1]
        begin = [_fld_char("begin", dirty=True), _instr(' TOC \\o "1-2" \\h \\z \\u '), _fld_char("separate")]
        ppr = first._p.find(qn("w:pPr"))
        at = 1 if ppr is not None else 0
        for offset, r in enumerate(begin):
            first._p.insert(at + offset, r)
        last._p.append(_fld_char("end"))

    def _settings(self) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        settings = self.doc.settings.element
        # Word refreshes the TOC (and page numbers in it) when the document is opened.
        upd = OxmlElement("w:updateFields")
        upd.set(qn("w:val"), "true")
        settings.append(upd)
        _sort_settings(settings)
        lang = settings.find(qn("w:themeFontLang"))
        if lang is not None:
            lang.set(qn("w:eastAsia"), "zh-CN")
        # The font table tells Word/WPS what 宋体 and 黑体 are (charset GB2312), so a
        # machine without them substitutes a Chinese face, not a Latin one.
        from docx.opc.constants import RELATIONSHIP_TYPE as RT

        for rel in self.doc.part.rels.values():
            if rel.reltype == RT.FONT_TABLE:
                part = rel.target_part
                xml = part.blob.decode("utf-8")
                entries = "".join(
                    f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:panose1 w:val="{panose}"/>'
                    f'<w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>'
                    for name, (alt, panose) in _FONT_TABLE.items())
                part._blob = xml.replace("</w:fonts>", entries + "</w:fonts>").encode("utf-8")
        # python-docx's template carries a thumbnail of an empty English document.
        pkg = self.doc.part.package
        for rid, rel in list(pkg.rels.items()):
            if rel.reltype.endswith("/thumbnail"):
                del pkg.rels[rid]

    def _properties(self) -> None:
        from jixiao import __version__

        cp = self.doc.core_properties
        cp.title = f"{self.unit}{self.title}"
        cp.author = self.unit
        cp.subject = self.title
        cp.language = "zh-CN"
        cp.comments = f"由 jixiao {__version__} 生成"
        cp.last_modified_by = f"jixiao {__version__}"
        cp.created = cp.modified = dt.datetime.now().replace(microsecond=0)
        cp.revision = 1
        cp.keywords = "绩效自评"

    # -- body -------------------------------------------------------------------------------
    def _set_style(self, p, name: str) -> None:
        """Set a paragraph style by id (python-docx's lookup by name is slow on big documents)."""
        sid = self._style_ids.get(name)
        if sid is None:
            sid = self._style_ids[name] = self.doc.styles[name].style_id
        p._p.get_or_add_pPr().style = sid

    def _para(self, style: str, text: str | None = None):
        p = self.doc.add_paragraph()
        self._set_style(p, style)
        if text:
            p.add_run(text)
        return p

    def _blocks(self, parent) -> None:
        if parent is None:
            return
        if parent.text and parent.text.strip():
            self._paragraph_text(parent.text.strip())
        for el in parent:
            if not isinstance(el.tag, str):  # comments, processing instructions
                pass
            else:
                self._block(el)
            if el.tail and el.tail.strip():
                self._paragraph_text(el.tail.strip())

    def _block(self, el) -> None:
        tag = el.tag.lower()
        cls = _classes(el)
        if tag in ("script", "style", "nav", "template"):
            return
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._heading(el, min(int(tag[1]), 4))
        elif "finding" in cls:
            self._finding(el, cls)
        elif tag == "p":
            style = "Table Note" if cls & {"table-note", "figure-note"} else "Body Text"
            p = self._para(style)
            if "noindent" in cls and style == "Body Text":
                _no_indent(p)
            self._inline(p, el)
        elif tag == "table":
            self._table(el)
        elif tag == "figure":
            self._figure(el)
        elif tag == "img":
            self._image(el)
        elif tag in ("ul", "ol"):
            for li in el.findall("li"):
                p = self._para("List Number" if tag == "ol" else "List Bullet")
                self._inline(p, li)
        elif tag == "figcaption":
            self._inline(self._para("Caption"), el)
        elif tag in ("pre", "blockquote", "address"):
            p = self._para("Body Text")
            _no_indent(p)
            self._inline(p, el)
        elif tag in ("hr", "br"):
            return
        elif "cell-error" in cls:
            p = self._para("Finding")
            self._inline(p, el)
            for r in p.runs:
                _colour(r, "C00000")
        elif tag in ("span", "strong", "b", "em", "i", "a", "sup", "sub", "small", "code"):
            p = self._para("Body Text")
            self._inline(p, el)
        else:  # div, section, article, main, footer … : their children are blocks
            self._blocks(el)

    def _paragraph_text(self, text: str) -> None:
        self._para("Body Text", text)

    def _heading(self, el, level: int) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        text = _text(el)
        p = self._para(f"Heading {level}")
        self.bookmark_id += 1
        mark = f"_Toc{self.bookmark_id:08d}"
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), str(self.bookmark_id))
        start.set(qn("w:name"), mark)
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), str(self.bookmark_id))
        p._p.append(start)
        p.add_run(text)
        p._p.append(end)
        self.toc.append((level, text, mark))

    def _finding(self, el, cls: set[str]) -> None:
        p = self._para("Finding")
        sev = next((s for s in _FINDING_BORDERS if s in cls), "info")
        _border(p, "left", _FINDING_BORDERS[sev], size=24, space=6)
        _shade(p._p, "FAFAFA")
        self._inline(p, el)

    def _inline(self, p, el, fmt: dict | None = None) -> None:
        """Runs for the text of ``el`` and its inline children, formatting carried down."""
        fmt = dict(fmt or {})
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        cls = _classes(el)
        if tag in ("strong", "b", "th") or "sev" in cls or "sample-label" in cls:
            fmt["bold"] = True
        if tag in ("em", "i"):
            fmt["italic"] = True
        if tag == "sup":
            fmt["sup"] = True
        if tag == "sub":
            fmt["sub"] = True
        if "sev" in cls:
            fmt["colour"] = next((_SEVERITY_COLOURS[s] for s in _SEVERITY_COLOURS if s in cls), None)
        if "sample-label" in cls:
            fmt["colour"] = "C00000"
        if "missing" in cls:
            fmt["colour"] = "7F7F7F"
        if el.text:
            self._run(p, el.text, fmt)
        for child in el:
            if isinstance(child.tag, str):
                ctag = child.tag.lower()
                if ctag == "br":
                    p.add_run().add_break()
                elif ctag == "img":
                    pass
                else:
                    self._inline(p, child, fmt)
            if child.tail:
                self._run(p, child.tail, fmt)

    @staticmethod
    def _run(p, text: str, fmt: dict) -> None:
        text = re.sub(r"[ \t\r\n]+", " ", text)
        if not text:
            return
        if not p.runs and not p.text:
            text = text.lstrip()
            if not text:
                return
        r = p.add_run(text)
        if fmt.get("bold"):
            r.bold = True
        if fmt.get("italic"):
            r.italic = True
        if fmt.get("sup"):
            r.font.superscript = True
        if fmt.get("sub"):
            r.font.subscript = True
        if fmt.get("colour"):
            _colour(r, fmt["colour"])

    # -- tables -----------------------------------------------------------------------------
    def _table(self, el) -> None:
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.shared import Mm

        caption = el.find("caption")
        if caption is not None:
            self._inline(self._para("Caption"), caption)
        rows = table_rows(el)
        if not rows:
            return
        em_mm = _DOCX_TABLE_PT / 72 * 25.4
        widths_em, _fits = column_widths(rows, _TEXT_WIDTH_MM / em_mm, pad_em=1.3)
        widths = [w * em_mm for w in widths_em]
        ncols = len(widths)
        table = self.doc.add_table(rows=0, cols=ncols)
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        _table_props(table, widths)
        for kind, cells in rows:
            row = table.add_row()
            _row_props(row, header=(kind == "head"))
            grid = row.cells
            col = 0
            for cell_el in cells:
                span = _span(cell_el)
                if col >= ncols:
                    break
                cell = grid[col]
                if span > 1 and col + span - 1 < ncols:
                    cell = cell.merge(grid[col + span - 1])
                self._cell(cell, cell_el, kind)
                col += span
            for c, w in zip(row.cells, widths):
                c.width = Mm(w)

    def _cell(self, cell, el, kind: str) -> None:
        from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT

        p = cell.paragraphs[0]
        self._set_style(p, "Table Text")
        numeric = "n" in _classes(el)
        is_head = kind == "head" or el.tag.lower() == "th"
        p.alignment = 1 if is_head else (2 if numeric else 0)
        fmt = {"bold": True} if kind in ("head", "foot") else {}
        self._inline(p, el, fmt)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        if kind == "head":
            _shade(cell._tc.get_or_add_tcPr(), "EEF3F8", cell=True)
        elif kind == "foot":
            _shade(cell._tc.get_or_add_tcPr(), "F2F2F2", cell=True)

    # -- figures ----------------------------------------------------------------------------
    def _figure(self, el) -> None:
        for img in el.iter("img"):
            self._image(img)
        cap = el.find("figcaption")
        if cap is not None:
            p = self._para("Caption")
            p.paragraph_format.keep_with_next = False
            p.paragraph_format.space_before = 0
            self._inline(p, cap)
        for note in el.find_class("figure-note"):
            self._inline(self._para("Table Note"), note)

    def _image(self, img) -> None:
        from docx.shared import Mm

        src = img.get("src") or ""
        m = re.match(r"data:image/(png|jpe?g|gif);base64,(.*)", src, re.S)
        if not m:
            return
        data = base64.b64decode(m.group(2))
        width_mm = _TEXT_WIDTH_MM
        if m.group(1) == "png" and data[:8] == b"\x89PNG\r\n\x1a\n":
            px = int.from_bytes(data[16:20], "big")
            width_mm = min(_TEXT_WIDTH_MM, px / _CHART_DPI * 25.4)
        p = self._para("Figure")
        p.add_run().add_picture(io.BytesIO(data), width=Mm(width_mm))
        alt = img.get("alt")
        if alt:
            p._p.xpath(".//wp:docPr")[0].set("descr", alt)


# -- table layout (shared by PDF and DOCX) ---------------------------------------------------
#: Cell text up to this wide (in em: four Chinese characters, "完成状态", "已完成") is kept
#: on one line; browsers' automatic layout would squeeze such columns to one character.
_SHORT_EM = 4.0


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


# -- small XML helpers ----------------------------------------------------------------------
_PPR_ORDER = ["pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
              "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
              "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
              "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
              "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
              "sectPr", "pPrChange"]


def _sort_ppr(ppr) -> None:
    def key(child):
        name = child.tag.split("}")[-1]
        return _PPR_ORDER.index(name) if name in _PPR_ORDER else len(_PPR_ORDER)

    children = sorted(ppr, key=key)
    for child in children:
        ppr.remove(child)
    for child in children:
        ppr.append(child)


_SETTINGS_BEFORE_UPDATE = {"writeProtection", "view", "zoom", "removePersonalInformation", "removeDateAndTime",
                           "doNotDisplayPageBoundaries", "displayBackgroundShape", "printPostScriptOverText",
                           "printFractionalCharacterWidth", "printFormsData", "embedTrueTypeFonts",
                           "embedSystemFonts", "saveSubsetFonts", "saveFormsData", "mirrorMargins",
                           "alignBordersAndEdges", "bordersDoNotSurroundHeader", "bordersDoNotSurroundFooter",
                           "gutterAtTop", "hideSpellingErrors", "hideGrammaticalErrors", "activeWritingStyle",
                           "proofState", "formsDesign", "attachedTemplate", "linkStyles",
                           "stylePaneFormatFilter", "stylePaneSortMethod", "documentType", "mailMerge",
                           "revisionView", "trackRevisions", "doNotTrackMoves", "doNotTrackFormatting",
                           "documentProtection", "autoFormatOverride", "styleLockTheme", "styleLockQFSet",
                           "defaultTabStop", "autoHyphenation", "consecutiveHyphenLimit", "hyphenationZone",
                           "doNotHyphenateCaps", "showEnvelope", "summaryLength", "clickAndTypeStyle",
                           "defaultTableStyle", "evenAndOddHeaders", "bookFoldRevPrinting", "bookFoldPrinting",
                           "bookFoldPrintingSheets", "drawingGridHorizontalSpacing", "drawingGridVerticalSpacing",
                           "displayHorizontalDrawingGridEvery", "displayVerticalDrawingGridEvery",
                           "doNotUseMarginsForDrawingGridOrigin", "drawingGridHorizontalOrigin",
                           "drawingGridVerticalOrigin", "doNotShadeFormData", "noPunctuationKerning",
                           "characterSpacingControl", "printTwoOnOne", "strictFirstAndLastChars",
                           "noLineBreaksAfter", "noLineBreaksBefore", "savePreviewPicture",
                           "doNotValidateAgainstSchema", "saveInvalidXml", "ignoreMixedContent",
                           "alwaysShowPlaceholderText", "doNotDemarcateInvalidXml", "saveXmlDataOnly",
                           "useXSLTWhenSaving", "saveThroughXslt", "showXMLTags", "alwaysMergeEmptyNamespace"}


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
    for gc, w in zip(grid.findall(qn("w:gridCol")), widths_mm):
        gc.set(qn("w:w"), str(int(Mm(w).twips)))


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
