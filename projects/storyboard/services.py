"""Writes about the storyboard: frames from shots, set spec edits, renders, staleness and comments.

A frame keeps the script text its shot came from; when the script settles, a frame whose text is
no longer in its scene is marked stale. A render writes new files into its own job folder and only
then points the frame at them, so a failed render leaves the previous picture in place.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from generation.engines.setlibrary import TIMES
from generation.engines.setschema import SetSpec, validate_set_spec
from projects import events
from projects.models import Frame, FrameComment, Project, Scene, Shot
from projects.storyboard.sets import derive_spec, relit_spec, scene_lines, shot_source, source_text_of
from projects.teams.selectors import mentioned_members


def _changed(frame: Frame, *, created: bool = False) -> None:
    events.publish_frame_changed(
        project_public_id=frame.project.public_id, frame_public_id=frame.public_id, created=created
    )


@transaction.atomic
def frames_for_scene(*, project: Project, scene: Scene, text: str, specs: list[dict[str, Any]]) -> list[Frame]:
    """One frame per shot of a scene (made or updated in place); `specs` are the derived set specs.

    A frame someone edited keeps its edited spec; its shot notes and script lines follow the shot list.
    """
    # The scene's row is the lock: two renders of a new scene can't both create its frames.
    if Scene.objects.select_for_update().filter(pk=scene.pk).first() is None:
        raise ValidationError("That scene left the script while its frames were being made.")
    shots = list(Shot.objects.filter(scene=scene).order_by("position"))
    existing = {f.position: f for f in Frame.objects.select_for_update().filter(project=project, scene=scene)}
    frames = []
    for shot, spec in zip(shots, specs, strict=True):
        frame = existing.get(shot.position) or Frame(project=project, scene=scene, position=shot.position)
        created = frame.pk is None
        edited = frame.pk is not None and frame.render_info.get("edited")
        frame.scene_heading = scene.heading
        frame.shot_type = shot.shot_type
        frame.camera_angle = shot.camera_angle
        frame.lens_mm = shot.lens_mm
        frame.subjects = shot.subjects
        frame.description = shot.description
        frame.start_line, frame.end_line = shot.start_line, shot.end_line
        frame.source_text = shot_source(text, shot)
        frame.is_stale = False
        if not edited and frame.set_spec != spec:
            frame.set_spec = spec
            frame.spec_version = (frame.spec_version or 0) + 1 if frame.pk else 1
        frame.save()
        frames.append(frame)
        _changed(frame, created=created)
    # Shots that are gone: their frames stay, marked stale, until someone deletes them.
    for position, frame in existing.items():
        if position >= len(shots) and not frame.is_stale:
            # updated_at is the card's data-seq: a card pushed without a newer one is dropped by the page.
            Frame.objects.filter(pk=frame.pk).update(is_stale=True, updated_at=timezone.now())
            _changed(frame)
    return frames


@transaction.atomic
def frame_set_spec(*, frame: Frame, spec: SetSpec, note: str = "edited") -> Frame:
    """Replace a frame's set spec (a checked one); the next render of this frame uses it."""
    current = Frame.objects.select_for_update().select_related("project").get(pk=frame.pk)
    history = list(current.render_info.get("history", []))[-9:]
    history.append({"at": timezone.now().isoformat(), "note": note, "spec": current.set_spec})
    current.set_spec = spec.model_dump(mode="json")
    current.spec_version += 1
    current.render_info = {**current.render_info, "edited": True, "history": history}
    current.save()
    _changed(current)
    return current


@dataclass(frozen=True)
class SetAdjustment:
    """The frame page's quick controls as they were typed; an empty one leaves its part of the set alone.

    They stay text until `frame_adjust` reads them, so a refusal can name the value as it was typed.
    """

    time_of_day: str = ""
    sun_strength: str = ""
    lens_mm: str = ""
    practicals_scale: str = ""
    material: str = ""
    color: str = ""  # #rrggbb, with `material`
    roughness: str = ""  # with `material` and `color`

    @classmethod
    def from_form(cls, data: Mapping[str, str]) -> SetAdjustment:
        return cls(**{field.name: data.get(field.name, "") for field in fields(cls)})


