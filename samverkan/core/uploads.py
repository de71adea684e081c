"""Uploaded documents: which files Samverkan accepts (type, size, name).

One rule for every upload (agreement decisions and notices, defector
precondition documents and cost vouchers): a PDF, PNG or JPEG of at most
``settings.UPLOAD_MAX_BYTES``, whose content starts as that type does (a
renamed executable or HTML page is refused whatever its name says), with a
name that is a plain file name. Files are only ever served back as
downloads (``Content-Disposition: attachment`` and ``nosniff``), never
rendered inline.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Extension -> the bytes a file of that type begins with.
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
}
ALLOWED_EXTENSIONS = tuple(SIGNATURES)
MAX_NAME_LENGTH = 200


def upload_problem(*, name: str, size: int, head: bytes) -> str | None:
    """Why a file with this name, size and first bytes is refused (Swedish), or None.

    Pure: the caller reads the first bytes. Never raises, whatever the input.
    """
    mb = settings.UPLOAD_MAX_BYTES // (1024 * 1024)
    if size <= 0:
        return _("Filen är tom.")
    if size > settings.UPLOAD_MAX_BYTES:
        return _("Filen är för stor (högst %(mb)s MB).") % {"mb": mb}
    if (
        not name
        or len(name) > MAX_NAME_LENGTH
        or any(ch in name for ch in "/\\\x00")
        or any(ord(ch) < 32 for ch in name)
    ):
        return _("Filnamnet går inte att använda. Byt namn på filen och försök igen.")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in SIGNATURES:
        return _("Bara PDF, PNG och JPEG kan laddas upp.")
    if not any(head.startswith(signature) for signature in SIGNATURES[extension]):
        return _("Filens innehåll är inte en %(type)s-fil som namnet säger.") % {
            "type": extension.upper()
        }
    return None


def validate_upload(file: Any) -> None:
    """Raise ValidationError (Swedish message) when an uploaded file is not accepted."""
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        head = file.read(16) or b""
    finally:
        file.seek(position)
    problem = upload_problem(name=str(getattr(file, "name", "") or ""), size=file.size, head=head)
    if problem is not None:
        raise ValidationError(problem, code="upload")
