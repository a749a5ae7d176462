"""A hexagon map of the 650 Westminster constituencies, coloured by letters written.

The layout is odileeds/hexmaps' (MIT; seeds/representatives/README.md), read once per process:
a hexjson file of "odd-r" offset coordinates, where row ``r`` grows northwards and odd rows sit
half a hexagon to the right. Drawn as pointy-topped hexagons in server-rendered SVG.
"""

import json
import math
from dataclasses import dataclass
from functools import cache

from django.conf import settings

HEXJSON = "uk_constituencies_2024.hexjson"
SIZE = 6  # centre to corner, in SVG units
WIDTH = math.sqrt(3) * SIZE
ROW = 1.5 * SIZE
MARGIN = SIZE
MARK = SIZE * 0.38  # the replied and supported marks' radius
# (lowest letters in the band, label, fill): pale to dark, darker meaning more letters; the
# figures are in each hexagon's title and the table, so colour is never the only cue.
BANDS = [
    (0, "No letters", "#f2f2f2"),
    (1, "1 to 2 letters", "#c6dbef"),
    (3, "3 to 9 letters", "#6baed6"),
    (10, "10 to 49 letters", "#2171b5"),
    (50, "50 letters or more", "#08306b"),
]


@dataclass(frozen=True)
class Hex:
    code: str
    name: str
    x: float
    y: float


@dataclass
class Cell:
    hex: Hex
    points: str
    fill: str
    title: str
    replied: bool
    supported: bool

    @property
    def circle(self) -> dict:
        """The replied mark: a circle left of the centre."""
        return {"cx": f"{self.hex.x - MARK:.1f}", "cy": f"{self.hex.y:.1f}", "r": f"{MARK:.1f}"}

    @property
    def diamond(self) -> str:
        """The supported mark: a diamond right of the centre."""
        x, y = self.hex.x + MARK, self.hex.y
        points = [(x, y - MARK), (x + MARK, y), (x, y + MARK), (x - MARK, y)]
        return " ".join(f"{px:.1f},{py:.1f}" for px, py in points)


@cache
def layout() -> tuple[list[Hex], float, float]:
    """The hexagons' centres, and the map's width and height."""
    path = settings.BASE_DIR / "seeds" / "representatives" / HEXJSON
    hexes = json.loads(path.read_text(encoding="utf-8"))["hexes"]
    top = max(cell["r"] for cell in hexes.values())
    left = min(cell["q"] for cell in hexes.values())
    placed = [
        Hex(
            code=code,
            name=cell["n"],
            x=MARGIN + WIDTH / 2 + (cell["q"] - left) * WIDTH + (WIDTH / 2 if cell["r"] & 1 else 0),
            y=MARGIN + SIZE + (top - cell["r"]) * ROW,
        )
        for code, cell in hexes.items()
    ]
    width = max(h.x for h in placed) + WIDTH / 2 + MARGIN
    height = max(h.y for h in placed) + SIZE + MARGIN
    return sorted(placed, key=lambda h: (h.y, h.x)), width, height


def corners(x: float, y: float) -> str:
    return " ".join(
        f"{x + SIZE * math.cos(math.radians(60 * i - 30)):.1f},"
        f"{y + SIZE * math.sin(math.radians(60 * i - 30)):.1f}"
        for i in range(6)
    )


def band(letters: int) -> tuple[int, str, str]:
    return [entry for entry in BANDS if letters >= entry[0]][-1]


def hexmap(by_area: dict, members_now: dict[str, str]) -> dict:
    """The map's cells: ``by_area`` maps a constituency code to its MemberRow (letters,
    replies, supports); ``members_now`` to the name of the member in office now."""
    hexes, width, height = layout()
    cells = []
    for h in hexes:
        row = by_area.get(h.code)
        letters = row.letters if row else 0
        replied = bool(row and row.replied)
        supported = bool(row and row.supported)
        member = members_now.get(h.code) or (row.name if row else "no member listed")
        title = (
            f"{h.name}: {member}. {letters} letter{'s' if letters != 1 else ''}; "
            f"replied: {'yes' if replied else 'no'}; "
            f"supported: {_supported(row) if supported else 'no'}"
        )
        cells.append(Cell(h, corners(h.x, h.y), band(letters)[2], title, replied, supported))
    return {
        "cells": cells,
        "width": f"{width:.0f}",
        "height": f"{height:.0f}",
        "bands": [{"label": label, "fill": fill} for _, label, fill in BANDS],
    }


def _supported(row) -> str:
    day = row.supported_on
    return f"yes, {day:%-d %b %Y}" if day else "yes"
