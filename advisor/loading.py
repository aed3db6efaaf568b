"""Loading: read PDF, TXT/MD, DOCX files into ``RawDocument`` with provenance from the manifest or the file itself."""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from .cleaning import is_row_line
from .errors import IngestError
from .frontmatter import read_front_matter, sane_title
from .records import DocMeta, RawDocument
from .text import squeezed

SUPPORTED = (".pdf", ".txt", ".md", ".docx")
_HEADER_KEYS = {"标题": "title", "发文机关": "issuer", "发布机构": "issuer", "文号": "doc_number", "发布日期": "date", "来源": "origin"}
_DOC_TYPES = ("白皮书", "通知", "意见", "方案", "办法", "规划", "指南", "导则", "公告", "决定", "目录", "准则", "计划")


def load_manifest(path: Path) -> dict[str, dict[str, Any]]:
    """Manifest entries keyed by file path relative to the corpus folder (and by bare file name)."""
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out: dict[str, dict[str, Any]] = {}
    for entry in data.get("documents", []):
        out[entry["file"]] = entry
        out.setdefault(Path(entry["file"]).name, entry)
    return out


def doc_id_for(identity: str | Path) -> str:
    """A stable, filesystem-safe id from a document's identity (its path relative to the ingest root, without the
    suffix; Chinese kept, ``/`` kept between folders, other separators normalised)."""
    text = identity.with_suffix("").as_posix() if isinstance(identity, Path) else str(identity)
    parts = [re.sub(r"[\s\\:*?\"<>|]+", "_", unicodedata.normalize("NFKC", p)).strip("._") for p in text.split("/")]
    return "/".join(p for p in parts if p) or "document"


def _guess_doc_type(title: str) -> str | None:
    for t in _DOC_TYPES:
        if t in title[-8:]:
            return t
    return None


_NO_NUMBER = re.compile(r"^[（(]?\s*(无|暂无|未载明|未注明|不详|none|n/?a|-+)?\s*[）)]?$", re.I)


def _real_number(value: Any) -> str | None:
    """A document number, or None for a placeholder a header writes for none ("（未载明）", "无", "-")."""
    text = str(value).strip() if value is not None else ""
    return None if _NO_NUMBER.match(text) else text


def _norm_date(value: Any) -> str | None:
    if value is None:
        return None
    m = re.search(r"(\d{4})\s*[-年./]\s*(\d{1,2})(?:\s*[-月./]\s*(\d{1,2}))?", str(value))
    if not m:
        return None
    y, mo, d = m.group(1), int(m.group(2)), m.group(3)
    return f"{y}-{mo:02d}-{int(d):02d}" if d else f"{y}-{mo:02d}"


def decode_text(data: bytes, path: Path) -> str:
    """Decode UTF-8 (with or without BOM), UTF-16 (BOM), or GB18030/GBK; refuse binary data."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="strict")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise IngestError("UTF-16 文本已损坏", f"broken UTF-16 text: {exc}", path) from exc
    if b"\x00" in data[:4096]:
        raise IngestError("文件是二进制数据，不是文本", "file is binary data, not text", path)
    for enc in ("utf-8", "gb18030"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text
    raise IngestError("无法识别文本编码（支持 UTF-8、UTF-16、GBK/GB18030）",
                      "unrecognised text encoding (UTF-8, UTF-16, GBK/GB18030 are supported)", path)


def _looks_like_text(text: str) -> bool:
    if not text:
        return True
    bad = sum(1 for ch in text if unicodedata.category(ch) in ("Cc", "Co", "Cn") and ch not in "\n\r\t\f")
    return bad / len(text) < 0.01


def parse_header_block(text: str) -> tuple[dict[str, str], str]:
    """Split a leading ``键: 值`` header block ending in ``---`` (as in the bundled policy texts)."""
    lines = text.lstrip("\ufeff").split("\n")
    fields: dict[str, str] = {}
    for i, line in enumerate(lines[:12]):
        if line.strip() == "---":
            return fields, "\n".join(lines[i + 1:]) if fields else text
        m = re.match(r"^\s*([\u4e00-\u9fff]{2,4})\s*[:：]\s*(.*)$", line)
        if not (m and m.group(1) in _HEADER_KEYS):
            break
        fields[_HEADER_KEYS[m.group(1)]] = m.group(2).strip()
    return {}, text


def _read_pdf(path: Path) -> tuple[list[str], dict[str, str]]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            try:
                ok = bool(reader.decrypt(""))
            except Exception:
                ok = False
            if not ok:
                raise IngestError("PDF 已加密，需要密码才能读取", "PDF is encrypted and needs a password", path)
        pages = [(page.extract_text() or "") for page in reader.pages]
        tabular = [i for i, text in enumerate(pages) if looks_tabular(text)]
        if tabular and not reader.is_encrypted:
            for i, text in tables_as_rows(path, tabular).items():
                pages[i] = text
        holding = [i for i, text in enumerate(pages) if i not in tabular and holds_table(text)]
        if holding and not reader.is_encrypted:
            for i, text in tables_spliced(path, {i: pages[i] for i in holding}).items():
                pages[i] = text
        info: Any = reader.metadata or {}
        title = str(info.get("/Title") or "").strip()
    except IngestError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, IndexError, AttributeError) as exc:
        raise IngestError(f"PDF 文件损坏或无法解析（{type(exc).__name__}）",
                          f"PDF is corrupt or unreadable ({type(exc).__name__}: {exc})", path) from exc
    return pages, {"title": title} if title else {}


def looks_tabular(text: str) -> bool:
    """A page whose text layer reads like a flattened table: many short cells, or numbers on most lines."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    if len(lines) < 8:
        return False
    short = sum(1 for ln in lines if len(ln) <= 8)
    numeric = sum(1 for ln in lines if re.search(r"\d", ln) and len(re.findall(r"\s\S+", ln)) >= 3)
    return short >= 0.4 * len(lines) or numeric >= 0.5 * len(lines)


