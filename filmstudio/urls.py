from __future__ import annotations

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="projects:list", permanent=False), name="home"),
    path("accounts/", include("projects.teams.urls_accounts")),
    path("projects/", include("projects.urls")),
    path("", include("projects.jobs.urls")),
    path("admin/", admin.site.urls),
]
