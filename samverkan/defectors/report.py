"""The joint evaluation report (*gemensam utvärderingsrapport*) as PDF, from the data."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from samverkan.defectors import rules
from samverkan.defectors.selectors import EvaluationData


def duration_days(started: date | None, ended: date | None, today: date) -> int | None:
    if started is None:
        return None
    return ((ended or today) - started).days


def report_context(data: EvaluationData) -> dict[str, Any]:
    pairs = []
    for pair in data.pairs:
        rows = []
        for assignment in pair.assignments:
            plan = getattr(assignment, "plan", None)
            interventions = list(plan.interventions.all()) if plan else []
            costs = sum((c.amount for c in assignment.costs.all()), Decimal("0.00"))
            rows.append(
                {
                    "assignment": assignment,
                    "state": rules.STATE_LABELS[rules.State(assignment.state)],
                    "days": duration_days(
                        assignment.started_on, assignment.ended_on, data.generated_on
                    ),
                    "interventions": interventions,
                    "costs": costs,
                    "followups": list(assignment.followups.all()),
                }
            )
        pairs.append({"pair": pair, "rows": rows})
    return {"data": data, "pairs": pairs}


def render_evaluation_pdf(data: EvaluationData, request: HttpRequest | None = None) -> bytes:
    from weasyprint import HTML

    html = render_to_string("defectors/evaluation_report.html", report_context(data))
    return HTML(string=html, base_url=None).write_pdf()
