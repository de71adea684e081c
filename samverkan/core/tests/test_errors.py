"""The one error family and the one form action: how every page answers a service's refusal."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from samverkan.core.errors import Conflict, InvalidInput, NotAllowed, NotFound, ServiceError
from samverkan.core.views_support import form_action


class NoteForm(forms.Form):
    text = forms.CharField(max_length=20)
    day = forms.DateField(required=False)


def _request(data: dict[str, str]) -> Any:
    request = RequestFactory().post("/anteckning/", data)
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _rerender(form: forms.Form) -> HttpResponse:
    return HttpResponse(repr(form.errors.get_json_data()), status=200)


def _post(data: dict[str, str], call: Any) -> tuple[Any, HttpResponse]:
    request = _request(data)
    response = form_action(
        request,
        NoteForm(data),
        call,
        done="Anteckningen är sparad.",
        success_url="/klart/",
        rerender=_rerender,
        conflict_url="/anteckning/1/",
    )
    return request, response


def _messages(request: Any) -> list[str]:
    return [str(m) for m in get_messages(request)]


def test_each_error_has_its_status_and_a_swedish_default() -> None:
    assert [e.status_code for e in (NotFound(), NotAllowed(), InvalidInput("x"), Conflict())] == [
        404,
        403,
        422,
        409,
    ]
    assert "behörighet" in NotAllowed().message
    assert "Någon annan" in Conflict().message
    assert ServiceError("Egen text").message == "Egen text"


def test_invalid_input_lists_every_field_for_the_api() -> None:
    error = InvalidInput(None, field_errors={"day": ["Fel dag."], "text": ["För lång.", "Tom."]})
    assert error.message == "Fel dag."
    assert error.messages == ["Fel dag.", "För lång.", "Tom."]
    assert error.as_items() == [
        {"type": "invalid", "loc": ["body", "payload", "day"], "msg": "Fel dag."},
        {"type": "invalid", "loc": ["body", "payload", "text"], "msg": "För lång."},
        {"type": "invalid", "loc": ["body", "payload", "text"], "msg": "Tom."},
    ]
    assert InvalidInput(None, "Hela begäran.").as_items()[0]["loc"] == []


def test_success_redirects_with_the_done_message() -> None:
    seen: list[dict[str, Any]] = []
    request, response = _post({"text": "hej"}, seen.append)
    assert response.status_code == 302 and response["Location"] == "/klart/"
    assert seen[0]["text"] == "hej"
    assert _messages(request) == ["Anteckningen är sparad."]


def test_an_invalid_form_never_reaches_the_service() -> None:
    seen: list[dict[str, Any]] = []
    _, response = _post({"text": "x" * 30}, seen.append)
    assert response.status_code == 200 and b"text" in response.content
    assert seen == []


def test_refused_input_is_shown_beside_its_field_keeping_what_was_typed() -> None:
    shown: list[forms.Form] = []

    def refuse(data: dict[str, Any]) -> None:
        raise InvalidInput("day", "Dagen har redan passerat.")

    request = _request({"text": "hej", "day": "2026-01-01"})
    form_action(
        request,
        NoteForm({"text": "hej", "day": "2026-01-01"}),
        refuse,
        done="ok",
        success_url="/klart/",
        rerender=lambda form: shown.append(form) or HttpResponse(),
    )
    assert shown[0].errors["day"] == ["Dagen har redan passerat."]
    assert shown[0]["text"].value() == "hej"
    assert _messages(request) == []


def test_a_refusal_about_no_field_is_shown_above_the_form() -> None:
    shown: list[forms.Form] = []

    def refuse(data: dict[str, Any]) -> None:
        raise ServiceError("Anmälan är redan stängd.")

    form_action(
        _request({"text": "hej"}),
        NoteForm({"text": "hej"}),
        refuse,
        done="ok",
        success_url="/klart/",
        rerender=lambda form: shown.append(form) or HttpResponse(),
    )
    assert shown[0].non_field_errors() == ["Anmälan är redan stängd."]


def test_a_conflict_shows_the_record_as_it_now_is() -> None:
    def refuse(data: dict[str, Any]) -> None:
        raise Conflict("Någon annan tog emot anmälan först.")

    request, response = _post({"text": "hej"}, refuse)
    assert response.status_code == 302 and response["Location"] == "/anteckning/1/"
    assert _messages(request) == ["Någon annan tog emot anmälan först."]


@pytest.mark.parametrize(
    ("error", "raised"), [(NotFound(), Http404), (NotAllowed(), PermissionDenied)]
)
def test_access_refusals_answer_404_and_403(error: ServiceError, raised: type) -> None:
    def refuse(data: dict[str, Any]) -> None:
        raise error

    with pytest.raises(raised):
        _post({"text": "hej"}, refuse)


def test_without_a_form_a_refusal_is_a_message_on_the_record() -> None:
    def refuse(data: dict[str, Any]) -> None:
        assert data == {}
        raise InvalidInput(None, "Skyddsbedömningen saknas.")

    request = _request({})
    response = form_action(
        request, None, refuse, done="ok", success_url="/anmalan/1/", rerender=_rerender
    )
    assert response.status_code == 302 and response["Location"] == "/anmalan/1/"
    assert _messages(request) == ["Skyddsbedömningen saknas."]
