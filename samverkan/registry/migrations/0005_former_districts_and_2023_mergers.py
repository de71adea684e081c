"""The four districts that ended on 2023-06-30 and the two 2023 mergers (issue 10).

Järva and Norra innerstaden get their start date 2023-07-01 (the other districts
lose the blanket one). The mergers are created as planned changes;
`apply_organisation_changes` applies them (nothing to move on a fresh install).
"""

from django.db import migrations


def load(apps, schema_editor):
    from samverkan.registry.reference_data import load_mergers_2023, load_reference_data

    organisation = apps.get_model("registry", "Organisation")
    load_reference_data(organisation)
    load_mergers_2023(
        organisation,
        apps.get_model("registry", "OrganisationChange"),
        apps.get_model("registry", "ChangeSuccessor"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0004_organisation_changes"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