_CAPTION = re.compile(r"^(?:续)?表\s*[\d一二三四五六七八九十]+")  # 表8…, 续表2
_LABEL_VALUE = re.compile(r"[\u4e00-\u9fff]\s+\d+(?:\.\d+)?$")  # a row's label and its value: "大型超市 87"
SPLICE_MIN_LINES = 3  # a table is put in place of the page's lines only when at least this many are its cells


def holds_table(text: str) -> bool:
    """A page of prose that holds a table: a table caption (表8…), two rows of space-separated cells, or three
    lines ending in a label's value."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    return any(_CAPTION.match(ln) for ln in lines) or sum(map(is_row_line, lines)) >= 2 \
        or sum(bool(_LABEL_VALUE.search(ln)) for ln in lines) >= 3


def splice(text: str, rows: list[list[str]]) -> str:
    """The page's text with the lines pypdf flattened a table into — each a piece of the table's cells — replaced by
    the table as tab-separated rows where its first such line stood; the prose around it (captions, notes) is
    pypdf's, which keeps subscripts (CO2) and spacing better than a re-read."""
    cells = "".join(squeezed(c) for row in rows for c in row)
    lines = text.split("\n")
    inside = [len(sq) >= 2 and sq in cells for sq in map(squeezed, lines)]
    if sum(inside) < SPLICE_MIN_LINES:
        return text
    table = "\n\n" + "\n".join("\t".join(row) for row in rows) + "\n\n"
    first = inside.index(True)
    kept = [ln for ln, x in zip(lines, inside) if not x]
    return "\n".join(kept[:first] + [table] + kept[first:])


def tables_spliced(path: Path, texts: dict[int, str]) -> dict[int, str]:
    """Pages of prose holding a ruled table (``holds_table``): pdfplumber reads the table, ``splice`` puts it in."""
    try:
        import pdfplumber
    except ImportError:
        return {}
    out: dict[int, str] = {}
    try:
        with pdfplumber.open(str(path)) as pdf:
            for i, text in texts.items():
                for table in _ruled_tables(pdf.pages[i]):
                    text = splice(text, _table_rows(table))
                if text != texts[i]:
                    out[i] = text
    except Exception:  # pdfplumber trips on some damaged files that pypdf reads: keep pypdf's text then
        return out
    return out


def _ruled_tables(page: Any) -> list[Any]:
    """The tables pdfplumber finds on a page that have at least two rows and two columns."""
    return [t for t in page.find_tables() if len(t.rows) >= 2 and len(t.rows[0].cells) >= 2]


def _table_rows(table: Any) -> list[list[str]]:
    """A table's non-empty rows, each cell as one line (``_cell``)."""
    return [[_cell(c) for c in row] for row in table.extract() if any(c for c in row)]


def _cell(text: str | None) -> str:
    """A table cell as one line: wrapped Chinese joined without a space, other wraps with one."""
    parts = [p.strip() for p in (text or "").split("\n") if p.strip()]
    out = ""
    for p in parts:
        out += ("" if not out or re.match(r"[\u3400-\u9fff]", out[-1]) and re.match(r"[\u3400-\u9fff]", p) else " ") + p
    return out.strip()


