"""The writer's address is kept on each link and letter (receipts and delivery reports go
there, whatever the mentor record says later). Existing rows take the address the link
was emailed to, or failing that the mentor's current one."""

from typing import Any

from django.db import migrations, models


def backfill(apps: Any, schema_editor: Any) -> None:
    WriterLink = apps.get_model("writers", "WriterLink")
    VaultLetter = apps.get_model("writers", "VaultLetter")
    for link in WriterLink.objects.select_related("request__mentor").iterator():
        link.writer_email = link.sent_to or link.request.mentor.email or ""
        link.save(update_fields=["writer_email"])
    for letter in VaultLetter.objects.select_related("request__mentor").iterator():
        link = (
            WriterLink.objects.filter(request_id=letter.request_id)
            .exclude(writer_email="")
            .order_by("created")
            .first()
        )
        letter.writer_email = link.writer_email if link else letter.request.mentor.email or ""
        letter.save(update_fields=["writer_email"])


class Migration(migrations.Migration):
    dependencies = [
        ("writers", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="vaultletter",
            name="writer_email",
            field=models.EmailField(blank=True, max_length=254),
        ),
        migrations.AddField(
            model_name="writerlink",
            name="writer_email",
            field=models.EmailField(blank=True, max_length=254),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
