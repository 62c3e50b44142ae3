"""Books (``type = "books"``): EPUB, PDF, plain text and Markdown files -> one record per
chapter/section (a later segment step chunks long ones).

- EPUB: ``META-INF/container.xml`` -> OPF -> spine order; each spine document is a chapter
  (titles from its first heading, else the nav/NCX table of contents); XHTML -> text with
  the stdlib ``html.parser`` (block elements become paragraphs; scripts, styles, nav,
  asides, note references and page-break markers are dropped). Front/back matter
  (``epub:type`` toc, copyright-page, titlepage, cover, index, footnotes, ...) is
  filtered as ``front_matter`` unless ``skip_front_matter = false``. No EbookLib (AGPL).
- PDF (pypdf): running headers/footers (the first/last line of a page recurring, digits
  ignored, on at least max(3, 60%) of pages) and bare page numbers are dropped, words
  hyphenated at line ends are joined (kept hyphenated when the document spells them so
  elsewhere), lines are unwrapped into paragraphs. Sections from the PDF outline, else
  from "Chapter N" heading lines, else one section. No text layer -> errored
  ``no_text_layer`` (no OCR); encrypted -> ``encrypted_pdf``.
- Text: a Project Gutenberg header/footer is cut at its START/END markers (title, author,
  language from the header; licence ``project-gutenberg``); chapters on "Chapter N" lines.
- Markdown: YAML front matter gives title/author/license; sections on ``#``/``##``
  headings; markup stripped lightly (emphasis, links, images, code fences, HTML tags).

Raw cache: the file is copied once to ``raw/books/<sha256[:32]>.<ext>`` with a sidecar
``.json`` (first retrieval time, original path) before it is parsed; the book id is that
hash, so a renamed file is the same book and an edited file a new one. The listing state
``state/sources/<name>/seen.json`` keeps each book's first-seen time.
"""

from __future__ import annotations

import dataclasses
import hashlib
import html
import json
import posixpath
import re
import statistics
import time
import urllib.parse
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from pipeline import __version__
from pipeline.config import ConfigError, expand_paths, parse_section
from pipeline.records import new_record
from pipeline.runs import Run, Shard
from pipeline.sources.harvest import merge_seen, sha256_hex, utc_iso
from pipeline.sources.licenses import normalize

if TYPE_CHECKING:  # runtime import would be circular (stages -> ingest -> sources)
    from pipeline.stages.base import ShardContext

FORMATS = {".epub": "epub", ".pdf": "pdf", ".txt": "text", ".text": "text", ".md": "markdown",
           ".markdown": "markdown"}  # fmt: skip
EXT = {"epub": ".epub", "pdf": ".pdf", "text": ".txt", "markdown": ".md"}
RETRIEVER = f"uadp-pipeline/{__version__} books-v1"


@dataclass(frozen=True)
class BooksSection:
    type: str = "books"
    name: str = "books"
    paths: list[str] = field(default_factory=list)
    format: str = "auto"
    license: str = ""  # empty: the book's own statement (dc:rights, front matter), else unknown
    skip_front_matter: bool = True


def options(entry: dict[str, Any]) -> BooksSection:
    names = {f.name for f in dataclasses.fields(BooksSection)}
    return BooksSection(**{k: v for k, v in entry.items() if k in names})


class BookError(Exception):
    """args = (reason, detail): the whole book cannot be read."""


@dataclass
class Section:
    title: str | None
    text: str
    info: dict[str, Any] = field(default_factory=dict)
    skip: str | None = None  # a filter reason (front_matter) instead of a record


@dataclass
class Book:
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    language: str | None = None
    rights: str | None = None
    rights_source: str | None = None
    sections: list[Section] = field(default_factory=list)


# -- HTML -> text --------------------------------------------------------------------------------

BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dd", "dt",
         "td", "th", "tr", "section", "article", "header", "footer", "figcaption", "table",
         "ul", "ol", "dl", "hr", "body", "title"}  # fmt: skip
SKIP_TAGS = {"script", "style", "nav", "aside", "svg", "math", "head", "template", "figure"}
SKIP_TYPES = {"noteref", "footnote", "endnote", "rearnote", "pagebreak", "annoref", "toc"}
MATTER_TYPES = {"toc", "landmarks", "copyright-page", "titlepage", "halftitlepage", "cover",
                "frontispiece", "index", "footnotes", "endnotes", "rearnotes", "loi", "lot",
                "colophon", "imprint"}  # fmt: skip
