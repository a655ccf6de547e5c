"""Small charts drawn on the server as SVG: a progress bar, a per-quarter sparkline, quarter bars.

SVG rather than a JavaScript library so that the same markup works on a page, on a phone and inside a
PDF report (WeasyPrint draws inline SVG), with nothing loaded from elsewhere. Colours are SVG `fill`
attributes, not CSS, for the same reason: a PDF or a copy saved from the browser keeps them. Each
chart carries a `<title>` and an `aria-label` with the figures in words, so that it is never the only
place a number is shown.

The functions take the figures the roll-up computed (`indicators.rollup`) and return safe markup;
they compute geometry only, never a figure of their own. Coordinates are rounded for drawing; the
figures in labels go through the same Vietnamese formatter as the pages (`vn.format_number`).

The markup is assembled with plain string formatting: every interpolated value is a coordinate this
module formatted, one of its colour constants, or text passed through `escape`. A dashboard draws a
hundred of these, and `format_html` per element cost as much as the roll-up itself.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .rollup import Status
from .templatetags.vn import format_number

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
HUNDRED = Decimal(100)

# Bootstrap 5's palette, so that a bar has the colour of its status badge.
STATUS_FILL = {
    Status.ACHIEVED: "#198754",
    Status.ON_TRACK: "#0d6efd",
    Status.BEHIND: "#dc3545",
    Status.NO_DATA: "#6c757d",
    Status.INFO: "#adb5bd",
}
TRACK_FILL = "#e9ecef"
INK = "#212529"
MUTED = "#6c757d"


def _n(value: Decimal | int) -> str:
    """A coordinate for SVG: one decimal, a dot as separator whatever the locale."""
    return f"{Decimal(value):.1f}"


def quarter_label(quarter: int) -> str:
    return _("Quý %(q)s") % {"q": ROMAN[quarter]}


def _svg(css_class: str, attributes: str, label: str, inner: str) -> SafeString:
    label = escape(label)
    return mark_safe(
        f'<svg class="{css_class}" {attributes} role="img" aria-label="{label}"><title>{label}</title>{inner}</svg>'
    )


def progress_bar(
    progress: Decimal | None, *, status: str, expected: Decimal | None = None, label: str = ""
) -> SafeString:
    """A horizontal bar: the share of the plan's figure reached (clipped at 100 %), in the status colour.

    ``expected`` (percent) draws a tick where a flow should stand by now (its pace), so that "behind"
    can be seen, not only read. Without progress (≈, maintain, no data) the empty track is drawn.
    """
    width = Decimal(0) if progress is None else min(max(progress, Decimal(0)), HUNDRED)
    fill = STATUS_FILL.get(status, MUTED)
    inner = (
        f'<rect width="100" height="10" rx="2" fill="{TRACK_FILL}"/>'
        f'<rect class="bar-value" width="{_n(width)}" height="10" rx="2" fill="{fill}"/>'
    )
    if expected is not None:
        x = _n(min(max(expected, Decimal(0)), HUNDRED))
        inner += (
            f'<line class="bar-expected" x1="{x}" x2="{x}" y1="0" y2="10" stroke="{INK}" stroke-width="1.5" '
            'vector-effect="non-scaling-stroke"/>'
        )
    return _svg(
        "chart-progress",
        'viewBox="0 0 100 10" width="100%" height="10" preserveAspectRatio="none"',
        label,
        inner,
    )


def sparkline(by_quarter: dict[int, Decimal | None], *, status: str, label: str = "") -> SafeString:
    """A small line over the four quarters of the year, scaled between the lowest and highest value.

    Quarters without a value leave a gap in the points (the line joins the ones that have one); a
    single value is a dot. The scale is the series' own range, so a rate moving from 3,0 % to 2,8 %
    shows its direction: the exact figures are in the label and in the table.
    """
    width, height, pad = Decimal(64), Decimal(20), Decimal(3)
    step = (width - 2 * pad) / 3
    points = [(q, v) for q, v in sorted(by_quarter.items()) if v is not None]
    if not points:
        middle = _n(height / 2)
        inner = (
            f'<line x1="{_n(pad)}" x2="{_n(width - pad)}" y1="{middle}" y2="{middle}" stroke="{TRACK_FILL}" '
            'stroke-dasharray="2 2"/>'
        )
    else:
        low = min(v for _q, v in points)
        high = max(v for _q, v in points)
        span = high - low
        coords = []
        for q, v in points:
            y = height / 2 if not span else pad + (high - v) / span * (height - 2 * pad)
            coords.append((_n(pad + (q - 1) * step), _n(y)))
        fill = STATUS_FILL.get(status, MUTED)
        inner = ""
        if len(coords) > 1:
            line = " ".join(f"{x},{y}" for x, y in coords)
            inner = f'<polyline points="{line}" fill="none" stroke="{fill}" stroke-width="1.5"/>'
        inner += "".join(f'<circle cx="{x}" cy="{y}" r="2" fill="{fill}"/>' for x, y in coords)
    return _svg("chart-sparkline", 'viewBox="0 0 64 20" width="64" height="20"', label, inner)


def trend_label(by_quarter: dict[int, Decimal | None], *, decimals: int = 2) -> str:
    """The sparkline's figures in words: "Quý I: 163,4; Quý II: 341,7"."""
    parts = [
        f"{quarter_label(q)}: {format_number(v, decimals) if v is not None else '—'}"
        for q, v in sorted(by_quarter.items())
    ]
    return "; ".join(parts)


