"""The UI shell seen through Django's test client: language, DEMO, error pages, statement."""

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.views.defaults import server_error

from samverkan.accounts.models import Role, RoleCode, User
from samverkan.core import startpage
from samverkan.core.startpage import Panel, PanelItem
from samverkan.registry.models import Organisation, OrganisationKind


def make_user(*, roles=(), username="anna"):
    organisation, _ = Organisation.objects.get_or_create(
        code="0182", defaults={"name": "Nacka kommun", "kind": OrganisationKind.MUNICIPALITY}
    )
    user = User.objects.create_user(username=username, password="x", organisation=organisation)
    for code in roles:
        user.roles.add(Role.objects.get_or_create(code=code)[0])
    return user


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "status", "heading"),
    [("/konto/logga-in/", 200, "Logga in"), ("/finns-inte/", 404, "Sidan finns inte")],
)
def test_shell_page_is_swedish_and_says_demo(client, settings, path, status, heading):
    settings.DEMO = True
    response = client.get(path)
    assert response.status_code == status
    body = response.content.decode()
    assert '<html lang="sv">' in body
    assert heading in body
    assert "DEMO" in body
    assert 'href="#main"' in body and '<main id="main"' in body


@pytest.mark.django_db
def test_no_demo_banner_on_a_production_like_instance(client, settings):
    settings.DEMO = False
    body = client.get("/konto/logga-in/").content.decode()
    assert "DEMO" not in body


@pytest.mark.django_db
def test_start_page_requires_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/logga-in/")


