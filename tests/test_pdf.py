"""The PDF edition: _build/pdf/<name>.pdf, printed by Chromium from the single-page build (bookkit/pdf.py).

`make book` builds it after the HTML. These tests read it with pypdf:
- every chart of the site is a numbered figure of the PDF, with its caption;
- no reference is left unresolved ("??"); every font is embedded; the text can be extracted, Persian too;
- the title page, the table of contents (its page numbers are where the chapters start), the outline,
  tagging and the metadata (title, author, dates from SOURCE_DATE_EPOCH).
"""
import re
import unicodedata
from datetime import UTC, datetime

import pytest
import yaml
from conftest import PDF, ROOT, pages

from bookkit.bib import entries
from bookkit.dist import source_date_epoch

# The source article's Persian title and its author's name, read from the book's bibliography
# (the note of entry `taghvaei`: «title» (author)).
_NOTE = re.search(r"«([^»]+)» \(([^)]+)\)", entries()["taghvaei"]["note"])
PERSIAN_TITLE, PERSIAN_AUTHOR = _NOTE.group(1), _NOTE.group(2)
PREFACE_SENTENCE = "This book takes one journal article apart and puts it back together with data."
ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")


def norm(text: str) -> str:
    """NFKC (Arabic presentation forms -> letters, ligatures -> letters), one space for any run of spaces."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text or "")).strip()


def squash(text: str) -> str:
    return re.sub(r"\s+", "", norm(text))


def words(text: str) -> set[str]:
    """The words of a text without punctuation, each also reversed (text drawn right to left may be
    extracted in visual order)."""
    found = set(re.findall(r"\w+", norm(text)))
    return found | {w[::-1] for w in found}


@pytest.fixture(scope="module")
def raw_texts(pdf_reader):
    """Each page's text. Poppler's pdftotext (installed with Chromium by `make chromium`) reads the
    whole book in about a second; pypdf, the fallback, takes half a minute."""
    import shutil
    import subprocess

    if shutil.which("pdftotext"):
        out = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(PDF), "-"], capture_output=True, check=True).stdout
        pages = out.decode("utf-8").split("\f")
        if len(pages) >= len(pdf_reader.pages):
            return pages[:len(pdf_reader.pages)]
    return [p.extract_text() or "" for p in pdf_reader.pages]


@pytest.fixture(scope="module")
def texts(raw_texts):
    return [norm(t) for t in raw_texts]


@pytest.fixture(scope="module")
def whole(texts):
    return " ".join(texts)


def html_figures() -> list[tuple[str, str]]:
    """(page, caption) of every chart on the site: each chart is a figure with a numbered caption."""
    out = []
    for page in pages():
        source = page.read_text(encoding="utf-8")
        n = len(re.findall(r'<div class="bookkit-chart" id="chart-', source))
        figures = [f for f in re.split(r"<figure\b", source)[1:] if 'class="bookkit-chart" id="chart-' in f.split("</figure>")[0]]
        assert len(figures) == n, f"{page.name}: {n} charts but {len(figures)} of them in a <figure>"
        for f in figures:
            m = re.search(r"<figcaption>(.*?)</figcaption>", f.split("</figure>")[0], re.S)
            assert m, f"{page.name}: a chart figure without a caption"
            caption = re.sub(r"<a class=\"headerlink\".*?</a>", "", m.group(1), flags=re.S)
            out.append((page.name, norm(re.sub(r"<[^>]+>", "", caption)).replace("&amp;", "&")))
    return out


def test_the_pdf_is_a_book(pdf_reader):
    assert len(pdf_reader.pages) > 20, f"{PDF.name}: only {len(pdf_reader.pages)} pages"
    box = pdf_reader.pages[0].mediabox
    assert abs(float(box.width) - 595.3) < 2 and abs(float(box.height) - 841.9) < 2, "pages are not A4"


def test_every_chart_is_a_numbered_figure_with_its_caption(whole):
    figures = html_figures()
    assert figures, "no charts found in _build/html"
    body = squash(whole)
    missing = [f"{page}: {caption}" for page, caption in figures if squash(caption) not in body]
    assert not missing, f"{len(missing)} of {len(figures)} figure captions are not in the PDF: {missing[:5]}"
    numbers = [c.split(" ", 2)[1] for _, c in figures if c.startswith("Fig. ")]
    assert len(numbers) == len(figures), "every caption starts with its number, Fig. N.M"
    assert len(set(numbers)) == len(numbers), "figure numbers repeat"


def test_no_unresolved_reference(texts):
    bad = [i + 1 for i, t in enumerate(texts) if "??" in t]
    assert not bad, f"unresolved references ('??') on pages {bad[:10]}"


def _fonts(resources, seen: set, out: list):
    if resources is None:
        return
    resources = resources.get_object()
    for ref in (resources.get("/Font") or {}).values():
        font = ref.get_object()
        if id(font) in seen:
            continue
        seen.add(id(font))
        out.append(font)
    for xobj in (resources.get("/XObject") or {}).values():
        xobj = xobj.get_object()
        if xobj.get("/Subtype") == "/Form" and id(xobj) not in seen:
            seen.add(id(xobj))
            _fonts(xobj.get("/Resources"), seen, out)


def test_every_font_is_embedded(pdf_reader):
    fonts, seen = [], set()
    for page in pdf_reader.pages:
        _fonts(page.get("/Resources"), seen, fonts)
    assert fonts, "no fonts: is there any text?"
    type3, missing, names = [], [], set()
    for font in fonts:
        name = str(font.get("/BaseFont", font.get("/Name", "?")))
        names.add(name)
        if font.get("/Subtype") == "/Type3":
            type3.append(name)      # glyphs drawn by the PDF itself: nothing to embed
            continue
        desc = font
        if font.get("/Subtype") == "/Type0":
            desc = font["/DescendantFonts"][0].get_object()
        descriptor = desc.get("/FontDescriptor")
        descriptor = descriptor.get_object() if descriptor is not None else {}
        if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
            missing.append(name)
    assert not missing, f"fonts not embedded: {sorted(set(missing))}"
    if type3:
        print("Type3 fonts (not embedded files, drawn as glyph procedures):", sorted(set(type3)))
    assert any("Arabic" in n for n in names), f"no Arabic-script font is used for the Persian text: {sorted(names)}"


def test_text_is_extractable(whole):
    assert norm(PREFACE_SENTENCE) in whole, "a sentence of the preface cannot be extracted from the PDF"


def test_persian_is_drawn_and_extractable(raw_texts, whole):
    """Chromium shapes the Persian text (HarfBuzz); the extracted text holds the contextual forms of the
    letters (Arabic Presentation Forms) in the order they are drawn. Normalised (NFKC), every word of the
    article's title and of its author's name is there."""
    assert any(ARABIC.search(t) for t in raw_texts), "no Arabic-script text in the PDF"
    present = words(whole)
    for phrase in (PERSIAN_TITLE, PERSIAN_AUTHOR):
        lost = [w for w in phrase.split() if w not in present]
        assert not lost, f"Persian words not extractable from the PDF: {lost} (of {phrase!r})"
    shaped = any(re.search(r"[\uFB50-\uFDFF\uFE70-\uFEFF]", t) for t in raw_texts)
    logical = PERSIAN_TITLE in whole
    assert shaped or logical, "the Persian text is neither in shaped forms nor in logical order"


def test_title_page(texts):
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    first = texts[0]
    epoch = source_date_epoch()
    date = datetime.fromtimestamp(epoch, tz=UTC).strftime("%Y-%m-%d")
    for what, value in [("title", config["title"]), ("author", config["author"]), ("date", date),
                        ("version", f"Version {cff['version']}"), ("repository", cff["repository-code"]),
                        ("source title", cff["references"][0]["title"]), ("source author", "Taghvaei")]:
        assert squash(value) in squash(first), f"the title page lacks the {what}: {value!r}"
    present = words(first)
    assert all(w in present for w in PERSIAN_TITLE.split() + PERSIAN_AUTHOR.split()), \
        "the title page lacks the source's Persian title or author"


def _toc(raw_texts) -> list[tuple[str, int]]:
    """(title, page) of every line of the table of contents: from the page that starts with "Contents"
    to the page before the first entry's."""
    start = next((i for i, t in enumerate(raw_texts) if t.lstrip().startswith("Contents")), None)
    assert start is not None, "no page starts with the table of contents"
    entries, end = [], start + 1
    i = start
    while i < end:
        for line in raw_texts[i].splitlines():
            m = re.match(r"^(.*\S)\s+(\d+)$", line.strip())
            if m and line.strip() != "Contents":
                entries.append((norm(m.group(1)).rstrip("…").strip(), int(m.group(2))))
                if len(entries) == 1:
                    end = min(len(raw_texts), entries[0][1] - 1)
        i += 1
    return entries


