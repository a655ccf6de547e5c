"""Decisions become drafts until signed, may stand without a council session (titles whose procedure
has no council vote, one-off awards), belong to a plan, list their own proposals, and are corrected
after signing only by a correcting decision.

Existing decisions were recorded as signed: they are marked signed, take their session's plan, and
list the proposals they awarded (the registry's rows) or sent up (the letter's proposals).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def existing_are_signed(apps, schema_editor):
    Decision = apps.get_model("awards", "Decision")
    AwardRecord = apps.get_model("awards", "AwardRecord")
    Proposal = apps.get_model("awards", "Proposal")
    for decision in Decision.objects.select_related("session"):
        decision.plan_id = decision.session.plan_id
        decision.status = "signed"
        decision.signed_by_id = decision.recorded_by_id
        decision.signed_at = decision.recorded_at
        decision.save(update_fields=["plan", "status", "signed_by", "signed_at"])
        ids = set(
            AwardRecord.objects.filter(decision=decision, proposal__isnull=False).values_list(
                "proposal_id", flat=True
            )
        )
        if decision.kind == "letter":
            ids |= set(Proposal.objects.filter(letter=decision).values_list("pk", flat=True))
        decision.proposals.set(ids)


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0004_titles_requiring_posting"),
        ("campaigns", "0004_document_number_patterns"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="decision",
            options={
                "ordering": ["plan", "signed_on", "pk"],
                "verbose_name": "quyết định, tờ trình",
                "verbose_name_plural": "quyết định, tờ trình",
            },
        ),
        migrations.RemoveConstraint(model_name="decision", name="decision_has_number"),
        migrations.AddField(
            model_name="decision",
            name="changes",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text="Số, ngày, trích yếu mới của quyết định được đính chính.",
                verbose_name="nội dung đính chính",
            ),
        ),
        migrations.AddField(
            model_name="decision",
            name="corrects",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="correcting_decisions",
                to="awards.decision",
                verbose_name="đính chính quyết định",
            ),
        ),
        migrations.AddField(
            model_name="decision",
            name="plan",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="award_decisions",
                to="campaigns.plan",
            ),
        ),
        migrations.AddField(
            model_name="decision",
            name="proposals",
            field=models.ManyToManyField(
                blank=True,
                related_name="decisions",
                to="awards.proposal",
                verbose_name="danh sách khen thưởng",
            ),
        ),
        migrations.AddField(
            model_name="decision",
            name="recipients",
            field=models.TextField(blank=True, help_text="Mỗi dòng một nơi nhận.", verbose_name="nơi nhận"),
        ),
        migrations.AddField(
            model_name="decision",
            name="signed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="ký lúc"),
        ),
        migrations.AddField(
            model_name="decision",
            name="signed_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="decision",
            name="status",
            field=models.CharField(
                choices=[("draft", "Dự thảo"), ("signed", "Đã ký")],
                default="draft",
                max_length=8,
                verbose_name="trạng thái",
            ),
        ),
        migrations.AddField(
            model_name="decision",
            name="subject",
            field=models.CharField(
                blank=True,
                help_text="Ví dụ: Về việc khen thưởng đột xuất … Để trống: khen thưởng tổng kết năm.",
                max_length=400,
                verbose_name="trích yếu",
            ),
        ),
        migrations.AddField(
            model_name="decision",
            name="version",
            field=models.PositiveIntegerField(default=0, verbose_name="phiên bản"),
        ),
        migrations.AlterField(
            model_name="decision",
            name="number",
            field=models.CharField(blank=True, max_length=40, verbose_name="số, ký hiệu"),
        ),
        migrations.AlterField(
            model_name="decision",
            name="session",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="decisions",
                to="awards.councilsession",
            ),
        ),
        migrations.AlterField(
            model_name="decision",
            name="signed_on",
            field=models.DateField(blank=True, null=True, verbose_name="ngày ký"),
        ),
        migrations.RunPython(existing_are_signed, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="decision",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("status", "draft"),
                    models.Q(models.Q(("number", ""), _negated=True), ("signed_on__isnull", False)),
                    _connector="OR",
                ),
                name="decision_signed_has_number_and_date",
            ),
        ),
    ]
