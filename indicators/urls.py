from django.urls import path

from . import views

urlpatterns = [
    path("ke-hoach/<int:year>/chi-tieu/<str:code>/", views.target_detail, name="target-detail"),
]
