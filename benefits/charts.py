"""Line charts as SVG text, drawn on the server: the same markup goes into the page and
into the PDF (WeasyPrint draws inline SVG). No colour carries meaning on its own: the
planned series is a dashed line with square markers, the realised one a solid line with
round markers, every series is named at its last point and in the legend, and every chart
comes with the same numbers as a table (the caller renders it) for screen readers.

Pure Python without Django: the caller passes labels already translated and a function
that formats numbers in the reader's language."""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from html import escape

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 72, 120, 24, 40
STYLES = {
    # class (the page's CSS colours it), dash pattern, marker shape, and the colours the PDF
    # and a page without the stylesheet fall back on (presentation attributes lose to CSS)
    "planned": ("app-chart__planned", "6 4", "square", "#555555", "#ffffff"),
    "realised": ("app-chart__realised", "", "circle", "#0b5394", "#0b5394"),
}


@dataclass(frozen=True)
class Series:
    label: str
    kind: str  # "planned" or "realised"
    points: tuple[tuple[date, Decimal], ...]


def _ticks(low: Decimal, high: Decimal, count: int = 4) -> list[Decimal]:
    if high == low:
        return [low]
    step = (high - low) / count
    return [low + step * i for i in range(count + 1)]


def _marker(shape: str, x: float, y: float, css: str, stroke: str, fill: str) -> str:
    paint = f'stroke="{stroke}" fill="{fill}" stroke-width="2"'
    if shape == "square":
        return f'<rect class="{css}__marker" x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" {paint}/>'
    return f'<circle class="{css}__marker" cx="{x:.1f}" cy="{y:.1f}" r="4.5" {paint}/>'


def line_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    series: list[Series],
    unit: str,
    number: Callable[[Decimal], str],
    day: Callable[[date], str],
) -> str:
    """An SVG line chart of SERIES over time. Empty series are left out; with no points at
    all the chart says so in its description and draws only the axes."""
    drawn = [s for s in series if s.points]
    days = [d for s in drawn for d, _ in s.points]
    values = [v for s in drawn for _, v in s.points]
    first, last = (min(days), max(days)) if days else (date(2000, 1, 1), date(2000, 1, 2))
    if first == last:
        last = date.fromordinal(first.toordinal() + 1)
    low = min([*values, Decimal(0)]) if values else Decimal(0)
    high = max(values) if values else Decimal(1)
    if high == low:
        high = low + 1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x_of(d: date) -> float:
        return LEFT + plot_w * (d.toordinal() - first.toordinal()) / (last.toordinal() - first.toordinal())

    def y_of(v: Decimal) -> float:
        return TOP + plot_h * float((high - v) / (high - low))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" id="{chart_id}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
        f'<g class="app-chart__axes" stroke="#333333"><line x1="{LEFT}" y1="{TOP + plot_h}" x2="{LEFT + plot_w}" y2="{TOP + plot_h}"/>'
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + plot_h}"/></g>',
    ]
    for tick in _ticks(low, high):
        y = y_of(tick)
        parts.append(
            f'<g class="app-chart__tick"><line x1="{LEFT - 4}" y1="{y:.1f}" x2="{LEFT + plot_w}" y2="{y:.1f}" stroke="#dddddd"/>'
            f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end">{escape(number(tick))}</text></g>'
        )
    parts.append(f'<text class="app-chart__unit" x="{LEFT}" y="{TOP - 8}">{escape(unit)}</text>')
    for d in sorted({first, last}):
        parts.append(
            f'<text class="app-chart__tick" x="{x_of(d):.1f}" y="{TOP + plot_h + 20}" text-anchor="middle">{escape(day(d))}</text>'
        )
    for index, item in enumerate(drawn):
        css, dash, shape, stroke, fill = STYLES.get(item.kind, STYLES["realised"])
        points = sorted(item.points)
        path = " ".join(f"{x_of(d):.1f},{y_of(v):.1f}" for d, v in points)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<g class="{css}" data-series="{index}">')
        parts.append(f'<polyline class="{css}__line" fill="none" stroke="{stroke}" stroke-width="2.5" points="{path}"{dash_attr}/>')
        parts.extend(_marker(shape, x_of(d), y_of(v), css, stroke, fill) for d, v in points)
        end_d, end_v = points[-1]
        parts.append(
            f'<text class="app-chart__label" x="{x_of(end_d) + 8:.1f}" y="{y_of(end_v) + 4 + 14 * (index % 2):.1f}">'
            f"{escape(item.label)}</text>"
        )
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)