def frame_adjust(*, frame: Frame, adjustment: SetAdjustment) -> list[str]:
    """Apply the quick controls to a frame's set: time of day (relight), sun and practical strength, lens,
    a material's colour. Returns what changed, in words (empty: nothing to change, nothing saved); an
    impossible value raises ValidationError naming it, and nothing is changed."""
    spec = copy.deepcopy(frame.set_spec)
    notes = []
    try:
        tod = adjustment.time_of_day
        if tod and tod != spec.get("time_of_day"):
            if tod not in TIMES:
                raise ValueError(f"time of day must be one of {', '.join(TIMES)}")
            spec = relit_spec(frame, tod)
            notes.append(f"relit for {tod}")
        for field, path, value in (
            ("sun_strength", ("lights", "sun", "strength"), adjustment.sun_strength),
            ("lens_mm", ("camera", "lens_mm"), adjustment.lens_mm),
        ):
            if value != "":
                target = spec
                for key in path[:-1]:
                    target = target[key]
                if float(value) != float(target[path[-1]]):
                    target[path[-1]] = float(value)
                    notes.append(f"{field.replace('_', ' ')} {value}")
        scale = adjustment.practicals_scale
        if scale not in ("", "1", "1.0"):
            factor = float(scale)
            if not 0 <= factor <= 20:
                raise ValueError("practical lights can be scaled between 0 and 20 times")
            for light in spec["lights"]["practicals"]:
                light["power"] = round(light["power"] * factor, 3)
            notes.append(f"practicals x{factor:g}")
        material, colour = adjustment.material, adjustment.color
        if material and colour:
            if material not in spec["materials"]:
                raise ValueError(f"there is no material “{material}” in this set")
            rgb = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
            spec["materials"][material]["base_color"] = [round(c, 4) for c in rgb]
            if adjustment.roughness != "":
                spec["materials"][material]["roughness"] = float(adjustment.roughness)
            notes.append(f"{material} recoloured")
        checked = validate_set_spec(spec)
    except (ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        raise ValidationError(str(exc)) from exc
    if notes:
        frame_set_spec(frame=frame, spec=checked, note=", ".join(notes))
    return notes


@transaction.atomic
def frame_undo_spec(*, frame: Frame) -> Frame:
    """Put back the set spec as it was before the last edit."""
    current = Frame.objects.select_for_update().select_related("project").get(pk=frame.pk)
    history = list(current.render_info.get("history", []))
    if not history:
        raise ValidationError("Nothing to undo on this frame.")
    previous = history.pop()
    current.set_spec = previous["spec"]
    current.spec_version += 1
    current.render_info = {**current.render_info, "history": history}
    current.save()
    _changed(current)
    return current


@transaction.atomic
def frame_record_render(
    *, frame_id: int, job_id: int, spec_version: int, files: dict[str, str], info: dict[str, Any]
) -> None:
    """Point the frame at its new pictures (only now: a failed render never touched them)."""
    frame = Frame.objects.select_for_update().select_related("project").filter(pk=frame_id).first()
    if frame is None:
        raise ValidationError("The frame was deleted while it was being made; nothing was kept.")
    frame.image = files["image"]
    frame.depth = files.get("depth", "")
    frame.stylized = ""
    frame.render_mode = info.get("mode", "draft")
    frame.render_seconds = info.get("seconds")
    frame.rendered_spec_version = spec_version
    frame.last_job_id = job_id
    frame.last_error = ""
    frame.rendered_at = timezone.now()
    frame.render_info = {**frame.render_info, "last": info}
    frame.is_stale = False if frame.scene_id else frame.is_stale
    frame.save()
    _changed(frame)


@transaction.atomic
def frame_record_stylized(*, frame_id: int, image: str, info: dict[str, Any]) -> None:
    frame = Frame.objects.select_for_update().select_related("project").filter(pk=frame_id).first()
    if frame is None:
        raise ValidationError("The frame was deleted while it was being made; nothing was kept.")
    frame.stylized = image
    frame.render_info = {**frame.render_info, "stylized": info}
    frame.save(update_fields=["stylized", "render_info", "updated_at"])
    _changed(frame)


@transaction.atomic
def frame_record_export(*, frame_id: int, export: dict[str, str]) -> None:
    """Where the frame's latest .blend and .glb are, with when they were made."""
    frame = Frame.objects.select_for_update().select_related("project").filter(pk=frame_id).first()
    if frame is None:
        raise ValidationError("The frame was deleted while it was being made; nothing was kept.")
    frame.render_info = {**frame.render_info, "export": {**export, "at": timezone.now().isoformat()}}
    frame.save(update_fields=["render_info", "updated_at"])
    _changed(frame)


@transaction.atomic
def frame_record_failure(*, frame_id: int, job_id: int, error: str) -> None:
    frame = Frame.objects.select_related("project").filter(pk=frame_id).first()
    if frame is None:
        return
    Frame.objects.filter(pk=frame_id).update(last_error=error[:2000], last_job_id=job_id, updated_at=timezone.now())
    _changed(frame)


def _has_lines(body: list[str], source: str) -> bool:
    """Whether the source's lines appear, whole and in order, somewhere in the body (moving is fine).

    Each window of the body goes through `source_text_of`, the normalisation the stored text went through, so a
    tab-indented first line compares as it was stored; trailing spaces and CRs never count on either side."""

    def key(text: str) -> list[str]:
        return [line.rstrip() for line in source_text_of(text.split("\n")).split("\n")]

    wanted = key(source)
    n = len(wanted)
    return any(key("\n".join(body[i : i + n])) == wanted for i in range(len(body) - n + 1))


def frames_mark_stale(*, project: Project, text: str) -> int:
    """After the script settles: frames whose script lines changed (or whose scene went away) are stale."""
    changed = 0
    frames = Frame.objects.filter(project=project, is_stale=False).select_related("scene")
    for frame in frames:
        stale = frame.scene is None
        if not stale and frame.source_text:
            stale = not _has_lines(scene_lines(text, frame.scene), frame.source_text)  # type: ignore[arg-type]
        if stale:
            # updated_at is the card's data-seq: the pushed card must be newer than the one on the page,
            # or the page keeps the old one (filmstudio.js drops an incoming card that isn't newer).
            Frame.objects.filter(pk=frame.pk).update(is_stale=True, updated_at=timezone.now())
            frame.project = project
            _changed(frame)
            changed += 1
    return changed


@transaction.atomic
def comment_add(*, frame: Frame, author: User, body: str) -> FrameComment:
    """A comment on a frame; @username mentions of project members are recorded."""
    body = body.strip()
    if not body:
        raise ValidationError("Write something first.")
    if len(body) > 5000:
        raise ValidationError("A comment can be at most 5000 characters.")
    comment = FrameComment.objects.create(frame=frame, author=author, body=body)
    comment.mentions.set(mentioned_members(project=frame.project, body=body))
    Frame.objects.filter(pk=frame.pk).update(updated_at=timezone.now())
    _changed(frame)
    return comment


@transaction.atomic
def comment_set_resolved(*, comment: FrameComment, by: User, resolved: bool) -> FrameComment:
    FrameComment.objects.filter(pk=comment.pk).update(resolved=resolved, resolved_by=by if resolved else None)
    Frame.objects.filter(pk=comment.frame_id).update(updated_at=timezone.now())
    comment.refresh_from_db()
    _changed(comment.frame)
    return comment


@transaction.atomic
def shot_list_save(*, scene: Scene, shots: list[dict[str, Any]], by: User | None) -> list[Frame]:
    """A shot list edited by hand: the shots are replaced, and the scene's frames follow them.

    A frame whose shot changed gets a new set (unless someone edited its set by hand) and shows as
    changed until it is rendered again; frames past the new end of the list are marked stale.
    """
    from projects.script.services import screenplay_for, shot_list_replace

    scene = Scene.objects.select_for_update().select_related("project").get(pk=scene.pk)
    if not shots:
        raise ValidationError("A shot list needs at least one shot.")
    who = by.get_username() if by else ""
    rows = [
        {
            "shot_type": shot["shot_type"],
            "camera_angle": shot["camera_angle"],
            "lens_mm": shot["lens_mm"],
            "subjects": shot["subjects"],
            "description": shot["description"],
            "start_line": shot.get("start_line") or 0,
            "end_line": shot.get("end_line") or 0,
            "provenance": {"by_hand": who},
        }
        for shot in shots
    ]
    shot_list_replace(scene_id=scene.pk, shots=rows)
    text = screenplay_for(scene.project).text
    saved = list(Shot.objects.filter(scene=scene).order_by("position"))
    specs = [derive_spec(scene.project, scene, shot, text) for shot in saved]
    return frames_for_scene(project=scene.project, scene=scene, text=text, specs=specs)
