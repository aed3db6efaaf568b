"""Split the question bank into a dev set (tune on it) and a test set (report on it), by source passage.

Every answerable question's gold evidence is located in its document; the paragraph that holds it is the question's
source passage. All questions on one passage go to the same split, chosen by a hash of the passage, so tuning on dev
never sees a passage that test asks about. Unanswerable questions are split by a hash of their id.

Files listed in ``DEV_ONLY`` were written later to enlarge dev (more English and near-miss questions): their
questions go to dev, except those whose source passage belongs to test, which are dropped.

Files listed in ``FRESH`` are a later bank (written in the seventh session by helpers that saw no code, over the 14
texts and the four park standards), measured once on the whole before any tuning, then split by the same rule into
``dev3`` and ``test3``. A standard is a PDF: its source passage is the page that holds the gold.

    python evals/split_bank.py   # writes evals/dev.jsonl, test.jsonl, dev3.jsonl, test3.jsonl; prints the counts
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from advisor.evaluation import norm  # noqa: E402
from advisor.loading import load_file  # noqa: E402

RAW = ROOT / "evals" / "questions" / "raw"
CORPUS = ROOT / "corpus"
DEV_ONLY = {"E.jsonl"}
FRESH = {"I.jsonl", "J.jsonl"}


def doc_passages(name: str) -> list[str]:
    """A text's blank-line-separated paragraphs, or a PDF's pages as the index reads them."""
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
    rows = [(f.name, json.loads(line)) for f in sorted(RAW.glob("*.jsonl"))
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
    for name, items in out.items():
        path = ROOT / "evals" / f"{name}.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in items), encoding="utf-8")
        count = Counter(("unanswerable" if not r["gold"] else "conversation" if r.get("turns") else "answerable",
                         r["lang"]) for r in items)
        print(f"{name}: {len(items)} questions — " + ", ".join(f"{k[0]}/{k[1]} {v}" for k, v in sorted(count.items())))
    print(f"dev-only questions dropped because their passage is in test: {dropped}")
    dev = {r.get("passage") for r in out["dev"] + out["dev3"]}
    shared = dev & {r.get("passage") for r in out["test"] + out["test3"]} - {None}
    assert not shared, shared


if __name__ == "__main__":
    main()
