from __future__ import annotations

from django.urls import path

from projects.jobs import views

app_name = "jobs"

urlpatterns = [
    path("projects/<uuid:project_id>/jobs/", views.job_panel, name="panel"),
    path("projects/<uuid:project_id>/jobs/new/", views.job_create, name="create"),
    path("projects/<uuid:project_id>/models/", views.model_list_page, name="models"),
    path("projects/<uuid:project_id>/models/train/", views.model_train, name="model-train"),
    path("jobs/<uuid:job_id>/", views.job_detail, name="detail"),
    path("jobs/<uuid:job_id>/cancel/", views.job_cancel, name="cancel"),
    path("jobs/<uuid:job_id>/retry/", views.job_retry, name="retry"),
]
