"""Prompts: load the templates in ``prompts/`` and fill them; passages are fenced as data."""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from .records import Hit

# the templates are package data of ``prompts`` (installed with the package, or read from the checkout)
PROMPTS_DIR = Path(str(files("prompts")))


@lru_cache(maxsize=32)
def template(name: str, folder: Path = PROMPTS_DIR) -> str:
    return (folder / f"{name}.md").read_text(encoding="utf-8").strip()


def _attr(value: str) -> str:
    return value.replace('"', "'").replace("<", "‹").replace(">", "›")


def fence(hits: list[Hit]) -> str:
    """Numbered passages inside tags; a closing tag inside a passage is defused so it cannot end the fence."""
    blocks = []
    for i, hit in enumerate(hits, start=1):
        body = hit.chunk.text.replace("</passage", "‹/passage").replace("</passages", "‹/passages")
        page = f' page="{hit.chunk.page}"' if hit.chunk.page else ""
        record = "".join(f' {name}="{_attr(value)}"' for name, value in (("issuer", hit.meta.issuer), ("date", hit.meta.date),
                                                                       ("number", hit.meta.doc_number)) if value)
        blocks.append(f'<passage id="{i}" doc="{_attr(hit.meta.title)}"{record} section="{_attr(hit.chunk.section)}"{page}>\n'
                      f"{body}\n</passage>")
    return "\n".join(blocks)


def render(name: str, **values: str) -> str:
    return template(name).format(**values)
