"""End to end in a real browser: the app started with ``streamlit run``, driven in headless Chromium."""

from __future__ import annotations

import os
import shutil

import pytest

from evals.browser import ask_in_chat, chromium, streamlit_app

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(
    not (shutil.which("chromium") and shutil.which("chromedriver")) and not os.environ.get("CI"),
    reason="needs Debian's chromium and chromium-driver (installed by .ci/run)")]


def test_ask_see_answer_open_citation_and_draft_pathway(corpus_advisor, tmp_path, artifacts):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    env = {"ADVISOR_DATA_DIR": str(corpus_advisor.settings.data_dir),
           "ADVISOR_CORPUS_DIR": str(corpus_advisor.settings.corpus_dir)}
    with streamlit_app(env) as (url, _), chromium(tmp_path / "chrome") as driver:
        driver.get(url)
        ask_in_chat(driver, "零碳园区的能源供给体系包括什么", timeout=120)
        wait = WebDriverWait(driver, 30)
        answer = driver.find_elements(By.CSS_SELECTOR, "[data-testid='stChatMessage']")[-1]
        assert "[1]" in answer.text
        first_source = answer.find_element(By.CSS_SELECTOR, "[data-testid='stExpander'] summary")
        assert "[1] 《" in first_source.text
        first_source.click()
        mark = wait.until(ec.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid='stExpander'] mark")))
        assert len(mark.text) > 10  # the supporting sentence is highlighted in the opened passage
        driver.save_screenshot(str(artifacts / "chat.png"))

        driver.find_element(By.XPATH, "//a[.//span[contains(., '转型路径')]]").click()
        button = wait.until(ec.element_to_be_clickable((By.XPATH, "//button[.//p[contains(., '起草转型路径')]]")))
        button.click()
        WebDriverWait(driver, 60).until(
            ec.visibility_of_element_located((By.XPATH, "//h3[contains(., '关键指标')]")))
        assert driver.find_elements(By.XPATH, "//button[.//p[contains(., '下载 Word')]]")
        driver.save_screenshot(str(artifacts / "pathway.png"))
    assert (artifacts / "chat.png").stat().st_size > 20_000


def test_first_start_on_an_empty_index_answers_at_once(tmp_path):
    """The first start builds the BM25 side in seconds and answers with citations while the vectors are built."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    with streamlit_app({"ADVISOR_DATA_DIR": str(tmp_path / "data")}) as (url, _), chromium(tmp_path / "chrome") as driver:
        driver.get(url)
        WebDriverWait(driver, 120).until(ec.element_to_be_clickable(
            (By.CSS_SELECTOR, "textarea[data-testid='stChatInputTextArea']")))
        sidebar = driver.find_element(By.CSS_SELECTOR, "[data-testid='stSidebar']").text
        assert "语义索引建立中" in sidebar and "/" in sidebar  # chunks done / total while the vectors are built
        ask_in_chat(driver, "碳达峰试点园区有多少个", timeout=60)
        answer = driver.find_elements(By.CSS_SELECTOR, "[data-testid='stChatMessage']")[-1].text
        assert "[1]" in answer and "100" in answer
        assert "仅使用关键词检索" in answer or "混合检索" in driver.find_element(
            By.CSS_SELECTOR, "[data-testid='stSidebar']").text
