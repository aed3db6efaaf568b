"""The trajectory chart (emissions and renewable share by year) as a PNG, for the pathway page and the .docx."""

from __future__ import annotations

import io
import math
from functools import lru_cache

from .trajectory import Trajectory

CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Droid Sans Fallback", "WenQuanYi Zen Hei", "SimHei")


@lru_cache(maxsize=1)
def _cjk_font() -> str | None:
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    return next((n for n in CJK_FONTS if n in names), None)


@lru_cache(maxsize=8)
def trajectory_png(tr: Trajectory, lang: str = "zh", dpi: int = 110) -> bytes | None:
    """A two-axis line chart; None when the profile gives neither emissions nor a renewable share. Cached: the
    pathway page and its .docx download draw the same chart on every rerun."""
    years = [p.year for p in tr.points]
    em = [p.emissions for p in tr.points]
    re_ = [p.renewable for p in tr.points]
    if all(v is None for v in em) and sum(v is not None for v in re_) < 2:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    font = _cjk_font()
    zh = lang == "zh" and font is not None  # without a CJK font the labels are written in English
    if font:
        plt.rcParams["font.sans-serif"] = [font, "DejaVu Sans"]
    plt.rcParams["axes.unicode_minus"] = False
    fig, ax = plt.subplots(figsize=(7.0, 3.4))
    if any(v is not None for v in em):
        ax.plot(years, [v / 10000 if v is not None else math.nan for v in em], color="#444444", marker="o", markersize=3,
                label="净排放（万吨CO2）" if zh else "net emissions (10kt CO2)")
        ax.set_ylabel("万吨CO2" if zh else "10 kt CO2")
        ax.set_ylim(bottom=0)
    for i, ph in enumerate(tr.phases):
        ax.axvline(ph.end, color="#bbbbbb", linewidth=0.8, linestyle="--")
        # staggered in three rows: phases one or two years long would print their names over each other
        ax.text(ph.end, ax.get_ylim()[1] * (0.97 - 0.1 * (i % 3)), ph.name if zh else ph.name_en, fontsize=7,
                ha="right", va="top", bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5, "alpha": 0.8})
    if sum(v is not None for v in re_) >= 2:
        ax2 = ax.twinx()
        ax2.plot(years, [v * 100 if v is not None else math.nan for v in re_], color="#2a9d8f", marker="s", markersize=3,
                 label="可再生能源占比（%）" if zh else "renewable share (%)")
        ax2.set_ylim(0, 100)
        ax2.set_ylabel("%")
        lines = ax.get_legend_handles_labels()[0] + ax2.get_legend_handles_labels()[0]
        labels = ax.get_legend_handles_labels()[1] + ax2.get_legend_handles_labels()[1]
        ax.legend(lines, labels, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=2, frameon=False)
    else:  # below the plot, clear of the lines and the phase names
        ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.1), frameon=False)
    ax.set_title("园区排放与可再生能源占比路径（按园区档案测算）" if zh else
                 "Emissions and renewable share (computed from the profile)", fontsize=10)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    plt.close(fig)
    return buf.getvalue()
