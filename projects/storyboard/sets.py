"""From shots to sets: the set spec of each shot, derived from its scene and the script.

Used by the render runners (jobs.py) and by the services that edit shot lists and relight frames.
A scene's shots share one set (the same seed), so cutting between them keeps the room.
"""

from __future__ import annotations

import functools
import hashlib
from typing import Any

from django.core.exceptions import ValidationError

from generation.engines import physique, setspec
from projects import fountain
from projects.characters.selectors import character_identity_image
from projects.models import Frame, Project, Scene, Shot
from projects.script import selectors as script_selectors
from projects.storyboard import selectors


def scene_lines(text: str, scene: Scene) -> list[str]:
    return text.split("\n")[max(0, scene.start_line - 1) : scene.end_line]


def source_text_of(lines: list[str]) -> str:
    """Script lines as a frame stores them and as staleness compares them: joined and trimmed at both ends (a
    tab-indented first line loses its tabs). One function for both, so storing and comparing never disagree."""
    return "\n".join(lines).strip()


def shot_source(text: str, shot: Shot | dict[str, Any]) -> str:
    start = shot.start_line if isinstance(shot, Shot) else int(shot.get("start_line", 0))
    end = shot.end_line if isinstance(shot, Shot) else int(shot.get("end_line", 0))
    if not start:
        return ""
    return source_text_of(text.split("\n")[start - 1 : end])


def _seed(scene: Scene, part: int | str) -> int:
    """A seed drawn from the scene: per shot position, or `"set"` for the one set every shot of it shares."""
    digest = hashlib.sha256(f"{scene.public_id}:{part}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % (2**31)


@functools.lru_cache(maxsize=4)
def _action_lines(text: str) -> tuple[str, ...]:
    """The script's action paragraphs (no dialogue, no headings): what the script says people do."""
    return tuple(e.text for e in fountain.parse(text).elements if e.kind == "action")


def _figures(project: Project, names: list[str], text: str = "") -> list[setspec.CharacterFigure]:
    """The shot's people as figures carrying their chosen faces (the upscaled one when there is one), their
    looks, and what the script `text` says of those whose look leaves their sex or age open."""
    # Clothes are chosen across the whole cast, so a character wears the same colour in every shot and any two
    # characters who share a scene wear colours far apart (as long as the palette lasts).
    scenes = selectors.cast_by_scene(project=project)
    listed = {n.upper() for names_in in scenes for n in names_in}
    worn = physique.cast_costumes([*scenes, [n for n in names if n.upper() not in listed]])
    cast = sorted({n for names_in in scenes for n in names_in} | set(names))
    people = selectors.characters_named(project=project, names=cast if text else names)

    def look_of(name: str) -> str:
        person = people.get(name)
        return " ".join(part for part in (person.look, person.description) if part) if person else ""

    # Whose sex the look or name already says: their pronouns near someone else's name are theirs, not the other's.
    known = {name: physique.stated_sex(name, look_of(name)) for name in cast} if text else {}
    actions = list(_action_lines(text)) if text else []
    figures: list[setspec.CharacterFigure] = []
    for name in names:
        person = people.get(name)
        path = character_identity_image(person) if person else None
        figures.append(
            setspec.CharacterFigure(
                name=name,
                portrait_path=str(path) if path else "",
                look=look_of(name),
                script=physique.read_script_cues(name, actions, known) if actions else "",
                colour=worn.get(name.upper()),
            )
        )
    return figures


def set_scene(scene: Scene, text: str) -> tuple[Scene, str | None]:
    """The scene whose set this scene is shot in, and that set's location type (None: the scene's own place).

    A heading that is no place (OPENING TITLES, SNIPER SCOPE POV, INSERT) is shot in the set of the nearest
    scene before it that has one; with none before it, its own location decides."""
    if setspec.location_type_for(scene.heading, scene.int_ext, scene.location) != "none":
        return scene, None
    for before in selectors.scenes_before(scene=scene):
        action = "\n".join(scene_lines(text, before))
        kind = setspec.location_type_for(before.heading, before.int_ext, before.location, action)
        if kind != "none":
            return before, kind
    return scene, None


def derive_spec(
    project: Project, scene: Scene, shot: Shot | dict[str, Any], text: str, *, time_of_day: str | None = None
) -> dict[str, Any]:
    """The set spec of one shot: location, time, weather and props from the scene, camera from the shot."""
    get = (lambda k: getattr(shot, k)) if isinstance(shot, Shot) else shot.get
    position = int(get("position") or 0)
    scene_action = "\n".join(scene_lines(text, scene))
    action = shot_source(text, shot) or scene_action
    place, location_type = set_scene(scene, text)
    if place is not scene:  # the previous scene's set, with whatever this scene's lines add to it
        scene_action = "\n".join(scene_lines(text, place)) + "\n" + scene_action
    # The scene's people keep their sides from shot to shot (the 180-degree rule): order them as the scene
    # introduces them, whatever order a shot lists them in.
    cast_order = {name.upper(): i for i, name in enumerate(scene.characters or [])}
    subjects = sorted(
        get("subjects") or [], key=lambda name: (cast_order.get(str(name).upper(), len(cast_order)), name)
    )
    spec = setspec.derive_set_spec(
        heading=scene.heading,
        int_ext=scene.int_ext,
        location=scene.location,
        time_of_day=time_of_day or scene.time_of_day,
        action=action,
        shot=setspec.ShotInfo(
            shot_type=str(get("shot_type")),
            camera_angle=get("camera_angle") or "eye level",
            lens_mm=float(get("lens_mm") or 35),
            subjects=subjects,
        ),
        characters=_figures(project, subjects, text),
        seed=_seed(scene, position),
        set_seed=_seed(place, "set"),
        scene_action=scene_action,
        location_type=location_type,
    )
    return spec.model_dump(mode="json")


def with_current_faces(project: Project, spec: dict[str, Any]) -> dict[str, Any]:
    """The spec with every figure carrying its character's face as chosen now (identities can change)."""
    figures = spec.get("characters") or []
    faces = _figures(project, [f.get("name", "") for f in figures])
    out = dict(spec)
    out["characters"] = [{**fig, "portrait_path": face.portrait_path} for fig, face in zip(figures, faces, strict=True)]
    return out


def relit_spec(frame: Frame, time_of_day: str) -> dict[str, Any]:
    """The frame's set at another time of day: sun, sky, practicals and materials follow; camera and people stay."""
    scene = frame.scene
    if scene is None:
        raise ValidationError("This frame's scene is no longer in the script; it can't be relit.")
    text = script_selectors.script_text(project=frame.project)
    shot = {
        "position": frame.position,
        "shot_type": frame.shot_type,
        "camera_angle": frame.camera_angle,
        "lens_mm": frame.lens_mm,
        "subjects": frame.subjects,
        "start_line": frame.start_line,
        "end_line": frame.end_line,
    }
    fresh = derive_spec(frame.project, scene, shot, text, time_of_day=time_of_day)
    current = frame.set_spec or {}
    for keep in ("camera", "characters"):
        if keep in current:
            fresh[keep] = current[keep]
    if "render" in current:  # size and samples stay; exposure belongs to the light
        fresh["render"] = {**current["render"], "exposure": fresh["render"]["exposure"]}
    return fresh


def first_sentence(text: str) -> str:
    flat = " ".join(text.split())
    for end in (". ", "! ", "? "):
        if end in flat:
            flat = flat[: flat.index(end) + 1]
            break
    return flat[:300]
