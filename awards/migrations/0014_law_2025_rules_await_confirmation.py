"""The rules of who decides each title from 01/07/2025 come from secondary sources (DOMAIN.md §4b: the
gazette text was not read), like the texts they rest on: the shipped rows that said "confirmed" for the
titles Article 80 k.3 gives the ward chairman now wait for the office too. Only rows nobody confirmed on
the law page (no confirming user) change; what the office confirmed stays confirmed."""

from datetime import date

from django.db import migrations

SET_STARTS = date(2025, 7, 1)


def await_confirmation(apps, schema_editor):
    TitleAuthority = apps.get_model("awards", "TitleAuthority")
    TitleAuthority.objects.filter(
        valid_from__gte=SET_STARTS, confirmed=True, confirmed_by__isnull=True
    ).update(confirmed=False, confirmed_at=None)


class Migration(migrations.Migration):
    dependencies = [("awards", "0013_proposal_household")]

    operations = [migrations.RunPython(await_confirmation, migrations.RunPython.noop)]
