"""Every Swedish municipality (SCB's 290 codes, `registry/data/municipalities.json`).

A child from Uppsala found in Stockholm is an everyday case (issue 18, point 13):
the route command and the API must know 0380. Runs 0003's idempotent loader
again, which now also loads SCB's list; reversing leaves the rows.
"""

import importlib

from django.db import migrations

reference_data = importlib.import_module("samverkan.registry.migrations.0003_reference_data")


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0006_change_withdrawal_and_correction"),
    ]

    operations = [
        migrations.RunPython(reference_data.load, migrations.RunPython.noop),
    ]