def quarter_bars(
    by_quarter: dict[int, Decimal | None],
    *,
    status: str,
    reference: Decimal | None = None,
    reference_label: str = "",
    expected: dict[int, Decimal] | None = None,
    decimals: int = 2,
    label: str = "",
) -> SafeString:
    """Bars for quarters I–IV with their figures, a dashed line at the plan's figure (``reference``)
    and, for a flow, a tick at the share expected by the end of each quarter (``expected``).

    The vertical scale starts at 0 (bars compare amounts) and reaches the largest of the values, the
    reference and the expectations, so that the distance to the plan's figure is visible.
    """
    width, height = Decimal(320), Decimal(170)
    left, right, top, bottom = Decimal(8), Decimal(8), Decimal(18), Decimal(24)
    plot_h = height - top - bottom
    slot = (width - left - right) / 4
    bar_w = slot * Decimal("0.55")
    candidates = [v for v in by_quarter.values() if v is not None]
    if reference is not None:
        candidates.append(reference)
    if expected:
        candidates += list(expected.values())
    top_value = max(candidates, default=Decimal(0))

    def y_of(value: Decimal) -> Decimal:
        if top_value <= 0:
            return top + plot_h
        return top + plot_h - max(value, Decimal(0)) / top_value * plot_h

    fill = STATUS_FILL.get(status, MUTED)
    base = _n(top + plot_h)
    parts = [f'<line x1="{_n(left)}" x2="{_n(width - right)}" y1="{base}" y2="{base}" stroke="{MUTED}"/>']
    for q in range(1, 5):
        x = left + (q - 1) * slot + (slot - bar_w) / 2
        centre = _n(left + (q - 1) * slot + slot / 2)
        value = by_quarter.get(q)
        if value is not None:
            y = y_of(value)
            parts.append(
                f'<rect class="bar-quarter" x="{_n(x)}" y="{_n(y)}" width="{_n(bar_w)}" '
                f'height="{_n(top + plot_h - y)}" fill="{fill}"/>'
                f'<text x="{centre}" y="{_n(y - 4)}" text-anchor="middle" font-size="10" fill="{INK}">'
                f"{escape(format_number(value, decimals))}</text>"
            )
        if expected and q in expected:
            ey = _n(y_of(expected[q]))
            parts.append(
                f'<line class="bar-expected" x1="{_n(x - 3)}" x2="{_n(x + bar_w + 3)}" y1="{ey}" y2="{ey}" '
                f'stroke="{INK}" stroke-width="2"/>'
            )
        parts.append(
            f'<text x="{centre}" y="{_n(height - 8)}" text-anchor="middle" font-size="10" fill="{MUTED}">'
            f"{escape(quarter_label(q))}</text>"
        )
    if reference is not None and top_value > 0:
        ry = y_of(reference)
        parts.append(
            f'<line class="bar-reference" x1="{_n(left)}" x2="{_n(width - right)}" y1="{_n(ry)}" y2="{_n(ry)}" '
            f'stroke="{INK}" stroke-dasharray="4 3"/>'
            f'<text x="{_n(width - right)}" y="{_n(ry - 3)}" text-anchor="end" font-size="9" fill="{INK}">'
            f"{escape(reference_label)}</text>"
        )
    return _svg("chart-quarters", 'viewBox="0 0 320 170" width="100%"', label, "".join(parts))
