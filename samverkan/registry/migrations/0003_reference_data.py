"""Loads the reference organisations (municipalities, Stockholm's districts, police units).

Idempotent: update_or_create by code. Reversing leaves the rows in place (other
apps' rows point at them).
"""

from django.db import migrations


def load(apps, schema_editor):
    from samverkan.registry.reference_data import load_reference_data

    load_reference_data(apps.get_model("registry", "Organisation"))


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0002_school_official_name_holiday_hours"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
