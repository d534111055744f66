from django.db import migrations


class Migration(migrations.Migration):
    """Every packet document now lives in the library (0008 moved them); the per-application
    copy goes."""

    dependencies = [
        ("letters", "0008_documents_into_library"),
    ]

    operations = [
        migrations.DeleteModel(name="Document"),
    ]
