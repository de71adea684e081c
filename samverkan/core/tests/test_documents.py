"""Every upload is declared with core.documents, and none is served any other way (issue 17)."""

from __future__ import annotations

import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models

from samverkan.core.documents import stored_documents

BASE_DIR = Path(settings.BASE_DIR)


def file_fields() -> set[tuple[str, str]]:
    return {
        (model._meta.label, field.name)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    }


def test_every_file_field_of_every_model_is_declared_for_download() -> None:
    declared = {(d.model, d.field) for d in stored_documents()}
    missing = file_fields() - declared
    assert not missing, (
        f"declare these with core.documents.register_documents in the app's declarations.py "
        f"(who may read the record, whose auditors see the download): {sorted(missing)}"
    )
    assert declared <= file_fields(), "a declaration names a field that does not exist"
    kinds = [d.kind for d in stored_documents()]
    assert len(kinds) == len(set(kinds)) and all(re.fullmatch(r"[a-z-]+", k) for k in kinds)


def test_no_template_links_to_a_stored_file_directly() -> None:
    # `{{ record.document.url }}` would point under MEDIA_URL, which nothing serves.
    names = "|".join(sorted({field for _model, field in file_fields()}))
    direct = re.compile(rf"\.({names})\.url\b")
    offenders = [
        str(path.relative_to(BASE_DIR))
        for root in (BASE_DIR / "samverkan", BASE_DIR / "templates")
        for path in root.rglob("*.html")
        if direct.search(path.read_text())
    ]
    assert offenders == []