MATTER_TITLES = re.compile(r"^(table of )?contents$|^copyright$|^index$", re.IGNORECASE)
VOID = {"br", "hr", "img", "meta", "link", "input", "col", "area", "base", "wbr", "source"}
_WS = re.compile(r"[ \t\r\n\f\v\u00a0]+")


class _TextParser(HTMLParser):
    """Block-structured text of an (X)HTML document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, str]] = []  # (tag, text)
        self.heading: str | None = None
        self.doc_types: set[str] = set()
        self.html_title = ""
        self._buf: list[str] = []
        self._block_tag = "p"
        self._skip_depth = 0
        self._stack: list[tuple[str, bool]] = []  # (tag, skipping)
        self._in_title = False
        self._pre = 0

    def _flush(self) -> None:
        raw = "".join(self._buf)
        self._buf = []
        text = raw.strip("\n") if self._pre else _WS.sub(" ", raw).strip()
        if text:
            self.blocks.append((self._block_tag, text))
            if self._block_tag in ("h1", "h2", "h3") and self.heading is None:
                self.heading = text

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        types = set((a.get("epub:type") or "").split()) | set((a.get("role") or "").split())
        types = {t.removeprefix("doc-") for t in types}
        if tag in ("body", "section") and not self._stack_skipping():
            self.doc_types |= types & MATTER_TYPES
        if tag == "title":
            self._in_title = True
        if tag in VOID:
            if tag == "br" and not self._stack_skipping():
                self._buf.append("\n" if self._pre else " \n ")
            return
        skipping = self._stack_skipping() or tag in SKIP_TAGS or bool(types & SKIP_TYPES)
        if tag in BLOCK and not skipping:
            self._flush()
            self._block_tag = tag
        if tag == "pre":
            self._pre += 1
        self._stack.append((tag, skipping))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag in VOID:
            return
        # pop to the matching tag (tolerates unclosed <p> etc.)
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i][0] == tag:
                skipping = self._stack[i][1]
                del self._stack[i:]
                if tag in BLOCK and not skipping:
                    self._flush()
                    self._block_tag = "p"
                if tag == "pre":
                    self._pre = max(0, self._pre - 1)
                return

    def _stack_skipping(self) -> bool:
        return bool(self._stack) and self._stack[-1][1]

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.html_title += data
            return
        if not self._stack_skipping():
            self._buf.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def html_text(markup: str) -> _TextParser:
    p = _TextParser()
    p.feed(markup)
    p.close()
    return p


def _decode(data: bytes) -> str:
    m = re.match(rb"<\?xml[^>]*encoding=[\"']([A-Za-z0-9_.-]+)[\"']", data)
    enc = m.group(1).decode() if m else "utf-8"
    try:
        return data.decode(enc)
    except (LookupError, UnicodeDecodeError):
        return data.decode("utf-8", errors="replace")


# -- EPUB ------------------------------------------------------------------------------------------

NS = {
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
    "xhtml": "http://www.w3.org/1999/xhtml",
}
HTML_TYPES = {"application/xhtml+xml", "text/html", "application/xml"}


def _xml(z: zipfile.ZipFile, name: str) -> Element:
    try:
        root: Element = SafeET.fromstring(z.read(name))
    except KeyError:
        raise BookError("invalid_epub", f"{name} is missing") from None
    except (ParseError, DefusedXmlException) as exc:
        raise BookError("invalid_epub", f"{name}: {exc}") from None
    return root


def _texts(root: Element, path: str) -> list[str]:
    return [" ".join("".join(e.itertext()).split()) for e in root.findall(path, NS)]


def read_epub(path: Path, skip_front_matter: bool = True) -> Book:
    try:
        z = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise BookError("invalid_epub", f"not a zip archive: {exc}") from None
    with z:
        container = _xml(z, "META-INF/container.xml")
        rootfile = container.find(".//c:rootfile", NS)
        if rootfile is None or not rootfile.get("full-path"):
            raise BookError("invalid_epub", "container.xml names no rootfile")
        opf_path = str(rootfile.get("full-path"))
        opf = _xml(z, opf_path)
        base = posixpath.dirname(opf_path)
        book = Book()
        titles = _texts(opf, "opf:metadata/dc:title")
        book.title = titles[0] if titles else None
        book.authors = [a for a in _texts(opf, "opf:metadata/dc:creator") if a]
        langs = _texts(opf, "opf:metadata/dc:language")
        book.language = langs[0] if langs else None
        rights = [r for r in _texts(opf, "opf:metadata/dc:rights") if r]
        if rights:
            book.rights, book.rights_source = rights[0], "epub:dc:rights"
        manifest: dict[str, dict[str, str]] = {}
        for el in opf.findall("opf:manifest/opf:item", NS):
            href = urllib.parse.unquote(el.get("href", ""))
            manifest[el.get("id", "")] = {
                "path": posixpath.normpath(posixpath.join(base, href)) if base else href,
                "type": el.get("media-type", ""),
                "props": el.get("properties", ""),
            }
        toc = _toc_titles(z, opf, manifest)
        spine = opf.find("opf:spine", NS)
        if spine is None:
            raise BookError("invalid_epub", "the OPF has no spine")
        for ref in spine.findall("opf:itemref", NS):
            item = manifest.get(ref.get("idref", ""))
            if item is None or item["type"] not in HTML_TYPES or "nav" in item["props"].split():
                continue
            try:
                markup = _decode(z.read(item["path"]))
            except KeyError:
                raise BookError("invalid_epub", f"spine item {item['path']} is missing") from None
            doc = html_text(markup)
            title = doc.heading or toc.get(item["path"])  # <title> is usually the book's
            text = "\n\n".join(t for _, t in doc.blocks)
            sec = Section(title, text, {"href": item["path"], "linear": ref.get("linear", "yes")})
            if skip_front_matter and (
                doc.doc_types or ref.get("linear") == "no" or MATTER_TITLES.match(title or "")
            ):
                sec.skip = "front_matter"
            book.sections.append(sec)
        return book


def _toc_titles(
    z: zipfile.ZipFile, opf: Element, manifest: dict[str, dict[str, str]]
) -> dict[str, str]:
    """Document path -> title from the EPUB 3 nav document or the EPUB 2 NCX."""
    out: dict[str, str] = {}
    for item in manifest.values():
        if "nav" in item["props"].split():
            try:
                nav = SafeET.fromstring(z.read(item["path"]))
            except (KeyError, ParseError, DefusedXmlException):
                continue
            for a in nav.iter(f"{{{NS['xhtml']}}}a"):
                href = (a.get("href") or "").split("#")[0]
                if href:
                    p = posixpath.normpath(posixpath.join(posixpath.dirname(item["path"]), href))
                    out.setdefault(urllib.parse.unquote(p), " ".join("".join(a.itertext()).split()))
    spine = opf.find("opf:spine", NS)
    ncx = manifest.get(spine.get("toc", "") if spine is not None else "")
    if ncx is not None:
        try:
            root = SafeET.fromstring(z.read(ncx["path"]))
        except (KeyError, ParseError, DefusedXmlException):
            return out
        for point in root.iter(f"{{{NS['ncx']}}}navPoint"):
            label = point.find("ncx:navLabel/ncx:text", NS)
            content = point.find("ncx:content", NS)
            if label is None or content is None:
                continue
            src = (content.get("src") or "").split("#")[0]
            p = posixpath.normpath(posixpath.join(posixpath.dirname(ncx["path"]), src))
            out.setdefault(urllib.parse.unquote(p), " ".join((label.text or "").split()))
    return out


# -- PDF --------------------------------------------------------------------------------

PAGE_NO = re.compile(
    r"^(?:page\s+)?[-–—(\[]?\s*(?:\d{1,4}|[ivxlcdm]{1,7})\s*[-–—)\]]?(?:\s*(?:of|/)\s*\d{1,4})?$",
    re.IGNORECASE,
)
CHAPTER = re.compile(
    r"^(?:chapter|part|book)\s+(?:\d{1,3}|[ivxlc]{1,7}|one|two|three|four|five|six|seven|eight|"
    r"nine|ten|eleven|twelve|[a-z]+teen|twenty(?:[\s-]\w+)?)\b[.:]?(?:\s*[-–—:.]?\s*\S.{0,70})?$",
    re.IGNORECASE,
)
_SENT_END = re.compile(r"[.!?:;\"”’)\]]$")


def _norm_line(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.lower().split()))


def strip_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Drop recurring first/last lines (headers/footers) and bare page numbers."""
    n = len(pages)
    need = max(3, -(-6 * n // 10))  # ceil(60%)
    out = [list(p) for p in pages]
    if n >= 3:
        firsts = Counter(_norm_line(p[0]) for p in out if p)
        lasts = Counter(_norm_line(p[-1]) for p in out if p)
        for p in out:
            if p and firsts[_norm_line(p[0])] >= need:
                p.pop(0)
            if p and lasts[_norm_line(p[-1])] >= need:
                p.pop()
    for p in out:
        for _ in range(2):  # a page number may sit inside the header/footer we just cut
            if p and PAGE_NO.match(p[0].strip()):
                p.pop(0)
            if p and PAGE_NO.match(p[-1].strip()):
                p.pop()
    return out


_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)


def unwrap(lines: list[str], vocab: Counter[str] | None = None) -> list[str]:
    """Hard-wrapped lines -> paragraphs. A line clearly shorter than the typical line ends
    a paragraph; a word hyphenated at a line end is joined unless ``vocab`` (words seen
    elsewhere in the document) knows it with its hyphen."""
    vocab = vocab if vocab is not None else Counter()
    lengths = [len(x) for x in lines if x.strip()]
    typical = statistics.median(lengths) if lengths else 0
    paras: list[str] = []
    cur = ""
    prev_short = True
    for raw in lines:
        line = raw.strip()
        if not line:
            if cur:
                paras.append(cur)
            cur, prev_short = "", True
            continue
        if not cur:
            cur = line
        elif re.search(r"[^\W\d_]-$", cur) and line[0].islower():
            head = re.search(r"([^\W\d_]+)-$", cur)
            tail = re.match(r"([^\W\d_]+)", line)
            assert head is not None
            assert tail is not None
            a, b = head.group(1), tail.group(1)
            if vocab[f"{a}-{b}".lower()] > vocab[(a + b).lower()]:
                cur = cur + line  # a real compound: keep the hyphen
            else:
                cur = cur[:-1] + line
        elif prev_short:
            paras.append(cur)
            cur = line
        else:
            cur = f"{cur} {line}"
        prev_short = len(line) < 0.75 * typical and bool(_SENT_END.search(line) or len(line) < 40)
    if cur:
        paras.append(cur)
    return paras


def _vocab(lines: list[str]) -> Counter[str]:
    """Words not broken at a line end (so 'self-esteem' mid-line counts as hyphenated)."""
    c: Counter[str] = Counter()
    for line in lines:
        body = re.sub(r"[^\W\d_]+-\s*$", "", line)
        c.update(w.lower() for w in _WORD.findall(body))
    return c


def read_pdf(path: Path, skip_front_matter: bool = True) -> Book:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise BookError("encrypted_pdf", "the PDF needs a password")
        pages = [(page.extract_text() or "").splitlines() for page in reader.pages]
        meta = reader.metadata
        outline = _outline(reader)
    except BookError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise BookError("unreadable_pdf", f"{type(exc).__name__}: {exc}") from None
    except Exception as exc:  # pypdf raises many types on damaged files; the book errs alone
        if "crypt" in str(exc).lower() or "AES" in str(exc):
            raise BookError("encrypted_pdf", f"{type(exc).__name__}: {exc}") from None
        raise BookError("unreadable_pdf", f"{type(exc).__name__}: {exc}") from None
    pages = [[ln.rstrip() for ln in p if ln.strip()] for p in pages]
    if not any(pages):
        raise BookError("no_text_layer", f"{len(pages)} page(s) without extractable text (no OCR)")
    pages = strip_running_lines(pages)
    book = Book()
    if meta is not None:
        book.title = (meta.title or "").strip() or None
        author = (meta.author or "").strip()
        book.authors = [a.strip() for a in re.split(r";|\band\b", author) if a.strip()]
    all_lines = [ln for p in pages for ln in p]
    vocab = _vocab(all_lines)
    # sections: outline entries (by page), else "Chapter N" lines, else one section
    starts: list[tuple[int, int, str | None]] = []  # (page, line index in page, title)
    if outline:
        starts = [(pg, 0, title) for pg, title in outline]
    else:
        for pi, p in enumerate(pages):
            for li, ln in enumerate(p):
                if CHAPTER.match(ln.strip()):
                    starts.append((pi, li, ln.strip()))
    if not starts or starts[0][:2] != (0, 0):
        starts.insert(0, (0, 0, None))
    bounds = [*starts, (len(pages), 0, None)]
    for k in range(len(starts)):
        (p0, l0, title), (p1, l1, _) = bounds[k], bounds[k + 1]
        lines: list[str] = []
        for pi in range(p0, min(p1 + 1, len(pages))):
            p = pages[pi]
            a = l0 if pi == p0 else 0
            b = l1 if pi == p1 else len(p)
            lines.extend(p[a:b])
        text = "\n\n".join(unwrap(lines, vocab))
        sec = Section(title, text, {"pages": [p0 + 1, p1 if l1 == 0 else p1 + 1]})
        if title is None and k == 0 and len(starts) > 1 and skip_front_matter:
            sec.skip = "front_matter"
        book.sections.append(sec)
    return book


def _outline(reader: Any) -> list[tuple[int, str]]:
    """Top-level outline entries as (page index, title), sorted by page."""
    out: list[tuple[int, str]] = []
    try:
        items = reader.outline
    except Exception:  # a damaged outline is no reason to lose the text
        return []
    for item in items:
        if isinstance(item, list):
            continue
        try:
            page = reader.get_destination_page_number(item)
        except Exception:  # an entry pointing nowhere: skip it
            page = None
        if page is not None and page >= 0:
            out.append((int(page), " ".join(str(item.title).split())))
    return sorted(set(out))


# -- plain text / Markdown ------------------------------------------------------------

GUTENBERG_START = re.compile(r"^\*{3}\s*START OF (?:THE|THIS) PROJECT GUTENBERG.*$", re.I | re.M)
GUTENBERG_END = re.compile(r"^\*{3}\s*END OF (?:THE|THIS) PROJECT GUTENBERG.*$", re.I | re.M)


def _read_text_file(path: Path) -> str:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _paragraphs(text: str) -> list[str]:
    out = []
    for block in re.split(r"\n\s*\n", text):
        lines = [ln.strip() for ln in block.split("\n") if ln.strip()]
        if not lines:
            continue
        if all(re.match(r"^([-*+]|\d+[.)])\s", ln) for ln in lines[1:]) and len(lines) > 1:
            out.append("\n".join(lines))  # a list keeps its lines
        else:
            out.append(" ".join(lines))
    return out


def read_text(path: Path, skip_front_matter: bool = True) -> Book:
    text = _read_text_file(path)
    book = Book()
    start, end = GUTENBERG_START.search(text), GUTENBERG_END.search(text)
    if start:
        header = text[: start.start()]
        for key, attr in (("Title", "title"), ("Author", "author"), ("Language", "language")):
            m = re.search(rf"^{key}:\s*(.+)$", header, re.M)
            if m and attr == "author":
                book.authors = [m.group(1).strip()]
            elif m:
                setattr(book, attr, m.group(1).strip())
        book.rights, book.rights_source = "Project Gutenberg License", "gutenberg-header"
        text = text[start.end() : end.start() if end and end.start() > start.end() else len(text)]
    lines = text.split("\n")
    cuts = [i for i, ln in enumerate(lines) if CHAPTER.match(ln.strip())]
    if not cuts or cuts[0] != 0:
        cuts.insert(0, 0)
    cuts.append(len(lines))
    for k in range(len(cuts) - 1):
        chunk = lines[cuts[k] : cuts[k + 1]]
        title = chunk[0].strip() if CHAPTER.match(chunk[0].strip()) else None
        body = chunk[1:] if title else chunk
        sec = Section(title, "\n\n".join(_paragraphs("\n".join(body))), {"line": cuts[k] + 1})
        if title is None and k == 0 and len(cuts) > 2 and skip_front_matter:
            sec.skip = "front_matter"
        book.sections.append(sec)
    return book


_MD_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^[ \t]*(```|~~~).*$", re.M), ""),  # code fence markers (code text stays)
    (re.compile(r"^[ \t]{0,3}\[[^\]]+\]:[ \t]+\S+.*$", re.M), ""),  # link reference definitions
    (re.compile(r"^[ \t]{0,3}([-*_])([ \t]*\1){2,}[ \t]*$", re.M), ""),  # horizontal rules
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), ""),  # images
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # inline links
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),  # reference links
    (re.compile(r"<[^>\n]+>"), ""),  # HTML tags / autolinks
    (re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.*?)[ \t]*#*[ \t]*$", re.M), r"\1"),  # headings
    (re.compile(r"^[ \t]{0,3}>[ \t]?", re.M), ""),  # blockquotes
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # bold
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),  # *em*
    (re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])"), r"\1"),  # _em_ (not snake_case)
    (re.compile(r"~~(.+?)~~"), r"\1"),
    (re.compile(r"`([^`\n]+)`"), r"\1"),
]


def strip_markdown(md: str) -> str:
    for pat, rep in _MD_RULES:
        md = pat.sub(rep, md)
    return html.unescape(md)


def read_markdown(path: Path, skip_front_matter: bool = True) -> Book:
    text = _read_text_file(path)
    book = Book()
    fm = re.match(r"^---\n(.*?)\n(?:---|\.\.\.)\n", text, re.S)
    if fm:
        import yaml

        try:
            data = yaml.safe_load(fm.group(1))
        except yaml.YAMLError:
            data = None
        if isinstance(data, dict):
            book.title = str(data["title"]) if data.get("title") else None
            authors = data.get("author") or data.get("authors")
            if authors:
                book.authors = (
                    [str(a) for a in authors] if isinstance(authors, list) else [str(authors)]
                )
            book.language = str(data["lang"]) if data.get("lang") else None
            rights = data.get("license") or data.get("rights")
            if rights:
                book.rights, book.rights_source = str(rights), "markdown:front-matter"
        text = text[fm.end() :]
    # sections on level-1/2 ATX headings outside code fences
    lines = text.split("\n")
    heads: list[tuple[int, str]] = []
    fence = False
    for i, ln in enumerate(lines):
        if re.match(r"^\s*(```|~~~)", ln):
            fence = not fence
        m = None if fence else re.match(r"^\s{0,3}#{1,2}\s+(.*?)\s*#*\s*$", ln)
        if m:
            heads.append((i, strip_markdown(m.group(1)).strip()))
    if not heads or heads[0][0] != 0:
        heads.insert(0, (-1, ""))
    heads.append((len(lines), ""))
    for k in range(len(heads) - 1):
        (i0, title), (i1, _) = heads[k], heads[k + 1]
        body = strip_markdown("\n".join(lines[i0 + 1 : i1]))
        if not title and k == 0 and book.title is None and not body.strip():
            continue
        book.sections.append(
            Section(title or None, "\n\n".join(_paragraphs(body)), {"line": i0 + 2})
        )
    if book.title is None and heads and heads[0][0] == 0:
        book.title = heads[0][1] or None
    return book


READERS = {"epub": read_epub, "pdf": read_pdf, "text": read_text, "markdown": read_markdown}


# -- the source kind ------------------------------------------------------------------------------


def _fmt(path: Path, configured: str) -> str:
    if configured != "auto":
        return configured
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ConfigError(f"cannot tell the format of {path}; set format")
    return fmt


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class BooksSource:
    """EPUB / PDF / text / Markdown files visible to the io workers."""

    type = "books"

    def validate(self, entry: dict[str, Any], base_dir: Path | None) -> dict[str, Any]:
        where = f"sources.{entry['name']}"
        o: BooksSection = parse_section(where, entry, BooksSection)
        if base_dir is not None:
            o = dataclasses.replace(
                o, paths=[p if Path(p).is_absolute() else str(base_dir / p) for p in o.paths]
            )
        if not o.paths:
            raise ConfigError(f"{where}.paths: give at least one file or glob")
        if o.format not in ("auto", *READERS):
            raise ConfigError(f"{where}.format must be one of auto, {', '.join(READERS)}")
        if o.license and normalize(o.license) == "unknown" and o.license != "unknown":
            raise ConfigError(f"{where}.license {o.license!r} is not a licence id we know")
        return dataclasses.asdict(o)

    def plan(self, entry: dict[str, Any], run: Run) -> list[Shard]:
        o = options(entry)
        shards: list[Shard] = []
        facts: dict[str, dict[str, Any]] = {}
        for path in expand_paths(o.paths):
            fmt = _fmt(path, o.format)
            digest = _sha256_file(path)
            book_id = digest[:32]
            stem = "".join(c if c.isalnum() else "-" for c in path.stem.lower())[:24].strip("-")
            spec = {"path": str(path), "format": fmt, "sha256": digest, "book_id": book_id}
            shards.append(Shard(f"{stem or 'book'}-{book_id[:12]}", spec))
            facts[book_id] = {"via": [str(path)]}
        merge_seen(run.store, o.name, facts, time.time())
        # the same book under two paths is one book: keep the first
        uniq: dict[str, Shard] = {}
        for s in shards:
            uniq.setdefault(s.spec["book_id"], s)
        return list(uniq.values())

    def process(self, entry: dict[str, Any], ctx: ShardContext) -> None:
        o = options(entry)
        spec = ctx.shard.spec
        store = ctx.run.store
        led = ctx.ledger
        book_id, fmt = spec["book_id"], spec["format"]
        raw_key = f"raw/books/{book_id}{EXT[fmt]}"
        side_key = f"raw/books/{book_id}.json"
        ref = {"file": spec["path"], "book_id": book_id}
        if store.exists(raw_key) and store.exists(side_key):
            led.extra["raw_cache_hits"] += 1
        else:
            path = Path(spec["path"])
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise FileNotFoundError(
                    f"book {path} is not readable by this worker: {exc}"
                ) from exc
            if sha256_hex(data) != spec["sha256"]:
                led.seen()
                led.error("file_changed", "the file changed since the run was planned", ref)
                return
            store.put_if_absent(raw_key, data)
            store.put_json_if_absent(
                side_key,
                {"book_id": book_id, "sha256": spec["sha256"], "bytes": len(data), "format": fmt,
                 "original_path": spec["path"], "retrieved_at": utc_iso(time.time()),
                 "retriever": RETRIEVER},
            )  # fmt: skip
        side = store.get_json(side_key)
        with store.local_copy(raw_key) as local:
            try:
                book = READERS[fmt](local, o.skip_front_matter)
            except BookError as exc:
                led.seen()
                led.error(str(exc.args[0]), str(exc.args[1]), ref)
                return
            except Exception as exc:  # a damaged book errs alone, never the shard
                led.seen()
                led.error("unreadable_book", f"{type(exc).__name__}: {exc}", ref)
                return
        seen = (store.get_json_or_none(f"state/sources/{o.name}/seen.json") or {}).get("items", {})
        if o.license:
            license_id, lic_src = normalize(o.license), "config"
        elif book.rights:
            license_id, lic_src = normalize(book.rights), book.rights_source or "book"
        else:
            license_id, lic_src = "unknown", "none stated"
        out = ctx.writer()
        for i, sec in enumerate(book.sections):
            ctx.check_cancel()
            led.seen()
            if sec.skip:
                led.filter(sec.skip)
                continue
            text = sec.text.strip()
            if not text:
                led.filter("empty_section")
                continue
            if sec.title and not text.startswith(sec.title):
                text = f"{sec.title}\n\n{text}"
            meta = {
                "provenance": {
                    "license_source": lic_src,
                    "license_statement": book.rights,
                    "retriever": side.get("retriever", RETRIEVER),
                    "raw_key": raw_key,
                    "raw_sha256": spec["sha256"],
                    "original_path": side.get("original_path"),
                    "first_seen": seen.get(book_id, {}).get("first_seen"),
                },
                "book": {
                    "title": book.title,
                    "authors": book.authors,
                    "language": book.language,
                    "format": fmt,
                },
                "section": {
                    "index": i,
                    "title": sec.title,
                    "count": len(book.sections),
                    **sec.info,
                },
            }
            out.write(
                new_record(
                    id=f"book:{book_id}:{i:04d}",
                    source=o.name,
                    text=text,
                    source_id=book_id,
                    license=license_id,
                    retrieved_at=side["retrieved_at"],
                    group=book_id,
                    meta=json.dumps(meta, ensure_ascii=False, sort_keys=True),
                )
            )
            led.keep()
