"""Monthly sums of the daily summaries (ADR 0008, issue 20.1), built from the daily rows
an existing history already has."""

from typing import Any

from django.db import migrations, models


def build(apps: Any, schema_editor: Any) -> None:
    from samverkan.followup import summaries

    summaries.roll_up_every_month()


class Migration(migrations.Migration):

    dependencies = [
        ('followup', '0002_build_daily_summaries'),
    ]

    operations = [
        migrations.CreateModel(
            name='MonthlyFigure',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField()),
                ('responsible_id', models.IntegerField(default=0)),
                ('controller_id', models.IntegerField(default=0)),
                ('home_municipality', models.CharField(blank=True, default='', max_length=40)),
                ('metric', models.CharField(max_length=24)),
                ('value', models.BigIntegerField(default=0)),
                ('n', models.IntegerField()),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('month', 'metric', 'responsible_id', 'controller_id', 'home_municipality', 'value'), name='followup_monthly_figure_key')],
            },
        ),
        migrations.CreateModel(
            name='MonthlyHistogram',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField()),
                ('metric', models.CharField(max_length=24)),
                ('value', models.BigIntegerField(default=0)),
                ('n', models.IntegerField()),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('month', 'metric', 'value'), name='followup_monthly_histogram_key')],
            },
        ),
        migrations.RunPython(build, migrations.RunPython.noop, elidable=True),
    ]
