"""Every role code exists as a Role row once the database is migrated."""

from django.db import migrations

# Frozen copy of RoleCode at the time of this migration: a migration must not
# change meaning when the enum grows (a later migration adds new codes).
ROLE_CODES = [
    "police_operator",
    "hub_worker",
    "receiver",
    "contact_person",
    "agreement_admin",
    "defector_coordinator",
    "collaboration_coordinator",
    "school_staff",
    "analyst",
    "auditor",
    "administrator",
]


def create_roles(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for code in ROLE_CODES:
        Role.objects.get_or_create(code=code)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_user_can_self_enrol"),
    ]

    operations = [
        migrations.RunPython(create_roles, migrations.RunPython.noop),
    ]
