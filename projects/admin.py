from __future__ import annotations

from django.contrib import admin

from projects.models import (
    Animatic,
    Character,
    Frame,
    FrameComment,
    Location,
    Membership,
    MusicTrack,
    Portrait,
    Project,
    Revision,
    RevisionSet,
    Scene,
    Screenplay,
    ScriptNote,
    ScriptNoteReply,
    ScriptUpdate,
    Shot,
)


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Membership
    fk_name = "project"
    extra = 0
    autocomplete_fields = ("user",)
    readonly_fields = ("added_by", "created_at")
    fields = ("user", "role", "commenter", "accepted_at", "added_by", "created_at")


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
    list_display = ("user", "project", "role", "commenter", "added_by", "created_at", "accepted_at")
    list_filter = ("role", "commenter")
    search_fields = ("user__username", "user__email", "project__title")
    list_select_related = ("user", "project", "added_by")
    autocomplete_fields = ("user", "project")


@admin.register(Screenplay)
class ScreenplayAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("project", "text_length", "scene_numbers_locked", "compacted_through", "parsed_at", "updated_at")
    search_fields = ("project__title", "text")
    list_filter = ("scene_numbers_locked", "updated_at")
    readonly_fields = ("ydoc_snapshot", "compacted_through", "parsed_at", "updated_at", "title_page")
    list_select_related = ("project",)

    @admin.display(description="Characters of text")
    def text_length(self, obj: Screenplay) -> int:
        return len(obj.text)


class ScriptNoteReplyInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ScriptNoteReply
    extra = 0
    fields = ("author", "body", "created_at")
    readonly_fields = ("created_at",)
    autocomplete_fields = ("author",)


@admin.register(ScriptNote)
class ScriptNoteAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("quote", "screenplay", "author", "resolved", "created_at")
    list_filter = ("resolved", "created_at")
    search_fields = ("quote", "body", "screenplay__project__title", "author__username")
    list_select_related = ("screenplay__project", "author")
    # The anchors are Yjs relative positions: only the editor and the services make them.
    readonly_fields = ("start", "end", "quote", "created_at")
    autocomplete_fields = ("author", "resolved_by", "mentions")
    inlines = [ScriptNoteReplyInline]


@admin.register(ScriptNoteReply)
class ScriptNoteReplyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("note", "author", "created_at")
    search_fields = ("body", "author__username", "note__quote")
    list_select_related = ("note", "author")
    readonly_fields = ("created_at",)
    autocomplete_fields = ("note", "author", "mentions")


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("screenplay", "number", "source", "note", "created_at", "updated_at")
    list_filter = ("source", "created_at")
    search_fields = ("screenplay__project__title", "note", "text")
    list_select_related = ("screenplay__project",)
    readonly_fields = ("public_id", "created_at", "updated_at")


@admin.register(RevisionSet)
class RevisionSetAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("screenplay", "number", "name", "base", "started_by", "started_at")
    search_fields = ("screenplay__project__title", "started_by__username")
    list_select_related = ("screenplay__project", "base", "started_by")
    readonly_fields = ("public_id", "base", "started_at")
    raw_id_fields = ("screenplay", "started_by")


@admin.register(ScriptUpdate)
class ScriptUpdateAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("id", "screenplay", "author", "size", "created_at")
    list_filter = ("created_at",)
    search_fields = ("screenplay__project__title", "author__username")
    list_select_related = ("screenplay__project", "author")
    readonly_fields = ("data",)

    @admin.display(description="Bytes")
    def size(self, obj: ScriptUpdate) -> int:
        return len(obj.data)


@admin.register(Scene)
class SceneAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("project", "number", "heading", "int_ext", "location", "time_of_day", "eighths")
    list_filter = ("int_ext", "time_of_day")
    search_fields = ("project__title", "heading", "location")
    list_select_related = ("project",)


@admin.register(Character)
class CharacterAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "project", "in_script", "scene_count", "dialogue_lines", "dialogue_words", "first_scene")
    list_filter = ("in_script", "added_by_hand")
    search_fields = ("name", "project__title", "description", "look")
    list_select_related = ("project",)
    raw_id_fields = ("identity",)


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "project", "scene_count")
    search_fields = ("name", "project__title")
    list_select_related = ("project",)


@admin.register(Shot)
class ShotAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("scene", "position", "shot_type", "camera_angle", "lens_mm", "description")
    list_filter = ("shot_type",)
    search_fields = ("scene__project__title", "scene__heading", "description")
    list_select_related = ("scene__project",)


@admin.register(Portrait)
class PortraitAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("character", "kind", "index", "model_name", "seed", "chosen_at", "created_at")
    list_filter = ("kind", "created_at")
    search_fields = ("character__name", "character__project__title", "model_name", "public_id")
    list_select_related = ("character",)
    raw_id_fields = ("character", "job", "model")
    readonly_fields = ("public_id", "latent", "created_at")


class FrameCommentInline(admin.TabularInline):  # type: ignore[type-arg]
    model = FrameComment
    extra = 0
    fields = ("author", "body", "resolved", "resolved_by", "created_at")
    readonly_fields = ("created_at",)
    raw_id_fields = ("author", "resolved_by")


@admin.register(Frame)
class FrameAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("__str__", "project", "shot_type", "render_mode", "is_stale", "rendered_at")
    list_filter = ("shot_type", "render_mode", "is_stale")
    search_fields = ("scene_heading", "description", "project__title", "public_id")
    list_select_related = ("project",)
    raw_id_fields = ("project", "scene", "last_job")
    readonly_fields = ("public_id", "created_at", "updated_at")
    inlines = [FrameCommentInline]


@admin.register(FrameComment)
class FrameCommentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("frame", "author", "resolved", "created_at")
    list_filter = ("resolved",)
    search_fields = ("body", "author__username", "frame__scene_heading")
    raw_id_fields = ("frame", "author", "resolved_by")


@admin.register(MusicTrack)
class MusicTrackAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "project", "duration_seconds", "size_bytes", "uploaded_by", "created_at")
    search_fields = ("name", "project__title", "public_id")
    raw_id_fields = ("project", "uploaded_by")
    readonly_fields = ("public_id", "created_at", "file", "size_bytes", "duration_seconds")


@admin.register(Animatic)
class AnimaticAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("project", "duration_seconds", "width", "height", "voices", "burn_captions", "created_at")
    list_filter = ("voices", "burn_captions")
    search_fields = ("project__title", "public_id")
    raw_id_fields = ("project", "job", "created_by")
    readonly_fields = ("public_id", "created_at", "timeline")
