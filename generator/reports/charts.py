"""Charts as inline SVG, drawn at build time: no chart library, nothing fetched, readable in print."""

from __future__ import annotations

from html import escape


def bar_chart(title: str, bars: list[tuple[str, float]], maximum: float = 100.0, unit: str = "%") -> str:
    """Return a horizontal bar chart; each bar is labelled with its value, so colour is not needed."""
    row, bar_w, pad = 26, 180, 6
    # Wide enough for the longest label (a Chinese character is about one em).
    label_w = 12 + max((sum(12 if ord(ch) > 0x2E80 else 7 for ch in label) for label, _ in bars), default=60)
    height = row * len(bars) + 2 * pad
    width = label_w + bar_w + 60
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" font-size="12">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, value) in enumerate(bars):
        y = pad + i * row
        length = 0 if maximum <= 0 else max(0.0, min(1.0, value / maximum)) * bar_w
        parts.append(f'<text x="{label_w - 6}" y="{y + 17}" text-anchor="end">{escape(label)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 5}" width="{bar_w}" height="16" fill="#e7f1ec"/>')
        parts.append(f'<rect x="{label_w}" y="{y + 5}" width="{length:.1f}" height="16" fill="#1f6b4a"/>')
        parts.append(f'<text x="{label_w + bar_w + 6}" y="{y + 17}">{value:.1f}{escape(unit)}</text>')
    parts.append("</svg>")
    return "".join(parts)
