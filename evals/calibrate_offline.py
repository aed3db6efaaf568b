"""Calibrate the offline answerer's not-found thresholds on the eval set (prints numbers; changes nothing).

For every question it records the best dense similarity among the answer passages and the IDF-weighted share of
the question's subject words that the top passages contain, then searches the threshold pair that maximises
not-found accuracy on the unanswerable questions while wrongly refusing at most 10% of the answerable ones, in
Chinese and in English questions separately. Put the result in
ADVISOR_ANSWER_MIN_SIMILARITY / ADVISOR_ANSWER_MIN_COVERAGE (defaults in advisor/config.py).

    python evals/calibrate_offline.py [evals/retrieval_set.jsonl]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from advisor.config import PROJECT_ROOT, Settings  # noqa: E402
from advisor.evaluation import load_set  # noqa: E402
from advisor.extractive import extract, is_english  # noqa: E402
from advisor.service import Advisor  # noqa: E402


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else PROJECT_ROOT / "evals" / "retrieval_set.jsonl"
    advisor = Advisor(Settings())
    advisor.ensure_index()
    loose = advisor.settings.model_copy(update={"answer_min_similarity": 0.0, "answer_min_coverage": 0.0})
    rows = []
    for q in load_set(path):
        hits = advisor.answerer.retrieve(q.question, None)
        ex = extract(q.question, hits, advisor.searcher.lexical(), loose)
        rows.append((q.id, bool(q.gold), is_english(q.question), ex.confidence["similarity"], ex.confidence["coverage"]))
    answerable = [r for r in rows if r[1]]
    unanswerable = [r for r in rows if not r[1]]
    print(f"{len(answerable)} answerable, {len(unanswerable)} unanswerable")
    for label, group in (("answerable", answerable), ("unanswerable", unanswerable)):
        sims = sorted(r[3] for r in group)
        covs = sorted(r[4] for r in group if not r[2])
        print(f"{label:12s} similarity min/median {sims[0]:.3f}/{sims[len(sims) // 2]:.3f}; "
              f"coverage (Chinese questions) min/median {covs[0]:.3f}/{covs[len(covs) // 2]:.3f}")
    best = None
    for s100 in range(70, 96):
        sim = s100 / 100
        for c100 in range(0, 90, 2):
            cov = c100 / 100

            def found(r, sim=sim, cov=cov) -> bool:
                return r[3] >= sim and (r[2] or r[4] >= cov)

            refused = sum(not found(r) for r in answerable) / len(answerable)
            nf_acc = sum(not found(r) for r in unanswerable) / len(unanswerable)
            # the refusal limit holds for Chinese and English questions separately: no language is sacrificed
            per_language = [sum(not found(r) for r in answerable if r[2] == en) /
                            max(1, sum(1 for r in answerable if r[2] == en)) for en in (False, True)]
            if max(per_language) <= 0.10:
                key = (nf_acc, -refused, -abs(sim - 0.83), cov)
                if best is None or key > best[0]:
                    best = (key, sim, cov, nf_acc, refused)
    _, sim, cov, nf_acc, refused = best
    print(f"chosen: answer_min_similarity={sim:.2f} answer_min_coverage={cov:.2f} → not-found accuracy "
          f"{nf_acc:.2f}, answerable wrongly refused {refused:.2%}")
    print("currently configured:", advisor.settings.answer_min_similarity, advisor.settings.answer_min_coverage)
    for r in rows:
        if not r[1]:
            print("  unanswerable", r[0], f"sim {r[3]:.3f} cov {r[4]:.3f}")


if __name__ == "__main__":
    main()
