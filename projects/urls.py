from __future__ import annotations

from django.urls import path

from projects.animatic import views as animatic_views
from projects.archive import views as archive_views
from projects.characters import views as character_views
from projects.script import views as script_views
from projects.storyboard import views as storyboard_views
from projects.teams import views

app_name = "projects"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("new/", views.project_create, name="create"),
    path("import/", archive_views.archive_import, name="import"),
    path("<uuid:project_id>/", views.project_detail, name="detail"),
    path("<uuid:project_id>/edit/", views.project_edit, name="edit"),
    path("<uuid:project_id>/delete/", views.project_delete, name="delete"),
    path("<uuid:project_id>/members/", views.members, name="members"),
    path("<uuid:project_id>/members/invite/", views.member_invite, name="member-invite"),
    path("<uuid:project_id>/invitation/accept/", views.invitation_accept, name="invitation-accept"),
    path("<uuid:project_id>/invitation/decline/", views.invitation_decline, name="invitation-decline"),
    path("<uuid:project_id>/members/<uuid:membership_id>/role/", views.member_role, name="member-role"),
    path("<uuid:project_id>/members/<uuid:membership_id>/remove/", views.member_remove, name="member-remove"),
    path("<uuid:project_id>/members/<uuid:membership_id>/commenter/", views.member_commenter, name="member-commenter"),
    path("<uuid:project_id>/media/<path:relative>", views.media, name="media"),
    path("<uuid:project_id>/characters/", character_views.character_list, name="characters"),
    path("<uuid:project_id>/characters/new/", character_views.character_create, name="character-create"),
    path("<uuid:project_id>/characters/<uuid:character_id>/", character_views.character_sheet, name="character"),
    path(
        "<uuid:project_id>/characters/<uuid:character_id>/edit/", character_views.character_edit, name="character-edit"
    ),
    path(
        "<uuid:project_id>/characters/<uuid:character_id>/bio/undo/",
        character_views.character_bio_undo,
        name="character-bio-undo",
    ),
    path(
        "<uuid:project_id>/characters/<uuid:character_id>/bio/suggestion/",
        character_views.character_bio_suggestion,
        name="character-bio-suggestion",
    ),
    path(
        "<uuid:project_id>/characters/<uuid:character_id>/choose/",
        character_views.character_choose,
        name="character-choose",
    ),
    path("<uuid:project_id>/storyboard/", storyboard_views.storyboard, name="storyboard"),
    path("<uuid:project_id>/storyboard/<uuid:scene_id>/", storyboard_views.storyboard_scene, name="storyboard-scene"),
    path("<uuid:project_id>/storyboard/<uuid:scene_id>/shots/", storyboard_views.shot_list_edit, name="shot-list-edit"),
    path("<uuid:project_id>/frames/<uuid:frame_id>/", storyboard_views.frame_page, name="frame"),
    path("<uuid:project_id>/frames/<uuid:frame_id>/spec/", storyboard_views.frame_spec, name="frame-spec"),
    path("<uuid:project_id>/frames/<uuid:frame_id>/adjust/", storyboard_views.frame_adjust, name="frame-adjust"),
    path("<uuid:project_id>/frames/<uuid:frame_id>/undo/", storyboard_views.frame_undo, name="frame-undo"),
    path("<uuid:project_id>/frames/<uuid:frame_id>/comments/", storyboard_views.frame_comment, name="frame-comment"),
    path(
        "<uuid:project_id>/comments/<uuid:comment_id>/resolve/",
        storyboard_views.comment_resolve,
        name="comment-resolve",
    ),
    path("<uuid:project_id>/animatic/", animatic_views.animatic_page, name="animatic"),
    path("<uuid:project_id>/animatic/music/", animatic_views.music_upload, name="animatic-music"),
    path(
        "<uuid:project_id>/animatic/music/<uuid:track_id>/delete/",
        animatic_views.music_delete,
        name="animatic-music-delete",
    ),
    path("<uuid:project_id>/frames/<uuid:frame_id>/duration/", animatic_views.frame_duration, name="frame-duration"),
    path(
        "<uuid:project_id>/frames/<uuid:frame_id>/camera-move/",
        animatic_views.frame_camera_move,
        name="frame-camera-move",
    ),
    path("<uuid:project_id>/exports/storyboard.pdf", animatic_views.storyboard_pdf, name="export-storyboard"),
    path("<uuid:project_id>/exports/shots.csv", animatic_views.shot_list_csv, name="export-shots"),
    path("<uuid:project_id>/exports/archive.zip", archive_views.archive_export, name="export-archive"),
    path("<uuid:project_id>/script/", script_views.script_page, name="script"),
    path("<uuid:project_id>/script/breakdown/", script_views.script_breakdown, name="script-breakdown"),
    path("<uuid:project_id>/script/scenes/", script_views.script_scenes, name="script-scenes"),
    path("<uuid:project_id>/script/import/", script_views.script_import, name="script-import"),
    path("<uuid:project_id>/script/export/<str:fmt>/", script_views.script_export, name="script-export"),
    path("<uuid:project_id>/script/preview/", script_views.script_preview, name="script-preview"),
    path("<uuid:project_id>/script/reports/<str:report>/", script_views.script_report, name="script-report"),
    path("<uuid:project_id>/script/notes/", script_views.script_notes_panel, name="script-notes"),
    path("<uuid:project_id>/script/notes/add/", script_views.script_note_add, name="script-note-add"),
    path(
        "<uuid:project_id>/script/notes/<uuid:note_id>/reply/", script_views.script_note_reply, name="script-note-reply"
    ),
    path(
        "<uuid:project_id>/script/notes/<uuid:note_id>/resolve/",
        script_views.script_note_resolve,
        name="script-note-resolve",
    ),
    path(
        "<uuid:project_id>/script/notes/<uuid:note_id>/delete/",
        script_views.script_note_delete,
        name="script-note-delete",
    ),
    path(
        "<uuid:project_id>/script/replies/<uuid:reply_id>/delete/",
        script_views.script_note_reply_delete,
        name="script-note-reply-delete",
    ),
    path("<uuid:project_id>/script/revisions/", script_views.revision_list, name="revisions"),
    path("<uuid:project_id>/script/revision-sets/start/", script_views.revision_set_start, name="revision-set-start"),
    path("<uuid:project_id>/script/numbers/lock/", script_views.scene_numbers_lock, name="scene-numbers-lock"),
    path("<uuid:project_id>/script/numbers/unlock/", script_views.scene_numbers_unlock, name="scene-numbers-unlock"),
    path("<uuid:project_id>/script/revisions/<uuid:revision_id>/", script_views.revision_detail, name="revision"),
    path(
        "<uuid:project_id>/script/revisions/<uuid:revision_id>/revision.fountain",
        script_views.revision_download,
        name="revision-download",
    ),
    path(
        "<uuid:project_id>/script/revisions/<uuid:revision_id>/restore/",
        script_views.revision_restore,
        name="revision-restore",
    ),
]
