"""Text fidelity on real policy PDFs: what loading, cleaning and chunking make of them (no embedding needed).

Prints, over every PDF of a folder (default ``../shared/corpus/policy-pdfs``):
- chunks whose text keeps a line break inside a sentence (a full prose line without an end mark runs on);
- chunks that are a table of contents or dot leaders;
- digits kept: digits in the cleaned text / digits in the PDF text layer, less page numbers, running headers and
  footers and table-of-contents rows (their count is printed too);
- section trails holding a fragment (an element ending mid-sentence, a caption, web-page metadata);
- junk titles (file-name or template metadata); issuer and date found;
- per document, a quality line when something looks wrong.

    python evals/bench_pdf_fidelity.py [FOLDER] [--json]
    python evals/bench_pdf_fidelity.py --reingest /tmp/pdf-index   # index the folder (slow once), time a re-ingest
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from advisor.chunking import Chunker, is_fragment  # noqa: E402
from advisor.cleaning import broken_lines, clean, quality  # noqa: E402
from advisor.errors import AdvisorError  # noqa: E402
from advisor.loading import load_file  # noqa: E402
from advisor.records import SECTION_SEP  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TOC = re.compile(r"(\.{6,}|…{3,}|·{6,})\s*\d{1,4}|^.{2,40}\t\d{1,3}\s*$", re.M)
FRAGMENT = re.compile(r"[，、；：的和与及或（“]$|^[，。、；：）”]|图\s*\d|表\s*\d|印发时间|浏览次数|发布时间|来源[:：]|"
                      r"配合单位|责任单位|^\d+$|^[（(][^）)]*$")
JUNK_TITLE = re.compile(r"microsoft|word\s*-|\.docx?$|\.pdf$|^附件\s*\d*$|^正文|^untitled|^\d+$|^wps", re.I)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder", nargs="?", type=Path, default=ROOT.parent / "shared" / "corpus" / "policy-pdfs")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--reingest", type=Path, help="index folder: ingest the PDFs there, then time an unchanged re-ingest")
    args = ap.parse_args()
    if args.reingest:
        reingest(args.folder, args.reingest)
        return
    chunker = Chunker(480)
    totals = {"documents": 0, "failed": 0, "chunks": 0, "mid_break": 0, "toc": 0, "digits_pdf": 0, "digits_kept": 0, "digits_furniture": 0,
              "trails": 0, "fragment_trails": 0, "junk_titles": 0, "issuer": 0, "date": 0}
    lines: list[str] = []
    t0 = time.perf_counter()
    for path in sorted(args.folder.glob("*.pdf")):
        try:
            raw = load_file(path)
        except AdvisorError as exc:
            totals["failed"] += 1
            lines.append(f"FAILED {path.name}: {exc}")
            continue
        doc = clean(raw)
        chunks = chunker.chunk(doc)
        totals["documents"] += 1
        totals["chunks"] += len(chunks)
        # digits of the text layer, less those of page numbers, running headers/footers and TOC rows
        digits_pdf = sum(ch.isdigit() for p in raw.pages for ch in p) - doc.furniture_digits
        digits_kept = min(digits_pdf, sum(ch.isdigit() for ch in doc.text))
        totals["digits_furniture"] += doc.furniture_digits
        totals["digits_pdf"] += digits_pdf
        totals["digits_kept"] += digits_kept
        breaks = sum(1 for c in chunks if c.kind == "text" and broken_lines(c.text.replace("\n\n", "\n")))
        tocs = sum(1 for c in chunks if c.kind == "text" and TOC.search(c.text))
        trails = [t for c in chunks for t in c.section.split(SECTION_SEP)[1:]]
        fragments = [t for t in dict.fromkeys(trails) if FRAGMENT.search(t) or is_fragment(t)]
        totals["mid_break"] += breaks
        totals["toc"] += tocs
        totals["trails"] += len(set(trails))
        totals["fragment_trails"] += len(fragments)
        junk = bool(JUNK_TITLE.search(doc.meta.title.strip())) or len(doc.meta.title.strip()) < 4
        totals["junk_titles"] += junk
        totals["issuer"] += bool(doc.meta.issuer)
        totals["date"] += bool(doc.meta.date)
        notes = quality(raw, doc)
        if junk or breaks or tocs or fragments or notes:
            lines.append(f"{path.name[:40]:40s} title={doc.meta.title[:24]!r} issuer={bool(doc.meta.issuer)} "
                         f"date={doc.meta.date} chunks={len(chunks)} breaks={breaks} toc={tocs} "
                         f"fragments={len(fragments)} digits={digits_kept}/{digits_pdf} {'; '.join(notes)}"
                         + (f" e.g. {fragments[0][:30]!r}" if fragments else ""))
    n = max(1, totals["chunks"])
    summary = {
        "documents": totals["documents"], "failed": totals["failed"], "chunks": totals["chunks"],
        "mid_sentence_break_chunks": round(totals["mid_break"] / n, 4), "toc_chunks": totals["toc"],
        "digits_kept": round(totals["digits_kept"] / max(1, totals["digits_pdf"]), 4),
        "digits_dropped_as_page_furniture": totals["digits_furniture"],
        "fragment_trails": round(totals["fragment_trails"] / max(1, totals["trails"]), 4),
        "junk_titles": totals["junk_titles"],
        "issuer_found": round(totals["issuer"] / max(1, totals["documents"]), 3),
        "date_found": round(totals["date"] / max(1, totals["documents"]), 3),
        "seconds": round(time.perf_counter() - t0, 1),
    }
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
        return
    for line in lines:
        print(line)
    print(json.dumps(summary, ensure_ascii=False, indent=1))


def reingest(folder: Path, data_dir: Path) -> None:
    """Ingest the folder into ``data_dir`` (reusing what is there), then ingest it again unchanged."""
    from advisor.config import Settings
    from advisor.service import Advisor

    advisor = Advisor(Settings(data_dir=data_dir))
    t0 = time.perf_counter()
    first = advisor.ingest([folder])
    t1 = time.perf_counter()
    again = advisor.ingest([folder])
    t2 = time.perf_counter()
    print(json.dumps({"first_ingest_s": round(t1 - t0, 1), "first_added": len(first.added) + len(first.replaced),
                      "failed": len(first.failed), "reingest_s": round(t2 - t1, 2), "unchanged": len(again.unchanged),
                      "parsed_again": len(again.added) + len(again.replaced)}, ensure_ascii=False))


if __name__ == "__main__":
    main()
