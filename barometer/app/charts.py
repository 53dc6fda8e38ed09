"""Matplotlib charts for the explorer (object API, no pyplot state, Agg backend)."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from barometer.text import num

INK, ACCENT, MUTED = "#1b2a41", "#2c7fb8", "#9aa5b1"


def income_chart(inc: pd.DataFrame, kommun: str, max_bars: int = 24) -> Figure:
    """Ranked horizontal bars of mean wage income per RegSO; the middle is cut when there are many."""
    df = inc[["regso", "tkr"]].reset_index(drop=True)
    cut = len(df) > max_bars
    if cut:
        half = max_bars // 2
        df = pd.concat([df.head(half), pd.DataFrame({"regso": [f"… {len(inc) - 2 * half} RegSO till …"], "tkr": [float("nan")]}),
                        df.tail(half)], ignore_index=True)
    height = 0.24 * len(df) + 1.0
    fig = Figure(figsize=(6.4, max(height, 2.0)))
    ax = fig.add_subplot()
    y = range(len(df))[::-1]
    ax.barh(list(y), df["tkr"].fillna(0), color=[ACCENT if v == v else "none" for v in df["tkr"]], height=0.7)
    ax.set_yticks(list(y), [str(s) for s in df["regso"]], fontsize=8)
    for yi, v in zip(y, df["tkr"]):
        if v == v:
            ax.text(v, yi, f" {num(v)}", va="center", fontsize=7, color=INK)
    med = inc["tkr"].median()
    ax.axvline(med, color=MUTED, lw=1, ls="--")
    ax.text(med, len(df) - 0.3, f" median {num(med)} tkr", fontsize=7, color=MUTED, va="bottom")
    ax.set_xlabel("Medellöneinkomst, tkr (fasta priser)", fontsize=8)
    year = int(inc["år"].iloc[0]) if len(inc) else ""
    ax.set_title(f"{kommun}: medelinkomst av lön per RegSO {year}" + (" (högsta och lägsta)" if cut else ""),
                 fontsize=9, loc="left", color=INK)
    ax.set_xlim(0, inc["tkr"].max() * 1.15 if len(inc) else 1)
    ax.tick_params(axis="x", labelsize=7)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_ylim(-0.6, len(df) - 0.1)
    fig.tight_layout()
    return fig
