"""The P(match) curve as a server-rendered SVG (no JavaScript, no library)."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from .templatetags.smartpick import pct

W, H = 480, 280
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 40


def curve_svg(curve: list[float], *, budget: int, knee: int, low: float, high: float) -> SafeString:
    """``curve[n]`` = estimated P(match) with the first ``n`` applications of the list
    (at least one application: ``curve`` has two values or more)."""
    if len(curve) < 2:
        raise ValueError("A curve needs P(match) at 0 applications and at 1 at least.")
    n = len(curve) - 1
    pw, ph = W - LEFT - RIGHT, H - TOP - BOTTOM

    def x(i: float) -> float:
        return LEFT + pw * i / n

    def y(p: float) -> float:
        return TOP + ph * (1 - p)

    points = " ".join(f"{x(i):.1f},{y(p):.1f}" for i, p in enumerate(curve))
    parts = [
        format_html(
            '<svg class="sp-curve" viewBox="0 0 {} {}" role="img" aria-labelledby="sp-curve-title '
            'sp-curve-desc" preserveAspectRatio="xMidYMid meet">',
            W,
            H,
        ),
        format_html(
            '<title id="sp-curve-title">{}</title>',
            "Estimated chance of matching by number of applications",
        ),
        format_html(
            '<desc id="sp-curve-desc">With your budget of {} applications the estimate is {} '
            "(range {} to {}); beyond about {} applications each extra one adds little.</desc>",
            budget,
            pct(curve[min(budget, n)]),
            pct(low),
            pct(high),
            knee,
        ),
    ]
    for p in (0, 0.25, 0.5, 0.75, 1.0):
        parts.append(
            format_html(
                '<line class="grid" x1="{}" x2="{}" y1="{}" y2="{}"/>'
                '<text class="tick" x="{}" y="{}" text-anchor="end">{}%</text>',
                LEFT,
                W - RIGHT,
                round(y(p), 1),
                round(y(p), 1),
                LEFT - 6,
                round(y(p) + 4, 1),
                round(100 * p),
            )
        )
    step = max(1, round(n / 6 / 5) * 5) if n > 10 else 2
    for i in range(0, n + 1, step):
        parts.append(
            format_html(
                '<text class="tick" x="{}" y="{}" text-anchor="middle">{}</text>',
                round(x(i), 1),
                H - BOTTOM + 18,
                i,
            )
        )
    parts.append(
        format_html(
            '<text class="axis" x="{}" y="{}" text-anchor="middle">applications</text>',
            LEFT + pw / 2,
            H - 4,
        )
    )
    # The uncertainty band at the budget and the curve itself.
    bx = round(x(min(budget, n)), 1)
    parts.append(
        format_html(
            '<line class="band" x1="{}" x2="{}" y1="{}" y2="{}"/>',
            bx,
            bx,
            round(y(high), 1),
            round(y(low), 1),
        )
    )
    parts.append(format_html('<polyline class="line" points="{}"/>', points))
    kx = round(x(min(knee, n)), 1)
    parts.append(
        format_html(
            '<line class="knee" x1="{}" x2="{}" y1="{}" y2="{}"/>'
            '<text class="note" x="{}" y="{}">diminishing returns</text>',
            kx,
            kx,
            TOP,
            H - BOTTOM,
            kx + 4,
            H - BOTTOM - 8,
        )
    )
    py = round(y(curve[min(budget, n)]), 1)
    parts.append(
        format_html(
            '<circle class="point" cx="{}" cy="{}" r="6" data-budget="{}" data-p="{}"/>'
            '<text class="note strong" x="{}" y="{}" text-anchor="{}">your budget: {}</text>',
            bx,
            py,
            budget,
            round(curve[min(budget, n)], 4),
            bx + (-8 if budget > n / 2 else 8),
            round(py + 22, 1),
            "end" if budget > n / 2 else "start",
            budget,
        )
    )
    parts.append(mark_safe("</svg>"))
    # Every part above went through format_html, which escapes its arguments.
    return mark_safe("".join(parts))  # noqa: S308
