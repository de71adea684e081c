"""Open data: suppressed single-entry counts per county, municipality and quarter.

Safe to publish: only counts, only organisation codes and names, always
suppressed (primary and secondary, per quarter and county: the municipalities'
rows add up to the county's row, and each row's two columns to its total).
The last eight completed quarters are published; the running quarter is not,
because its figures still change.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractQuarter, ExtractYear

from samverkan.core.calendar import STOCKHOLM, local_date
from samverkan.core.exports import SPREADSHEET, CsvStyle, csv_bytes
from samverkan.followup import stats
from samverkan.followup.periods import Period, period_containing
from samverkan.followup.stats import Cell
from samverkan.intake.models import ConcernReport, NotEligibleRecord
from samverkan.registry.models import Organisation

QUARTERS_PUBLISHED = 8
UNKNOWN = ""

COUNTIES = {
    "01": "Stockholms län",
    "03": "Uppsala län",
    "04": "Södermanlands län",
    "05": "Östergötlands län",
    "06": "Jönköpings län",
    "07": "Kronobergs län",
    "08": "Kalmar län",
    "09": "Gotlands län",
    "10": "Blekinge län",
    "12": "Skåne län",
    "13": "Hallands län",
    "14": "Västra Götalands län",
    "17": "Värmlands län",
    "18": "Örebro län",
    "19": "Västmanlands län",
    "20": "Dalarnas län",
    "21": "Gävleborgs län",
    "22": "Västernorrlands län",
    "23": "Jämtlands län",
    "24": "Västerbottens län",
    "25": "Norrbottens län",
}

FIELDS = [
    "kvartal",
    "lanskod",
    "lan",
    "kommunkod",
    "kommun",
    "omfattas",
    "omfattas_inte",
    "totalt",
]


@dataclass
class OpenRow:
    quarter: str
    county_code: str
    county: str
    municipality_code: str  # "" for the county's own row
    municipality: str
    cells: list[Cell]  # eligible, not eligible, total


@dataclass
class OpenStatistics:
    quarters: list[Period]
    rows: list[OpenRow] = field(default_factory=list)
    limit: int = 5


def published_quarters(today: date) -> list[Period]:
    current = period_containing("quarter", today)
    quarters = []
    day = current.first
    for _ in range(QUARTERS_PUBLISHED):
        quarter = period_containing("quarter", day - timedelta(days=1))
        quarters.append(quarter)
        day = quarter.first
    return list(reversed(quarters))


def quarter_code(year: int, quarter: int) -> str:
    return f"{year}-K{quarter}"


def _county_of(code: str, counties: dict[str, str]) -> str:
    if code in counties:
        return counties[code]
    # Municipality codes begin with the county code (0182 → 01).
    return code[:2] if len(code) == 4 and code.isdigit() else UNKNOWN


def _per_quarter(rows: QuerySet[Any], at: str, code: str) -> Iterator[tuple[str, Any, int]]:
    """(quarter, code, count) of the rows, by the Swedish quarter of `at` and by `code`."""
    counted = (
        rows.order_by()
        .annotate(
            year=ExtractYear(at, tzinfo=STOCKHOLM), quarter=ExtractQuarter(at, tzinfo=STOCKHOLM)
        )
        .values("year", "quarter", code)
        .annotate(n=Count("pk"))
    )
    for row in counted:
        yield quarter_code(row["year"], row["quarter"]), row[code], row["n"]


def open_statistics(*, now: datetime) -> OpenStatistics:
    quarters = published_quarters(local_date(now))
    limit = stats.threshold()
    start, _ = quarters[0].bounds()
    _, end = quarters[-1].bounds()
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    eligible = ConcernReport.objects.filter(received_at__gte=start, received_at__lt=end)
    for label, code, n in _per_quarter(eligible, "received_at", "responsible_municipality__code"):
        counts[(label, code)][0] += n
    not_eligible = NotEligibleRecord.objects.filter(decided_at__gte=start, decided_at__lt=end)
    for label, code, n in _per_quarter(not_eligible, "decided_at", "home_municipality"):
        counts[(label, code or UNKNOWN)][1] += n
    codes = {code for _, code in counts}
    organisations = {
        o.code: o
        for o in Organisation.objects.filter(code__in=codes).only("code", "name", "county_code")
    }
    county_of = {
        code: (organisations[code].county_code if code in organisations else "")
        or _county_of(code, {})
        for code in codes
    }
    result = OpenStatistics(quarters=quarters, limit=limit)
    for quarter in quarters:
        label = quarter_code(quarter.first.year, (quarter.first.month - 1) // 3 + 1)
        blocks: dict[str, list[str]] = defaultdict(list)
        for q, code in counts:
            if q == label:
                blocks[county_of[code]].append(code)
        for county_code in sorted(blocks, key=lambda c: (c == UNKNOWN, c)):
            members = sorted(blocks[county_code], key=lambda c: (c == UNKNOWN, c))
            table = stats.suppress_table([counts[(label, c)] for c in members], limit=limit)
            county_name = COUNTIES.get(county_code, "Okänt län")
            result.rows.append(
                OpenRow(
                    label,
                    county_code,
                    county_name,
                    "",
                    "Hela länet" if county_code else "Okänd kommun",
                    [*table.column_totals, table.total],
                )
            )
            if not county_code:
                continue
            for code, cells, total in zip(members, table.cells, table.row_totals, strict=True):
                name = organisations[code].name if code in organisations else code
                result.rows.append(
                    OpenRow(label, county_code, county_name, code, name, [*cells, total])
                )
    return result


def _values(row: OpenRow, limit: int | None) -> list[Any]:
    """The row's fields; a hidden count as its marker, or as None when `limit` is None."""
    return [
        row.quarter,
        row.county_code,
        row.county,
        row.municipality_code,
        row.municipality,
        *(
            (None if limit is None else cell.text(limit)) if cell.hidden else cell.value
            for cell in row.cells
        ),
    ]


def as_csv(data: OpenStatistics, style: CsvStyle = SPREADSHEET) -> bytes:
    """Every text cell (organisation names included) neutralised against formulas."""
    return csv_bytes([FIELDS, *(_values(row, data.limit) for row in data.rows)], style)


def _json_row(row: OpenRow) -> dict[str, Any]:
    """Counts as numbers, a hidden count as null and named in "dolda" (never "<5")."""
    record: dict[str, Any] = dict(zip(FIELDS, _values(row, None), strict=True))
    record["dolda"] = [
        name for name, cell in zip(FIELDS[-len(row.cells) :], row.cells, strict=True) if cell.hidden
    ]
    return record


def as_json(data: OpenStatistics) -> dict[str, Any]:
    return {
        "beskrivning": (
            "Polisens orosanmälningar genom en ingång per kvartal, län och kommun. "
            f"Antal under {data.limit}, och antal som skulle göra det möjligt att räkna "
            'fram dem, är dolda: värdet är null och fältets namn står i "dolda". '
            f'I CSV-filen står de som "<{data.limit}" och "–".'
        ),
        "kvartal": [
            {
                "kod": quarter_code(q.first.year, (q.first.month - 1) // 3 + 1),
                "fran": q.first.isoformat(),
                "till": q.last.isoformat(),
            }
            for q in data.quarters
        ],
        "falt": FIELDS,
        "rader": [_json_row(row) for row in data.rows],
    }
