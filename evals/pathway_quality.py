"""Pathway quality on the example parks (prints numbers; asserts nothing).

    python evals/pathway_quality.py [--show] [--split dev|test|both]

For every pair of parks of different type: the share of measures they have in common (|A∩B| / min(|A|,|B|)).
Over all drafts: measures that are not action measures, measures that contradict the profile (a climate zone other
than the park's, a sector it does not have, another park type), and KPI rows whose cited passage does not state
the KPI's target; per draft, how many measures are general (marked 通用措施 in the draft). The common reference lines
a section lists apart (general lines the draft's cap left out) are checked for non-actions and contradictions too,
and the share is printed a second time counting them as measures. ``--show`` prints every draft's measures. The profiles in evals/profiles are the pathway dev set
(the relevance and focus weights were set on them); evals/profiles_test holds parks written by someone who had not
seen the code or its drafts, never used for tuning.
"""

from __future__ import annotations

import argparse
import itertools
import re
import statistics
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from advisor.applicability import conflict  # noqa: E402
from advisor.config import PROJECT_ROOT, Settings  # noqa: E402
from advisor.profile import load_profile  # noqa: E402
from advisor.sentence_kinds import classify  # noqa: E402
from advisor.service import Advisor  # noqa: E402


def _policy_measures(pw) -> list[str]:
    """Measures quoted from policies (the type table's positioning line is the white paper's, not a measure)."""
    return [m.text for key, m in pw.measures() if not m.text.startswith(f"{pw.profile.park_type}的零碳战略定位")]


def _common_lines(pw) -> list[str]:
    """The common reference lines the sections list apart from their measures."""
    return [m.text for s in pw.sections for m in s.common]


def kpi_miscited(pw) -> list[str]:
    bad = []
    for k in pw.kpis:
        if k.ref is None:
            continue
        passage = re.sub(r"\s+", "", pw.references[k.ref - 1].chunk.text)
        numbers = re.findall(r"\d+(?:\.\d+)?", k.target)
        stated = all(n in passage for n in numbers) if numbers else re.sub(r"\W", "", k.target) in passage
        if not stated:
            bad.append(f"{k.name}: {k.target}")
    return bad


SPLITS = {"dev": "profiles", "test": "profiles_test"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--show", action="store_true")
    parser.add_argument("--split", choices=["dev", "test", "both"], default="both")
    args = parser.parse_args()
    advisor = Advisor(Settings())
    advisor.ensure_index()
    for split in (["dev", "test"] if args.split == "both" else [args.split]):
        folder = PROJECT_ROOT / "evals" / SPLITS[split]
        drafts = {p.stem: advisor.pathway(load_profile(p), today=date(2026, 11, 28)) for p in sorted(folder.glob("*.yaml"))}
        if drafts:
            print(f"--- {split} ({folder.relative_to(PROJECT_ROOT)})")
            report(drafts, args.show)


def report(drafts: dict, show: bool) -> None:
    non_actions, contradictions, miscited, sizes = [], [], [], []
    for name, pw in drafts.items():
        sizes.append(len(_policy_measures(pw)))
        texts = _policy_measures(pw) + _common_lines(pw)
        non_actions += [(name, t, classify(t)) for t in texts if classify(t) != "measure"]
        contradictions += [(name, t, why) for t in texts if (why := conflict(t, pw.context))]
        miscited += [(name, k) for k in kpi_miscited(pw)]
        if show:
            c = pw.context
            print(f"\n=== {name}: {pw.profile.name} ({pw.profile.park_type}; zone {c.zone}; sectors {c.sectors}; "
                  f"main carriers {c.main_carriers}) {pw.seconds:.2f} s")
            for s in pw.sections:
                for m in s.measures:
                    print(f"  [{s.key}] {m.text[:110]}")
                for m in s.common:
                    print(f"  [{s.key} common] {m.text[:110]}")
            for k in pw.kpis:
                print(f"  KPI {k.name} | {k.current} | {k.target} | {k.basis} | {k.ref}")
    print(f"parks: {len(drafts)}; measures per draft: median {statistics.median(sizes):.0f} (min {min(sizes)}, "
          f"max {max(sizes)}); common reference lines per draft: median "
          f"{statistics.median(len(_common_lines(pw)) for pw in drafts.values()):.0f}")
    print(f"shared measures between parks of different type: {_shared(drafts, _policy_measures)}  (target ≤ 20%)")
    print(f"  counting the common reference lines as measures too: "
          f"{_shared(drafts, lambda pw: _policy_measures(pw) + _common_lines(pw))}")
    print(f"measures that are not action measures: {len(non_actions)}  (target 0)")
    print(f"measures contradicting the profile: {len(contradictions)}  (target 0)")
    print(f"KPI rows citing a passage that does not state them: {len(miscited)}  (target 0)")
    print("general measures (no sector or type word of the park, nor a fuel word in the fuels section, outside its type's priority sectors; marked): "
          + ", ".join(f"{name} {'/'.join(map(str, pw.general_count()))}" for name, pw in drafts.items()))
    print(f"draft time: median {statistics.median(pw.seconds for pw in drafts.values()):.2f} s")
    for row in non_actions + contradictions + miscited:
        print("  ", row)


def _shared(drafts: dict, lines) -> str:
    """Max and mean share of lines two drafts for parks of different type have in common, and pairs above 20 %."""
    pairs = []
    for (a, pa), (b, pb) in itertools.combinations(drafts.items(), 2):
        if pa.profile.park_type == pb.profile.park_type:
            continue
        ma, mb = set(lines(pa)), set(lines(pb))
        pairs.append((len(ma & mb) / max(1, min(len(ma), len(mb))), a, b))
    pairs.sort(reverse=True)
    over = sum(1 for p in pairs if p[0] > 0.2)
    return (f"max {pairs[0][0]:.1%} ({pairs[0][1]} vs {pairs[0][2]}), mean {statistics.mean(p[0] for p in pairs):.1%}; "
            f"{over} of {len(pairs)} pairs above 20%")


if __name__ == "__main__":
    main()
