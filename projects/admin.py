from __future__ import annotations

from django.contrib import admin

from projects.models import Membership, Project


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Membership
    fk_name = "project"
    extra = 0
    autocomplete_fields = ("user",)
    readonly_fields = ("added_by", "created_at")


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("title", "public_id", "created_by", "member_count", "created_at", "updated_at")
    search_fields = ("title", "logline", "public_id", "created_by__username")
    list_filter = ("created_at",)
    readonly_fields = ("public_id", "created_at", "updated_at")
    inlines = [MembershipInline]

    @admin.display(description="Members")
    def member_count(self, obj: Project) -> int:
        return obj.memberships.count()


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "project", "role", "added_by", "created_at")
    list_filter = ("role",)
    search_fields = ("user__username", "user__email", "project__title")
    list_select_related = ("user", "project", "added_by")
    autocomplete_fields = ("user", "project")
