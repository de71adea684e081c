"""The SVG charts: accessible, CSP-safe, same numbers as the table."""

from __future__ import annotations

import re
from xml.etree import ElementTree

from samverkan.followup.charts import bar_chart_svg
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
    texts = [t.text for t in root.iter(f"{SVG}text")]
    # label, value for each row: 12 is hidden secondarily ("–"), 3 primarily ("<5").
    assert texts[1::2] == ["–", "<5", "20"]
    assert texts[0] == "Nacka & Värmdö"
    assert texts[4].endswith("…") and len(texts[4]) == 32
    bars = list(root.iter(f"{SVG}rect"))
    assert len(bars) == 1 and float(bars[0].get("width")) == 300.0


def test_figcaption_variant_is_labelled_by_title_only() -> None:
    root = ElementTree.fromstring(str(bar_chart_svg(make_table(), described=False)))
    assert root.get("aria-labelledby") == "chart-demo-title"
