"""The one way workflow steps are logged (pretix's LoggedModel.log_action, as a function)."""

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from .models import ActionLog

ACTION_LABELS = {
    "indicators.report.submitted": _("Gửi báo cáo"),
    "indicators.report.approved": _("Duyệt báo cáo"),
    "indicators.report.returned": _("Trả lại báo cáo"),
    "indicators.report.reopened": _("Mở lại báo cáo"),
    "indicators.report.saved": _("Lưu số liệu"),
    "indicators.period.locked": _("Khóa kỳ báo cáo"),
    "indicators.period.unlocked": _("Mở khóa kỳ báo cáo"),
    "indicators.period.reopened": _("Gia hạn kỳ báo cáo"),
    "indicators.period.reminded": _("Gửi nhắc nhở"),
    "indicators.target.pace_set": _("Điều chỉnh tiến độ theo quý"),
    "campaigns.pledge.saved": _("Lưu bản đăng ký"),
    "campaigns.pledge.submitted": _("Gửi bản đăng ký"),
    "campaigns.pledge.acknowledged": _("Văn phòng tiếp nhận"),
    "campaigns.pledge.returned": _("Trả lại bản đăng ký"),
    "campaigns.pledge.reopened": _("Mở lại bản đăng ký"),
    "campaigns.pledge.reminded": _("Nhắc đăng ký"),
    "campaigns.covenant.created": _("Lập giao ước"),
    "campaigns.covenant.opened": _("Mở lấy xác nhận"),
    "campaigns.covenant.confirmed": _("Xác nhận giao ước"),
    "campaigns.plan.copied": _("Sao chép kế hoạch sang năm mới"),
    "campaigns.identity.saved": _("Sửa thông tin phường"),
    "campaigns.api_client.created": _("Cấp khóa truy cập API"),
    "indicators.notification.mail_failed": _("Thư báo không gửi được"),
    "accounts.password.changed": _("Đổi mật khẩu"),
    "accounts.password.reset": _("Văn phòng đặt lại mật khẩu"),
    "setup.office_role.claimed": _("Quản trị nhận vai trò Văn phòng"),
    "setup.unit.created": _("Thêm đơn vị"),
    "setup.unit.changed": _("Sửa đơn vị"),
    "setup.account.created": _("Tạo tài khoản"),
    "setup.account.changed": _("Sửa tài khoản"),
    "setup.assignments.saved": _("Lưu phân công báo cáo"),
    "setup.periods.saved": _("Lưu các quý và hạn nộp"),
    "setup.pledge_window.saved": _("Lưu thời hạn đăng ký thi đua"),
    "setup.council_member.added": _("Thêm thành viên Hội đồng"),
    "setup.council_member.removed": _("Bỏ thành viên Hội đồng"),
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
