"""Load the shipped service rules (letters/fixtures/service_rules.json) into ServiceRule.

Rows already present are left as they are, so an operator's edits in the admin survive.
"""

from django.db import migrations


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    from preceptor.letters.rulebook import install

    install(apps.get_model("letters", "ServiceRule"))


class Migration(migrations.Migration):
    dependencies = [("letters", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
