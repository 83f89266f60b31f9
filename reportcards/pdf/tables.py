"""Grid tables that may run over several pages.

Every cell is a Paragraph and tables split between rows, repeating their header. A row
taller than half a page is split inside the row too: one 20,000-character cell must not
make a row taller than a page, which ReportLab would refuse to lay out. Ordinary rows stay
whole, since a row cut in two reads badly.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.platypus import Flowable, KeepTogether, Table, TableStyle

from . import fonts, markup
from .data import Table as TableData
from .styles import BODY_HEIGHT, FRAME_WIDTH, NAVY, PALE, RULE, Styles

TALL_ROW = BODY_HEIGHT / 2
# A table up to this height is never split: it moves to the next page whole. A longer
# one splits between rows (repeating its header) rather than leave half a page blank.
SMALL_TABLE = BODY_HEIGHT / 2
CELL_PADDING = 4  # left and right

# Table cells default to Helvetica, which would put an unembedded font in the PDF.
FONT = ("FONT", (0, 0), (-1, -1), fonts.REGULAR, 8)
GRID = [
    FONT,
    ("GRID", (0, 0), (-1, -1), 0.5, RULE),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
    ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
    ("TOPPADDING", (0, 0), (-1, -1), 3),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
]
HEADER = [("BACKGROUND", (0, 0), (-1, 0), PALE), ("LINEBELOW", (0, 0), (-1, 0), 1, NAVY)]


def grid(
    rows: Sequence[Sequence],
    widths: Sequence[float],
    *,
    header_rows: int = 1,
    extra: Sequence[tuple] = (),
) -> Table:
    tall = has_tall_row(rows[header_rows:], widths)
    table = Table(
        [list(row) for row in rows],
        colWidths=list(widths),
        repeatRows=header_rows,
        splitByRow=1,
        splitInRow=int(tall),
        hAlign="LEFT",
    )
    # ReportLab repeats the header endlessly when it splits inside a row that has
    # vertically centred cells; a row spanning pages has no middle to centre on.
    top = [("VALIGN", (0, 0), (-1, -1), "TOP")] if tall else []
    table.setStyle(TableStyle([*GRID, *(HEADER if header_rows else []), *extra, *top]))
    return table


def unsplit_if_small(table: Table) -> Flowable:
    """The table, kept whole on one page when it is no taller than SMALL_TABLE."""
    return KeepTogether([table], maxHeight=SMALL_TABLE)


def has_tall_row(rows: Sequence[Sequence], widths: Sequence[float]) -> bool:
    """Whether a cell of `rows` is taller than TALL_ROW in its column."""
    return any(
        isinstance(cell, Flowable)
        and cell.wrap(width - 2 * CELL_PADDING, BODY_HEIGHT)[1] > TALL_ROW
        for row in rows
        for cell, width in zip(row, widths, strict=False)
    )


def determination_table(table: TableData, styles: Styles) -> list:
    """A goal's table; ragged rows are padded, so hand-edited data still lays out."""
    width = max([len(table.columns), *(len(row) for row in table.rows)])
    if width == 0:
        return []

    def padded(cells):
        return list(cells) + [""] * (width - len(cells))

    # A blank first header marks a column of row labels ("Summary", "Relevant Statute(s)").
    label_column = bool(table.columns) and not table.columns[0].strip() and width > 1
    header = [markup.paragraph(cell, styles.cell_head) for cell in padded(table.columns)]
    body = [
        [
            markup.paragraph(
                cell, styles.cell_head if column == 0 and label_column else styles.cell
            )
            for column, cell in enumerate(padded(row))
        ]
        for row in table.rows
    ]
    if label_column:
        first = FRAME_WIDTH * 0.13
        widths = [first] + [(FRAME_WIDTH - first) / (width - 1)] * (width - 1)
    else:
        widths = [FRAME_WIDTH / width] * width
    flowables = []
    if table.title.strip():
        flowables.append(markup.paragraph(table.title, styles.label))
    flowables.append(unsplit_if_small(grid([header, *body], widths)))
    return flowables
