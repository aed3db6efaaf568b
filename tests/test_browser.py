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

    # without the shipped vectors (as for a corpus of one's own) the vectors take minutes: the keyword side answers
    env = {"ADVISOR_DATA_DIR": str(tmp_path / "data"), "ADVISOR_PASSAGE_VECTORS": str(tmp_path / "none.npz")}
    with streamlit_app(env) as (url, _), chromium(tmp_path / "chrome") as driver:
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


def test_first_start_with_the_shipped_vectors_switches_to_hybrid_and_says_so(tmp_path):
    """With corpus/passage-vectors.npz the vectors of a first start take seconds; the sidebar still says that hybrid
    search is on, though the build was over before the page first looked."""
    from selenium.webdriver.support.ui import WebDriverWait

    with streamlit_app({"ADVISOR_DATA_DIR": str(tmp_path / "data")}) as (url, _), \
            chromium(tmp_path / "chrome") as driver:
        driver.get(url)
        WebDriverWait(driver, 180, poll_frequency=1).until(
            lambda d: "已切换到混合检索" in d.find_element("css selector", "[data-testid='stSidebar']").text)


def test_load_profile_yaml_edit_one_field_apply(corpus_advisor, tmp_path):
    """导入档案 YAML fills the form; one edited field applies; the success message stays in view."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    from advisor.config import PROJECT_ROOT

    env = {"ADVISOR_DATA_DIR": str(corpus_advisor.settings.data_dir),
           "ADVISOR_CORPUS_DIR": str(corpus_advisor.settings.corpus_dir)}
    yaml_path = PROJECT_ROOT / "evals" / "profiles" / "chemical_jiangsu.yaml"
    with streamlit_app(env) as (url, _), chromium(tmp_path / "chrome") as driver:
        driver.get(url)
        wait = WebDriverWait(driver, 90)
        upload = wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "[data-testid='stSidebar'] input[type='file']")))
        upload.send_keys(str(yaml_path))
        name = wait.until(lambda d: next((e for e in d.find_elements(By.CSS_SELECTOR, "[data-testid='stSidebar'] input")
                                          if e.get_attribute("value") == "泰兴滨江化工园区"), None))
        assert name is not None  # the form shows the loaded profile
        region = next(e for e in driver.find_elements(By.CSS_SELECTOR, "[data-testid='stSidebar'] input[type='text']")
                      if e.get_attribute("value") == "江苏省泰州市泰兴市")
        region.send_keys(Keys.CONTROL, "a")
        region.send_keys("江苏省泰州市", Keys.TAB)
        driver.find_element(By.XPATH, "//button[.//p[contains(., '应用档案')]]").click()
        wait.until(lambda d: "位于江苏省泰州市；" in d.find_element(By.CSS_SELECTOR, "[data-testid='stSidebar']").text)
        sidebar = driver.find_element(By.CSS_SELECTOR, "[data-testid='stSidebar']").text
        assert "已应用园区档案" in sidebar and "位于江苏省泰州市；" in sidebar and "at least 1 character" not in sidebar
