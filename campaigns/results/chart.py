"""Letters per day as a bar chart in server-rendered SVG, with its axes' labels."""

from datetime import date, timedelta

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 28, 40  # room for the axes' labels
MAX_BAR = 24  # a few days' bars stay bars, not blocks


def _days(per_day: list[tuple[date, int]]) -> list[tuple[date, int]]:
    """Every day from the first letter to the last, those with none as 0: gaps show."""
    if not per_day:
        return []
    counts = dict(per_day)
    first, last = per_day[0][0], per_day[-1][0]
    return [
        (first + timedelta(days=n), counts.get(first + timedelta(days=n), 0))
        for n in range((last - first).days + 1)
    ]


def bar_chart(per_day: list[tuple[date, int]]) -> dict:
    days = _days(per_day)
    top = max((n for _, n in days), default=0)
    ticks = _nice_ticks(top)
    scale_top = ticks[-1] or 1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(days), 1)
    bar = max(min(slot * 0.8, MAX_BAR), 0.5)
    bars = [
        {
            "x": f"{LEFT + (i + 0.5) * slot - bar / 2:.1f}",
            "y": f"{TOP + plot_h * (1 - n / scale_top):.1f}",
            "width": f"{bar:.1f}",
            "height": f"{plot_h * n / scale_top:.1f}",
            "title": f"{day:%-d %b %Y}: {n} letter{'s' if n != 1 else ''}",
        }
        for i, (day, n) in enumerate(days)
    ]
    y_ticks = [
        {"y": f"{TOP + plot_h * (1 - value / scale_top):.1f}", "label": value} for value in ticks
    ]
    x_labels = []
    if days:
        picks = sorted({0, len(days) // 2, len(days) - 1})
        x_labels = [
            {"x": f"{LEFT + (i + 0.5) * slot:.1f}", "label": f"{days[i][0]:%-d %b}"} for i in picks
        ]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "bars": bars,
        "y_ticks": y_ticks,
        "x_labels": x_labels,
        "plot": {"left": LEFT, "right": WIDTH - RIGHT, "top": TOP, "bottom": HEIGHT - BOTTOM},
        "axis_label_y": f"{HEIGHT - 6}",
        "first": days[0][0] if days else None,
        "last": days[-1][0] if days else None,
        "busiest": max(days, key=lambda item: item[1]) if days else None,
    }


def _nice_ticks(top: int) -> list[int]:
    """0 and up to four more round steps (1, 2, 5 times a power of ten) reaching ``top``."""
    step = 1
    while step * 4 < top:
        for factor in (2, 5, 10):
            if step * factor * 4 >= top or factor == 10:
                step = step * factor if factor != 10 else step * 10
                break
    count = -(-top // step) if top else 1
    return [step * n for n in range(count + 1)]
