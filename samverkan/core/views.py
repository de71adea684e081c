from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import PurePath

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from samverkan.core.documents import document_open
from samverkan.core.errors import ServiceError
from samverkan.core.startpage import panels_for, start_summary
from samverkan.core.views_support import raise_for_access


@login_required
def start(request: HttpRequest) -> HttpResponse:
    panels = panels_for(request.user)  # type: ignore[arg-type]
    return render(request, "core/start.html", {"panels": panels, "summary": start_summary(panels)})


@login_required
def document(request: HttpRequest, kind: str, pk: int) -> FileResponse:
    """An uploaded document, to a user who may see its record (core/documents.py)."""
    try:
        _record, file = document_open(actor=request.user, kind=kind, pk=pk)
    except ServiceError as error:
        raise_for_access(error)
        raise
    response = FileResponse(file, as_attachment=True, filename=PurePath(file.name or "").name)
    # Never rendered or sniffed by the browser, never kept by a shared cache.
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@dataclass(frozen=True)
class Shortcoming:
    """Content that is not accessible: what, which WCAG criterion, why, and what to do instead."""

    title: str | Promise
    description: str | Promise
    criterion: str
    reason: str | Promise
    alternative: str | Promise


# The accessibility statement (tillgänglighetsredogörelse) follows DIGG's model.
# Update the dates and this list whenever the service is re-assessed; the
# compliance wording ("helt/delvis förenlig") follows from the list.
STATEMENT_ASSESSED_ON = date(2026, 11, 25)
STATEMENT_UPDATED_ON = date(2026, 11, 25)
KNOWN_SHORTCOMINGS: tuple[Shortcoming, ...] = (
    Shortcoming(
        title=_("Du loggas ut efter en tid utan aktivitet, utan förvarning"),
        description=_(
            "Efter en tid utan aktivitet avslutas inloggningen. Du får ingen varning "
            "innan och kan inte förlänga tiden. Text som du har skrivit men inte sparat "
            "kan gå förlorad."
        ),
        criterion="WCAG 2.1, 2.2.1 (Justerbar tidsgräns)",
        reason=_(
            "Tjänsten innehåller känsliga personuppgifter om barn, och en dator som lämnas "
            "inloggad är en säkerhetsrisk. En varning med möjlighet att förlänga tiden är "
            "planerad."
        ),
        alternative=_("Spara ofta. Den som behöver längre tid kan be sin administratör om det."),
    ),
    Shortcoming(
        title=_("Administrationsgränssnittet är inte granskat"),
        description=_(
            "Sidorna under /admin/, som bara systemadministratörer använder, bygger på "
            "ramverkets standardgränssnitt. De ingår inte i våra automatiska tester, och "
            "vissa tabeller kräver vågrät rullning på smala skärmar."
        ),
        criterion="WCAG 2.1, 1.4.10 (Anpassning till skärmstorlek)",
        reason=_("Gränssnittet kommer från ramverket Django och har inte anpassats."),
        alternative=_("Kontakta din systemadministratör om du behöver hjälp med en ändring."),
    ),
    Shortcoming(
        title=_("PDF-dokument är inte granskade"),
        description=_(
            "Avtal och rapporter som tjänsten skapar som PDF har inte granskats med "
            "skärmläsare. Rubriker och läsordning kan saknas eller vara fel."
        ),
        criterion="WCAG 2.1, 1.3.1 (Information och relationer)",
        reason=_("Dokumenten skapas automatiskt och har ännu inte granskats."),
        alternative=_("Kontakta oss om du behöver ett dokument i ett annat format."),
    ),
)


def accessibility_statement(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/accessibility.html",
        {
            "organisation": settings.ACCESSIBILITY_ORGANISATION,
            "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
            "shortcomings": KNOWN_SHORTCOMINGS,
            "fully_compliant": not KNOWN_SHORTCOMINGS,
            "assessed_on": STATEMENT_ASSESSED_ON,
            "updated_on": STATEMENT_UPDATED_ON,
            "host": request.get_host(),
        },
    )
