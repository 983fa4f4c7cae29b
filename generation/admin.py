from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from generation import services
from generation.models import GenerationJob, ModelEntry


@admin.register(GenerationJob)
class GenerationJobAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "public_id",
        "kind",
        "project",
        "status",
        "progress_percent",
        "attempts",
        "requested_by",
        "created_at",
        "finished_at",
    )
    list_filter = ("status", "kind", "created_at")
    search_fields = ("public_id", "project__title", "requested_by__username", "message", "error", "celery_task_id")
    list_select_related = ("project", "requested_by")
    readonly_fields = (
        "public_id",
        "seq",
        "celery_task_id",
        "worker",
        "attempts",
        "created_at",
        "started_at",
        "finished_at",
        "heartbeat_at",
        "updated_at",
    )
    actions = ["cancel_jobs", "retry_jobs"]
    date_hierarchy = "created_at"

    @admin.display(description="Progress", ordering="progress")
    def progress_percent(self, obj: GenerationJob) -> str:
        return f"{obj.progress:.0%}"

    def _apply(self, request: HttpRequest, queryset: QuerySet[GenerationJob], action: str) -> None:
        done, skipped = 0, 0
        for job in queryset:
            try:
                if action == "cancel":
                    services.job_cancel(job=job, by=request.user)  # type: ignore[arg-type]
                else:
                    services.job_retry(job=job)
                done += 1
            except ValidationError:
                skipped += 1
        verb = "Cancelled" if action == "cancel" else "Queued again"
        self.message_user(request, f"{verb}: {done}. Skipped (wrong state): {skipped}.", messages.INFO)

    @admin.action(description="Cancel selected jobs")
    def cancel_jobs(self, request: HttpRequest, queryset: QuerySet[GenerationJob]) -> None:
        self._apply(request, queryset, "cancel")

    @admin.action(description="Retry selected failed or cancelled jobs")
    def retry_jobs(self, request: HttpRequest, queryset: QuerySet[GenerationJob]) -> None:
        self._apply(request, queryset, "retry")


@admin.register(ModelEntry)
class ModelEntryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "kind", "backend", "source_short", "license", "project", "is_default", "enabled")
    list_filter = ("kind", "backend", "enabled", "is_default")
    search_fields = ("name", "location", "source", "license", "license_note", "model_name")
    list_select_related = ("project",)
    readonly_fields = ("public_id", "created_at", "trained_by_job")
    raw_id_fields = ("project",)
    fieldsets = (
        (None, {"fields": ("name", "kind", "enabled", "is_default", "project")}),
        ("Where it comes from", {"fields": ("backend", "location", "sha256", "config", "model_name", "api_key_env")}),
        ("Model card", {"fields": ("source", "license", "license_note")}),
        ("Record", {"fields": ("public_id", "created_at", "trained_by_job")}),
    )

    @admin.display(description="Source", ordering="source")
    def source_short(self, obj: ModelEntry) -> str:
        return obj.source if len(obj.source) <= 90 else obj.source[:89] + "…"
