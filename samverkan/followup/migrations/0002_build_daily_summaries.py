"""Build the daily summaries of an existing history (idempotent: a day is rebuilt whole).

It runs the live `summaries.backfill` (it reads only report and record columns
that exist since intake's first migrations); `manage.py followup_summaries
--rebuild` does the same again at any time.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations


def build(apps: Any, schema_editor: Any) -> None:
    from samverkan.followup import summaries

    summaries.backfill()


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0001_daily_summaries"),
        ("intake", "0007_school_receipt_gang_risk_and_answer_read"),
    ]

    operations = [migrations.RunPython(build, migrations.RunPython.noop, elidable=True)]
