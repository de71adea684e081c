"""The API's plumbing (issue 16.2): one JSON error shape for every refusal, whoever
gives it; unique OpenAPI component names; the docs page from our own static files;
and the admin's refusal of a signed-in user who is not an administrator."""

from __future__ import annotations

import json
import re
import uuid
from collections import defaultdict
from datetime import date, datetime
from enum import Enum
from typing import Any, Literal

import pytest
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.test import Client, RequestFactory
from ninja.openapi.schema import OpenAPISchema
from pydantic import BaseModel, Field
from pydantic import ValidationError as PydanticError

from samverkan.api import api
from samverkan.core.api_errors import FALLBACK, swedish_validation_items
from samverkan.core.middleware import ApiErrorsAsJsonMiddleware
from samverkan.core.testing.api import error_text

REPORTS = "/api/v1/reports"
TRAININGS = "/api/v1/collaboration/trainings"
ENGLISH = re.compile(r"\b(Input should|Field required|should have|valid)\b")


def assert_json_error(response: Any, status: int) -> str:
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    text = error_text(response)
    assert text and not ENGLISH.search(text), text
    return text


@pytest.fixture
def police(client: Client, roc_api_client: Any) -> Client:
    _, token = roc_api_client
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client


# --- django-ninja's validation errors: 422, type and loc kept, msg in Swedish ---------------


def test_missing_fields_are_422_in_swedish_with_type_and_loc(police: Client) -> None:
    response = police.post(REPORTS, "{}", content_type="application/json")
    assert_json_error(response, 422)
    items = response.json()["detail"]
    assert {item["type"] for item in items} == {"missing"}
    assert ["body", "payload", "narrative"] in [item["loc"] for item in items]
    assert {item["msg"] for item in items} == {"Uppgiften saknas."}


def test_a_path_parameter_of_the_wrong_type_is_422_in_swedish(
    logged_in_client: Any, collaboration_coordinator: Any
) -> None:
    client = logged_in_client(collaboration_coordinator)
    response = client.get("/api/v1/collaboration/situational-pictures/not-a-number")
    assert "heltal" in assert_json_error(response, 422)
    assert response.json()["detail"][0]["type"] == "int_parsing"


class Colour(Enum):
    RED = "röd"
    BLUE = "blå"


class Sample(BaseModel):
    name: str = Field(max_length=5)
    short: str = Field(min_length=3)
    count: int
    ratio: float
    flag: bool
    day: date
    moment: datetime
    colour: Colour
    kind: Literal["a", "b"]
    tags: list[str] = Field(max_length=1)
    ident: uuid.UUID
    age: int = Field(ge=0)
    required: str


BAD_SAMPLE = {
    "name": "för långt namn",
    "short": "x",
    "count": "många",
    "ratio": "hälften",
    "flag": "kanske",
    "day": "31/12",
    "moment": "igår",
    "colour": "grön",
    "kind": "c",
    "tags": ["x", "y"],
    "ident": "nej",
    "age": -1,
}


def test_pydantics_common_errors_are_given_in_swedish() -> None:
    with pytest.raises(PydanticError) as refused:
        Sample.model_validate(BAD_SAMPLE)
    errors = refused.value.errors(include_url=False)
    items = swedish_validation_items(errors)
    assert len(items) == len(BAD_SAMPLE) + 1
    by_field = {item["loc"][0]: item for item in items}
    for original, item in zip(errors, items, strict=True):
        assert item["type"] == original["type"] and item["loc"] == list(original["loc"])
        assert item["msg"] != FALLBACK and not ENGLISH.search(item["msg"]), item
    assert by_field["name"]["msg"] == "Får vara högst 5 tecken lång."
    assert by_field["colour"]["msg"] == "Ska vara ett av värdena 'röd' eller 'blå'."
    assert by_field["day"]["msg"].startswith("Ska vara ett datum")
    assert by_field["required"]["msg"] == "Uppgiften saknas."


def test_an_apps_own_validator_text_is_kept_without_pydantics_prefix() -> None:
    items = swedish_validation_items(
        [{"type": "value_error", "loc": ("body", "x"), "msg": "Value error, Ange ett datum."}]
    )
    assert items == [{"type": "value_error", "loc": ["body", "x"], "msg": "Ange ett datum."}]


# --- answers Django or ninja give outside an operation --------------------------------------


def test_a_wrong_method_is_405_in_the_json_shape(police: Client) -> None:
    response = police.delete(REPORTS)
    assert "DELETE" in assert_json_error(response, 405)
    assert "POST" in response["Allow"]
    assert response.json()["detail"][0]["type"] == "method_not_allowed"