def tables_as_rows(path: Path, pages: list[int]) -> dict[int, str]:
    """Pages re-read with pdfplumber where it finds ruled tables: the text around the tables as lines, each table
    as tab-separated rows, in reading order. Pages without a table it can read are left to pypdf."""
    try:
        import pdfplumber
    except ImportError:  # optional: without it tables stay as pypdf flattened them
        return {}
    out: dict[int, str] = {}
    try:
        with pdfplumber.open(str(path)) as pdf:
            for i in pages:
                page = pdf.pages[i]
                tables = _ruled_tables(page)
                if not tables:
                    continue
                boxes = [t.bbox for t in tables]

                def outside(obj, boxes=boxes) -> bool:
                    cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
                    return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

                items = [(line["top"], line["text"]) for line in page.filter(outside).extract_text_lines()]
                for table in tables:
                    rows = ["\t".join(row) for row in _table_rows(table)]
                    items.append((table.bbox[1], "\n\n" + "\n".join(rows) + "\n\n"))
                out[i] = "\n".join(text for _, text in sorted(items, key=lambda x: x[0]))
    except Exception:  # pdfplumber trips on some damaged files that pypdf reads: keep pypdf's text then
        return out
    return out


def _read_docx(path: Path) -> str:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise IngestError("DOCX 文件损坏或无法解析", f"DOCX is corrupt or unreadable ({exc})", path) from exc
    blocks: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = "".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")).strip()
            if text:
                blocks.append(text)
        elif tag == "tbl":
            rows = []
            for tr in child.iter():
                if tr.tag.endswith("}tr"):
                    cells = ["".join(t.text or "" for t in tc.iter() if t.tag.endswith("}t")).strip()
                             for tc in tr if tc.tag.endswith("}tc")]
                    rows.append("\t".join(cells))
            blocks.append("\n".join(rows))
    return "\n\n".join(blocks)


def load_file(path: Path, manifest: Mapping[str, Mapping[str, Any]] | None = None,
              *, rel: str | None = None, max_mb: float = 50.0, identity: str | None = None) -> RawDocument:
    """Read one file. Raises ``IngestError`` with a message naming the file on any failure."""
    path = Path(path)
    if not path.is_file():
        raise IngestError("文件不存在", "file not found", path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise IngestError(f"不支持的文件类型 {suffix or '(无扩展名)'}（支持 PDF、TXT、MD、DOCX）",
                          f"unsupported file type {suffix or '(none)'} (PDF, TXT, MD, DOCX are supported)", path)
    size = path.stat().st_size
    if size == 0:
        raise IngestError("文件为空（0 字节）", "file is empty (0 bytes)", path)
    if size > max_mb * 1024 * 1024:
        raise IngestError(f"文件过大（{size / 1048576:.1f} MB，上限 {max_mb:g} MB）",
                          f"file too large ({size / 1048576:.1f} MB, limit {max_mb:g} MB)", path)

    found: dict[str, str] = {}
    paged = suffix == ".pdf"
    if suffix in (".pdf", ".docx"):
        pages, meta_title = _read_pdf(path) if suffix == ".pdf" else ([_read_docx(path)], {})
        front = read_front_matter(list(pages))
        # The document's own first and last pages first; file metadata only when it reads like a title.
        found = {k: v for k, v in (("title", front.title or (meta_title.get("title") if sane_title(meta_title.get("title"))
                                                             else None)),
                                   ("issuer", front.issuer), ("doc_number", front.doc_number), ("date", front.date)) if v}
    else:
        header, body = parse_header_block(decode_text(path.read_bytes(), path))
        found.update(header)
        pages = [body]

    entry = dict((manifest or {}).get(rel or "") or (manifest or {}).get(path.name) or {})
    title = entry.get("title") or found.get("title") or re.sub(r"^\d+[、._\s-]*", "", path.stem)
    title = title.strip().strip("《》") or path.stem
    date = _norm_date(entry.get("date") if "date" in entry else found.get("date"))
    meta = DocMeta(
        doc_id=doc_id_for(identity if identity is not None else path.stem),
        title=title,
        source=path.name,
        issuer=entry.get("issuer") or found.get("issuer") or None,
        # the manifest's null says the document has no number (a number the header scan found is then one it quotes)
        doc_number=_real_number(entry["doc_number"] if "doc_number" in entry else found.get("doc_number")),
        date=date,
        doc_type=entry.get("doc_type") or _guess_doc_type(title),
        origin=entry.get("source") or found.get("origin"),
    )
    return RawDocument(meta=meta, pages=tuple(pages), paged=paged)
