"""Every decision belongs to a plan (filled for the existing ones by 0005, in its own transaction so
that PostgreSQL does not alter a table with pending foreign-key checks)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("awards", "0005_decision_drafts")]

    operations = [
        migrations.AlterField(
            model_name="decision",
            name="plan",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="award_decisions",
                to="campaigns.plan",
            ),
        ),
    ]
