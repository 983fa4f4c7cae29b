"""The storyboard: each scene's shot list, its frames and their notes."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from projects.script.models import Scene
from projects.teams.models import Project


class ShotType(models.TextChoices):
    WIDE = "wide", "Wide"
    MEDIUM = "medium", "Medium"
    CLOSE_UP = "close-up", "Close-up"
    OVER_THE_SHOULDER = "ots", "Over-the-shoulder"
    INSERT = "insert", "Insert"


class CameraMove(models.TextChoices):
    """How the camera moves over a frame while it holds in the animatic (the engine's `animatic.MOVES`)."""

    STATIC = "static", "Static"
    PUSH_IN = "push_in", "Push in"
    PULL_OUT = "pull_out", "Pull out"
    PAN_LEFT = "pan_left", "Pan left"
    PAN_RIGHT = "pan_right", "Pan right"
    TILT_UP = "tilt_up", "Tilt up"
    TILT_DOWN = "tilt_down", "Tilt down"
    PARALLAX = "parallax", "2.5D parallax (depth)"


class Shot(models.Model):
    """One shot of a scene's shot list: what the camera sees, who is in it, what happens."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    scene = models.ForeignKey(Scene, on_delete=models.CASCADE, related_name="shots")
    position = models.PositiveIntegerField()
    shot_type = models.CharField(max_length=12, choices=ShotType.choices)
    camera_angle = models.CharField(max_length=40, default="eye level")
    lens_mm = models.PositiveSmallIntegerField(default=35)
    subjects = models.JSONField(default=list, blank=True)
    description = models.TextField()
    start_line = models.PositiveIntegerField(default=0)
    end_line = models.PositiveIntegerField(default=0)
    provenance = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["scene", "position"]

    def __str__(self) -> str:
        return f"{self.scene} shot {self.position + 1}"


# --- Storyboard ---------------------------------------------------------------------------------


class RenderMode(models.TextChoices):
    DRAFT = "draft", "Draft (Workbench)"
    FINAL = "final", "Final (Cycles + denoiser)"


class Frame(models.Model):
    """A storyboard frame: one shot rendered from its set spec, kept with the script lines it came from."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="frames")
    # A scene whose heading changes gets a new row; its frames stay (marked stale) rather than vanish.
    scene = models.ForeignKey(Scene, null=True, blank=True, on_delete=models.SET_NULL, related_name="frames")
    scene_heading = models.CharField(max_length=500)
    position = models.PositiveIntegerField()
    # The shot as it was when the frame was made (shot lists can be rewritten).
    shot_type = models.CharField(max_length=12, choices=ShotType.choices)
    camera_angle = models.CharField(max_length=40, default="eye level")
    lens_mm = models.PositiveSmallIntegerField(default=35)
    subjects = models.JSONField(default=list, blank=True)
    description = models.TextField(blank=True)
    start_line = models.PositiveIntegerField(default=0)
    end_line = models.PositiveIntegerField(default=0)
    source_text = models.TextField(blank=True)
    is_stale = models.BooleanField(default=False)
    set_spec = models.JSONField(default=dict)
    spec_version = models.PositiveIntegerField(default=1)
    rendered_spec_version = models.PositiveIntegerField(default=0)
    # Files under the project's media folder.
    image = models.CharField(max_length=300, blank=True)
    depth = models.CharField(max_length=300, blank=True)
    stylized = models.CharField(max_length=300, blank=True)
    render_mode = models.CharField(max_length=8, choices=RenderMode.choices, blank=True)
    render_seconds = models.FloatField(null=True, blank=True)
    render_info = models.JSONField(default=dict, blank=True)
    last_job = models.ForeignKey(
        "generation.GenerationJob", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_error = models.TextField(blank=True)
    duration_seconds = models.FloatField(null=True, blank=True)
    # Set by an editor on the timeline; blank: the default for its shot type (`timeline.default_move`).
    camera_move = models.CharField(max_length=12, choices=CameraMove.choices, blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["project", "scene_heading", "position"]
        indexes = [models.Index(fields=["project", "scene", "position"], name="frame_scene_position")]
        constraints = [
            models.UniqueConstraint(
                fields=["scene", "position"], condition=models.Q(scene__isnull=False), name="one_frame_per_shot"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scene_heading} frame {self.position + 1}"

    @property
    def needs_render(self) -> bool:
        return not self.image or self.rendered_spec_version != self.spec_version

    @property
    def shown_image(self) -> str:
        return self.stylized or self.image


class FrameComment(models.Model):
    """A note on a frame, with @mentions, that someone can mark resolved."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    frame = models.ForeignKey(Frame, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(max_length=5000)
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="frame_mentions")
    resolved = models.BooleanField(default=False)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["frame", "created_at", "id"]

    def __str__(self) -> str:
        return f"comment on {self.frame}"
