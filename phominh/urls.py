from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from phominh import account_views, operations_views
from phominh.language import set_language

admin.site.site_header = _("Cổng thi đua — Quản trị")
admin.site.site_title = _("Cổng thi đua")
admin.site.index_title = _("Quản trị dữ liệu")

urlpatterns = [
    path("dang-nhap/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("tai-khoan/doi-mat-khau/", account_views.PasswordChange.as_view(), name="password-change"),
    path("tai-khoan/dat-lai-mat-khau/", account_views.password_reset_list, name="password-reset-list"),
    path("tai-khoan/dat-lai-mat-khau/<str:username>/", account_views.password_reset, name="password-reset"),
    path("ngon-ngu/", set_language, name="set-language"),
    path("van-hanh/", operations_views.operations_page, name="operations"),
    path("van-hanh/kiem-tra-tien-trinh-nen/", operations_views.worker_ping, name="operations-ping"),
    path("quan-tri/", admin.site.urls),
    path("thiet-lap/", include("campaigns.setup.urls")),
    path("", include("campaigns.urls")),
    path("", include("indicators.urls")),
    path("", include("awards.urls")),
    path("", include("jobs.urls")),
    path("api/v1/", include("campaigns.api_urls")),
]
