from django.urls import path

from . import identity_views, pledge_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("ke-hoach/", views.current_plan, name="plan-current"),
    path("ke-hoach/<int:year>/", views.plan_detail, name="plan-detail"),
    path("ke-hoach/<int:year>/pdf/", views.plan_pdf, name="plan-pdf"),
    path("ke-hoach/<int:year>/sao-chep/", views.plan_copy, name="plan-copy"),
    path("dang-ky-thi-dua/", pledge_views.pledge_list, name="pledge-list"),
    path("dang-ky-thi-dua/nhac-nho/", pledge_views.pledge_remind, name="pledge-remind"),
    path("dang-ky-thi-dua/<int:year>/<str:unit_code>/", pledge_views.pledge_detail, name="pledge-detail"),
    path(
        "dang-ky-thi-dua/<int:year>/<str:unit_code>/tiep-nhan/",
        pledge_views.pledge_acknowledge,
        name="pledge-acknowledge",
    ),
    path(
        "dang-ky-thi-dua/<int:year>/<str:unit_code>/tra-lai/",
        pledge_views.pledge_return,
        name="pledge-return",
    ),
    path(
        "dang-ky-thi-dua/<int:year>/<str:unit_code>/mo-lai/", pledge_views.pledge_reopen, name="pledge-reopen"
    ),
    path("thiet-lap/thong-tin-phuong/", identity_views.identity_edit, name="identity-edit"),
    path("giao-uoc/", pledge_views.covenant_list, name="covenant-list"),
    path("giao-uoc/moi/", pledge_views.covenant_create, name="covenant-create"),
    path("giao-uoc/<int:pk>/", pledge_views.covenant_detail, name="covenant-detail"),
    path("giao-uoc/<int:pk>/mo-xac-nhan/", pledge_views.covenant_open, name="covenant-open"),
    path("giao-uoc/<int:pk>/xac-nhan/", pledge_views.covenant_confirm, name="covenant-confirm"),
    path("giao-uoc/<int:pk>/pdf/", pledge_views.covenant_pdf, name="covenant-pdf"),
]
