import pytest


@pytest.mark.django_db
def test_login_page_is_swedish_and_says_demo(client):
    response = client.get("/konto/logga-in/")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="sv">' in body
    assert "Logga in" in body
    assert "DEMO" in body


@pytest.mark.django_db
def test_start_page_requires_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/logga-in/")
