"""ERAS cycles are named by their Match year (ERAS 2027 ends with the March 2027 Match).

Until now the form asked for "the year the application season starts", so an ERAS
application whose letters are due after its cycle's Match Day was entered one year early;
move those to the cycle that holds their deadline. Match Day itself (``results_on``) was
computed from the season's start year plus one, the same date, and stays as it is.
"""

import datetime as dt

import django.core.validators
from django.db import migrations, models


def _match_day(year: int) -> dt.date:
    first = dt.date(year, 3, 1)
    return first + dt.timedelta(days=(4 - first.weekday()) % 7) + dt.timedelta(weeks=2)


def forwards(apps, schema_editor):
    Application = apps.get_model("letters", "Application")
    for app in Application.objects.filter(service="eras").only("id", "cycle", "official_deadline"):
        if app.cycle and app.official_deadline >= _match_day(app.cycle):
            Application.objects.filter(id=app.id).update(cycle=app.cycle + 1)


class Migration(migrations.Migration):
    dependencies = [("letters", "0002_service_rules")]

    operations = [
        migrations.AlterField(
            model_name="application",
            name="cycle",
            field=models.PositiveSmallIntegerField(
                help_text="The cycle as the service names it: ERAS 2027 ends with the March 2027 "
                "Match; AMCAS, AACOMAS and TMDSAS 2027 are for the class entering in 2027.",
                validators=[
                    django.core.validators.MinValueValidator(2000),
                    django.core.validators.MaxValueValidator(2100),
                ],
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
