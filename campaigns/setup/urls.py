from django.urls import path

from . import views

urlpatterns = [
    path("", views.checklist_current, name="setup-current"),
    path("nhan-vai-tro-van-phong/", views.claim_office_role, name="setup-claim-office"),
    path("<int:year>/", views.checklist_year, name="setup-year"),
    path("don-vi/", views.units, name="setup-units"),
    path("don-vi/<str:code>/", views.unit_edit, name="setup-unit-edit"),
    path("tai-khoan/", views.accounts, name="setup-accounts"),
    path("tai-khoan/them/", views.account_create, name="setup-account-create"),
    path("tai-khoan/sua/<str:username>/", views.account_edit, name="setup-account-edit"),
    path("tai-khoan/nhap-excel/", views.account_import_upload, name="setup-account-import"),
    path("tai-khoan/nhap-excel/mau.xlsx", views.account_template, name="setup-account-template"),
    path("tai-khoan/nhap-excel/xac-nhan/", views.account_import_confirm, name="setup-account-import-confirm"),
    path("<int:year>/phan-cong/", views.assignments, name="setup-assignments"),
    path("<int:year>/cac-quy/", views.periods, name="setup-periods"),
    path("<int:year>/dang-ky-thi-dua/", views.pledge_window, name="setup-pledge-window"),
    path("hoi-dong/", views.council, name="setup-council"),
    path("hoi-dong/<int:pk>/bo/", views.council_remove, name="setup-council-remove"),
]
