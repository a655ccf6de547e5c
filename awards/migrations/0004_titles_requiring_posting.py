"""Gia đình văn hóa and Tổ dân phố văn hóa are posted publicly before the decision (Nghị định 86/2023/NĐ-CP).

A database that already holds the titles gets the new rule set on them; fixtures/titles.json carries it
for new ones. Other titles keep the default (no posting required); the office may change any of them.
"""

from django.db import migrations

CODES = ["GDVH", "TDPVH"]


def require_posting(apps, schema_editor):
    apps.get_model("awards", "Title").objects.filter(code__in=CODES).update(requires_posting=True)


def undo(apps, schema_editor):
    apps.get_model("awards", "Title").objects.filter(code__in=CODES).update(requires_posting=False)


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0003_public_posting"),
    ]

    operations = [
        migrations.RunPython(require_posting, undo),
    ]
