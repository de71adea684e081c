"""`{{ record|document_url }}`: where a record's uploaded document is downloaded."""

from __future__ import annotations

from django import template
from django.db.models import Model

from samverkan.core.documents import document_url as url_of

register = template.Library()


@register.filter
def document_url(record: Model, field: str = "document") -> str:
    return url_of(record, field)
