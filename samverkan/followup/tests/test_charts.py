"""The SVG charts: accessible, CSP-safe, same numbers as the table."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from xml.etree import ElementTree

import pytest
from fontTools.ttLib import TTFont

from samverkan.followup.charts import FONT_FAMILY, bar_chart_svg
from samverkan.followup.stats import suppress_list
from samverkan.followup.tables import Row, Table

SVG = "{http://www.w3.org/2000/svg}"


def make_table() -> Table:
    cells, total = suppress_list([12, 3, 20], limit=5)
    return Table(
        slug="demo",
        title="Anmälningar <per> kommun",
        columns=["Antal"],
        rows=[
            Row("a", "Nacka & Värmdö", [cells[0]]),
            Row("b", "Solna", [cells[1]]),
            Row("c", "Ett mycket långt namn på en kommun som inte får plats", [cells[2]]),
        ],
        total=Row("total", "Totalt", [total]),
        chart=True,
    )


def test_svg_is_an_accessible_image_without_style_attributes() -> None:
    svg = str(bar_chart_svg(make_table()))
    root = ElementTree.fromstring(svg)  # well-formed, labels escaped
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "chart-demo-title chart-demo-desc"
    assert root.find(f"{SVG}title").text == "Anmälningar <per> kommun"
    desc = root.find(f"{SVG}desc").text
    assert desc.startswith("Anmälningar <per> kommun. Totalt 35. Flest: Ett mycket")
    assert "2 värden är dolda" in desc
    assert "style" not in svg
    assert not re.search(r"<script", svg)


def test_bars_match_the_table_and_hidden_values_get_no_bar() -> None:
    root = ElementTree.fromstring(str(bar_chart_svg(make_table())))
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    # label, value for each row: 12 is hidden secondarily ("–"), 3 primarily ("<5").
    assert texts[1::2] == ["–", "<5", "20"]
    assert texts[0] == "Nacka & Värmdö"
    # the long label wraps onto two lines, whole
    lines = [t.text for t in list(root.iter(f"{SVG}text"))[4].iter(f"{SVG}tspan")]
    assert " ".join(lines) == "Ett mycket långt namn på en kommun som inte får plats"
    bars = list(root.iter(f"{SVG}rect"))
    assert len(bars) == 1 and float(bars[0].get("width")) == 300.0


def test_figcaption_variant_is_labelled_by_title_only() -> None:
    root = ElementTree.fromstring(str(bar_chart_svg(make_table(), described=False)))
    assert root.get("aria-labelledby") == "chart-demo-title"


# --- labels are never cut (issue 19, point 5) ---------------------------------------------

LONG_LABELS = [
    "Stadsdelsförvaltningen Skärholmen, enheten för barn och unga",
    "Södertörns polisområde, lokalpolisområde Farsta (ungdomssamordnare)",
    "Överförmyndarnämnden",
    "Kommunstyrelsens arbetsutskott för trygghetsfrågor och brottsförebyggande arbete",
    "Barn- och ungdomspsykiatri (BUP) Nordväst",
    "Socialförvaltningsövergripandesamordningsfunktionen",  # one word wider than a line
    "Å",
]


def _font_file() -> str:
    """The file of the font the PDF is set in (fontconfig's answer for the chart's first
    family), measured independently of the chart's own width table."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        pytest.skip("fontconfig (fc-match) is not installed: no font to measure with")
    family = FONT_FAMILY.split(",")[0].strip()
    found = subprocess.run(
        [fc_match, "--format=%{file}", family], capture_output=True, text=True, check=True
    ).stdout
    return found


def _measure(font_path: str) -> Callable[[str, float], float]:
    font = TTFont(font_path)
    cmap, advances, per_em = font.getBestCmap(), font["hmtx"], font["head"].unitsPerEm
    missing = advances[".notdef"][0] if ".notdef" in advances.metrics else per_em

    def width(text: str, size: float) -> float:
        units = sum(advances[cmap[ord(c)]][0] if ord(c) in cmap else missing for c in text)
        return size * units / per_em

    return width


def test_long_swedish_labels_are_whole_and_inside_the_image() -> None:
    cells, total = suppress_list([40 + i for i in range(len(LONG_LABELS))], limit=5)
    table = Table(
        slug="long",
        title="Deltagare per organisation",
        columns=["Antal"],
        rows=[Row(str(i), label, [cells[i]]) for i, label in enumerate(LONG_LABELS)],
        total=Row("total", "Totalt", [total]),
        chart=True,
    )
    root = ElementTree.fromstring(str(bar_chart_svg(table)))
    _x, _y, view_width, view_height = (float(v) for v in root.get("viewBox").split())
    width_of = _measure(_font_file())
    texts = list(root.iter(f"{SVG}text"))
    shown = []
    for text in texts[0::2]:  # the labels; each value follows its label
        lines = [t for t in text.iter(f"{SVG}tspan")] or [text]
        for line in lines:
            size = float(text.get("font-size"))
            x, y, extent = float(line.get("x")), float(line.get("y")), width_of(line.text, size)
            assert text.get("text-anchor") == "end"
            assert x - extent >= 0, f"{line.text!r} is cut at the left edge"
            assert y - size >= 0 and y + size / 3 <= view_height, f"{line.text!r} out of height"
        joined = ""
        for line in lines:
            words = line.text
            joined += words[:-1] if words.endswith("-") else words + " "
        shown.append(joined.strip())
    assert shown == LONG_LABELS  # whole: nothing cut, no ellipsis
    for value in texts[1::2]:
        size = float(value.get("font-size"))
        right = float(value.get("x")) + width_of(value.text, size)
        assert right <= view_width, f"value {value.text!r} is cut at the right edge"
    # the rows do not overlap: each label's lines lie below the previous label's
    tops = [float((list(t.iter(f"{SVG}tspan")) or [t])[0].get("y")) for t in texts[0::2]]
    bottoms = [float((list(t.iter(f"{SVG}tspan")) or [t])[-1].get("y")) for t in texts[0::2]]
    assert all(top - bottom >= 15 for bottom, top in zip(bottoms, tops[1:], strict=False))
