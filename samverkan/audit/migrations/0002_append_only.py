"""Audit entries become append-only: UPDATE and DELETE fail in the database itself.

PostgreSQL: a plpgsql trigger function raising an exception; SQLite: BEFORE
UPDATE/DELETE triggers with RAISE(ABORT). The SQL lives in
`samverkan.audit.triggers`, which the `flush` override also uses.
A unique `previous_hash` makes a forked chain impossible to store.
"""

from django.db import migrations, models


def install_triggers(apps, schema_editor):
    from samverkan.audit import triggers

    triggers.install(schema_editor.connection)


def remove_triggers(apps, schema_editor):
    from samverkan.audit import triggers

    triggers.remove(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="auditentry",
            constraint=models.UniqueConstraint(
                fields=("previous_hash",), name="audit_previous_hash_unique"
            ),
        ),
        migrations.RunPython(install_triggers, remove_triggers, elidable=False),
    ]
