"""The API's one error shape, `{"detail": [{"type", "loc", "msg"}]}`, with Swedish texts.

`samverkan.api` answers every refusal of its own in this shape; the middleware
`core.middleware.ApiErrorsAsJsonMiddleware` gives it to the answers Django
makes on an API path (an unknown path, a wrong method, a server error). The
texts of pydantic's validation errors — English, and written for programmers —
are replaced here by Swedish ones; `type` and `loc` stay as pydantic gave them,
so a client can still tell the errors apart by program.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

# pydantic's error types (pydantic_core's ErrorType) → a Swedish text; `{name}` is
# taken from the error's `ctx`. Types not listed get FALLBACK.
VALIDATION_MESSAGES: dict[str, str] = {
    "missing": "Uppgiften saknas.",
    "extra_forbidden": "Fältet finns inte: ta bort det.",
    "string_type": "Ska vara en text.",
    "string_too_short": "Ska vara minst {min_length} tecken lång.",
    "string_too_long": "Får vara högst {max_length} tecken lång.",
    "string_pattern_mismatch": "Har fel format.",
    "too_short": "Ska ha minst {min_length} poster.",
    "too_long": "Får ha högst {max_length} poster.",
    "int_type": "Ska vara ett heltal.",
    "int_parsing": "Ska vara ett heltal.",
    "int_from_float": "Ska vara ett heltal, utan decimaler.",
    "float_type": "Ska vara ett tal.",
    "float_parsing": "Ska vara ett tal.",
    "decimal_type": "Ska vara ett tal.",
    "decimal_parsing": "Ska vara ett tal.",
    "decimal_max_digits": "Får ha högst {max_digits} siffror.",
    "decimal_max_places": "Får ha högst {decimal_places} decimaler.",
    "decimal_whole_digits": "Får ha högst {whole_digits} siffror före decimaltecknet.",
    "bool_type": "Ska vara sant eller falskt (true eller false).",
    "bool_parsing": "Ska vara sant eller falskt (true eller false).",
    "greater_than": "Ska vara större än {gt}.",
    "greater_than_equal": "Ska vara minst {ge}.",
    "less_than": "Ska vara mindre än {lt}.",
    "less_than_equal": "Får vara högst {le}.",
    "multiple_of": "Ska vara en multipel av {multiple_of}.",
    "date_type": "Ska vara ett datum (ÅÅÅÅ-MM-DD).",
    "date_parsing": "Ska vara ett datum (ÅÅÅÅ-MM-DD).",
    "date_from_datetime_parsing": "Ska vara ett datum (ÅÅÅÅ-MM-DD).",
    "date_from_datetime_inexact": "Ska vara ett datum utan klockslag (ÅÅÅÅ-MM-DD).",
    "date_past": "Datumet ska ha passerat.",
    "date_future": "Datumet ska ligga framåt i tiden.",
    "datetime_type": "Ska vara en tidpunkt (ÅÅÅÅ-MM-DDTtt:mm med tidszon).",
    "datetime_parsing": "Ska vara en tidpunkt (ÅÅÅÅ-MM-DDTtt:mm med tidszon).",
    "datetime_from_date_parsing": "Ska vara en tidpunkt (ÅÅÅÅ-MM-DDTtt:mm med tidszon).",
    "datetime_object_invalid": "Ska vara en giltig tidpunkt.",
    "datetime_past": "Tidpunkten ska ha passerat.",
    "datetime_future": "Tidpunkten ska ligga framåt i tiden.",
    "timezone_aware": "Tidpunkten ska ha en tidszon.",
    "timezone_naive": "Tidpunkten ska vara utan tidszon.",
    "time_type": "Ska vara ett klockslag (tt:mm).",
    "time_parsing": "Ska vara ett klockslag (tt:mm).",
    "time_delta_type": "Ska vara en tidslängd.",
    "time_delta_parsing": "Ska vara en tidslängd.",
    "enum": "Ska vara ett av värdena {expected}.",
    "literal_error": "Ska vara ett av värdena {expected}.",
    "uuid_type": "Ska vara ett UUID.",
    "uuid_parsing": "Ska vara ett UUID.",
    "url_type": "Ska vara en webbadress.",
    "url_parsing": "Ska vara en webbadress.",
    "url_scheme": "Webbadressen ska börja med {expected_schemes}.",
    "dict_type": "Ska vara ett objekt.",
    "model_type": "Ska vara ett objekt.",
    "model_attributes_type": "Ska vara ett objekt.",
    "dataclass_type": "Ska vara ett objekt.",
    "list_type": "Ska vara en lista.",
    "tuple_type": "Ska vara en lista.",
    "set_type": "Ska vara en lista.",
    "frozen_set_type": "Ska vara en lista.",
    "iterable_type": "Ska vara en lista.",
    "none_required": "Ska vara tomt (null).",
    "json_invalid": "Är inte giltig JSON.",
    "json_type": "Ska vara JSON.",
    "bytes_type": "Ska vara en text.",
    "bytes_too_short": "Ska vara minst {min_length} byte.",
    "bytes_too_long": "Får vara högst {max_length} byte.",
    "union_tag_invalid": "Har ett okänt slag: {tag}.",
    "union_tag_not_found": "Anger inte sitt slag ({discriminator}).",
}
FALLBACK = "Ogiltigt värde."
# pydantic's own prefixes of a validator's text: the text after them is the app's, Swedish.
_APP_TEXT_PREFIXES = ("Value error, ", "Assertion failed, ")


def error_item(message: str, kind: str, loc: Sequence[str | int] = ()) -> dict[str, Any]:
    """One error of the shape: its kind (`type`), the field it concerns (`loc`), the text."""
    return {"type": kind, "loc": list(loc), "msg": message}


def error_body(message: str, kind: str) -> dict[str, Any]:
    """The whole answer for one error that concerns no particular field."""
    return {"detail": [error_item(message, kind)]}


def swedish_validation_items(errors: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """django-ninja's validation errors (pydantic's, located) with Swedish texts."""
    return [
        error_item(_swedish(error), str(error.get("type", "invalid")), error.get("loc", ()))
        for error in errors
    ]


def _swedish(error: Mapping[str, Any]) -> str:
    kind = str(error.get("type", ""))
    if kind in ("value_error", "assertion_error"):
        # A validator of the app's own: its text is already written for the user.
        text = str(error.get("msg", ""))
        for prefix in _APP_TEXT_PREFIXES:
            text = text.removeprefix(prefix)
        return text or FALLBACK
    template = VALIDATION_MESSAGES.get(kind)
    if template is None:
        return FALLBACK
    context = {name: _swedish_value(value) for name, value in (error.get("ctx") or {}).items()}
    try:
        return template.format(**context)
    except (KeyError, IndexError, ValueError):
        # A pydantic version whose context lacks what the text names.
        return FALLBACK


def _swedish_value(value: Any) -> str:
    # pydantic lists choices as "'a', 'b' or 'c'".
    return str(value).replace(" or ", " eller ")
