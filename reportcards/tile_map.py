"""The national tile map: one square per jurisdiction, placed roughly where it lies, coloured
by its grade, drawn as inline SVG by templates/site/_tile_map.html (no JavaScript; each tile
a link with an accessible name such as "Mississippi, grade F").
"""

from __future__ import annotations

from dataclasses import dataclass

TILE = 44  # side of a tile's slot, in SVG units
GAP = 4

# (row, column) of each jurisdiction: the common tile-grid layout of the 50 states and DC.
PLACES = {
    "AK": (0, 0), "ME": (0, 11),
    "VT": (1, 10), "NH": (1, 11),
    "WA": (2, 1), "ID": (2, 2), "MT": (2, 3), "ND": (2, 4), "MN": (2, 5), "IL": (2, 6),
    "WI": (2, 7), "MI": (2, 8), "NY": (2, 9), "RI": (2, 10), "MA": (2, 11),
    "OR": (3, 1), "NV": (3, 2), "WY": (3, 3), "SD": (3, 4), "IA": (3, 5), "IN": (3, 6),
    "OH": (3, 7), "PA": (3, 8), "NJ": (3, 9), "CT": (3, 10),
    "CA": (4, 1), "UT": (4, 2), "CO": (4, 3), "NE": (4, 4), "MO": (4, 5), "KY": (4, 6),
    "WV": (4, 7), "VA": (4, 8), "MD": (4, 9), "DE": (4, 10),
    "AZ": (5, 2), "NM": (5, 3), "KS": (5, 4), "AR": (5, 5), "TN": (5, 6), "NC": (5, 7),
    "SC": (5, 8), "DC": (5, 9),
    "OK": (6, 4), "LA": (6, 5), "MS": (6, 6), "AL": (6, 7), "GA": (6, 8),
    "HI": (7, 0), "TX": (7, 4), "FL": (7, 9),
}  # fmt: skip
COLUMNS = 1 + max(column for _, column in PLACES.values())
ROWS = 1 + max(row for row, _ in PLACES.values())
WIDTH, HEIGHT = COLUMNS * TILE, ROWS * TILE


@dataclass(frozen=True)
class Tile:
    code: str
    name: str
    grade: str
    href: str
    x: int
    y: int

    @property
    def label(self) -> str:
        return f"{self.name}, grade {self.grade}"

    @property
    def size(self) -> int:
        return TILE - GAP

    @property
    def center_x(self) -> int:
        return self.x + self.size // 2


def tiles(rows: list[tuple[str, str, str, str]]) -> list[Tile]:
    """A tile per (code, name, grade, href) whose code has a place on the map; a
    jurisdiction the layout does not know is left to the table beside the map."""
    placed = []
    for code, name, grade, href in sorted(rows, key=lambda row: PLACES.get(row[0], (99, 99))):
        if code in PLACES:
            row, column = PLACES[code]
            placed.append(Tile(code, name, grade, href, column * TILE, row * TILE))
    return placed
