from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.audit.models import AuditAction
from samverkan.audit.selectors import AuditFilters
from samverkan.core.forms import DateInput


class AuditSearchForm(forms.Form):
    record_type = forms.CharField(
        label=_("Posttyp"),
        required=False,
        max_length=60,
        help_text=_(
            "Namnet, till exempel Orosanmälan eller Informationsbegäran "
            "(koden, till exempel intake.ConcernReport, går också)."
        ),
    )
    record_id = forms.CharField(label=_("Post-id"), required=False, max_length=60)
    actor = forms.CharField(
        label=_("Vem"),
        required=False,
        max_length=200,
        help_text=_("Namn eller användarnamn, eller en del av det."),
    )
    organisation = forms.CharField(
        label=_("Organisation"),
        required=False,
        max_length=200,
        help_text=_(
            "Till exempel Nacka: poster om Nackas uppgifter och det Nackas användare gjort."
        ),
    )
    reason = forms.CharField(
        label=_("Skäl"),
        required=False,
        max_length=200,
        help_text=_("Till exempel Mottagning eller Svar på informationsbegäran."),
    )
    action = forms.ChoiceField(
        label=_("Åtgärd"),
        required=False,
        choices=[("", _("Alla åtgärder")), *AuditAction.choices],
    )
    date_from = forms.DateField(label=_("Från och med datum"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Till och med datum"), required=False, widget=DateInput())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("Slutdatumet kan inte ligga före startdatumet."))
        return cleaned

    def filters(self) -> AuditFilters:
        data = self.cleaned_data
        return AuditFilters(
            record_type=data.get("record_type", "").strip(),
            record_id=data.get("record_id", "").strip(),
            actor=data.get("actor", "").strip(),
            organisation=data.get("organisation", "").strip(),
            reason=data.get("reason", "").strip(),
            action=data.get("action", ""),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
