"""Books source: EPUB (zip + OPF spine), PDF (pypdf) and text/Markdown, with fixtures built
here (a stdlib EPUB writer and a hand-written PDF writer); no binary fixture is committed."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader, PdfWriter

from pipeline.config import ConfigError, from_dict
from pipeline.engine import execute_shard, plan_stage
from pipeline.records import read_parquet
from pipeline.runs import Run
from pipeline.sources import books
from pipeline.store import LocalStore

# -- fixture writers ---------------------------------------------------------------------------


def pdf_bytes(pages: list[list[str]], info: dict[str, str] | None = None) -> bytes:
    """A minimal valid PDF: one Helvetica text object per page, one line per ``T*``."""

    def esc(s: str) -> str:
        return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    objs: dict[int, bytes] = {}
    page_ids = [5 + 2 * i for i in range(len(pages))]
    kids = " ".join(f"{p} 0 R" for p in page_ids)
    objs[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objs[2] = f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode()
    objs[3] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    objs[4] = (
        "<< " + " ".join(f"/{k} ({esc(v)})" for k, v in (info or {}).items()) + " >>"
    ).encode()
    for pid, lines in zip(page_ids, pages, strict=True):
        ops = " ".join(f"({esc(line)}) Tj T*" for line in lines)
        content = f"BT /F1 11 Tf 14 TL 72 740 Td {ops} ET".encode("latin-1")
        objs[pid] = (
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {pid + 1} 0 R >>"
        ).encode()
        objs[pid + 1] = b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"
    out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    offsets = {}
    for k in sorted(objs):
        offsets[k] = len(out)
        out += f"{k} 0 obj\n".encode() + objs[k] + b"\nendobj\n"
    xref = len(out)
    size = max(objs) + 1
    out += f"xref\n0 {size}\n0000000000 65535 f \n".encode()
    out += "".join(f"{offsets[k]:010d} 00000 n \n" for k in range(1, size)).encode()
    out += (
        f"trailer\n<< /Size {size} /Root 1 0 R /Info 4 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out


BODY_WIDTH = "x" * 60  # keeps the typical line long, like a justified book page


def pdf_pages() -> list[list[str]]:
    """Four pages with a running head, a running foot with the page number, a word broken
    across lines and across a page break, and a real hyphenated compound broken at a line."""
    head = "THE QUIET MIND    A Guide to Rest"
    return [
        [head, "Chapter 1: Night",
         "She lay awake for hours and thought very care-",
         "fully about the day that had passed before her, and",
         "about the week ahead.",
         "Nothing moved.",
         "Her self-esteem was low and her mind would not settle",
         "down into the quiet she wanted so much that night, and",
         "- 1 -"],
        [head, "when morning came she called her sister, who had",
         "always been good at listening without any judge-",
         "ment, and they talked until the light was full.",
         "- 2 -"],
        [head, "Chapter 2: Morning",
         "The next week her self-",
         "esteem was better and she slept through the whole",
         "night for the first time in months, which surprised",
         "- 3 -"],
        [head, "everyone who knew how hard the winter had been for",
         "her and her family.",
         "- 4 -"],
    ]  # fmt: skip


CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles>
</container>"""

OPF = """<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="uid">urn:uuid:0a4f8d8e-1111-2222-3333-444455556666</dc:identifier>
    <dc:title>Sleep Well</dc:title>
    <dc:creator>Ada Author</dc:creator>
    <dc:creator>Bo Second</dc:creator>
    <dc:language>en</dc:language>
    <dc:rights>This work is licensed under a Creative Commons Attribution-ShareAlike 4.0 International License.</dc:rights>
    <meta property="dcterms:modified">2026-01-01T00:00:00Z</meta>
  </metadata>
  <manifest>
    <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
    <item id="ch2" href="text/ch%202.xhtml" media-type="application/xhtml+xml"/>
    <item id="ch1" href="text/ch1.xhtml" media-type="application/xhtml+xml"/>
    <item id="cover" href="cover.xhtml" media-type="application/xhtml+xml"/>
    <item id="copy" href="copyright.xhtml" media-type="application/xhtml+xml"/>
    <item id="img" href="img/cover.png" media-type="image/png"/>
    <item id="css" href="style.css" media-type="text/css"/>
  </manifest>
  <spine>
    <itemref idref="cover" linear="no"/>
    <itemref idref="copy"/>
    <itemref idref="nav"/>
    <itemref idref="ch1"/>
    <itemref idref="ch2"/>
  </spine>
</package>"""