@pytest.mark.parametrize("path", ["/api/v1/nope", "/api/v1/reports/1/nope/", "/api/v1/"])
def test_an_unknown_api_path_is_a_json_404(police: Client, path: str) -> None:
    assert_json_error(police.get(path), 404)
    assert_json_error(police.post(path, "{}", content_type="application/json"), 404)


def test_an_unknown_api_path_is_a_json_404_without_credentials(client: Client, db: None) -> None:
    assert_json_error(client.get("/api/v1/finns-inte"), 404)


def test_an_unknown_page_outside_the_api_is_still_the_html_404(client: Client, db: None) -> None:
    response = client.get("/finns-inte/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_session_post_without_csrf_token_is_a_json_403_in_swedish(
    login: Any, collaboration_coordinator: Any
) -> None:
    client = Client(enforce_csrf_checks=True)
    login(client, collaboration_coordinator)
    response = client.post(TRAININGS, "{}", content_type="application/json")
    assert "CSRF" in assert_json_error(response, 403)


# --- OpenAPI ---------------------------------------------------------------------------------


def test_every_openapi_component_name_names_one_shape(monkeypatch: pytest.MonkeyPatch) -> None:
    # django-ninja builds the components from each operation's schemas and silently
    # lets a later one overwrite an earlier one of the same name: collect them all.
    shapes: dict[str, set[str]] = defaultdict(set)
    add = OpenAPISchema.add_schema_definitions

    def collecting(self: OpenAPISchema, definitions: dict[str, Any]) -> None:
        for name, shape in definitions.items():
            shapes[name].add(json.dumps(shape, sort_keys=True))
        add(self, definitions)

    monkeypatch.setattr(OpenAPISchema, "add_schema_definitions", collecting)
    schema = api.get_openapi_schema()
    assert len(shapes) > 20
    assert set(schema["components"]["schemas"]) >= set(shapes)
    assert {name: len(seen) for name, seen in shapes.items() if len(seen) > 1} == {}


# --- the docs page ---------------------------------------------------------------------------


def test_the_docs_page_runs_only_same_origin_scripts_that_are_served(client: Client, db: None):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", page, re.S)
    sources = [re.search(r'src="([^"]+)"', attrs) for attrs, _body in scripts]
    external = [m.group(1) for m in sources if m]
    assert len(external) == 2 and all(src.startswith("/static/") for src in external), external
    for attrs, body in scripts:
        # the one script without a source is Swagger UI's settings: data, never executed
        assert "src=" in attrs or 'type="application/json"' in attrs, attrs
    styles = re.findall(r'<link[^>]+href="([^"]+)"', page)
    assert styles and all(href.startswith("/static/") for href in styles), styles
    assert "<style" not in page and " style=" not in page
    for url in external + styles:
        served = client.get(url)
        assert served.status_code == 200, url
    settings = json.loads(next(body for attrs, body in scripts if "json" in attrs))
    assert settings["url"] == "/api/v1/openapi.json"
    assert client.get(settings["url"]).status_code == 200


# --- /admin/ for someone without the administrator role -------------------------------------


def test_admin_refuses_a_signed_in_non_administrator_with_a_403_not_a_loop(
    logged_in_client: Any, nacka_receiver: Any
) -> None:
    client = logged_in_client(nacka_receiver)
    for path in ("/admin/", "/admin/intake/"):
        response = client.get(path)
        assert response.status_code == 403, (path, response.status_code, response.get("Location"))
        assert "administratörsrollen" in response.content.decode()


def test_admin_still_opens_for_the_administrator_and_asks_others_to_sign_in(
    admin_client: Client, client: Client, db: None
) -> None:
    assert admin_client.get("/admin/").status_code == 200
    anonymous = client.get("/admin/", follow=True)
    assert anonymous.status_code == 200
    assert anonymous.redirect_chain[-1][0].startswith("/konto/")


def test_a_server_error_on_an_api_path_is_json_and_elsewhere_the_page() -> None:
    def server_error(request: HttpRequest) -> HttpResponse:
        return HttpResponseServerError("<html>500</html>")

    middleware = ApiErrorsAsJsonMiddleware(server_error)
    api_answer = middleware(RequestFactory().get("/api/v1/reports"))
    assert api_answer.status_code == 500
    assert json.loads(api_answer.content)["detail"][0]["type"] == "server_error"
    assert middleware(RequestFactory().get("/anmalningar/")).content == b"<html>500</html>"
