"""Film projects and who may work in them."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    EDITOR = "editor", "Editor"
    VIEWER = "viewer", "Viewer"


# Higher ranks include what lower ranks may do.
ROLE_RANK = {Role.VIEWER: 1, Role.EDITOR: 2, Role.OWNER: 3}


class Project(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(max_length=200)
    logline = models.TextField(blank=True, max_length=2000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", through_fields=("project", "user"), related_name="film_projects"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.title


class Membership(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VIEWER)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="one_membership_per_user"),
            models.CheckConstraint(condition=models.Q(role__in=[r.value for r in Role]), name="membership_role_valid"),
        ]
        ordering = ["project", "user__username"]

    def __str__(self) -> str:
        return f"{self.user} as {self.role} in {self.project}"

    def can(self, needed: str) -> bool:
        return ROLE_RANK[Role(self.role)] >= ROLE_RANK[Role(needed)]

    @property
    def can_write(self) -> bool:
        return self.can(Role.EDITOR)

    @property
    def can_manage(self) -> bool:
        return self.can(Role.OWNER)


# --- The screenplay ----------------------------------------------------------------------------


class Screenplay(models.Model):
    """A project's script: the CRDT document (snapshot + update log) and its current Fountain text."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="screenplay")
    text = models.TextField(blank=True)
    # CRDT state: a snapshot (a Yjs update encoding the whole document) covering every
    # ScriptUpdate with id <= compacted_through; later updates are applied on top when loading.
    ydoc_snapshot = models.BinaryField(default=b"", blank=True)
    compacted_through = models.BigIntegerField(default=0)
    title_page = models.JSONField(default=dict, blank=True)
    parsed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Screenplay of {self.project}"


class ScriptUpdate(models.Model):
    """One CRDT update as a client (or the server) sent it: the log that loses no edit."""

    screenplay = models.ForeignKey(Screenplay, on_delete=models.CASCADE, related_name="updates")
    data = models.BinaryField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"update {self.pk} ({len(self.data)} bytes)"


class RevisionSource(models.TextChoices):
    EDIT = "edit", "Edited"
    IMPORT = "import", "Imported"
    RESTORE = "restore", "Restored"
    GENERATION = "generation", "Generated"


