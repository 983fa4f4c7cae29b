from __future__ import annotations

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from projects.about import views as about_views

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="projects:list", permanent=False), name="home"),
    path("about/", about_views.about, name="about"),
    path("about/LICENSE", about_views.licence_text, name="about-licence"),
    path("about/THIRD_PARTY.md", about_views.notices_text, name="about-notices"),
    path("accounts/", include("projects.teams.urls_accounts")),
    path("projects/", include("projects.urls")),
    path("", include("projects.jobs.urls")),
    path("admin/", admin.site.urls),
]
