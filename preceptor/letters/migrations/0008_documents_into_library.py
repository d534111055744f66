"""Move every per-application ``Document`` into its owner's document library, same bytes.

Per user and kind, the uploads become the versions of one library document (the CV
uploaded for three applications is three versions of one "CV", oldest first); identical
bytes become one version. Each application is set to the exact version it had, so every
packet sends what it sent before. Reversible: going back writes each application's
version out as its ``Document`` again and empties the library (versions no application
uses, and the record of what each writer received, do not survive going back).
"""

import hashlib

from django.db import migrations

LABELS = {"cv": "CV", "statement": "Personal statement draft", "transcript": "Transcript"}


def forwards(apps, schema_editor):
    Document = apps.get_model("letters", "Document")
    LibraryDocument = apps.get_model("letters", "LibraryDocument")
    DocumentVersion = apps.get_model("letters", "DocumentVersion")
    ApplicationDocument = apps.get_model("letters", "ApplicationDocument")
    library = {}  # (user_id, kind) -> LibraryDocument
    versions = {}  # (library document id, sha256) -> DocumentVersion
    for doc in Document.objects.select_related("application").order_by("uploaded", "id"):
        user_id = doc.application.user_id
        data = bytes(doc.data)
        digest = hashlib.sha256(data).hexdigest()
        lib = library.get((user_id, doc.kind))
        if lib is None:
            lib = LibraryDocument.objects.create(
                user_id=user_id, kind=doc.kind, title=LABELS.get(doc.kind, doc.kind.title())
            )
            library[(user_id, doc.kind)] = lib
        version = versions.get((lib.pk, digest))
        if version is None:
            number = sum(1 for key in versions if key[0] == lib.pk) + 1
            version = DocumentVersion.objects.create(
                document=lib,
                number=number,
                original_name=doc.original_name,
                data=data,
                sha256=digest,
                size=doc.size,
                page_count=doc.page_count,
                uploaded_at=doc.uploaded,
            )
            versions[(lib.pk, digest)] = version
        ApplicationDocument.objects.create(
            application_id=doc.application_id, kind=doc.kind, document=lib, version=version
        )


def backwards(apps, schema_editor):
    Document = apps.get_model("letters", "Document")
    DocumentVersion = apps.get_model("letters", "DocumentVersion")
    ApplicationDocument = apps.get_model("letters", "ApplicationDocument")
    for use in ApplicationDocument.objects.select_related("version", "document"):
        version = use.version or (
            DocumentVersion.objects.filter(document=use.document).order_by("-number").first()
        )
        if version is None:
            continue
        # update_or_create: going back straight after 0008, the old rows are still there.
        Document.objects.update_or_create(
            application_id=use.application_id,
            kind=use.kind,
            defaults={
                "original_name": version.original_name,
                "data": bytes(version.data),
                "size": version.size,
                "page_count": version.page_count,
            },
        )
    apps.get_model("letters", "SentDocument").objects.all().delete()
    ApplicationDocument.objects.all().delete()
    DocumentVersion.objects.all().delete()
    apps.get_model("letters", "LibraryDocument").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("letters", "0007_document_library"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
