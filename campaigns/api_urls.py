"""/api/v1/: the read-only JSON API for the higher level (campaigns.api) and its OpenAPI description."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from .api import views

urlpatterns = [
    path("plans/", views.plan_list, name="api-plans"),
    path("plans/<int:year>/", views.plan_detail, name="api-plan"),
    path("plans/<int:year>/targets/", views.target_list, name="api-targets"),
    path("plans/<int:year>/rollup/", views.plan_rollup, name="api-rollup"),
    path("plans/<int:year>/units/", views.unit_list, name="api-units"),
    path("plans/<int:year>/awards/", views.award_list, name="api-awards"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
]
