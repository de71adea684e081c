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
# The font the PDF is set in (WeasyPrint on Debian), and the widest of the usual sans-serif
# faces: text measured in it fits whatever narrower face a browser picks.
FONT_FAMILY = "DejaVu Sans, Verdana, sans-serif"
BAR_WIDTH = 300
VALUE_WIDTH = 70
ROW_HEIGHT = 28
FONT_SIZE = 15
LINE_HEIGHT = 18
MAX_LABEL_WIDTH = 260  # a longer label wraps onto more lines; it is never cut
LABEL_GAP = 8  # between a label's end and the axis, and before the chart's left edge
VALUE_GAP = 6

# DejaVu Sans advance widths in em, grouped (fontTools on DejaVuSans.ttf); anything not
# listed counts as the widest glyph, 1 em.
_ADVANCES = {
    0.275: "'",
    0.278: "ijl",
    0.295: "IJ",
    0.318: " ,.\u2019\u2018\u00b7\u00a0",
    0.337: "/:;\\|",
    0.352: "f",
    0.361: "-",
    0.39: "()[]",
    0.392: "t",
    0.401: "!",
    0.411: "r",
    0.46: '"',
    0.5: "*_`\u2013\u00a7\u00b0",
    0.518: "\u201c\u201d",
    0.521: "s",
    0.525: "z",
    0.531: "?",
    0.55: "c",
    0.557: "L",
    0.575: "F",
    0.579: "k",
    0.59: "\u2022",
    0.592: "vxy",
    0.603: "P",
    0.611: "TY",
    0.612: "o\u00f6\u00ab\u00bb",
    0.613: "a\u00e5\u00e4",
    0.615: "e\u00e9\u00e8",
    0.632: "E\u00c9",
    0.634: "hnu\u00fc",
    0.635: "Sbdgpq",
    0.636: "$0123456789{}\u20ac",
    0.656: "K",
    0.684: "AV\u00c5\u00c4",
    0.685: "XZ",
    0.686: "B",
    0.695: "R",
    0.698: "C",
    0.732: "U\u00dc",
    0.748: "N",
    0.752: "H",
    0.77: "D",
    0.775: "G",
    0.78: "&",
    0.787: "OQ\u00d6",
    0.818: "w",
    0.838: "#+<=>^~\u00d7\u00b1",
    0.863: "M",
    0.95: "%",
    0.974: "m",
    0.989: "W",
}
_ADVANCE = {char: width for width, chars in _ADVANCES.items() for char in chars}


def text_width(text: str, font_size: float = FONT_SIZE) -> float:
    """How wide `text` is set in the chart's font, in the chart's units."""
    return font_size * sum(_ADVANCE.get(char, 1.0) for char in text)


def wrap_label(label: str, max_width: float = MAX_LABEL_WIDTH) -> list[str]:
    """The label in lines no wider than `max_width`, broken between words (a word wider
    than a line on its own is broken inside, with a hyphen)."""
    lines: list[str] = []
    line = ""
    for word in label.split():
        candidate = f"{line} {word}" if line else word
        if text_width(candidate) <= max_width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while text_width(word) > max_width:
            cut = max(
                (i for i in range(1, len(word)) if text_width(word[:i] + "-") <= max_width),
                default=1,
            )
            lines.append(word[:cut] + "-")
            word = word[cut:]
        line = word
    if line or not lines:
        lines.append(line)
    return lines


def bar_chart_svg(table: Table, *, id_prefix: str = "chart", described: bool = True) -> SafeString:
    """A horizontal bar chart of the table's first column (hidden values get no bar).

    Every label is shown whole: a long one wraps onto more lines and its row grows, and the
    label column is as wide as the widest line, so nothing falls outside the image.
    `described=False` when a `<figcaption>` before the chart already carries the
    summary: the image is then labelled by its title only, so it is not read twice.
    """
    rows = table.rows
    labels = [wrap_label(row.label) for row in rows]
    values = [row.cells[0].text(table.limit) for row in rows]
    label_width = (
        max((text_width(line) for lines in labels for line in lines), default=0.0) + 2 * LABEL_GAP
    )
    label_width = round(max(label_width, 4 * FONT_SIZE))
    value_width = max(
        VALUE_WIDTH, round(max((text_width(v) for v in values), default=0.0)) + 2 * VALUE_GAP
    )
    width = label_width + BAR_WIDTH + value_width
    heights = [max(ROW_HEIGHT, LINE_HEIGHT * len(lines) + 10) for lines in labels]
    height = sum(heights) + 8 if rows else ROW_HEIGHT + 8
    largest = max(
        (sortable_value(row.cells[0].value) for row in rows if not row.cells[0].hidden), default=0.0
    )
    title_id = f"{id_prefix}-{table.slug}-title"
    desc_id = f"{id_prefix}-{table.slug}-desc"
    labelled_by = f"{title_id} {desc_id}" if described else title_id
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-labelledby="{labelled_by}" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" focusable="false" '
        f'font-family="{FONT_FAMILY}">',
        f'<title id="{title_id}">{escape(table.title)}</title>',
        f'<desc id="{desc_id}">{escape(table.summary())}</desc>',
        f'<line x1="{label_width}" y1="0" x2="{label_width}" y2="{height - 4}" '
        f'stroke="{GRID_STROKE}" stroke-width="1"/>',
    ]
    y = 4
    for row, lines, value, row_height in zip(rows, labels, values, heights, strict=True):
        cell = row.cells[0]
        middle = y + row_height / 2
        text_y = middle + FONT_SIZE / 3
        first_y = text_y - LINE_HEIGHT * (len(lines) - 1) / 2
        label_x = label_width - LABEL_GAP
        label: str = escape(lines[0])
        if len(lines) > 1:
            label = "".join(
                f'<tspan x="{label_x}" y="{first_y + LINE_HEIGHT * index:.1f}">'
                f"{escape(line)}</tspan>"
                for index, line in enumerate(lines)
            )
        parts.append(
            f'<text x="{label_x}" y="{first_y:.1f}" text-anchor="end" '
            f'font-size="{FONT_SIZE}" fill="{TEXT_FILL}">{label}</text>'
        )
        length = 0.0
        if not cell.hidden and largest > 0:
            length = BAR_WIDTH * sortable_value(cell.value) / largest
        if length > 0:
            parts.append(
                f'<rect x="{label_width + 1}" y="{middle - (ROW_HEIGHT - 6) / 2:.1f}" '
                f'width="{length:.1f}" height="{ROW_HEIGHT - 6}" fill="{BAR_FILL}"/>'
            )
        parts.append(
            f'<text x="{label_width + length + VALUE_GAP:.1f}" y="{text_y:.1f}" '
            f'font-size="{FONT_SIZE}" fill="{TEXT_FILL}">{escape(value)}</text>'
        )
        y += row_height
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
