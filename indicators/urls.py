from django.urls import path

from . import dashboard_views, notification_views, reporting_views, views

urlpatterns = [
    path("ke-hoach/<int:year>/chi-tieu/<str:code>/", views.target_detail, name="target-detail"),
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
    path("tien-do-nop/<int:year>/q<int:quarter>/nhac-nho/", reporting_views.period_remind, name="period-remind"),
    path("tien-do-nop/<int:year>/q<int:quarter>/khoa/", reporting_views.period_lock, name="period-lock"),
    path("tien-do-nop/<int:year>/q<int:quarter>/gia-han/", reporting_views.period_extend, name="period-extend"),
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
urlpatterns += [
    path("thong-bao/", notification_views.notification_list, name="notifications"),
    path("thong-bao/da-doc-het/", notification_views.notification_read_all, name="notifications-read-all"),
    path("thong-bao/<int:pk>/da-doc/", notification_views.notification_read, name="notification-read"),
]