def test_table_of_contents_page_numbers_are_right(pdf_reader, raw_texts, texts):
    toc = _toc(raw_texts)
    assert len(toc) >= 5, f"table of contents not found or too short: {toc}"
    previous = 0
    for title, page in toc:
        assert 1 <= page <= len(texts), f"{title!r}: page {page} does not exist"
        assert squash(title) in squash(texts[page - 1]), f"{title!r} is not on page {page}, as the contents say"
        earlier = [i + 1 for i in range(max(previous, 2), page - 1) if squash(title) in squash(texts[i])]
        assert not earlier, f"{title!r} appears on pages {earlier} before page {page}"
        previous = page
    outline = {}

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                outline.setdefault(squash(item.title), pdf_reader.get_destination_page_number(item) + 1)

    walk(pdf_reader.outline)
    differ = [(t, p, outline[squash(t)]) for t, p in toc if squash(t) in outline and outline[squash(t)] != p]
    assert not differ, f"contents and outline (bookmarks) disagree: {differ}"


def test_chapters_are_numbered(raw_texts):
    numbered = [t for t, _ in _toc(raw_texts) if re.match(r"^\d+\. ", t)]
    assert len(numbered) >= 5, f"chapters in the contents are not numbered: {numbered}"


def test_outline_tags_and_metadata(pdf_reader):
    assert pdf_reader.outline, "no outline (bookmarks)"
    root = pdf_reader.trailer["/Root"]
    assert "/StructTreeRoot" in root, "the PDF is not tagged"
    assert root.get("/MarkInfo", {}).get("/Marked"), "the PDF is not marked as tagged"
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    meta = pdf_reader.metadata
    assert meta.title == config["title"] and meta.author == config["author"]
    epoch = source_date_epoch()
    stamp = datetime.fromtimestamp(epoch, tz=UTC).strftime("D:%Y%m%d%H%M%S")
    assert str(meta.get("/CreationDate", "")).startswith(stamp), meta.get("/CreationDate")
    assert str(meta.get("/ModDate", "")).startswith(stamp), meta.get("/ModDate")


def test_charts_are_vectors_and_no_local_paths(pdf_reader):
    """The charts are Vega's SVG drawn as PDF paths and text: no page holds a raster image, and no
    link points into this machine's file system."""
    images, local = [], []
    for n, page in enumerate(pdf_reader.pages, 1):
        xobjects = (page.get("/Resources") or {}).get("/XObject") or {}
        images += [n for x in xobjects.values() if x.get_object().get("/Subtype") == "/Image"]
        for annot in page.get("/Annots") or []:
            uri = str((annot.get_object().get("/A") or {}).get("/URI", ""))
            if uri.startswith("file:"):
                local.append((n, uri))
    assert not images, f"raster images on pages {sorted(set(images))[:10]}"
    assert not local, f"links to local files: {local[:3]}"
    assert str(ROOT).encode() not in PDF.read_bytes(), "the PDF holds this checkout's absolute path"