def xhtml(body: str, title: str = "t", body_attrs: str = "") -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">'
        f'<head><title>{title}</title><link rel="stylesheet" href="../style.css"/>'
        f"<style>p {{ margin: 0 }}</style></head><body{body_attrs}>{body}</body></html>"
    )


def epub_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")  # first, stored
        z.writestr("META-INF/container.xml", CONTAINER, zipfile.ZIP_DEFLATED)
        z.writestr("OEBPS/content.opf", OPF, zipfile.ZIP_DEFLATED)
        nav = (
            '<nav epub:type="toc"><h1>Contents</h1><ol>'
            '<li><a href="text/ch1.xhtml">Chapter One</a></li>'
            '<li><a href="text/ch%202.xhtml#start">Chapter Two: Morning</a></li></ol></nav>'
        )
        z.writestr("OEBPS/nav.xhtml", xhtml(nav, "Contents"), zipfile.ZIP_DEFLATED)
        z.writestr("OEBPS/cover.xhtml", xhtml('<img src="img/cover.png" alt="Cover"/>'))
        z.writestr(
            "OEBPS/copyright.xhtml",
            xhtml("<p>Copyright 2026 Ada Author.</p>", body_attrs=' epub:type="copyright-page"'),
        )
        ch1 = (
            '<section epub:type="chapter"><h1>Chapter One<sup><a epub:type="noteref" '
            'href="#n1">1</a></sup></h1><p>It was a <em>long</em>\n   night.</p>'
            "<p>Line&#160;two &amp; more&nbsp;text</p><script>var x = 1;</script>"
            '<aside epub:type="footnote" id="n1"><p>A footnote.</p></aside>'
            '<span epub:type="pagebreak" id="p2" title="2">2</span><p>Last<br/>line.</p></section>'
        )
        z.writestr("OEBPS/text/ch1.xhtml", xhtml(ch1, "Sleep Well"), zipfile.ZIP_DEFLATED)
        ch2 = (
            '<div id="start"><p>The sun rose.</p><ul><li>First thing</li><li>Second thing</li>'
            "</ul><blockquote>Rest is a skill.</blockquote><pre>  keep\n  lines</pre></div>"
        )
        z.writestr("OEBPS/text/ch 2.xhtml", xhtml(ch2, "Sleep Well"), zipfile.ZIP_DEFLATED)
        z.writestr("OEBPS/img/cover.png", b"\x89PNG\r\n\x1a\n")
        z.writestr("OEBPS/style.css", "p { margin: 0 }")
    return buf.getvalue()


# -- helpers -----------------------------------------------------------------------------------


def run_books(
    tmp_path: Path, store: LocalStore, run_id: str, **kw: Any
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any]]:
    cfg = from_dict({"sources": [{"type": "books", "name": "lib", **kw}]}, base_dir=tmp_path)
    run = Run.create(store, cfg, run_id)
    recs: list[dict[str, Any]] = []
    errs: list[dict[str, Any]] = []
    counts: dict[str, Any] = {"in": 0, "kept": 0, "filtered": {}, "errored": {}, "extra": {}}
    for shard in plan_stage(run, "ingest"):
        res = execute_shard(run, "ingest", shard.id)
        c = res["counts"]
        counts["in"] += c["in"]
        counts["kept"] += c["kept"]
        for part in ("filtered", "errored", "extra"):
            for k, v in c.get(part, {}).items():
                counts[part][k] = counts[part].get(k, 0) + v
        m = run.marker("ingest", shard.id)
        assert m is not None
        for out in m["outputs"]:
            with store.local_copy(out["key"]) as p:
                recs.extend(read_parquet(p))
        if m["errors_key"]:
            errs += [json.loads(x) for x in store.get(m["errors_key"]).decode().splitlines()]
    return recs, errs, counts


