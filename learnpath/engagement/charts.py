"""Server-rendered charts: inline SVG, readable without JavaScript, each with a data table.

The SVG carries role="img" with a <title> and <desc>; the same figures follow in a table
(inside <details>) for screen readers and for anyone who prefers numbers. No inline styles
(CSP): colours and sizes come from classes in static/css/engagement.css.
"""

from collections.abc import Sequence

from flask_babel import gettext as _
from markupsafe import Markup

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 58, 24, 14, 30  # room for the larger phone type (engagement.css)


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _table(caption: str, header: tuple[str, str], rows: Sequence[tuple[str, str]]) -> Markup:
    body = Markup("").join(
        Markup('<tr><th scope="row">{}</th><td>{}</td></tr>').format(label, value)
        for label, value in rows)
    return Markup(
        '<details class="chart-data"><summary>{summary}</summary>'
        '<div class="table-wrap" role="region" tabindex="0" aria-label="{wrap}">'
        '<table><caption>{caption}</caption><thead><tr><th scope="col">{h1}</th>'
        '<th scope="col">{h2}</th></tr></thead><tbody>{body}</tbody></table></div></details>'
    ).format(summary=_("Show the figures as a table"),
             wrap=_("Table, scrolls sideways on small screens"), caption=caption, h1=header[0],
             h2=header[1], body=body)


def _svg_open(chart_id: str, title: str, description: str, height: int = HEIGHT,
              width: int = WIDTH) -> Markup:
    return Markup(
        '<svg class="chart-svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
        'aria-labelledby="{id}-title {id}-desc" focusable="false">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
    ).format(w=width, h=height, id=chart_id, title=title, desc=description)


def line_chart(chart_id: str, points: Sequence[tuple[str, str, float | None]], *, title: str,
               description: str, value_name: str, missing: str, y_min: float = 0,
               y_max: float = 100, guides: Sequence[float] = (40, 70),
               gap_legend: str | None = None) -> Markup:
    """A line over `points` (short axis label, full label, value or None for a gap, never
    drawn as 0); `gap_legend` explains the gaps under the chart when there are any."""
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = inner_w / max(1, len(points) - 1)

    def x(i: int) -> float:
        return LEFT + i * step

    def y(value: float) -> float:
        share = (min(max(value, y_min), y_max) - y_min) / ((y_max - y_min) or 1)
        return TOP + inner_h * (1 - share)

    parts = [_svg_open(chart_id, title, description)]
    for level in sorted({y_min, y_max, *guides}):
        css = "chart-axis" if level in (y_min, y_max) else "chart-guide"
        parts.append(Markup(
            '<line class="{css}" x1="{x1}" x2="{x2}" y1="{y}" y2="{y}"/>'
            '<text class="chart-tick" x="{tx}" y="{ty}" text-anchor="end">{label}</text>'
        ).format(css=css, x1=LEFT, x2=WIDTH - RIGHT, y=_fmt(y(level)), tx=LEFT - 6,
                 ty=_fmt(y(level) + 4), label=_fmt(level)))
    segment: list[str] = []
    segments = []
    for i, (_short, _label, value) in enumerate(points):
        if value is None:
            segments.append(segment)
            segment = []
        else:
            segment.append(f"{_fmt(x(i))},{_fmt(y(value))}")
    segments.append(segment)
    for seg in segments:
        if len(seg) > 1:
            parts.append(Markup('<polyline class="chart-line" fill="none" points="{}"/>')
                         .format(" ".join(seg)))
    for i, (short, label, value) in enumerate(points):
        if value is not None:
            parts.append(Markup(
                '<circle class="chart-point" cx="{cx}" cy="{cy}" r="4">'
                '<title>{label}: {value}</title></circle>'
            ).format(cx=_fmt(x(i)), cy=_fmt(y(value)), label=label, value=_fmt(value)))
        if i % 2 == (len(points) - 1) % 2:  # label every other point, always the last
            parts.append(Markup(
                '<text class="chart-tick" x="{x}" y="{y}" text-anchor="middle">{short}</text>'
            ).format(x=_fmt(x(i)), y=HEIGHT - 10, short=short))
    parts.append(Markup("</svg>"))
    rows = [(label, missing if value is None else _fmt(value)) for _s, label, value in points]
    legend = Markup("")
    if gap_legend and any(value is None for _s, _l, value in points):
        legend = Markup('<figcaption class="chart-legend">{}</figcaption>').format(gap_legend)
    return Markup('<figure class="chart">{svg}{legend}{table}</figure>').format(
        svg=Markup("").join(parts), legend=legend,
        table=_table(title, (_("Week"), value_name), rows))


def bar_chart(chart_id: str, bars: Sequence[tuple[str, float | None, str]], *, title: str,
              description: str, label_name: str, value_name: str, missing: str,
              max_value: float = 100, unit: str = "%") -> Markup:
    """Horizontal bars (label, value or None, css modifier), one per row."""
    width, row_h, label_w = 400, 34, 110
    height = TOP + row_h * len(bars) + 6
    bar_w = width - label_w - 60
    parts = [_svg_open(chart_id, title, description, height, width)]
    for i, (label, value, css) in enumerate(bars):
        top = TOP + i * row_h
        parts.append(Markup(
            '<text class="chart-label" x="{x}" y="{y}" text-anchor="end">{label}</text>'
        ).format(x=label_w - 8, y=top + 17, label=label))
        shown = missing if value is None else f"{_fmt(value)}{unit}"
        if value is not None:
            width = bar_w * min(max(value, 0), max_value) / (max_value or 1)
            parts.append(Markup(
                '<rect class="chart-bar chart-bar-{css}" x="{x}" y="{y}" width="{w}" '
                'height="22" rx="3"/>').format(css=css, x=label_w, y=top + 2, w=_fmt(width)))
            end = label_w + width
        else:
            end = label_w
        parts.append(Markup('<text class="chart-value" x="{x}" y="{y}">{value}</text>').format(
            x=_fmt(end + 6), y=top + 17, value=shown))
    parts.append(Markup("</svg>"))
    rows = [(label, missing if value is None else f"{_fmt(value)}{unit}")
            for label, value, _css in bars]
    return Markup('<figure class="chart">{svg}{table}</figure>').format(
        svg=Markup("").join(parts), table=_table(title, (label_name, value_name), rows))
