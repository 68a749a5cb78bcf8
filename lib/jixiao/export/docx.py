"""The report as a Word document, built from the report page with python-docx.

The page (``report.html``, our nbconvert template) becomes: cover, a real TOC field,
Heading 1–3 styles, real tables (numbers right-aligned, header row repeated, the column
widths of the PDF from :mod:`jixiao.export.tables`), charts as pictures, header and
page-number footer, 宋体/黑体 as East Asian fonts. (pandoc was measured too: its tables
came out borderless with equal, badly wrapped columns and an English "Table of Contents";
fixing that needs a reference document plus post-processing, so the document is built
directly.)
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import re

from jixiao.export.docx_styles import (
    _MARGINS_MM,
    _PAGE_MM,
    _TEXT_WIDTH_MM,
    define_styles,
)
from jixiao.export.docx_xml import (
    _border,
    _colour,
    _field,
    _field_xml,
    _fld_char,
    _instr,
    _no_indent,
    _row_props,
    _run_xml,
    _shade,
    _sort_settings,
    _table_props,
)
from jixiao.export.formats import docx_module
from jixiao.export.tables import _classes, _span, _text, column_widths, table_rows

DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

#: East Asian fonts of the Word document: what Word and WPS on Chinese Windows have.
#: (LibreOffice on Linux substitutes Noto Serif/Sans CJK SC for them.)
_FONT_TABLE = {  # name → (altName, panose1): charset 86 = GB2312 lets Word substitute sensibly
    "宋体": ("SimSun", "02010600030101010101"),
    "黑体": ("SimHei", "02010609060101010101"),
}
# Page geometry, as in print.css: A4, margins top/right/bottom/left in mm.
_DOCX_TABLE_PT = 10.5  # 五号
_CHART_DPI = 200
_SEVERITY_COLOURS = {"error": "C00000", "warning": "7F6000", "info": "1F4E79", "pass": "385723"}
_FINDING_BORDERS = {"error": "C00000", "warning": "BF9000", "info": "2E75B6", "pass": "548235"}


def html_to_docx(page: str) -> bytes:
    """Build the Word version of the report page; returns the ``.docx`` bytes."""
    docx_module()
    from lxml import html as lhtml

    root = lhtml.document_fromstring(page)
    builder = _DocxBuilder(root)
    return builder.build()


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
        # A draft (unresolved error-level findings) carries 草稿 in every page's header.
        self.draft = first("draft-banner") is not None
        signature = first("signature")
        self.signature = [_text(p) for p in signature.findall(".//p")] if signature is not None else []

    # -- document set-up --------------------------------------------------------------------
    def build(self) -> bytes:
        define_styles(self.doc)
        self._page_setup()
        self._cover()
        toc_at = self._toc_placeholder()
        main = self.root.find(".//main")
        self._blocks(main if main is not None else self.root.find(".//body"))
        for i, line in enumerate(self.signature):  # the 落款, right-aligned under the last section
            p = self._para("Signature", line)
            if i == 0:
                from docx.shared import Pt

                p.paragraph_format.space_before = Pt(36)
        # The 附件 (the projects' 自评表) follow the 落款; each starts with a Heading 1, which
        # starts a page.
        for attachment in self.root.find_class("attachments"):
            self._blocks(attachment)
        self._fill_toc(toc_at)
        self._settings()
        self._properties()
        buf = io.BytesIO()
        self.doc.save(buf)
        return buf.getvalue()

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
        if self.draft:
            from docx.shared import RGBColor

            mark = header.add_run("　草稿")
            mark.bold = True
            mark.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
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
                    for name, (alt, panose) in _FONT_TABLE.items()
                )
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
        if level == 1 and "run-on" in _classes(el):
            # a part that runs on after the previous one (the key-project report's 一 to 七);
            # Heading 1 otherwise starts a page
            p.paragraph_format.page_break_before = False
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
        # A table with its own <colgroup> (the 自评表 form) keeps its proportions.
        fixed = _colgroup_shares(el)
        if fixed:
            ncols = len(fixed)
            widths = [_TEXT_WIDTH_MM * share for share in fixed]
        table = self.doc.add_table(rows=0, cols=ncols)
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        _table_props(table, widths)
        # Cells that span rows (rowspan) hold their columns in the rows below: a cell's
        # column is the first one no such cell holds.
        held: dict[tuple[int, int], bool] = {}
        pending: list[tuple[int, int, int, int]] = []  # (row, col, rowspan, colspan) to merge
        for r, (kind, cells) in enumerate(rows):
            row = table.add_row()
            _row_props(row, header=(kind == "head"))
            grid = row.cells
            col = 0
            for cell_el in cells:
                while held.get((r, col)):
                    col += 1
                span = _span(cell_el)
                if col >= ncols:
                    break
                span = min(span, ncols - col)
                down = _rowspan(cell_el)
                self._cell(grid[col], cell_el, kind)
                if down > 1 or span > 1:
                    pending.append((r, col, down, span))
                for dr in range(1, down):
                    for dc in range(span):
                        held[(r + dr, col + dc)] = True
                col += span
            for c, w in zip(row.cells, widths):
                c.width = Mm(w)
        for r, col, down, span in pending:
            last = min(r + down, len(table.rows)) - 1
            table.cell(r, col).merge(table.cell(last, col + span - 1))

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
        width_mm: float = _TEXT_WIDTH_MM
        if m.group(1) == "png" and data[:8] == b"\x89PNG\r\n\x1a\n":
            px = int.from_bytes(data[16:20], "big")
            width_mm = min(_TEXT_WIDTH_MM, px / _CHART_DPI * 25.4)
        p = self._para("Figure")
        p.add_run().add_picture(io.BytesIO(data), width=Mm(width_mm))
        alt = img.get("alt")
        if alt:
            p._p.xpath(".//wp:docPr")[0].set("descr", alt)


def _rowspan(cell) -> int:
    try:
        return max(1, int(cell.get("rowspan", 1) or 1))
    except ValueError:
        return 1


def _colgroup_shares(table) -> list[float]:
    """The column shares a table's own ``<colgroup>`` sets in percent (``width: 11%``), as
    fractions of the text width; empty when it sets none (report tables get theirs from
    :func:`jixiao.export.tables.column_widths`)."""
    group = table.find("colgroup")
    if group is None or "jx-fixed" in _classes(table):
        return []
    shares = []
    for col in group.findall("col"):
        m = re.search(r"width:\s*([\d.]+)%", col.get("style") or "")
        if not m:
            return []
        shares.append(float(m.group(1)) / 100)
    total = sum(shares)
    return [x / total for x in shares] if total else []
