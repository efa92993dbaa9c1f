"""Charts drawn on the server as SVG (DESIGN §6): the same drawing in pages and PDFs,
no JavaScript needed. Colours are SVG presentation attributes, which the CSP allows
(it forbids style attributes). Signals are shown by shape as well as colour.
"""

from dataclasses import dataclass, field

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 720, 340
LEFT, RIGHT, TOP, BOTTOM = 56, 40, 20, 64
INK, GREY, BLUE, GREEN, ORANGE = "#212b32", "#4c6272", "#005eb8", "#007f3b", "#ed8b00"
PURPLE = "#330072"


@dataclass
class ChartPoint:
    label: str
    value: float | None  # percent, None when no answers counted
    lcl: float | None = None
    ucl: float | None = None
    signal: bool = False
    small_number: bool = False


@dataclass
class Chart:
    title: str
    description: str
    points: list[ChartPoint]
    centre: float | None = None
    centre_label: str = "Centre line"
    median: float | None = None
    target: float | None = None
    baseline: float | None = None  # e.g. the median before the first PDSA cycle
    annotations: list[tuple[int, str]] = field(default_factory=list)  # (point index, text)
    chart_id: str = "chart"


def _x(index: int, count: int) -> float:
    span = WIDTH - LEFT - RIGHT
    return LEFT + (span * index / (count - 1) if count > 1 else span / 2)


def _y(percent: float) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - max(0.0, min(100.0, percent)) / 100)


def _line(x1, y1, x2, y2, colour, width=1, dash="") -> str:
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{colour}" '
        f'stroke-width="{width}"{dash_attr}/>'
    )


def _axes() -> list[str]:
    parts = []
    for tick in range(0, 101, 20):
        y = _y(tick)
        parts.append(_line(LEFT, y, WIDTH - RIGHT, y, "#d8dde0"))
        parts.append(
            f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end" font-size="12" '
            f'fill="{INK}">{tick}%</text>'
        )
    return parts


def _x_labels(points: list[ChartPoint]) -> list[str]:
    step = max(1, len(points) // 8)
    last = len(points) - 1
    shown = [i for i in range(len(points)) if i % step == 0 and last - i >= step / 2]
    return [
        f'<text x="{_x(i, len(points)):.1f}" y="{HEIGHT - BOTTOM + 18}" '
        f'text-anchor="{"end" if i == last and i else "middle"}" '
        f'font-size="12" fill="{INK}">{escape(points[i].label)}</text>'
        for i in [*shown, last]
    ]


def _value_line(points: list[ChartPoint]) -> list[str]:
    segments, current = [], []
    for i, point in enumerate(points):
        if point.value is None:
            segments.append(current)
            current = []
        else:
            current.append(f"{_x(i, len(points)):.1f},{_y(point.value):.1f}")
    segments.append(current)
    return [
        f'<polyline points="{" ".join(s)}" fill="none" stroke="{BLUE}" stroke-width="2"/>'
        for s in segments
        if len(s) > 1
    ]


def _markers(points: list[ChartPoint]) -> list[str]:
    parts = []
    for i, point in enumerate(points):
        if point.value is None:
            continue
        x, y = _x(i, len(points)), _y(point.value)
        if point.signal:
            parts.append(
                f'<path d="M{x:.1f} {y - 7:.1f} L{x + 7:.1f} {y:.1f} L{x:.1f} {y + 7:.1f} '
                f'L{x - 7:.1f} {y:.1f} Z" fill="{ORANGE}" stroke="{INK}"/>'
            )
        elif point.small_number:
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="#ffffff" stroke="{BLUE}" '
                f'stroke-width="2"/>'
            )
        else:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{BLUE}"/>')
    return parts


def _limits(points: list[ChartPoint]) -> list[str]:
    parts = []
    for name in ("lcl", "ucl"):
        coords = [
            f"{_x(i, len(points)):.1f},{_y(getattr(p, name)):.1f}"
            for i, p in enumerate(points)
            if getattr(p, name) is not None
        ]
        if len(coords) > 1:
            parts.append(
                f'<polyline points="{" ".join(coords)}" fill="none" stroke="{GREY}" '
                f'stroke-width="1" stroke-dasharray="2 3"/>'
            )
    return parts


def _horizontal(value: float | None, colour: str, dash: str = "") -> list[str]:
    if value is None:
        return []
    y = _y(value)
    return [_line(LEFT, y, WIDTH - RIGHT, y, colour, 2, dash)]


LABEL_GAP = 14  # px between the baselines of two right-hand labels (12 px text)


def _right_labels(lines: list[tuple[float | None, str, str]]) -> list[str]:
    """The labels of the horizontal lines (value, colour, text), each just above its
    line, moved apart where lines are close so that no label covers another."""
    placed = sorted(
        ((_y(value) - 4, colour, label) for value, colour, label in lines if value is not None),
        key=lambda item: item[0],
    )
    parts, previous = [], None
    for y, colour, label in placed:
        y = max(y, previous + LABEL_GAP) if previous is not None else max(y, TOP + 10)
        previous = y
        parts.append(
            f'<text x="{WIDTH - RIGHT}" y="{y:.1f}" text-anchor="end" font-size="12" '
            f'fill="{colour}">{escape(label)}</text>'
        )
    return parts


def _baseline(value: float | None) -> list[str]:
    """The baseline, labelled at the left so it does not cover the target's label."""
    if value is None:
        return []
    y = _y(value)
    return [
        _line(LEFT, y, WIDTH - RIGHT, y, PURPLE, 1, "6 2 1 2"),
        f'<text x="{LEFT + 4}" y="{y + 14:.1f}" font-size="12" fill="{PURPLE}">'
        f"Baseline {value:.0f}%</text>",
    ]


def _annotations(chart: Chart) -> list[str]:
    parts = []
    for row, (index, text) in enumerate(chart.annotations):
        x = _x(index, len(chart.points))
        parts.append(_line(x, TOP, x, HEIGHT - BOTTOM, GREEN, 1, "4 3"))
        # Labels step down a line each, so cycles close together stay readable.
        parts.append(
            f'<text x="{x - 3:.1f}" y="{HEIGHT - BOTTOM + 34 + 13 * (row % 3)}" '
            f'text-anchor="end" font-size="12" fill="{GREEN}">{escape(text)}</text>'
        )
    return parts


def render(chart: Chart) -> SafeString:
    """The chart as an accessible SVG: role img, a title and a description."""
    if not chart.points:
        return mark_safe("")  # noqa: S308 - nothing to draw
    target_label = f"Target {chart.target:g}%" if chart.target is not None else ""
    body = (
        _axes()
        + _horizontal(chart.target, GREEN, "8 4")
        + _horizontal(chart.centre, GREY)
        + _horizontal(chart.median, INK, "1 3")
        + _right_labels([
            (chart.target, GREEN, target_label),
            (chart.centre, GREY, chart.centre_label),
            (chart.median, INK, "Median"),
        ])
        + _baseline(chart.baseline)
        + _limits(chart.points)
        + _annotations(chart)
        + _value_line(chart.points)
        + _markers(chart.points)
        + _x_labels(chart.points)
    )
    header = format_html(
        '<svg class="app-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" '
        'role="img" aria-labelledby="{}-title {}-desc" focusable="false">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>',
        WIDTH, HEIGHT, chart.chart_id, chart.chart_id, chart.chart_id, chart.title,
        chart.chart_id, chart.description,
    )
    # Every text in `body` went through escape(); the header through format_html.
    return mark_safe(header + "".join(body) + "</svg>")  # noqa: S308
