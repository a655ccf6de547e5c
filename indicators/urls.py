from django.urls import path

from . import dashboard_views, notification_views, reporting_views, views

urlpatterns = [
    path("ke-hoach/<int:year>/chi-tieu/<str:code>/", views.target_detail, name="target-detail"),
    path("ke-hoach/<int:year>/chi-tieu/<str:code>/tien-do-quy/", views.target_pace, name="target-pace"),
]

report = "so-lieu/<int:year>/q<int:quarter>/<str:unit_code>/"
urlpatterns += [
    path("so-lieu/", reporting_views.report_list, name="report-list"),
    path(report, reporting_views.report_entry, name="report-entry"),
    path(report + "duyet/", reporting_views.report_approve, name="report-approve"),
    path(report + "tra-lai/", reporting_views.report_return, name="report-return"),
    path(report + "mo-lai/", reporting_views.report_reopen, name="report-reopen"),
    path(report + "lich-su/", reporting_views.report_history, name="report-history"),
    path(report + "lich-su/<str:element_code>/", reporting_views.report_history, name="value-history"),
    path("tien-do-nop/<int:year>/q<int:quarter>/", reporting_views.completeness, name="completeness"),
    path(
        "tien-do-nop/<int:year>/q<int:quarter>/nhac-nho/", reporting_views.period_remind, name="period-remind"
    ),
    path("tien-do-nop/<int:year>/q<int:quarter>/khoa/", reporting_views.period_lock, name="period-lock"),
    path(
        "tien-do-nop/<int:year>/q<int:quarter>/gia-han/", reporting_views.period_extend, name="period-extend"
    ),
]
urlpatterns += [path("tien-do-nop/", reporting_views.completeness_current, name="completeness-current")]

urlpatterns += [
    path("tien-do/", dashboard_views.dashboard_current, name="dashboard-current"),
    path("tien-do/<int:year>/", dashboard_views.dashboard, name="dashboard"),
    path(
        "tien-do/<int:year>/chi-tieu/<str:code>/", dashboard_views.dashboard_target, name="dashboard-target"
    ),
    path("tien-do/<int:year>/don-vi/<str:unit_code>/", dashboard_views.dashboard_unit, name="dashboard-unit"),
]

# Excel exports and entry by spreadsheet (issue 8).
from . import excel_views  # noqa: E402

urlpatterns += [
    path("tien-do/<int:year>/q<int:quarter>/excel/", excel_views.progress_export, name="excel-progress"),
    path(report + "excel/", excel_views.unit_export, name="excel-unit"),
    path("so-lieu/<int:year>/q<int:quarter>/excel/mau/", excel_views.entry_template, name="excel-template"),
    path("so-lieu/<int:year>/q<int:quarter>/excel/nhap/", excel_views.import_upload, name="excel-import"),
    path(
        "so-lieu/<int:year>/q<int:quarter>/excel/nhap/xac-nhan/",
        excel_views.import_confirm,
        name="excel-import-confirm",
    ),
    path(
        "tien-do-nop/<int:year>/q<int:quarter>/excel/",
        excel_views.completeness_export,
        name="excel-completeness",
    ),
]

# The quarterly progress report as a PDF (issue 7): same query parameters as the pages above.
from . import report_pdf_views  # noqa: E402

urlpatterns += [
    path("tien-do/<int:year>/pdf/", report_pdf_views.progress_report_pdf, name="dashboard-pdf"),
    path(
        "tien-do/<int:year>/don-vi/<str:unit_code>/pdf/",
        report_pdf_views.unit_progress_report_pdf,
        name="dashboard-unit-pdf",
    ),
]
urlpatterns += [
    path("thong-bao/", notification_views.notification_list, name="notifications"),
    path("thong-bao/da-doc-het/", notification_views.notification_read_all, name="notifications-read-all"),
    path("thong-bao/<int:pk>/da-doc/", notification_views.notification_read, name="notification-read"),
]
