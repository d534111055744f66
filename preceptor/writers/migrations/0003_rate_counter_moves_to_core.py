"""RateCounter now belongs to the core app (one rate limiter for every route). Only the
model state moves; the table stays as it is and core's 0002 takes it over."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("writers", "0002_writer_addresses")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="RateCounter")],
            database_operations=[],
        )
    ]
