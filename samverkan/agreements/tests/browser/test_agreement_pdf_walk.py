"""Nacka's agreement administrator in Chromium (issue 19 point 10).

Nacka's administrator opens the demo agreement with Stockholm (decided: versions
listed), keeps Nacka's signatory and contact (history shown), then registers a
new agreement picking the parties from the searchable list and gets a draft
PDF marked UTKAST. axe-core on every page, screenshots at 320, 375 and 1280 px.
"""

from __future__ import annotations

from io import BytesIO

import pytest
from pypdf import PdfReader

from samverkan.accounts.demo import ensure_demo_user
from samverkan.agreements.demo import load_demo
from samverkan.agreements.models import Agreement, AgreementType
from samverkan.core.testing.browser import (
    SCREENSHOT_DIR,
    assert_no_console_errors,
    check_page,
    login_as,
)

pytestmark = pytest.mark.browser


def pdf_text(page, url: str) -> list[str]:
    response = page.request.get(absolute(page, url))
    assert response.ok, response.status
    reader = PdfReader(BytesIO(response.body()))
    return [" ".join(p.extract_text().split()) for p in reader.pages]


def absolute(page, url: str) -> str:
    origin = "/".join(page.url.split("/", 3)[:3])  # scheme://host:port
    return url if url.startswith("http") else origin + url


def at_375(page, name: str) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    page.screenshot(path=str(SCREENSHOT_DIR / f"{name}-375.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_nacka_keeps_its_details_and_registers_a_draft(page, live_server):
    load_demo()
    admin = ensure_demo_user("avtal-nacka")
    base = live_server.url
    login_as(page, base, admin)

    # 1. The decided demo agreement: its version is listed and the PDF is the kept one.
    agreement = Agreement.objects.get(reference="SN-ROC-0182")
    page.goto(f"{base}/avtal/{agreement.pk}/")
    check_page(page, "agreement-decided")
    at_375(page, "agreement-decided")
    assert page.get_by_role("link", name="Version 1").is_visible()
    kept = pdf_text(page, page.get_by_role("link", name="Version 1").get_attribute("href"))
    assert "Nacka kommun, org.nr 212000-0167" in " ".join(kept)
    assert not any("UTKAST" in text for text in kept)

    # 2. Nacka's own details: the form, the save, the history.
    page.get_by_role("link", name="Ändra uppgifter för Nacka").click()
    page.wait_for_load_state()
    page.get_by_label("Kontaktperson", exact=True).fill("Maja Provsson, enhetschef")
    page.get_by_label("Kontaktpersonens telefon").fill("070-174 06 44")
    page.get_by_role("button", name="Spara uppgifterna").click()
    page.wait_for_load_state()
    assert "Partens uppgifter är sparade" in page.locator(".messages").inner_text()
    assert "Maja Provsson, enhetschef" in page.locator("table").first.inner_text()
    page.get_by_role("link", name="Ändra uppgifter för Nacka").click()
    page.wait_for_load_state()
    history = page.locator("table").inner_text()
    # who, and from → to
    assert "Alex Påhittsson" in history and "Maja Provsson, enhetschef" in history
    assert "Kontaktperson" in history and "Nacka" in history
    check_page(page, "agreement-party")
    at_375(page, "agreement-party")

    # 3. A new agreement: the parties are found by typing, not in a 100-row select.
    page.goto(f"{base}/avtal/nytt/")
    search = page.get_by_label("Sök part")
    assert not page.get_by_role("button", name="Sök", exact=True).is_visible()  # JS narrows
    search.fill("Nacka")
    assert page.locator("#party-count").inner_text().endswith("visas.")
    page.get_by_label("Nacka kommun (0182)").check()
    search.fill("0180")
    page.get_by_label("Stockholms stad (0180)").check()
    assert page.get_by_label("Nacka kommun (0182)").is_visible()  # ticked stays shown
    assert not page.get_by_label("Huddinge kommun (0126)").is_visible()
    check_page(page, "agreement-create")
    at_375(page, "agreement-create")
    page.get_by_label("Avtalstyp").select_option(
        label=str(AgreementType.objects.get(code="school_collaboration"))
    )
    page.get_by_label("Benämning").fill("Skola och socialtjänst Nacka 2027")
    page.get_by_label("Diarienummer").fill("NACKA-2027-7")
    page.get_by_label("Gäller från").fill("2027-01-01")
    page.get_by_role("button", name="Registrera avtalet").click()
    page.wait_for_load_state()
    assert "Avtalet är registrerat" in page.locator(".messages").inner_text()
    check_page(page, "agreement-draft")
    pdf_link = page.get_by_role("link", name="Utkast som PDF")
    draft = pdf_text(page, pdf_link.get_attribute("href"))
    assert all("UTKAST" in text for text in draft)
    assert "artikel 28" in " ".join(draft) and "Tvister" in " ".join(draft)
    (SCREENSHOT_DIR / "agreement-draft.pdf").write_bytes(
        page.request.get(absolute(page, pdf_link.get_attribute("href"))).body()
    )
    (SCREENSHOT_DIR / "agreement-decided.pdf").write_bytes(
        page.request.get(f"{base}/avtal/{agreement.pk}/avtal.pdf").body()
    )
    assert_no_console_errors(page)