# -- tests ------------------------------------------------------------------------------------------


def test_epub_chapters_in_spine_order_with_clean_text(tmp_path: Path) -> None:
    (tmp_path / "sleep.epub").write_bytes(epub_bytes())
    store = LocalStore(tmp_path / "s")
    recs, errs, c = run_books(tmp_path, store, "b1", paths=["*.epub"])
    assert errs == []
    assert c["filtered"] == {"front_matter": 2}  # cover (linear=no) and the copyright page
    assert [json.loads(r["meta"])["section"]["title"] for r in recs] == [
        "Chapter One",
        "Chapter Two: Morning",  # no heading in the document: title from the nav TOC
    ]
    assert recs[0]["text"] == (
        "Chapter One\n\nIt was a long night.\n\nLine two & more text\n\nLast line."
    )
    assert recs[1]["text"] == (
        "Chapter Two: Morning\n\nThe sun rose.\n\nFirst thing\n\nSecond thing\n\n"
        "Rest is a skill.\n\n  keep\n  lines"
    )
    meta = json.loads(recs[0]["meta"])
    assert meta["book"] == {
        "title": "Sleep Well",
        "authors": ["Ada Author", "Bo Second"],
        "language": "en",
        "format": "epub",
    }
    assert meta["provenance"]["license_source"] == "epub:dc:rights"
    book_id = recs[0]["group"]
    assert all(r["license"] == "CC-BY-SA-4.0" and r["group"] == book_id for r in recs)
    assert recs[0]["id"] == f"book:{book_id}:0002" and recs[0]["source"] == "lib"
    # raw copy persisted before parsing; a second run reads it, never the file
    assert store.get(f"raw/books/{book_id}.epub") == (tmp_path / "sleep.epub").read_bytes()
    side = store.get_json(f"raw/books/{book_id}.json")
    assert side["original_path"].endswith("sleep.epub")
    assert meta["provenance"]["first_seen"] is not None


def test_epub_front_matter_kept_when_asked_and_licence_from_config(tmp_path: Path) -> None:
    (tmp_path / "sleep.epub").write_bytes(epub_bytes())
    recs, _, c = run_books(
        tmp_path, LocalStore(tmp_path / "s"), "b2", paths=["sleep.epub"],
        skip_front_matter=False, license="CC0",
    )  # fmt: skip
    assert c["filtered"] == {"empty_section": 1}  # the image-only cover has no text
    assert recs[0]["text"] == "Copyright 2026 Ada Author."
    assert {r["license"] for r in recs} == {"CC0-1.0"}
    assert json.loads(recs[0]["meta"])["provenance"]["license_source"] == "config"


def test_pdf_headers_footers_page_numbers_and_hyphenation(tmp_path: Path) -> None:
    data = pdf_bytes(pdf_pages(), {"Title": "The Quiet Mind", "Author": "Jane Doe; John Roe"})
    assert "THE QUIET MIND" in (PdfReader(io.BytesIO(data)).pages[0].extract_text() or "")
    (tmp_path / "quiet.pdf").write_bytes(data)
    recs, errs, c = run_books(tmp_path, LocalStore(tmp_path / "s"), "p1", paths=["quiet.pdf"])
    assert errs == [] and c["kept"] == 2 and c["filtered"] == {}
    ch1, ch2 = recs
    assert ch1["text"] == (
        "Chapter 1: Night\n\n"
        "She lay awake for hours and thought very carefully about the day that had passed "
        "before her, and about the week ahead.\n\n"
        "Nothing moved.\n\n"
        "Her self-esteem was low and her mind would not settle down into the quiet she wanted "
        "so much that night, and when morning came she called her sister, who had always "
        "been good at listening without any judgement, and they talked until the light was "
        "full."
    )
    # "self-" / "esteem": the document spells it hyphenated elsewhere, so the hyphen stays;
    # the sentence continues across the page break, the running head is gone
    assert ch2["text"] == (
        "Chapter 2: Morning\n\n"
        "The next week her self-esteem was better and she slept through the whole night for "
        "the first time in months, which surprised everyone who knew how hard the winter had "
        "been for her and her family."
    )
    meta = json.loads(ch1["meta"])
    assert meta["book"]["title"] == "The Quiet Mind"
    assert meta["book"]["authors"] == ["Jane Doe", "John Roe"]
    assert meta["section"]["pages"] == [1, 2] and json.loads(ch2["meta"])["section"]["pages"] == [
        3,
        4,
    ]
    assert ch1["license"] == "unknown"
    assert "QUIET" not in ch1["text"] + ch2["text"] and "- 2 -" not in ch1["text"]