class Revision(models.Model):
    """A Fountain snapshot of the script, written as edits settle (throttled) and on import/restore."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    screenplay = models.ForeignKey(Screenplay, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    text = models.TextField(blank=True)
    source = models.CharField(max_length=12, choices=RevisionSource.choices, default=RevisionSource.EDIT)
    note = models.CharField(max_length=300, blank=True)
    authors = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["screenplay", "number"], name="one_revision_number_per_script")]

    def __str__(self) -> str:
        return f"r{self.number} of {self.screenplay.project}"


# Names longer than their column are fitted with projects.fountain.names.fit_name.
CHARACTER_NAME_LENGTH = 200
LOCATION_NAME_LENGTH = 300


def pages_display(eighths: int) -> str:
    """Script length the industry way: 2 3/8 (pages and eighths), 5/8, 1."""
    pages, rest = divmod(eighths, 8)
    parts = [str(pages)] if pages else []
    if rest or not parts:
        parts.append(f"{rest}/8")
    return " ".join(parts)


class Scene(models.Model):
    """A scene of the breakdown, rebuilt from the Fountain text each time it settles."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="scenes")
    position = models.PositiveIntegerField()
    number = models.CharField(max_length=20)
    heading = models.CharField(max_length=500)
    int_ext = models.CharField(max_length=20, blank=True)
    location = models.CharField(max_length=LOCATION_NAME_LENGTH, blank=True)
    time_of_day = models.CharField(max_length=100, blank=True)
    eighths = models.PositiveIntegerField(default=0)
    start_line = models.PositiveIntegerField()
    end_line = models.PositiveIntegerField()
    characters = models.JSONField(default=list, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    synopsis = models.TextField(blank=True)

    class Meta:
        ordering = ["project", "position"]
        constraints = [models.UniqueConstraint(fields=["project", "position"], name="one_scene_per_position")]

    def __str__(self) -> str:
        return f"{self.number}. {self.heading}"

    @property
    def length_display(self) -> str:
        return pages_display(self.eighths)


class Character(models.Model):
    """A character found in the script (or added by hand); kept across re-parses by name."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="characters")
    name = models.CharField(max_length=CHARACTER_NAME_LENGTH)
    in_script = models.BooleanField(default=True)
    added_by_hand = models.BooleanField(default=False)
    first_scene = models.CharField(max_length=20, blank=True)
    scene_count = models.PositiveIntegerField(default=0)
    dialogue_lines = models.PositiveIntegerField(default=0)
    dialogue_words = models.PositiveIntegerField(default=0)
    extensions = models.JSONField(default=list, blank=True)
    description = models.TextField(blank=True)
    # The bio the script generator derives from the script (editable); the character designer reads it.
    look = models.TextField(blank=True)
    personality = models.TextField(blank=True)
    wants = models.TextField(blank=True)
    needs = models.TextField(blank=True)
    key_actions = models.TextField(blank=True)
    bio_provenance = models.JSONField(default=dict, blank=True)
    notes = models.TextField(blank=True)
    # The chosen face: its latent is the character's identity; frames and the animatic use it.
    identity = models.ForeignKey(
        "Portrait", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_constraint=True
    )
    # Bumped by every save of the sheet, so two people saving at once can't overwrite each other.
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True, null=True)

    class Meta:
        ordering = ["project", "-dialogue_words", "name"]
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="one_character_name_per_project")]

    def __str__(self) -> str:
        return self.name


class PortraitKind(models.TextChoices):
    CANDIDATE = "candidate", "Candidate"
    VARIATION = "variation", "Variation"
    BLEND = "blend", "Blend"


class Portrait(models.Model):
    """A face the character GAN drew for a character: its latent, the model and seed, its picture."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    character = models.ForeignKey(Character, on_delete=models.CASCADE, related_name="portraits")
    kind = models.CharField(max_length=12, choices=PortraitKind.choices, default=PortraitKind.CANDIDATE)
    job = models.ForeignKey(
        "generation.GenerationJob", null=True, blank=True, on_delete=models.SET_NULL, related_name="portraits"
    )
    model = models.ForeignKey(
        "generation.ModelEntry", null=True, blank=True, on_delete=models.SET_NULL, related_name="portraits"
    )
    model_name = models.CharField(max_length=120)
    model_sha256 = models.CharField(max_length=64, blank=True)
    latent = models.JSONField()
    seed = models.BigIntegerField(default=0)
    index = models.PositiveIntegerField(default=0)
    # Paths under the project's media folder.
    image = models.CharField(max_length=300)
    upscaled = models.CharField(max_length=300, blank=True)
    upscaler = models.CharField(max_length=120, blank=True)
    score = models.FloatField(null=True, blank=True)
    matched = models.JSONField(default=list, blank=True)
    missed = models.JSONField(default=list, blank=True)
    # A variation's source, or a blend's two ends and where between them it lies.
    parents = models.JSONField(default=dict, blank=True)
    chosen_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["character", "-created_at", "index"]
        constraints = [
            models.UniqueConstraint(fields=["job", "index"], name="one_portrait_per_job_index"),
        ]
        indexes = [models.Index(fields=["character", "job"], name="portrait_character_job")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.index + 1} of {self.character}"

    @property
    def best_image(self) -> str:
        return self.upscaled or self.image


class Location(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="locations")
    name = models.CharField(max_length=LOCATION_NAME_LENGTH)
    scene_count = models.PositiveIntegerField(default=0)
    scene_numbers = models.JSONField(default=list, blank=True)
    int_ext = models.JSONField(default=list, blank=True)
    times_of_day = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["project", "-scene_count", "name"]
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="one_location_name_per_project")]

    def __str__(self) -> str:
        return self.name


class ShotType(models.TextChoices):
    WIDE = "wide", "Wide"
    MEDIUM = "medium", "Medium"
    CLOSE_UP = "close-up", "Close-up"
    OVER_THE_SHOULDER = "ots", "Over-the-shoulder"
    INSERT = "insert", "Insert"


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
