"""The finished film: rendered animatics."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from projects.teams.models import Project


class Animatic(models.Model):
    """A rendered animatic of the film: the video, its captions and timeline, and how it was cut."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="animatics")
    job = models.ForeignKey(
        "generation.GenerationJob", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Files under the project's media folder.
    video = models.CharField(max_length=300, blank=True)
    captions_vtt = models.CharField(max_length=300, blank=True)
    captions_srt = models.CharField(max_length=300, blank=True)
    edl = models.CharField(max_length=300, blank=True)
    fcpxml = models.CharField(max_length=300, blank=True)
    duration_seconds = models.FloatField(default=0.0)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    fps = models.PositiveSmallIntegerField(default=24)
    burn_captions = models.BooleanField(default=False)
    voices = models.BooleanField(default=True)
    # The cut as rendered: clips (frame, start, duration, transition), captions and voice lines.
    timeline = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project", "-created_at"]

    def __str__(self) -> str:
        return f"animatic of {self.project} ({self.duration_seconds:.1f} s)"
