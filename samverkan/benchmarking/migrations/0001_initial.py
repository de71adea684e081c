# The benchmark's floor table, formerly intake.BenchmarkFloorRow (issue 16).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0002_squashed_0003_roles'),
    ]

    operations = [
        migrations.CreateModel(
            name='FloorRow',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('received_at', models.DateTimeField()),
                ('payload', models.JSONField()),
                ('api_client', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.apiclient')),
            ],
        ),
    ]
