"""LLM access: any OpenAI-compatible chat endpoint through langchain-openai, with streaming, timeout and retry.

Failures become ``LLMUnavailable`` with a message in Chinese and English that never contains the API key.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from .config import LLMSettings
from .errors import AdvisorError


class LLMUnavailable(AdvisorError):
    """The endpoint could not be reached, refused the key, timed out, or failed; callers fall back to offline."""


def make_chat_model(settings: LLMSettings):
    """A ``ChatOpenAI`` for the configured endpoint, or ``None`` when no LLM is configured (offline mode)."""
    if not settings.enabled:
        return None
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(
        model=settings.llm_model, base_url=settings.llm_base_url,
        api_key=settings.llm_api_key or "not-needed",  # local servers (Ollama, vLLM, llama.cpp) take any key
        # retries are ours (``chat``): the client's own would retry a refused connection with backoff for ~25 s
        timeout=settings.llm_timeout, max_retries=0, temperature=settings.llm_temperature,
    )


def _retryable(exc: Exception) -> bool:
    """Timeouts and 5xx are worth a short retry; a refused or unresolvable endpoint, a bad key or model are not."""
    import openai

    if isinstance(exc, openai.APITimeoutError):
        return True
    return isinstance(exc, openai.APIStatusError) and exc.status_code >= 500


def _explain(exc: Exception, settings: LLMSettings) -> LLMUnavailable:
    import openai

    where = settings.llm_base_url
    if isinstance(exc, openai.AuthenticationError | openai.PermissionDeniedError):
        return LLMUnavailable(f"大模型服务拒绝了 API 密钥（{where}），请检查 ADVISOR_LLM_API_KEY",
                              f"the LLM endpoint refused the API key ({where}); check ADVISOR_LLM_API_KEY")
    if isinstance(exc, openai.APITimeoutError):
        return LLMUnavailable(f"大模型服务响应超时（{settings.llm_timeout:g} 秒，{where}）",
                              f"the LLM endpoint timed out after {settings.llm_timeout:g} s ({where})")
    if isinstance(exc, openai.APIConnectionError):
        return LLMUnavailable(f"无法连接大模型服务（{where}）", f"cannot reach the LLM endpoint ({where})")
    if isinstance(exc, openai.NotFoundError):
        return LLMUnavailable(f"大模型服务找不到模型 {settings.llm_model}（{where}）",
                              f"the LLM endpoint does not know model {settings.llm_model} ({where})")
    if isinstance(exc, openai.APIStatusError):
        return LLMUnavailable(f"大模型服务返回错误 {exc.status_code}（{where}）",
                              f"the LLM endpoint answered with error {exc.status_code} ({where})")
    return LLMUnavailable(f"大模型调用失败：{type(exc).__name__}", f"LLM call failed: {type(exc).__name__}")


def chat(model, settings: LLMSettings, system: str, user: str, on_token: Callable[[str], None] | None = None,
         *, stream: bool = True) -> str:
    """Send one system + user exchange and return the reply; with ``stream`` tokens also go to ``on_token``."""
    from langchain_core.messages import HumanMessage, SystemMessage

    messages = [SystemMessage(content=system), HumanMessage(content=user)]
    parts: list[str] = []
    for attempt in range(settings.llm_max_retries + 1):
        try:
            if stream:
                for chunk in model.stream(messages):
                    token = chunk.content if isinstance(chunk.content, str) else ""
                    if token:
                        parts.append(token)
                        if on_token:
                            on_token(token)
            else:
                reply = model.invoke(messages).content
                parts.append(reply if isinstance(reply, str) else "")
            break
        except Exception as exc:  # every client failure is reported the same way, key never included
            # a streamed reply already shown is never restarted; other failures fall back at once
            if parts or attempt == settings.llm_max_retries or not _retryable(exc):
                raise _explain(exc, settings) from None
            time.sleep(min(2.0, 0.5 * 2 ** attempt))
    reply = "".join(parts).strip()
    if not reply:
        raise LLMUnavailable("大模型返回了空回答", "the LLM returned an empty reply")
    return reply
