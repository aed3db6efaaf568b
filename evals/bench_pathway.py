"""Pathway drafting time (prints numbers; asserts nothing): offline for the six example profiles, and in LLM mode
against the scripted OpenAI-protocol server from the tests (on 127.0.0.1; a real LLM would add its own latency).

    python evals/bench_pathway.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from advisor.config import PROJECT_ROOT, Settings  # noqa: E402
from advisor.export import to_docx, to_markdown  # noqa: E402
from advisor.profile import load_profile  # noqa: E402
from advisor.service import Advisor  # noqa: E402
from evals.openai_server import OpenAIServer, Reply  # noqa: E402


def main() -> None:
    advisor = Advisor(Settings())
    advisor.ensure_index()
    profiles = [load_profile(p) for p in sorted((PROJECT_ROOT / "evals" / "profiles").glob("*.yaml"))]
    advisor.pathway(profiles[0])  # warm: BM25 snapshot, jieba
    out = Path(tempfile.mkdtemp())
    times = []
    for p in profiles:
        t = time.perf_counter()
        pw = advisor.pathway(p)
        to_docx(pw, out / f"{p.name}.docx")
        (out / f"{p.name}.md").write_text(to_markdown(pw), encoding="utf-8")
        times.append(time.perf_counter() - t)
        n = sum(len(s.measures) for s in pw.sections)
        print(f"offline {p.park_type:6s}: {times[-1]:.2f} s (draft + .docx + .md), {n} measures, "
              f"{len(pw.references)} references")
    print(f"offline pathway: median {statistics.median(times):.2f} s, max {max(times):.2f} s")
    with OpenAIServer() as server:
        server.script.default = Reply("- 建设屋顶分布式光伏并配置储能[1]\n- 完善园区能碳管理平台[2]")
        llm = advisor.variant(llm_base_url=server.base_url, llm_model="scripted", llm_api_key="test-key")
        t = time.perf_counter()
        pw = llm.pathway(profiles[0])
        print(f"LLM mode (scripted local server, {len(server.script.requests)} calls): {time.perf_counter() - t:.2f} s, "
              f"mode {pw.mode}")


if __name__ == "__main__":
    main()
