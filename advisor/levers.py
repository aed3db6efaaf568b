"""The park's own gaps as levers: an indicator it misses brings in the measure that addresses it.

A row of the self-assessment that is not met names a lever (``data/levers.yaml``): the section it belongs in, a query
and the words a measure about it uses. The pathway then drafts that measure in that section, responding to the gap —
a park recycling 38 % of its waste heat against the notice's 50 % gets a 余热余压 line whatever its type's queries
found. A row of the park's own systems (national, or its region's) comes first; another region's system, a
benchmark for this park, still names a weakness worth a measure (a park without a carbon-management system), and the
fact line says it is a benchmark.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

from .assessment import Assessment, AssessmentRow
from .tokenization import data_text


@dataclass(frozen=True)
class Gap:
    """One indicator the park misses and what addresses it."""

    field: str
    name: str  # the indicator's name (zh, en)
    name_en: str
    section: str
    query: str
    words: tuple[str, ...]
    fact: str  # the gap as the draft states it
    fact_en: str


@lru_cache(maxsize=1)
def _levers() -> dict[str, Any]:
    return yaml.safe_load(data_text("levers.yaml"))


def _fact(row: AssessmentRow, short: str, own: bool) -> tuple[str, str]:
    ind = row.indicator
    zh_src, en_src = (short, short) if own else (f"{short}，对标参考", f"{short}, a benchmark")
    if ind.op == "bool":  # a requirement the park does not satisfy: 碳排放管理体系：未建立
        return (f"{ind.name}：未{ind.reference}（{zh_src}）", f"{ind.name_en}: not {ind.reference_text('en')} ({en_src})")
    if ind.op in ("<=", "<"):  # a ceiling the park is above
        return (f"{ind.name}{row.value_text()}，超出{ind.reference}（{zh_src}）",
                f"{ind.name_en} {row.value_text('en')}, above {ind.reference_text('en')} ({en_src})")
    return (f"{ind.name}{row.value_text()}，未达{ind.reference}（{zh_src}）",
            f"{ind.name_en} {row.value_text('en')}, short of {ind.reference_text('en')} ({en_src})")


def gaps(assessment: Assessment) -> list[Gap]:
    """One gap per profile field a system finds short (the park's own systems' row first, else the first
    benchmark's); a row that does not apply is no gap (``assess`` marks a sector the white paper rates 0 for the
    park's type: no water-reuse lever for a resort)."""
    levers = _levers()
    short = {s.key: s.short for s in assessment.systems}
    out: dict[str, Gap] = {}
    rows = sorted(assessment.rows, key=lambda r: not assessment.own(r.system))  # stable: the file's order within
    for row in rows:
        ind = row.indicator
        if row.status != "not_met" or ind.field in out or ind.field not in levers:
            continue
        lever = levers[ind.field]
        zh, en = _fact(row, short[row.system], assessment.own(row.system))
        out[ind.field] = Gap(ind.field, ind.name, ind.name_en, lever["section"], lever["query"], tuple(lever["text"]),
                             zh, en)
    return list(out.values())