def test_pdf_sections_from_the_outline(tmp_path: Path) -> None:
    pages = [
        ["Contents", "Part A ........ 2"],
        ["Body text of part A that runs long enough to be a normal line of text", "ends."],
        ["Body text of part B that runs long enough to be a normal line of text", "ends."],
    ]
    writer = PdfWriter(clone_from=io.BytesIO(pdf_bytes(pages, {"Title": "Outlined"})))
    writer.add_outline_item(title="Part A", page_number=1)
    writer.add_outline_item(title="Part B", page_number=2)
    buf = io.BytesIO()
    writer.write(buf)
    (tmp_path / "outlined.pdf").write_bytes(buf.getvalue())
    recs, _, c = run_books(tmp_path, LocalStore(tmp_path / "s"), "p2", paths=["outlined.pdf"])
    assert c["filtered"] == {"front_matter": 1}  # the contents page before the first entry
    assert [r["text"].split("\n\n")[0] for r in recs] == ["Part A", "Part B"]
    assert recs[1]["text"].endswith("line of text ends.")


def test_unreadable_books_error_alone(tmp_path: Path) -> None:
    (tmp_path / "scan.pdf").write_bytes(pdf_bytes([[], []]))
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4\nthis is not a pdf")
    (tmp_path / "bad.epub").write_bytes(b"PK not really a zip")
    z = io.BytesIO()
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("mimetype", "application/epub+zip")
    (tmp_path / "nocontainer.epub").write_bytes(z.getvalue())
    z = io.BytesIO()
    with zipfile.ZipFile(z, "w") as zf:  # entity expansion is refused (defusedxml)
        zf.writestr("META-INF/container.xml", '<!DOCTYPE c [<!ENTITY a "aaaa">]><c>&a;</c>')
    (tmp_path / "entities.epub").write_bytes(z.getvalue())
    (tmp_path / "ok.txt").write_text("Just one paragraph of text.\n")
    recs, errs, c = run_books(tmp_path, LocalStore(tmp_path / "s"), "e1", paths=["*.*"])
    assert [r["text"] for r in recs] == ["Just one paragraph of text."]
    assert c["errored"] == {"no_text_layer": 1, "unreadable_pdf": 1, "invalid_epub": 3}
    assert {Path(e["file"]).name for e in errs} == {
        "scan.pdf", "broken.pdf", "bad.epub", "nocontainer.epub", "entities.epub"
    }  # fmt: skip


GUTENBERG = """The Project Gutenberg eBook of Calm Days

Title: Calm Days
Author: Old Writer
Language: English

*** START OF THE PROJECT GUTENBERG EBOOK CALM DAYS ***

Produced by volunteers.

CHAPTER I.

It was a calm day, and the
wind was low over the hills.

Nobody spoke.

CHAPTER II. The Storm

Then came the storm,
loud and long.

*** END OF THE PROJECT GUTENBERG EBOOK CALM DAYS ***

Licence text that must not be a record.
"""


