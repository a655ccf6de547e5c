# Issue 15 item 4: the register number (số vào sổ) per year and the verification code of each award,
# its revocation, and how the office prints certificates. Existing rows are numbered in the order they
# were recorded, year by year, and each gets its own random code.

from decimal import Decimal

import awards.models
from django.db import migrations, models


def number_existing_records(apps, schema_editor):
    AwardRecord = apps.get_model("awards", "AwardRecord")
    counters = {}
    for pk, year in AwardRecord.objects.order_by("year", "recorded_at", "pk").values_list("pk", "year"):
        counters[year] = counters.get(year, 0) + 1
        AwardRecord.objects.filter(pk=pk).update(
            register_number=counters[year], verify_token=awards.models.new_verify_token()
        )


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0007_household_register"),
    ]

    operations = [
        migrations.CreateModel(
            name="CertificateLayout",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "offset_x_mm",
                    models.DecimalField(
                        decimal_places=1, default=Decimal("0"), max_digits=4, verbose_name="dịch ngang (mm)"
                    ),
                ),
                (
                    "offset_y_mm",
                    models.DecimalField(
                        decimal_places=1, default=Decimal("0"), max_digits=4, verbose_name="dịch dọc (mm)"
                    ),
                ),
                (
                    "blank_mode",
                    models.BooleanField(
                        default=False,
                        help_text="Chỉ in phần chữ thay đổi (tên, số quyết định...).",
                        verbose_name="in trên phôi in sẵn",
                    ),
                ),
                ("version", models.PositiveIntegerField(default=0, verbose_name="phiên bản")),
            ],
            options={
                "verbose_name": "cách in giấy khen",
                "verbose_name_plural": "cách in giấy khen",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("offset_x_mm__gte", -50),
                            ("offset_x_mm__lte", 50),
                            ("offset_y_mm__gte", -50),
                            ("offset_y_mm__lte", 50),
                        ),
                        name="certificate_offsets_within_50mm",
                    )
                ],
            },
        ),
        migrations.AddField(
            model_name="awardrecord",
            name="register_number",
            field=models.PositiveIntegerField(
                blank=True,
                editable=False,
                help_text="Theo thứ tự vào sổ trong năm.",
                null=True,
                verbose_name="số vào sổ",
            ),
        ),
        migrations.AddField(
            model_name="awardrecord",
            name="revoked",
            field=models.BooleanField(default=False, verbose_name="đã thu hồi"),
        ),
        migrations.AddField(
            model_name="awardrecord",
            name="revoked_reason",
            field=models.CharField(blank=True, max_length=300, verbose_name="lý do thu hồi"),
        ),
        migrations.AddField(
            model_name="awardrecord",
            name="revoked_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="thu hồi lúc"),
        ),
        migrations.AddField(
            model_name="awardrecord",
            name="verify_token",
            field=models.CharField(editable=False, max_length=32, null=True, verbose_name="mã xác minh"),
        ),
        migrations.RunPython(number_existing_records, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="awardrecord",
            name="verify_token",
            field=models.CharField(
                default=awards.models.new_verify_token,
                editable=False,
                max_length=32,
                unique=True,
                verbose_name="mã xác minh",
            ),
        ),
        migrations.AddConstraint(
            model_name="awardrecord",
            constraint=models.UniqueConstraint(
                fields=("year", "register_number"), name="award_register_number_per_year"
            ),
        ),
        migrations.AddConstraint(
            model_name="awardrecord",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("revoked", False), models.Q(("revoked_reason", ""), _negated=True), _connector="OR"
                ),
                name="award_revoked_has_reason",
            ),
        ),
    ]
