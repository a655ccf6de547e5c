"""The API's endpoints: plain read-only function views, one per resource.

Each view starts from `granted_plan` (a year not granted to the client is a 404) and hands what the
portal's own selectors return to a serializer; none adds up a figure. Authentication and the
read-only rule come from REST_FRAMEWORK's defaults (settings.py): a bearer token, never a session.
DRF exempts its views from LoginRequiredMiddleware; the token is what guards them.
"""

from django.db.models import Exists, OuterRef
from django.http import Http404
from django.utils import translation
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view
from rest_framework.response import Response

from awards.models import AwardRecord
from indicators.models import Assignment, Target, Unit
from indicators.progress import ward_results
from indicators.rollup import cached_for_plan

from .permissions import granted_plan, plans_for
from .serializers import (
    AwardSerializer,
    PlanSerializer,
    PlanSummarySerializer,
    RollupQuerySerializer,
    RollupSerializer,
    TargetSerializer,
    UnitSerializer,
)


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """Describes ApiTokenAuthentication in the OpenAPI document as an HTTP bearer scheme."""

    target_class = "campaigns.api.authentication.ApiTokenAuthentication"
    name = "bearerToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Khóa truy cập do UBND phường cấp cho từng ứng dụng (lệnh create_api_client).",
        }


def _reporting_units(plan):
    return Unit.objects.filter(Exists(Assignment.objects.filter(unit=OuterRef("pk"), element__plan=plan)))


@extend_schema(summary="Các kế hoạch (năm) được cấp quyền đọc", responses=PlanSummarySerializer(many=True))
@api_view(["GET"])
def plan_list(request):
    plans = plans_for(request.auth)
    return Response(PlanSummarySerializer(plans, many=True, context={"request": request}).data)


@extend_schema(summary="Một kế hoạch và các nội dung thi đua", responses=PlanSerializer)
@api_view(["GET"])
def plan_detail(request, year: int):
    plan = granted_plan(request, year)
    return Response(PlanSerializer(plan, context={"request": request}).data)


@extend_schema(summary="Các chỉ tiêu của kế hoạch", responses=TargetSerializer(many=True))
@api_view(["GET"])
def target_list(request, year: int):
    plan = granted_plan(request, year)
    targets = (
        Target.objects.filter(plan=plan)
        .select_related("parent", "content", "baseline")
        .order_by("order", "pk")
    )
    return Response(TargetSerializer(targets, many=True).data)


@extend_schema(
    summary="Kết quả thực hiện các chỉ tiêu đến hết một quý (toàn phường hoặc một đơn vị)",
    description=(
        "Cùng số liệu với trang Tiến độ: chỉ báo cáo đã duyệt được tính. Với `unit`, chỉ tính số liệu "
        "của đơn vị đó và chỉ liệt kê các chỉ tiêu đơn vị có báo cáo (như bộ lọc đơn vị của trang Tiến độ); "
        "khi đó `target_value`, `progress` và `status` là của mục tiêu riêng của đơn vị: con số đơn vị đã "
        "đăng ký thi đua, nếu không thì phần chia đều chỉ tiêu của phường (số cộng dồn, số tại thời điểm) "
        "hoặc chỉ tiêu chung của phường (tỷ lệ, mức độ)."
    ),
    parameters=[RollupQuerySerializer],
    responses=RollupSerializer,
)
@api_view(["GET"])
def plan_rollup(request, year: int):
    plan = granted_plan(request, year)
    query = RollupQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    quarter = query.validated_data["quarter"]
    unit = None
    if code := query.validated_data.get("unit"):
        unit = _reporting_units(plan).filter(code=code).first()
        if unit is None:
            raise Http404

    def payload() -> dict:
        results = ward_results(plan=plan, quarter=quarter, include_submitted=False, unit=unit)
        codes = {r.target.pk: r.target.code for r in results}
        # With a unit, a parent may have been left out of the rows; its code is still the parent's code.
        missing = {
            r.target.parent_id for r in results if r.target.parent_id and r.target.parent_id not in codes
        }
        if missing:
            codes.update(Target.objects.filter(pk__in=missing).values_list("pk", "code"))
        data = {"year": plan.year, "quarter": quarter, "unit": unit, "counts": "approved", "results": results}
        return RollupSerializer(data, context={"codes": codes}).data

    # Serialized once per change of the plan's data, as the dashboard's tables are (the same key parts).
    parts = ("api-rollup", quarter, unit.pk if unit else None, translation.get_language())
    return Response(cached_for_plan(plan, parts, payload))


@extend_schema(summary="Các đơn vị báo cáo số liệu cho kế hoạch", responses=UnitSerializer(many=True))
@api_view(["GET"])
def unit_list(request, year: int):
    plan = granted_plan(request, year)
    units = _reporting_units(plan).select_related("parent").order_by("order", "name")
    return Response(UnitSerializer(units, many=True).data)


@extend_schema(
    summary="Sổ khen thưởng của năm: danh hiệu đã được quyết định", responses=AwardSerializer(many=True)
)
@api_view(["GET"])
def award_list(request, year: int):
    plan = granted_plan(request, year)
    records = AwardRecord.objects.filter(year=plan.year).select_related("title", "unit")
    return Response(AwardSerializer(records, many=True).data)