def test_plain_text_gutenberg_chapters(tmp_path: Path) -> None:
    (tmp_path / "calm.txt").write_text(GUTENBERG, encoding="utf-8")
    recs, _, c = run_books(tmp_path, LocalStore(tmp_path / "s"), "t1", paths=["calm.txt"])
    assert c["filtered"] == {"front_matter": 1}  # "Produced by volunteers."
    assert [r["text"] for r in recs] == [
        "CHAPTER I.\n\nIt was a calm day, and the wind was low over the hills.\n\nNobody spoke.",
        "CHAPTER II. The Storm\n\nThen came the storm, loud and long.",
    ]
    meta = json.loads(recs[0]["meta"])
    assert meta["book"]["title"] == "Calm Days" and meta["book"]["authors"] == ["Old Writer"]
    assert recs[0]["license"] == "project-gutenberg"


MARKDOWN = """---
title: Coping Notes
author: [A. One, B. Two]
license: CC BY 4.0
---

Intro paragraph with **bold** and *emphasis* and a [link](https://example.org).

# Breathing

Breathe in for four,
hold for four.

![diagram](img.png)

- step one
- step two

## Grounding

Name `five` things you can see. Keep snake_case_words intact.

```
code stays
```

### A subheading

> quoted line
"""


def test_markdown_sections_and_front_matter(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text(MARKDOWN, encoding="utf-8")
    recs, _, _ = run_books(tmp_path, LocalStore(tmp_path / "s"), "m1", paths=["notes.md"])
    assert [r["text"] for r in recs] == [
        "Intro paragraph with bold and emphasis and a link.",
        "Breathing\n\nBreathe in for four, hold for four.\n\n- step one\n- step two",
        "Grounding\n\nName five things you can see. Keep snake_case_words intact.\n\n"
        "code stays\n\nA subheading\n\nquoted line",
    ]
    meta = json.loads(recs[1]["meta"])
    assert meta["book"]["title"] == "Coping Notes"
    assert meta["book"]["authors"] == ["A. One", "B. Two"]
    assert {r["license"] for r in recs} == {"CC-BY-4.0"}


def test_incremental_second_run_copies_only_new_books(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "a.md").write_text("# A\n\nFirst book.\n")
    store = LocalStore(tmp_path / "s")
    recs1, _, c1 = run_books(tmp_path, store, "i1", paths=["lib/*"])
    assert c1["extra"] == {} and len(recs1) == 1
    (lib / "b.txt").write_text("Second book.\n")
    (lib / "a-copy.md").write_text("# A\n\nFirst book.\n")  # same bytes: the same book
    recs2, _, c2 = run_books(tmp_path, store, "i2", paths=["lib/*"])
    assert c2["extra"] == {"raw_cache_hits": 1} and len(recs2) == 2
    assert recs2[0] == recs1[0]  # byte-identical record from the raw copy
    raw = sorted(k for k in store.list_keys("raw/books") if not k.endswith(".json"))
    assert len(raw) == 2
    seen = store.get_json("state/sources/lib/seen.json")["items"]
    assert len(seen) == 2 and all("first_seen" in v for v in seen.values())


def test_unwrap_and_running_lines_units() -> None:
    pages = [["Head", "body one", "7"], ["Head", "body two", "8"], ["Head", "body three", "9"]]
    assert books.strip_running_lines(pages) == [["body one"], ["body two"], ["body three"]]
    # two pages are too few to call a line a running head
    two = [["Head", "body"], ["Head", "more"]]
    assert books.strip_running_lines(two) == two
    lines = ["a line that is long enough to be typical of the page's width", "a well-",
             "known fact that is also long enough to count as a typical line"]  # fmt: skip
    vocab = books._vocab(["the well-known rule", *lines])
    assert books.unwrap(lines, vocab)[0].endswith("a well-known fact that is also long enough "
                                                  "to count as a typical line")  # fmt: skip


def test_bad_books_tables() -> None:
    with pytest.raises(ConfigError, match=r"sources\.b\.paths"):
        from_dict({"sources": [{"type": "books", "name": "b"}]})
    with pytest.raises(ConfigError, match=r"sources\.b\.format"):
        from_dict({"sources": [{"type": "books", "name": "b", "paths": ["x"], "format": "doc"}]})
