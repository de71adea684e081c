"""Issue 17.1: who registered each decision and notice (and for which organisation),
decisions registered on a party's behalf, and ROC's acknowledgement instead of the
hub's "sent" tick box (the old sent time becomes the acknowledgement time)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0003_recorded_by"),
        ("registry", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="agreementdecision",
            name="recorded_by_organisation",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="registry.organisation",
                verbose_name="registrerat av organisation",
            ),
        ),
        migrations.AddField(
            model_name="agreementdecision",
            name="on_behalf",
            field=models.BooleanField(
                default=False, verbose_name="registrerat för partens räkning"
            ),
        ),
        migrations.AddField(
            model_name="notice",
            name="recorded_by_organisation",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="registry.organisation",
                verbose_name="registrerat av organisation",
            ),
        ),
        migrations.RemoveIndex(
            model_name="terminationnotification", name="agr_notification_sent"
        ),
        migrations.RenameField(
            model_name="terminationnotification", old_name="sent_at", new_name="acknowledged_at"
        ),
        migrations.RenameField(
            model_name="terminationnotification", old_name="sent_by", new_name="acknowledged_by"
        ),
        migrations.RemoveField(model_name="terminationnotification", name="note"),
        migrations.AlterField(
            model_name="terminationnotification",
            name="acknowledged_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="kvitterad"),
        ),
        migrations.AlterField(
            model_name="terminationnotification",
            name="acknowledged_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="kvitterad av",
            ),
        ),
        migrations.AddIndex(
            model_name="terminationnotification",
            index=models.Index(fields=["acknowledged_at"], name="agr_notification_ack"),
        ),
    ]
