from django.urls import path

from . import views

urlpatterns = [
    path("tai-lieu/", views.job_list, name="jobs"),
    path("tai-lieu/<int:pk>/", views.job_detail, name="job"),
    path("tai-lieu/<int:pk>/trang-thai/", views.job_status, name="job-status"),
    path("tai-lieu/<int:pk>/tai-ve/", views.job_download, name="job-download"),
]
