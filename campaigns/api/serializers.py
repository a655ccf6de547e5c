"""What the API sends: plans, targets, roll-up rows, units and award records, read-only.

Every figure is a Decimal sent as a string ("705.6", "2.8047…"), exact and unrounded as the roll-up
computes it: rounding is for display, and a client that needs a number parses the string itself.
"""

from decimal import Decimal

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from awards.models import AwardRecord, Title
from indicators.models import Target, Unit
from indicators.rollup import QUARTERS, Status, TargetResult

from ..models import CampaignContent, Plan

DECIMAL_SCHEMA = {"type": "string", "format": "decimal", "nullable": True, "example": "705.6"}


def decimal_text(value: Decimal | None) -> str | None:
    """ "705.6000" → "705.6", 20000 → "20000": the exact value, without padding or exponent."""
    if value is None:
        return None
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0") else text


@extend_schema_field(DECIMAL_SCHEMA)
class DecimalString(serializers.Field):
    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return decimal_text(value)


class ContentSerializer(serializers.ModelSerializer):
    class Meta:
        model = CampaignContent
        fields = ["number", "short_title", "text"]


class PlanSummarySerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Plan
        fields = ["year", "number", "title", "place", "issued_on", "issuer", "url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, plan: Plan) -> str:
        return self.context["request"].build_absolute_uri(reverse("api-plan", args=[plan.year]))


class PlanSerializer(PlanSummarySerializer):
    contents = ContentSerializer(many=True, read_only=True)

    class Meta(PlanSummarySerializer.Meta):
        fields = [*PlanSummarySerializer.Meta.fields, "document_type", "signer_name", "contents"]


class TargetSerializer(serializers.ModelSerializer):
    target_value = DecimalString()
    parent = serializers.CharField(source="parent.code", default=None, read_only=True, allow_null=True)
    content = serializers.IntegerField(source="content.number", default=None, read_only=True, allow_null=True)
    baseline = serializers.SerializerMethodField()

    class Meta:
        model = Target
        fields = [
            "code",
            "name",
            "group",
            "kind",
            "comparator",
            "target_value",
            "unit_of_measure",
            "parent",
            "relation",
            "content",
            "baseline",
        ]

    @extend_schema_field(DECIMAL_SCHEMA)
    def get_baseline(self, target: Target) -> str | None:
        baseline = getattr(target, "baseline", None)  # a missing one-to-one raises an AttributeError
        return decimal_text(baseline.value) if baseline else None


class ResultSerializer(serializers.Serializer):
    """One target after the quarter, from `indicators.rollup.TargetResult`."""

    code = serializers.CharField(source="target.code")
    name = serializers.CharField(source="target.name")
    group = serializers.ChoiceField(source="target.group", choices=Target.Group.choices)
    kind = serializers.ChoiceField(source="target.kind", choices=Target.Kind.choices)
    comparator = serializers.ChoiceField(source="target.comparator", choices=Target.Comparator.choices)
    target_value = DecimalString(source="target.target_value")
    unit_of_measure = serializers.CharField(source="target.unit_of_measure")
    parent = serializers.SerializerMethodField()
    actual = DecimalString()
    progress = DecimalString(help_text="Phần trăm so với chỉ tiêu kế hoạch; null khi không có ý nghĩa.")
    status = serializers.ChoiceField(choices=Status.choices)
    status_label = serializers.CharField()
    by_quarter = serializers.SerializerMethodField()
    projection = DecimalString()
    numerator = DecimalString()
    denominator = DecimalString()
    baseline = DecimalString()
    quarters_with_data = serializers.ListField(child=serializers.IntegerField())

    @extend_schema_field({"type": "string", "nullable": True, "example": "KT-01"})
    def get_parent(self, result: TargetResult) -> str | None:
        return self.context["codes"].get(result.target.parent_id)

    @extend_schema_field(
        {
            "type": "object",
            "description": "Giá trị sau mỗi quý 1..quarter (lũy kế với chỉ tiêu cộng dồn).",
            "properties": {str(q): DECIMAL_SCHEMA for q in QUARTERS},
        }
    )
    def get_by_quarter(self, result: TargetResult) -> dict:
        return {str(q): decimal_text(value) for q, value in sorted(result.by_quarter.items())}


class UnitRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["code", "name"]


class RollupSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    quarter = serializers.IntegerField(help_text="Số liệu tính đến hết quý này.")
    unit = UnitRefSerializer(allow_null=True)
    counts = serializers.CharField(help_text="Chỉ số liệu của báo cáo đã duyệt được tính.")
    results = ResultSerializer(many=True)


class RollupQuerySerializer(serializers.Serializer):
    quarter = serializers.IntegerField(min_value=1, max_value=4, help_text="Tính đến hết quý (1–4).")
    unit = serializers.CharField(required=False, help_text="Mã đơn vị: chỉ tính số liệu của đơn vị này.")


class UnitSerializer(serializers.ModelSerializer):
    parent = serializers.CharField(source="parent.code", default=None, read_only=True, allow_null=True)

    class Meta:
        model = Unit
        fields = ["code", "name", "kind", "parent"]


class AwardSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="title.code")
    title_name = serializers.CharField(source="title.name")
    for_whom = serializers.ChoiceField(source="title.for_whom", choices=Title.ForWhom.choices)
    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    nominee = serializers.CharField()

    class Meta:
        model = AwardRecord
        fields = [
            "year",
            "title",
            "title_name",
            "for_whom",
            "unit",
            "unit_name",
            "nominee",
            "nominee_position",
            "decision_number",
            "decided_on",
            "decided_by",
        ]
