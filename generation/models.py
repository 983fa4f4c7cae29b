"""Generation jobs: every model run is a row first, then a Celery message carrying its id."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


ACTIVE_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)
FINISHED_STATUSES = (JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED)


class GenerationJob(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # A string reference: the machine knows that a job belongs to a project, never what a project is.
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="jobs")
    kind = models.CharField(max_length=40, db_index=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED, db_index=True)
    progress = models.FloatField(default=0.0)
    message = models.CharField(max_length=500, blank=True)
    # Bumped by every state or progress change; clients drop anything older than what they have.
    seq = models.PositiveBigIntegerField(default=0)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # What the job's runs have written so far (its runner decides the shape), saved in the same
    # transaction as the writing: a later attempt or a retry resumes from it instead of writing twice.
    checkpoint = models.JSONField(default=dict, blank=True)
    celery_task_id = models.CharField(max_length=64, blank=True)
    # When the queue took the job's message; empty while it could not be sent (Redis was down):
    # the reaper sends it once the queue is back.
    sent_at = models.DateTimeField(null=True, blank=True)
    # A picture of the work in progress (a loss plot, a sample grid), under the job's folder.
    preview = models.CharField(max_length=200, blank=True)
    worker = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["project", "-created_at"], name="job_project_recent"),
            models.Index(fields=["status", "heartbeat_at"], name="job_status_heartbeat"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__gte=0.0) & models.Q(progress__lte=1.0),
                name="job_progress_0_1",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in JobStatus]), name="job_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.public_id} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def can_retry(self) -> bool:
        # A job that came in with an imported archive has no task id: it is history, not to be re-run.
        return self.status in (JobStatus.FAILED, JobStatus.CANCELLED) and bool(self.celery_task_id)


class ModelKind(models.TextChoices):
    TEXT = "text", "Text"
    GAN = "gan", "Character GAN"
    DIFFUSION = "diffusion", "Diffusion"


class ModelBackend(models.TextChoices):
    PACKAGE_GGUF = "package-gguf", "GGUF file in an installed package"
    TRANSFORMERS = "transformers", "Local transformers folder"
    GGUF = "gguf", "Local GGUF file"
    OPENAI = "openai", "OpenAI-compatible endpoint"
    PACKAGE_FILE = "package-file", "Weights file in an installed package"
    CHECKPOINT = "checkpoint", "Local checkpoint file"
    DIFFUSERS = "diffusers", "Local diffusers pipeline (folder, or .safetensors with a config folder)"


class ModelEntry(models.Model):
    """A model a team can choose, with where it comes from and under what license."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=12, choices=ModelKind.choices, default=ModelKind.TEXT)
    backend = models.CharField(max_length=20, choices=ModelBackend.choices)
    location = models.CharField(
        max_length=500, help_text="package:file for a packaged GGUF, a folder or file path, or an endpoint base URL"
    )
    model_name = models.CharField(max_length=200, blank=True, help_text="The model name an endpoint expects")
    api_key_env = models.CharField(
        max_length=100, blank=True, help_text="Name of the environment variable on the workers that holds the API key"
    )
    source = models.TextField(help_text="Where the weights come from")
    license = models.CharField(max_length=200)
    license_note = models.TextField(blank=True, help_text="Terms users should know when they choose it")
    sha256 = models.CharField(max_length=64, blank=True, help_text="The weights file's hash, checked at every load")
    config = models.JSONField(default=dict, blank=True, help_text='Shape of the model, e.g. {"nz": 100}')
    # A model a team trained is theirs: only that project's members see and choose it.
    project = models.ForeignKey(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="models",
        help_text="Empty: every team",
    )
    trained_by_job = models.ForeignKey(
        "GenerationJob", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_default = models.BooleanField(default=False)
    enabled = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"], condition=models.Q(is_default=True), name="one_default_model_per_kind"
            )
        ]

    def __str__(self) -> str:
        return self.name
