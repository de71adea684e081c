"""Every Swedish municipality (SCB's 290 codes, `registry/data/municipalities.json`).

A child from Uppsala found in Stockholm is an everyday case (issue 18, point 13):
the route command and the API must know 0380. Runs the idempotent reference-data
loader again, which now also loads SCB's list; reversing leaves the rows.
"""

from django.db import migrations


def load(apps, schema_editor):
    from samverkan.registry.reference_data import load_reference_data

    load_reference_data(apps.get_model("registry", "Organisation"))


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0006_change_withdrawal_and_correction"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
