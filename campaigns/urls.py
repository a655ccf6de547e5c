from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("ke-hoach/", views.current_plan, name="plan-current"),
    path("ke-hoach/<int:year>/", views.plan_detail, name="plan-detail"),
    path("ke-hoach/<int:year>/pdf/", views.plan_pdf, name="plan-pdf"),
]
