"""Follow-up figures as at the time or mapped onto today's organisations (issue 10)."""

from datetime import datetime

import pytest

from samverkan.core.calendar import STOCKHOLM
from samverkan.followup.periods import custom_period
from samverkan.followup.selectors import MAPPING_THEN, MAPPING_TODAY, Scope, single_entry_dashboard
from samverkan.followup.tests.dataset import make_report
from samverkan.registry.models import Organisation

pytestmark = pytest.mark.django_db

CODES = ["0180", "0180-spanga-tensta", "0180-rinkeby-kista", "0180-jarva", "0180-farsta"]


@pytest.fixture
def reports(db):
    orgs = {o.code: o for o in Organisation.objects.filter(code__in=CODES)}
    spec = [
        ("0180-spanga-tensta", datetime(2023, 5, 10, 10, 0, tzinfo=STOCKHOLM)),
        ("0180-rinkeby-kista", datetime(2023, 6, 30, 23, 30, tzinfo=STOCKHOLM)),
        ("0180-jarva", datetime(2023, 7, 1, 0, 30, tzinfo=STOCKHOLM)),
        ("0180-farsta", datetime(2023, 9, 1, 12, 0, tzinfo=STOCKHOLM)),
    ]
    for number, (controller, at) in enumerate(spec):
        make_report(orgs, received=at, responsible="0180", controller=controller, number=number)
    return orgs


def by_district(mapping: str, organisation=None) -> dict[str, int]:
    from datetime import date

    dashboard = single_entry_dashboard(
        period=custom_period(date(2023, 1, 1), date(2023, 12, 31)),
        scope=Scope(organisation=organisation, mapping=mapping),
        suppress=False,
        now=datetime(2024, 1, 10, tzinfo=STOCKHOLM),
    )
    table = dashboard.table("by_district")
    return {row.key: row.cells[0].value for row in table.rows}


def test_as_at_the_time_and_mapped_onto_today(reports):
    assert by_district(MAPPING_THEN) == {
        "0180-farsta": 1,
        "0180-jarva": 1,
        "0180-rinkeby-kista": 1,
        "0180-spanga-tensta": 1,
    }
    assert by_district(MAPPING_TODAY) == {"0180-farsta": 1, "0180-jarva": 3}
    jarva = reports["0180-jarva"]
    assert by_district(MAPPING_THEN, jarva) == {"0180-jarva": 1}
    assert by_district(MAPPING_TODAY, jarva) == {"0180-jarva": 3}


def test_the_choice_is_visible_on_the_page(reports, logged_in_client, analyst):
    client = logged_in_client(analyst)
    query = "?period=custom&fran=2023-01-01&till=2023-12-31"
    then = client.get(f"/uppfoljning/en-ingang/{query}").content.decode()
    today = client.get(f"/uppfoljning/en-ingang/{query}&organisationer=dagens").content.decode()
    assert "som organisationerna var vid tidpunkten" in then
    assert "överförda till dagens organisationer" in today
    assert 'name="organisationer"' in then
    assert "organisationer=dagens" in today  # kept in the previous/next and download links
