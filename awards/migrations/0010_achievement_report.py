"""The achievement report (báo cáo thành tích) of a proposal, and the titles that need one.

A database that already holds the titles gets the flag on every collective and residential-group title
and on Chiến sĩ thi đua cơ sở; fixtures/titles.json carries it for new ones. The office may change it.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def flag_titles(apps, schema_editor):
    Title = apps.get_model("awards", "Title")
    Title.objects.filter(for_whom__in=["collective", "residential_group"]).update(
        requires_achievement_report=True
    )
    Title.objects.filter(code="CSTDCS").update(requires_achievement_report=True)


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0009_title_council_vote"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="title",
            name="requires_achievement_report",
            field=models.BooleanField(
                default=False,
                help_text="Hồ sơ đề nghị kèm báo cáo thành tích của đơn vị (danh hiệu tập thể, tổ dân phố văn hóa, Chiến sĩ thi đua cơ sở); cổng thông tin điền sẵn số liệu, đơn vị viết phần thuyết minh.",
                verbose_name="phải có báo cáo thành tích",
            ),
        ),
        migrations.CreateModel(
            name="AchievementReport",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("situation", models.TextField(blank=True, verbose_name="đặc điểm tình hình")),
                ("achievements", models.TextField(blank=True, verbose_name="thành tích đạt được")),
                ("measures", models.TextField(blank=True, verbose_name="biện pháp, giải pháp đã thực hiện")),
                (
                    "direction",
                    models.TextField(blank=True, verbose_name="phương hướng, nhiệm vụ thời gian tới"),
                ),
                (
                    "head_name",
                    models.CharField(blank=True, max_length=120, verbose_name="họ và tên thủ trưởng đơn vị"),
                ),
                (
                    "head_position",
                    models.CharField(
                        blank=True,
                        help_text="Ví dụ: Tổ trưởng tổ dân phố.",
                        max_length=120,
                        verbose_name="chức vụ người ký",
                    ),
                ),
                (
                    "reported_on",
                    models.DateField(
                        blank=True,
                        help_text="Để trống: ngày in báo cáo.",
                        null=True,
                        verbose_name="ngày báo cáo",
                    ),
                ),
                ("version", models.PositiveIntegerField(default=0, verbose_name="phiên bản")),
                ("updated_at", models.DateTimeField(blank=True, null=True, verbose_name="cập nhật lúc")),
                (
                    "proposal",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="achievement_report",
                        to="awards.proposal",
                    ),
                ),
                (
                    "updated_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "báo cáo thành tích",
                "verbose_name_plural": "báo cáo thành tích",
            },
        ),
        migrations.RunPython(flag_titles, migrations.RunPython.noop),
    ]
