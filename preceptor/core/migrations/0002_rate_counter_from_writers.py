"""The rate counter, moved here from the writers app: state only, the table
``writers_ratecounter`` (made by writers 0001) is kept with its rows."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("writers", "0003_rate_counter_moves_to_core"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="RateCounter",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("key", models.CharField(max_length=64)),
                        ("window_start", models.DateTimeField()),
                        ("count", models.PositiveIntegerField(default=0)),
                    ],
                    options={
                        "db_table": "writers_ratecounter",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("key", "window_start"), name="writers_rate_window"
                            )
                        ],
                    },
                )
            ],
            database_operations=[],
        )
    ]
