"""Server-rendered, accessible SVG bar charts — no JavaScript, no style attributes (CSP).

Colours and sizes are SVG presentation attributes (`fill`, `font-size`), which
a Content-Security-Policy without 'unsafe-inline' allows. The chart is an
image with a title and a description (`role="img"`, `aria-labelledby`); the
description is the table's one-sentence summary, and the same numbers stand
in a table beside it.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from samverkan.followup.tables import Table, sortable_value

BAR_FILL = "#1d5a8c"  # the brand blue; 7:1 against white
TEXT_FILL = "#1a1a1a"
GRID_STROKE = "#6b6b6b"
BAR_WIDTH = 300
VALUE_WIDTH = 70
ROW_HEIGHT = 28
FONT_SIZE = 15
CHAR_WIDTH = 8.2  # a generous average advance at FONT_SIZE, for sizing the label column
MAX_LABEL_CHARS = 32


def short_label(label: str) -> str:
    """Labels longer than the label column are cut (the full label stands in the table)."""
    return label if len(label) <= MAX_LABEL_CHARS else label[: MAX_LABEL_CHARS - 1] + "…"


def bar_chart_svg(table: Table, *, id_prefix: str = "chart", described: bool = True) -> SafeString:
    """A horizontal bar chart of the table's first column (hidden values get no bar).

    `described=False` when a `<figcaption>` before the chart already carries the
    summary: the image is then labelled by its title only, so it is not read twice.
    """
    rows = table.rows
    labels = [short_label(row.label) for row in rows]
    label_width = round(max((len(label) for label in labels), default=4) * CHAR_WIDTH) + 12
    width = label_width + BAR_WIDTH + VALUE_WIDTH
    height = ROW_HEIGHT * max(len(rows), 1) + 8
    largest = max(
        (sortable_value(row.cells[0].value) for row in rows if not row.cells[0].hidden), default=0.0
    )
    title_id = f"{id_prefix}-{table.slug}-title"
    desc_id = f"{id_prefix}-{table.slug}-desc"
    labelled_by = f"{title_id} {desc_id}" if described else title_id
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-labelledby="{labelled_by}" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" focusable="false">',
        f'<title id="{title_id}">{escape(table.title)}</title>',
        f'<desc id="{desc_id}">{escape(table.summary())}</desc>',
        f'<line x1="{label_width}" y1="0" x2="{label_width}" y2="{height - 4}" '
        f'stroke="{GRID_STROKE}" stroke-width="1"/>',
    ]
    for index, (row, label) in enumerate(zip(rows, labels, strict=True)):
        cell = row.cells[0]
        y = 4 + index * ROW_HEIGHT
        text_y = y + ROW_HEIGHT / 2 + FONT_SIZE / 3
        parts.append(
            f'<text x="{label_width - 8}" y="{text_y:.1f}" text-anchor="end" '
            f'font-size="{FONT_SIZE}" fill="{TEXT_FILL}">{escape(label)}</text>'
        )
        length = 0.0
        if not cell.hidden and largest > 0:
            length = BAR_WIDTH * sortable_value(cell.value) / largest
        if length > 0:
            parts.append(
                f'<rect x="{label_width + 1}" y="{y + 3}" width="{length:.1f}" '
                f'height="{ROW_HEIGHT - 6}" fill="{BAR_FILL}"/>'
            )
        parts.append(
            f'<text x="{label_width + length + 6:.1f}" y="{text_y:.1f}" '
            f'font-size="{FONT_SIZE}" fill="{TEXT_FILL}">{escape(cell.text(table.limit))}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
