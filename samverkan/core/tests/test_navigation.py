"""The main menu shows a user only the pages their roles open (issue 9's crawl found 403 links)."""

from __future__ import annotations

import pytest

from samverkan.core.navigation import nav_for

pytestmark = pytest.mark.django_db


def test_the_administrator_gets_no_links_to_other_roles_pages(logged_in_client, admin_user):
    assert "/anmalningar/socialjouren/" not in [url for _, url in nav_for({"administrator"})]
    page = logged_in_client(admin_user).get("/").content.decode()
    for url in ("/anmalningar/socialjouren/", "/anmalningar/mottagning/", "/logg/", "/samverkan/"):
        assert f'href="{url}"' not in page, url
    assert 'href="/admin/"' in page
