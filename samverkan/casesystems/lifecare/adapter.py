"""Lifecare IFO (family care, "FamilyCare API V1"): an accepted report as an actualisation.

`POST {base}/apifc/v1/Actualisations?domain=…&key=…` with a
`PostAktualiseringsBodyRequest` answers 200 with the new actualisation's id (an
int32); `GET {base}/apifc/v1/Actualisations/Proposals?domain=…&key=…&personId=…`
answers the installation's code lists. Both as the published definition says
(`lifecare-fc-api.json` beside this file, and its README).

The body carries the child's identity number, the day of receipt and the
installation's codes (actualisation type, from whom, reason, organisation) the
operator chose for Samverkan's reports — nothing else of the report: the definition
has no free-text field, and the social worker reads the report in Samverkan.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from samverkan.casesystems.adapters import Actualisation, AdapterError, Code, Connection
from samverkan.casesystems.transport import Answer, exchange

ACTUALISATIONS = "/apifc/v1/Actualisations"
PROPOSALS = "/apifc/v1/Actualisations/Proposals"
INT32 = range(-(2**31), 2**31)

# The connection's options: the installation's codes (from the Proposals answer).
REQUIRED_CODES = ("type", "from_who", "reason", "organisation_id")
OPTIONAL_CODES = ("reason_gang_related", "specifies", "working_status")
TEXT_OPTIONS = ("organisation_unit_id",)
# Answers after which trying again may help: no answer, the server's own trouble, a
# refused key (the operator may correct it), too many requests.
RETRYABLE = frozenset({401, 403, 408, 429})


def _excerpt(body: bytes) -> str:
    return body[:500].decode("utf-8", "replace")


class LifecareAdapter:
    name = "lifecare"
    label = "Lifecare IFO (familjeomsorg)"

    def option_problems(self, options: Mapping[str, Any]) -> list[str]:
        problems = []
        for key in REQUIRED_CODES:
            if key not in options:
                problems.append(f"Ange Lifecares kod för {key} (se kodlistorna).")
        for key in (*REQUIRED_CODES, *OPTIONAL_CODES):
            value = options.get(key)
            if value is not None and not (isinstance(value, int) and value in INT32):
                problems.append(f"{key} ska vara ett heltal (Lifecares id).")
        for key in TEXT_OPTIONS:
            if key in options and not isinstance(options[key], str):
                problems.append(f"{key} ska vara en text.")
        known = {*REQUIRED_CODES, *OPTIONAL_CODES, *TEXT_OPTIONS}
        problems += [f"Okänd inställning: {key}." for key in sorted(set(options) - known)]
        return problems

    def body(self, connection: Connection, actualisation: Actualisation) -> dict[str, Any]:
        """The `PostAktualiseringsBodyRequest` for `actualisation`."""
        options = connection.options
        reason = options["reason"]
        if actualisation.gang_related and options.get("reason_gang_related") is not None:
            reason = options["reason_gang_related"]
        body: dict[str, Any] = {
            "PersonId": actualisation.person_id,
            "Date": actualisation.received_on.isoformat(),
            "Type": options["type"],
            "FromWho": options["from_who"],
            "Reason": reason,
            "OrganisationId": options["organisation_id"],
        }
        if options.get("organisation_unit_id"):
            body["OrganisationUnitId"] = options["organisation_unit_id"]
        for key, field in (("specifies", "Specifies"), ("working_status", "WorkingStatus")):
            if options.get(key) is not None:
                body[field] = options[key]
        return body

    def _url(self, connection: Connection, path: str, **query: str) -> str:
        params = {"domain": connection.account, "key": connection.secret, **query}
        return connection.base_url.rstrip("/") + path + "?" + urlencode(params)

    def register_actualisation(self, connection: Connection, actualisation: Actualisation) -> str:
        body = json.dumps(self.body(connection, actualisation)).encode()
        answer = exchange(
            "POST",
            self._url(connection, ACTUALISATIONS),
            body=body,
            headers={"Content-Type": "application/json", "Accept": "application/json"},
            timeout=connection.timeout_seconds,
        )
        if answer.status == 200:
            return str(self._actualisation_id(answer))
        raise self._failure(answer)

    def _actualisation_id(self, answer: Answer) -> int:
        try:
            value = json.loads(answer.body)
        except ValueError:
            value = None
        if not (isinstance(value, int) and not isinstance(value, bool) and value in INT32):
            raise AdapterError(
                "Lifecare svarade 200 men utan ett id för aktualiseringen.",
                status_code=200,
                answer=_excerpt(answer.body),
                retryable=False,
            )
        return value

    def _failure(self, answer: Answer) -> AdapterError:
        if answer.status is None:
            return AdapterError(
                f"Inget svar från Lifecare ({answer.error}).", status_code=None, retryable=True
            )
        return AdapterError(
            f"Lifecare svarade HTTP {answer.status}.",
            status_code=answer.status,
            answer=_excerpt(answer.body),
            retryable=answer.status >= 500 or answer.status in RETRYABLE,
        )

    def code_lists(self, connection: Connection, person_id: str) -> dict[str, list[Code]]:
        """The installation's codes, flattened: types and, per type, reasons and from-whom."""
        answer = exchange(
            "GET",
            self._url(connection, PROPOSALS, personId=person_id),
            body=None,
            headers={"Accept": "application/json"},
            timeout=connection.timeout_seconds,
        )
        if answer.status != 200:
            raise self._failure(answer)
        try:
            proposal = json.loads(answer.body)
        except ValueError as error:
            raise AdapterError(
                "Lifecares kodlistor gick inte att läsa.",
                status_code=200,
                answer=_excerpt(answer.body),
                retryable=False,
            ) from error
        return _codes(proposal if isinstance(proposal, dict) else {})


def _pairs(items: Any) -> list[Code]:
    return [
        Code(int(item["Id"]), str(item.get("Name", "")))
        for item in items or []
        if isinstance(item, dict) and isinstance(item.get("Id"), int)
    ]


def _codes(proposal: dict[str, Any]) -> dict[str, list[Code]]:
    types = proposal.get("ActualisationTypes") or []
    lists: dict[str, list[Code]] = {
        "type": _pairs(types),
        "specifies": _pairs(proposal.get("SpecifyTypes")),
        "working_status": _pairs(proposal.get("WorkingStatus")),
        "organisation_id": _pairs(proposal.get("Organizations")),
    }
    for kind in types if isinstance(types, list) else []:
        if isinstance(kind, dict) and isinstance(kind.get("Id"), int):
            lists[f"reason (typ {kind['Id']})"] = _pairs(kind.get("Reasons"))
            lists[f"from_who (typ {kind['Id']})"] = _pairs(kind.get("FromWho"))
    return lists
