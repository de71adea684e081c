# The benchmark's table moved to the benchmarking app (issue 16), which only the
# benchmark harness installs: no production database keeps a benchmark table.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('intake', '0004_retry_lookup_index'),
    ]

    operations = [
        migrations.DeleteModel(
            name='BenchmarkFloorRow',
        ),
    ]
