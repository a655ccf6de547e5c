"""The one way workflow steps are logged (pretix's LoggedModel.log_action, as a function)."""

from django.contrib.contenttypes.models import ContentType

from .models import ActionLog

ACTION_LABELS = {
    "indicators.report.submitted": "Gửi báo cáo",
    "indicators.report.approved": "Duyệt báo cáo",
    "indicators.report.returned": "Trả lại báo cáo",
    "indicators.report.reopened": "Mở lại báo cáo",
    "indicators.report.saved": "Lưu số liệu",
    "indicators.period.locked": "Khóa kỳ báo cáo",
    "indicators.period.unlocked": "Mở khóa kỳ báo cáo",
    "indicators.period.reopened": "Gia hạn kỳ báo cáo",
    "indicators.period.reminded": "Gửi nhắc nhở",
    "indicators.target.pace_set": "Điều chỉnh tiến độ theo quý",
    "campaigns.pledge.saved": "Lưu bản đăng ký",
    "campaigns.pledge.submitted": "Gửi bản đăng ký",
    "campaigns.pledge.acknowledged": "Văn phòng tiếp nhận",
    "campaigns.pledge.returned": "Trả lại bản đăng ký",
    "campaigns.pledge.reopened": "Mở lại bản đăng ký",
    "campaigns.pledge.reminded": "Nhắc đăng ký",
    "campaigns.covenant.created": "Lập giao ước",
    "campaigns.covenant.opened": "Mở lấy xác nhận",
    "campaigns.covenant.confirmed": "Xác nhận giao ước",
    "campaigns.plan.copied": "Sao chép kế hoạch sang năm mới",
    "campaigns.api_client.created": "Cấp khóa truy cập API",
}


def log_action(obj, action: str, user, data: dict | None = None) -> ActionLog:
    return ActionLog.objects.create(
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        user=user if getattr(user, "is_authenticated", False) else None,
        data=data or {},
    )


def entries_for(obj):
    return ActionLog.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).select_related("user")
