"""No server error from a query string on any follow-up page or download (issue 17, point 10).

`?datum=9999-12-31` or `?datum=0001-01-01` was a 500: the period's bounds and
the links to the neighbouring periods stepped past Python's last or first
date. Every follow-up route is taken from the app's URLconf and every query
parameter from the one form that reads them (`DashboardForm`), so a new route
or parameter is covered without editing this file; hypothesis then sends
dates at the ends of the calendar, garbage and combinations of both.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from django.urls import URLPattern, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samverkan.followup import urls, views
from samverkan.followup.forms import DashboardForm
from samverkan.followup.periods import EARLIEST_DAY, KINDS, LATEST_DAY
from samverkan.followup.selectors import Scope

QUERY_PARAMETERS = tuple(DashboardForm.base_fields)
DATE_PARAMETERS = tuple(
    name for name, field in DashboardForm.base_fields.items() if hasattr(field, "input_formats")
)
FOLLOWUP_DIR = Path(views.__file__).parent
# Route kwarg -> the values to try; a route with a kwarg missing here fails the test below.
FORMATS = tuple(views.CONTENT_TYPES)


def table_slugs(board: str) -> list[str]:
    from samverkan.followup.periods import period_containing

    dashboard = views._boards()[board].build(
        period=period_containing("month", date(2026, 12, 1)), scope=Scope(), suppress=True
    )
    return [table.slug for table in dashboard.tables]


def followup_urls() -> list[tuple[str, bool]]:
    """(url, whether it reads the query) for every follow-up route and argument."""
    found: list[tuple[str, bool]] = []
    for pattern in urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        kwargs_names = set(pattern.pattern.converters)
        unknown = kwargs_names - {"board", "export_format", "slug"}
        assert not unknown, f"{pattern.name}: say here which values to try for {unknown}"
        # Open data is the same for everyone and reads no query; the rest read the form.
        reads_query = not pattern.name.startswith("open_data")
        boards = list(views._boards()) if "board" in kwargs_names else [None]
        for board in boards:
            slugs = table_slugs(board) if "slug" in kwargs_names and board else [None]
            for slug in slugs:
                for fmt in FORMATS if "export_format" in kwargs_names else [None]:
                    kwargs = {"board": board, "slug": slug, "export_format": fmt}
                    url = reverse(
                        f"followup:{pattern.name}",
                        kwargs={k: v for k, v in kwargs.items() if v is not None},
                    )
                    found.append((url, reads_query))
    return found


def test_every_view_reads_its_query_through_the_one_form() -> None:
    # A new query parameter read beside the form would escape the tests below.
    readers = []
    for path in FOLLOWUP_DIR.rglob("*.py"):
        if "tests" in path.parts:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(r"request\.(GET|POST|body)\b", line):
                readers.append(f"{path.name}:{number}")
    assert readers == ["views.py:" + str(_query_form_line())], readers


def _query_form_line() -> int:
    lines = (FOLLOWUP_DIR / "views.py").read_text().splitlines()
    return next(n for n, line in enumerate(lines, 1) if "request.GET or None" in line)


def swedish_refusal(response: Any) -> str:
    """The Swedish reason of a 400: the download's text, or the page's error list."""
    body = response.content.decode()
    if response["Content-Type"].startswith("text/plain"):
        assert body.startswith("Uppgifterna i adressen går inte att använda:"), body
        return body
    match = re.search(r'<ul class="errorlist">(.*?)</ul>', body, re.S) or re.search(
        r'<div class="errorlist" role="alert">(.*?)</div>', body, re.S
    )
    assert match, "a 400 page must say what is wrong"
    return match.group(1)


@pytest.fixture
def analyst_client(logged_in_client: Any, analyst: Any) -> Any:
    return logged_in_client(analyst)


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
@pytest.mark.parametrize("parameter", DATE_PARAMETERS)
def test_a_date_at_the_end_of_the_calendar_is_400_in_swedish_everywhere(
    analyst_client: Any, day: str, parameter: str
) -> None:
    query = {parameter: day, "period": "custom" if parameter != "datum" else "month"}
    if parameter != "datum":
        query.update({"fran": "2026-12-01", "till": "2026-12-31", parameter: day})
    for url, reads_query in followup_urls():
        response = analyst_client.get(f"{url}?{urlencode(query)}")
        if not reads_query:  # open data: the query is not read (404: a format it lacks)
            assert response.status_code in (200, 404), url
            continue
        assert response.status_code == 400, (url, response.status_code)
        reason = swedish_refusal(response)
        assert f"Datumet {day} går inte att använda" in reason, (url, reason)
        assert f"mellan {EARLIEST_DAY.isoformat()} och {LATEST_DAY.isoformat()}" in reason


@pytest.mark.parametrize("garbage", ["imorgon", "2026-13-01", "2026-02-30", "20261201x", "\x00"])
def test_a_date_that_is_no_date_is_400_in_swedish(analyst_client: Any, garbage: str) -> None:
    for url, reads_query in followup_urls():
        if not reads_query:
            continue
        response = analyst_client.get(f"{url}?{urlencode({'period': 'month', 'datum': garbage})}")
        assert response.status_code == 400, (url, garbage)
        assert "Fyll i ett giltigt datum." in swedish_refusal(response), url


def values_for(name: str) -> st.SearchStrategy[str]:
    """Values a person or a crafted link might put in parameter `name`."""
    garbage = st.one_of(
        st.text(max_size=30),
        st.integers(min_value=-(10**20), max_value=10**20).map(str),
        st.sampled_from(["", " ", "null", "-1", "0", "1e9", "9" * 30, "2026-12-01T00:00"]),
    )
    if name in DATE_PARAMETERS:
        return st.one_of(st.dates().map(date.isoformat), garbage)
    if name == "period":
        return st.one_of(st.sampled_from(list(KINDS)), garbage)
    return garbage


@st.composite
def query_strings(draw: st.DrawFn) -> dict[str, str]:
    names = draw(st.lists(st.sampled_from(QUERY_PARAMETERS), min_size=1, max_size=4, unique=True))
    return {name: draw(values_for(name)) for name in names}


def out_of_range(query: dict[str, str]) -> bool:
    for name in DATE_PARAMETERS:
        try:
            day = date.fromisoformat(query.get(name, "").strip())
        except ValueError:
            continue
        if not EARLIEST_DAY <= day <= LATEST_DAY:
            return True
    return False


@pytest.mark.django_db
def test_any_query_on_any_followup_route_is_answered_never_a_server_error(
    analyst_client: Any,
) -> None:
    routes = followup_urls()

    @settings(
        max_examples=60,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(route=st.sampled_from(routes), query=query_strings())
    def check(route: tuple[str, bool], query: dict[str, str]) -> None:
        url, reads_query = route
        response = analyst_client.get(f"{url}?{urlencode(query)}")
        assert response.status_code in (200, 400, 404), (url, query, response.status_code)
        if response.status_code == 400:
            assert reads_query
            swedish_refusal(response)
        if reads_query and out_of_range(query):
            assert response.status_code == 400, (url, query)

    check()
