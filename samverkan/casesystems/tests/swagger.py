"""Checks a request and an answer against a Swagger 2.0 definition (the published Lifecare one).

Operations are found by method and path under the definition's `basePath`; query
parameters are checked for presence and type, the body for a content type the
operation `consumes` and against its schema with a JSON Schema validator
(`jsonschema_rs`, Draft 4 — the dialect Swagger 2.0 schemas are written in).

Two things are checked more strictly than JSON Schema alone would:
* `format: int32` is a range (−2³¹ … 2³¹−1), as the definition means it;
* an object may not carry a property its schema does not name: the definition does
  not forbid extras, but the real server would silently drop a misspelt field, which
  is exactly the mistake a test must catch.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema_rs

INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1
DEFINITION = Path(__file__).resolve().parents[1] / "lifecare" / "lifecare-fc-api.json"


def _strict(schema: Any) -> Any:
    if isinstance(schema, dict):
        schema = {key: _strict(value) for key, value in schema.items()}
        if schema.get("type") == "integer" and schema.get("format") == "int32":
            schema.setdefault("minimum", INT32_MIN)
            schema.setdefault("maximum", INT32_MAX)
        if schema.get("type") == "object" and "properties" in schema:
            schema.setdefault("additionalProperties", False)
        return schema
    if isinstance(schema, list):
        return [_strict(item) for item in schema]
    return schema


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    spec: dict[str, Any]

    @property
    def operation_id(self) -> str:
        return str(self.spec["operationId"])


class Definition:
    def __init__(self, path: Path = DEFINITION) -> None:
        self.document = json.loads(path.read_text())
        self.base_path: str = self.document.get("basePath", "")
        self._definitions = _strict(copy.deepcopy(self.document.get("definitions", {})))

    def operation(self, method: str, path: str) -> Operation | None:
        if not path.startswith(self.base_path):
            return None
        item = self.document["paths"].get(path.removeprefix(self.base_path))
        if not item or method.lower() not in item:
            return None
        return Operation(method.upper(), path.removeprefix(self.base_path), item[method.lower()])

    def validator(self, schema: dict[str, Any]) -> Any:
        return jsonschema_rs.Draft4Validator(
            {**_strict(copy.deepcopy(schema)), "definitions": self._definitions}
        )

    def schema_problems(self, schema: dict[str, Any], value: Any) -> list[str]:
        return [error.message for error in self.validator(schema).iter_errors(value)]

    def request_problems(
        self, operation: Operation, query: dict[str, list[str]], content_type: str, body: bytes
    ) -> list[str]:
        """Why the request does not fit the operation (empty: it does)."""
        problems = []
        for parameter in operation.spec.get("parameters", []):
            name, where = parameter["name"], parameter["in"]
            if where == "query":
                values = query.get(name, [])
                if parameter.get("required") and not values:
                    problems.append(f"query parameter {name} is required")
                for value in values:
                    if parameter.get("type") == "integer" and not value.lstrip("-").isdigit():
                        problems.append(f"query parameter {name} is not an integer")
            elif where == "body":
                if parameter.get("required") and not body:
                    problems.append("the body is required")
                    continue
                media = content_type.split(";")[0].strip()
                if media not in operation.spec.get("consumes", []):
                    problems.append(f"content type {media!r} is not consumed")
                    continue
                try:
                    value = json.loads(body)
                except ValueError:
                    problems.append("the body is not JSON")
                    continue
                problems += self.schema_problems(parameter["schema"], value)
        known = {p["name"] for p in operation.spec.get("parameters", []) if p["in"] == "query"}
        problems += [f"query parameter {name} is not defined" for name in set(query) - known]
        return problems

    def response_problems(self, operation: Operation, status: int, body: Any) -> list[str]:
        """Why an answer does not fit what the operation describes (empty: it does)."""
        response = operation.spec["responses"].get(str(status))
        if response is None:
            return [f"{operation.operation_id} describes no {status} answer"]
        if "schema" not in response:
            return []
        return self.schema_problems(response["schema"], body)
