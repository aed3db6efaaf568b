"""Split the question bank into a dev set (tune on it) and a test set (report on it), by source passage.

Every answerable question's gold evidence is located in its document; the paragraph that holds it is the question's
source passage. All questions on one passage go to the same split, chosen by a hash of the passage, so tuning on dev
never sees a passage that test asks about. Unanswerable questions are split by a hash of their id.

Files listed in ``DEV_ONLY`` were written later to enlarge dev (more English and near-miss questions): their
questions go to dev, except those whose source passage belongs to test, which are dropped.

Files listed in ``FRESH`` are a later bank (written in the seventh session by helpers that saw no code, over the 14
texts and the four park standards), measured once on the whole before any tuning, then split by the same rule into
``dev3`` and ``test3``. A standard is a PDF: its source passage is the page that holds the gold.

Files listed in ``HELD_OUT`` are not split: K.jsonl (100 questions, written in the tenth session by a helper that
saw no code, after that session's tuning) is ``test4`` whole, never tuned on (measured when written and after each later change). Its questions keep
their source passage and say whether a dev question asks about the same one (``dev_passage``: 57 of 86), so the
figures can be read on the passages nothing was tuned near as well (``python evals/split_bank.py --test4``).

The park-standards bank (``standards_dev`` / ``standards_test``, written in the fifth session) was first split by
question, not by page, and earlier sessions tuned on standards_dev. So a standards_test question whose page a
standards_dev or dev3 question asks about moves to standards_dev, and a test3 question whose page a standards_dev
question asks about moves to dev3: no test question shares a source page with any question tuned on.

    python evals/split_bank.py   # writes evals/{dev,test,dev3,test3,standards_dev,standards_test}.jsonl; prints counts
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections import Counter
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from advisor.evaluation import norm  # noqa: E402
from advisor.loading import load_file  # noqa: E402

RAW = ROOT / "evals" / "questions" / "raw"
CORPUS = ROOT / "corpus"
DEV_ONLY = {"E.jsonl"}
FRESH = {"I.jsonl", "J.jsonl"}
HELD_OUT = {"K.jsonl"}


@cache
def doc_passages(name: str) -> list[str]:
    """A text's blank-line-separated paragraphs, or a PDF's pages as the index reads them (read once per document)."""
    path = next(CORPUS.rglob(name), None)
    if path is None:
        sys.exit(f"document {name} is not in corpus/")
    if path.suffix == ".pdf":
        return [norm(page) for page in load_file(path).pages]
    return re.split(r"\n\s*\n", path.read_text(encoding="utf-8"))


def source_passage(doc: str, gold: str, passages: list[str]) -> str:
    """``doc#n``: the paragraph (or PDF page) of the document that holds the gold string."""
    for n, para in enumerate(passages):
        if gold in para or norm(gold) in para:
            return f"{doc}#{n}"
    sys.exit(f"gold not found in {doc}: {gold}")


def split_of(key: str) -> str:
    return "dev" if int(hashlib.sha1(key.encode()).hexdigest(), 16) % 2 == 0 else "test"


def main() -> None:
    if "--test4" in sys.argv:
        return write_test4()
    rows = [(f.name, json.loads(line)) for f in sorted(RAW.glob("*.jsonl")) if f.name not in HELD_OUT
            for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    out: dict[str, list[dict]] = {"dev": [], "test": [], "dev3": [], "test3": []}
    dropped = 0
    for source, row in rows:
        if row["gold"]:
            key = source_passage(row["doc"], row["gold"][0], doc_passages(row["doc"]))
            row["passage"] = key
        else:
            key = row["id"]
        split = split_of(key)
        if source in DEV_ONLY:
            if split == "test" and row["gold"]:
                dropped += 1
                continue
            split = "dev"
        out[split + ("3" if source in FRESH else "")].append(row)
    print(f"dev-only questions dropped because their passage is in test: {dropped}")
    separate_standards(out)
    for name, items in out.items():
        path = ROOT / "evals" / f"{name}.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in items), encoding="utf-8")
        count = Counter(("unanswerable" if not r["gold"] else "conversation" if r.get("turns") else "answerable",
                         r["lang"]) for r in items)
        print(f"{name}: {len(items)} questions — " + ", ".join(f"{k[0]}/{k[1]} {v}" for k, v in sorted(count.items())))
    dev = {r.get("passage") for name in DEV_NAMES for r in out[name]}
    shared = dev & {r.get("passage") for name in out if name not in DEV_NAMES for r in out[name]} - {None}
    assert not shared, shared


DEV_NAMES = ("dev", "dev3", "standards_dev")


def write_test4() -> None:
    """evals/test4.jsonl: the held-out bank whole, each answerable question with its source passage and whether a
    dev question asks about that passage."""
    dev = {json.loads(line).get("passage") for name in DEV_NAMES
           for line in (ROOT / "evals" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()}
    rows = []
    for name in sorted(HELD_OUT):
        for line in (RAW / name).read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            if row["gold"]:
                row["passage"] = source_passage(row["doc"], row["gold"][0], doc_passages(row["doc"]))
                row["dev_passage"] = row["passage"] in dev
            rows.append(row)
    (ROOT / "evals" / "test4.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                                                encoding="utf-8")
    print(f"test4: {len(rows)} questions, {sum(1 for r in rows if r.get('dev_passage'))} on a passage dev asks about")


def separate_standards(out: dict[str, list[dict]]) -> None:
    """Add the standards bank to ``out`` with its source pages, moving a test question whose page was tuned on to
    the dev side (standards_test → standards_dev, test3 → dev3)."""
    for name in ("standards_dev", "standards_test"):
        out[name] = [json.loads(line) for line in (ROOT / "evals" / f"{name}.jsonl").read_text(encoding="utf-8")
                     .splitlines() if line.strip()]
        for row in out[name]:
            if row["gold"] and "passage" not in row:
                row["passage"] = source_passage(row["doc"], row["gold"][0], doc_passages(row["doc"]))
    for test, dev, seen_in in (("standards_test", "standards_dev", ("standards_dev", "dev3")),
                               ("test3", "dev3", ("standards_dev",))):
        seen = {r.get("passage") for name in seen_in for r in out[name]} - {None}
        moved = [r for r in out[test] if r.get("passage") in seen]
        out[test] = [r for r in out[test] if r not in moved]
        out[dev] += moved
        print(f"{test} → {dev}: {len(moved)} questions on pages tuned on")


if __name__ == "__main__":
    main()
