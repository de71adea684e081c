"""Entries filed under the actor's organisation too (an index for the auditor's read),
and the refused attempt as an action. Neither changes a stored value or the hash:
`actor_organisation` has been hashed since the first entry.

Only choices change on `action`, which needs no table rebuild on SQLite, so the
append-only triggers stay in place.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0002_append_only'),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditentry',
            name='action',
            field=models.CharField(choices=[('view', 'Läsning'), ('create', 'Registrering'), ('change', 'Ändring'), ('delete', 'Borttagning'), ('export', 'Export'), ('handover', 'Överlämning'), ('disclose', 'Utlämnande'), ('login', 'Inloggning'), ('anonymise', 'Avidentifiering'), ('refused', 'Nekat försök')], max_length=20, verbose_name='åtgärd'),
        ),
        migrations.AddIndex(
            model_name='auditentry',
            index=models.Index(fields=['actor_organisation', 'id'], name='audit_actor_org_idx'),
        ),
    ]