@pytest.mark.django_db
def test_switching_to_english_keeps_the_page_and_translates_it(client):
    response = client.post(
        "/i18n/setlang/", {"language": "en", "next": "/tillganglighet/"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/tillganglighet/"
    body = response.content.decode()
    assert '<html lang="en">' in body
    assert "Accessibility statement for Samverkan" in body
    assert "partially compliant" in body
    # The switch now offers Swedish, named in Swedish.
    assert 'lang="sv">Svenska</button>' in body


@pytest.mark.django_db
def test_no_inline_styles_or_scripts_in_the_shell(client):
    """Strict CSP: an inline style attribute or script would be blocked in the browser."""
    body = client.get("/tillganglighet/").content.decode()
    assert "style=" not in body
    assert "<script>" not in body and "<style" not in body
    policy = client.get("/tillganglighet/")["Content-Security-Policy"]
    assert "unsafe-inline" not in policy


@pytest.mark.django_db
def test_accessibility_statement_follows_diggs_model(client, settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "webb@nacka.example"
    settings.ACCESSIBILITY_ORGANISATION = "Nacka kommun"
    response = client.get("/tillganglighet/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Nacka kommun står bakom e-tjänsten Samverkan" in text
    assert "delvis förenlig" in text  # honest: known shortcomings are listed
    assert 'href="mailto:webb@nacka.example"' in text
    assert 'href="https://www.digg.se/tdosanmalan"' in text
    assert "Myndigheten för digital förvaltning" in text
    assert "Hur vi testat tjänsten" in text
    assert "2.2.1" in text  # the time-out without warning is named with its criterion
    assert "Redogörelsen uppdaterades senast den 25 november 2026" in text


@pytest.mark.django_db
def test_statement_says_fully_compliant_when_no_shortcomings_are_known(client, monkeypatch):
    from samverkan.core import views

    monkeypatch.setattr(views, "KNOWN_SHORTCOMINGS", ())
    text = client.get("/tillganglighet/").content.decode()
    assert "helt förenlig" in text
    assert "delvis förenlig" not in text
    assert "Vi känner inte till något innehåll som inte uppfyller kraven." in text


@pytest.mark.django_db
def test_403_page_is_swedish_and_says_demo(client, rf, settings):
    settings.DEMO = True
    from django.core.exceptions import PermissionDenied
    from django.views.defaults import permission_denied

    request = rf.get("/avtal/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    body = permission_denied(request, PermissionDenied()).content.decode()
    assert "Du saknar behörighet till sidan" in body
    assert "DEMO" in body


def test_500_page_renders_without_request_context_and_says_demo(settings):
    settings.DEMO = True
    request = RequestFactory().get("/")
    response = server_error(request)
    body = response.content.decode()
    assert response.status_code == 500
    assert "Något gick fel" in body
    assert "DEMO" in body
    # No database, no user: the page must not depend on what may have failed.
    assert "Logga ut" not in body


def test_500_page_without_demo(settings):
    settings.DEMO = False
    body = render_to_string("500.html")
    assert "Något gick fel" in body
    assert "DEMO" not in body


@pytest.mark.django_db
def test_user_without_role_is_told_to_contact_administrator(logged_in_client):
    user = make_user()
    body = logged_in_client(user).get("/").content.decode()
    assert "Du har ingen roll ännu – kontakta din administratör." in body


@pytest.mark.django_db
def test_user_whose_roles_bring_no_panel_gets_a_plain_empty_state(logged_in_client, monkeypatch):
    monkeypatch.setattr(startpage, "_panels", [])
    user = make_user(roles=[RoleCode.RECEIVER])
    body = logged_in_client(user).get("/").content.decode()
    assert "Du har inget att göra just nu." in body
    assert "ingen roll" not in body


@pytest.mark.django_db
def test_start_page_shows_each_panels_empty_state_and_urgent_items_first(
    logged_in_client, monkeypatch
):
    def reports(user):
        return Panel(title="Anmälningar att ta emot", empty_text="Inga anmälningar väntar på dig.")

    def handovers(user):
        return Panel(
            title="Överlämningar",
            empty_text="Inga överlämningar väntar.",
            items=[
                PanelItem(text="Anmälan 2026-17", url="/anmalningar/17/"),
                PanelItem(text="Anmälan 2026-18", url="/anmalningar/18/", urgent=True),
            ],
        )

    monkeypatch.setattr(startpage, "_panels", [reports, handovers])
    user = make_user(roles=[RoleCode.RECEIVER])
    body = logged_in_client(user).get("/").content.decode()
    assert "Inga anmälningar väntar på dig." in body
    assert "Du har 2 saker att göra, varav 1 brådskande." in body
    assert body.index("Anmälan 2026-18") < body.index("Anmälan 2026-17")
    assert 'aria-current="page">Start</a>' in body


def test_nav_marks_the_page_and_the_section_it_is_in():
    from samverkan.core.navigation import NavLink, current_state

    assert current_state("/", "/") == "page"
    assert current_state("/", "/avtal/") == ""
    assert current_state("/avtal/", "/avtal/") == "page"
    assert current_state("/avtal/", "/avtal/12/") == "true"
    assert NavLink("Avtal", "/avtal/").current == ""


def test_form_field_include_links_label_help_and_errors():
    from django import forms

    class ReportForm(forms.Form):
        municipality = forms.CharField(label="Bosättningskommun", help_text="Fyra siffror")
        urgent = forms.BooleanField(label="Brådskande", required=False)

    form = ReportForm(data={"municipality": ""})
    form.is_valid()
    html = Template(
        '{% include "includes/form_field.html" with field=form.municipality %}'
        '{% include "includes/form_field.html" with field=form.urgent %}'
    ).render(Context({"form": form}))
    assert '<label for="id_municipality">Bosättningskommun</label>' in html
    assert 'id="id_municipality_helptext"' in html
    assert 'id="id_municipality_error"' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_municipality_helptext id_municipality_error"' in html
    # A checkbox has its label after the box.
    assert html.index('type="checkbox"') < html.index('<label for="id_urgent">')


def test_pagination_include_keeps_filters_and_marks_the_current_page(rf):
    from django.core.paginator import Paginator

    page_obj = Paginator(list(range(100)), 10).page(3)
    request = rf.get("/anmalningar/", {"kommun": "0182", "page": "3"})
    html = render_to_string("includes/pagination.html", {"page_obj": page_obj}, request=request)
    assert 'aria-label="Sidnumrering"' in html
    assert 'href="?kommun=0182&amp;page=2" rel="prev"' in html
    assert 'href="?kommun=0182&amp;page=3" aria-current="page"' in html
    assert "Sida 3 av 10" in html


def test_pagination_include_is_empty_for_a_single_page():
    from django.core.paginator import Paginator

    html = render_to_string("includes/pagination.html", {"page_obj": Paginator([1], 10).page(1)})
    assert html.strip() == ""


def test_status_badge_is_a_word_with_a_tone():
    html = render_to_string(
        "includes/status_badge.html",
        {"label": "Försenad", "tone": "alarm", "hidden_prefix": "Status:"},
    )
    assert '<span class="badge badge-alarm">' in html
    assert "Försenad" in html
    assert '<span class="visually-hidden">Status: </span>' in html
    neutral = render_to_string("includes/status_badge.html", {"label": "Utkast", "tone": ""})
    assert '<span class="badge">' in neutral


def test_csrf_failure_page_is_swedish_and_says_demo(rf, settings):
    from django.views.csrf import csrf_failure

    settings.DEMO = True
    response = csrf_failure(rf.post("/konto/logga-in/"), reason="CSRF cookie not set.")
    body = response.content.decode()
    assert response.status_code == 403
    assert "Formuläret kunde inte skickas" in body
    assert "DEMO" in body


@pytest.mark.django_db
def test_swedish_first_even_for_an_english_browser(client):
    body = client.get("/tillganglighet/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode()
    assert '<html lang="sv">' in body
    client.cookies["django_language"] = "en"
    body = client.get("/tillganglighet/", HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert '<html lang="en">' in body
    client.cookies["django_language"] = "xx"
    body = client.get("/tillganglighet/").content.decode()
    assert '<html lang="sv">' in body
