from __future__ import annotations

from django.urls import path

from projects import views

app_name = "projects"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("new/", views.project_create, name="create"),
    path("<uuid:project_id>/", views.project_detail, name="detail"),
    path("<uuid:project_id>/edit/", views.project_edit, name="edit"),
    path("<uuid:project_id>/delete/", views.project_delete, name="delete"),
    path("<uuid:project_id>/members/", views.members, name="members"),
    path("<uuid:project_id>/members/invite/", views.member_invite, name="member-invite"),
    path("<uuid:project_id>/members/<uuid:membership_id>/role/", views.member_role, name="member-role"),
    path("<uuid:project_id>/members/<uuid:membership_id>/remove/", views.member_remove, name="member-remove"),
    path("<uuid:project_id>/media/<path:relative>", views.media, name="media"),
]
