"""App timings (prints numbers; asserts nothing): the first start on an empty index (server start to a chat that
answers, keyword search while the semantic index builds, and the time until hybrid search is on), ``streamlit run
app.py`` start to ready with an existing index, and question to complete offline answer in the browser (headless
Chromium), over a few questions.

    python evals/bench_app.py            # uses ADVISOR_DATA_DIR (built first if empty)
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from advisor.config import Settings  # noqa: E402
from advisor.service import Advisor  # noqa: E402
from evals.browser import ask_in_chat, chromium, streamlit_app  # noqa: E402

QUESTIONS = ["零碳园区的能源供给体系包括什么", "碳排放配额以什么方式分配？", "园区如何开展碳排放核算？",
             "新建厂房屋顶光伏覆盖率目标是多少", "港口物流园的零碳战略定位是什么"]


def main() -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    with tempfile.TemporaryDirectory() as empty, streamlit_app({"ADVISOR_DATA_DIR": empty}) as (url, server_s), \
            chromium(Path(empty) / "chrome") as driver:
        t0 = time.perf_counter()
        driver.get(url)
        WebDriverWait(driver, 180).until(ec.element_to_be_clickable(
            (By.CSS_SELECTOR, "textarea[data-testid='stChatInputTextArea']")))
        usable = server_s + time.perf_counter() - t0
        answer_s = ask_in_chat(driver, QUESTIONS[0], timeout=120)
        print(f"first start, empty index: chat usable after {usable:.1f} s (BM25 side built), first cited answer "
              f"{answer_s:.1f} s later")
        WebDriverWait(driver, 900, poll_frequency=2).until(lambda d: "混合检索" in d.find_element(
            By.CSS_SELECTOR, "[data-testid='stSidebar']").text)
        print(f"first start, empty index: hybrid search on after {server_s + time.perf_counter() - t0:.0f} s")

    settings = Settings()
    Advisor(settings).ensure_index()
    env = {"ADVISOR_DATA_DIR": str(settings.data_dir)}
    with tempfile.TemporaryDirectory() as tmp, streamlit_app(env) as (url, server_s), chromium(Path(tmp)) as driver:
        t0 = time.perf_counter()
        driver.get(url)
        WebDriverWait(driver, 120).until(ec.element_to_be_clickable(
            (By.CSS_SELECTOR, "textarea[data-testid='stChatInputTextArea']")))
        first_page = time.perf_counter() - t0
        print(f"app start to ready: server {server_s:.1f} s + first page with models and index open "
              f"{first_page:.1f} s = {server_s + first_page:.1f} s")
        times = [ask_in_chat(driver, q) for q in QUESTIONS]
        print(f"question → complete offline answer in the app: median {statistics.median(times):.2f} s, "
              f"max {max(times):.2f} s over {len(times)} questions (first {times[0]:.2f} s)")


if __name__ == "__main__":
    main()
