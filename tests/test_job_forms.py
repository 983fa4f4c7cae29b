"""Job-start forms take their bounds from the kind's params form: what the browser allows is what the server takes."""

from __future__ import annotations

import typing
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import pytest
from django import forms
from django.core import validators
from django.template import Context, Template, TemplateSyntaxError
from django.test import Client
from django.urls import reverse

from generation import kinds
from generation.models import GenerationJob, ModelEntry, ModelKind
from projects.models import Character, Frame, Scene
from tests.conftest import Cast
from tests.factories import CharacterFactory, PortraitFactory

BOUNDS = {
    "min": validators.MinValueValidator,
    "max": validators.MaxValueValidator,
    "step": validators.StepValueValidator,
    "minlength": validators.MinLengthValidator,
    "maxlength": validators.MaxLengthValidator,
}


@dataclass
class Control:
    """One input, select or textarea of a job form, as the browser sees it."""

    kind: str
    tag: str
    attrs: dict[str, str | None]
    options: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.attrs.get("name") or ""


class JobForms(HTMLParser):
    """The controls of every form that starts a job, each with its kind (from the form or its fieldset)."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action = action
        self.controls: list[Control] = []
        self._form: list[Control] | None = None
        self._fieldset_kind = ""

    def handle_starttag(self, tag: str, attr_list: list[tuple[str, str | None]]) -> None:
        attrs = dict(attr_list)
        if tag == "form" and attrs.get("action") == self.action:
            self._form = []
        elif tag == "fieldset" and self._form is not None:
            self._fieldset_kind = attrs.get("data-kind") or ""
        elif tag in ("input", "select", "textarea") and self._form is not None:
            self._form.append(Control(kind=self._fieldset_kind, tag=tag, attrs=attrs))
        elif tag == "option" and self._form and self._form[-1].tag == "select":
            self._form[-1].options.append(attrs.get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "fieldset":
            self._fieldset_kind = ""
        elif tag == "form" and self._form is not None:
            kind = next((c.attrs.get("value") for c in self._form if c.name == "kind" and c.tag == "input"), "")
            for control in self._form:
                control.kind = control.kind or kind or ""
            self.controls += [c for c in self._form if c.name not in ("kind", "csrfmiddlewaretoken")]
            self._form = None


def job_controls(html: str, project_id: Any) -> list[Control]:
    parser = JobForms(reverse("jobs:create", kwargs={"project_id": project_id}))
    parser.feed(html)
    return parser.controls


def limit(form_field: forms.Field, validator: type[validators.BaseValidator]) -> Any:
    return next((v.limit_value for v in form_field.validators if type(v) is validator), None)


def assert_bounds_match(control: Control) -> None:
    """The control's min/max/step/minlength/maxlength/required/options are those its form field validates."""
    form_field = kinds.get_kind(control.kind).params_form.base_fields.get(control.name)
    assert form_field is not None, f"{control.kind} has no field {control.name!r}, yet a page posts it"
    if control.attrs.get("type") == "hidden":
        return
    where = f"{control.kind}.{control.name}"
    for attr, validator in BOUNDS.items():
        wanted, shown = limit(form_field, validator), control.attrs.get(attr)
        if wanted is None:
            assert shown is None or (attr == "step" and shown == "any"), f"{where}: {attr}={shown} but no validator"
        else:
            assert shown is not None and float(shown) == float(wanted), f"{where}: {attr}={shown}, form says {wanted}"
    if control.tag == "select":  # HTML has no required select whose first option is a value, so Django omits it
        assert form_field.required or "required" not in control.attrs, f"{where}: required, but optional"
    else:
        assert ("required" in control.attrs) == form_field.required, f"{where}: required differs"
    if isinstance(form_field, forms.ChoiceField):
        assert control.tag == "select"
        choices = typing.cast("list[tuple[Any, str]]", form_field.choices)  # a ChoiceField's are pairs, after init
        values = [str(value) for value, _ in choices]
        # The page may offer fewer, in the form's order (the animatic's "Your track" only once one is uploaded),
        # never a choice the form refuses, and never none.
        assert control.options and control.options == [v for v in values if v in control.options], (
            f"{where}: {control.options} are not the form's choices {values}"
        )


def every_field_through_the_tag(kind: kinds.JobKind, project: Any) -> str:
    template = Template(
        '{% load jobs %}{% jobform project kind ids="t" %}{% for name in names %}{% jobfield name %}{% endfor %}'
        "{% endjobform %}"
    )
    names = list(kind.params_form.base_fields)
    return template.render(Context({"project": project, "kind": kind.name, "names": names}))


@pytest.mark.django_db
@pytest.mark.parametrize("kind", [k.name for k in kinds.available_kinds()])
def test_every_kinds_fields_render_with_the_bounds_of_its_params_form(cast: Cast, kind: str) -> None:
    html = every_field_through_the_tag(kinds.get_kind(kind), cast.project)
    controls = job_controls(html, cast.project.public_id)
    assert {c.name for c in controls} == set(kinds.get_kind(kind).params_form.base_fields)
    for control in controls:
        assert_bounds_match(control)


def out_of_bounds() -> list[tuple[str, str, str, str]]:
    """(kind, field, a posted value the form refuses, the message saying why) for every bound of every kind."""
    cases = []
    for kind in kinds.available_kinds():
        for name, form_field in kind.params_form.base_fields.items():
            lo, hi = limit(form_field, validators.MinValueValidator), limit(form_field, validators.MaxValueValidator)
            if lo is not None:
                cases.append((kind.name, name, str(lo - 1), f"greater than or equal to {lo}."))
            if hi is not None:
                cases.append((kind.name, name, str(hi + 1), f"less than or equal to {hi}."))
            shortest = limit(form_field, validators.MinLengthValidator)
            if shortest:
                cases.append((kind.name, name, "x" * (shortest - 1), f"at least {shortest} characters"))
            longest = limit(form_field, validators.MaxLengthValidator)
            if longest is not None:
                cases.append((kind.name, name, "x" * (longest + 1), f"at most {longest} characters"))
            if isinstance(form_field, forms.ChoiceField):
                cases.append((kind.name, name, "nonsense", "Select a valid choice."))
    return cases


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "name", "value", "message"), out_of_bounds())
def test_a_value_out_of_bounds_is_refused_by_the_server_with_a_clear_message(
    cast: Cast, kind: str, name: str, value: str, message: str
) -> None:
    client = Client()
    client.force_login(cast.editor)
    url = reverse("jobs:create", kwargs={"project_id": cast.project.public_id})
    response = client.post(url, {"kind": kind, name: value}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    text = response.content.decode()
    assert "The job was not started:" in text and f"{name}: " in text and message in text
    assert GenerationJob.objects.count() == 0


def studio_with_everything(cast: Cast) -> dict[str, str]:
    """A project where every job form shows: a scene with an unrendered frame, two faces, a diffusion model."""
    from generation.engines.setspec import ShotInfo, derive_set_spec

    scene = Scene.objects.create(
        project=cast.project, position=0, number="1", heading="INT. DINER - NIGHT", start_line=1, end_line=3
    )
    spec = derive_set_spec(
        heading=scene.heading,
        int_ext="INT",
        location="DINER",
        time_of_day="NIGHT",
        action="Joe wipes the counter.",
        shot=ShotInfo(shot_type="wide", camera_angle="eye level", lens_mm=24, subjects=[]),
        characters=[],
        seed=1,
    )
    frame = Frame.objects.create(
        project=cast.project,
        scene=scene,
        scene_heading=scene.heading,
        position=0,
        shot_type="wide",
        set_spec=spec.model_dump(mode="json"),
    )
    joe, ann = (CharacterFactory.create(project=cast.project, name=name) for name in ("JOE", "ANN"))
    for who in (joe, ann):
        Character.objects.filter(pk=who.pk).update(identity=PortraitFactory.create(character=who))
    ModelEntry.objects.create(
        name="A diffusion pipeline",
        kind=ModelKind.DIFFUSION,
        backend="diffusers",
        location="/nowhere",
        source="the test",
        license="test only",
    )
    project = {"project_id": cast.project.public_id}
    return {
        "studio": reverse("projects:detail", kwargs=project),
        "script": reverse("projects:script", kwargs=project),
        "sheet": reverse("projects:character", kwargs={**project, "character_id": joe.public_id}),
        "storyboard": reverse("projects:storyboard", kwargs=project),
        "scene": reverse("projects:storyboard-scene", kwargs={**project, "scene_id": scene.public_id}),
        "frame": reverse("projects:frame", kwargs={**project, "frame_id": frame.public_id}),
        "animatic": reverse("projects:animatic", kwargs=project),
    }


@pytest.mark.django_db
def test_every_job_form_on_the_pages_carries_the_bounds_of_its_kind(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.editor)
    seen: set[str] = set()
    # A new project's Studio page asks for the screenplay first (the overview's logline form).
    new_project = client.get(reverse("projects:detail", kwargs={"project_id": cast.project.public_id}))
    assert 'id="overview-write-form"' in new_project.content.decode()
    urls = studio_with_everything(cast)
    pages = [("new studio", new_project), *((page, client.get(url)) for page, url in urls.items())]
    for page, response in pages:
        assert response.status_code == 200, page
        controls = job_controls(response.content.decode(), cast.project.public_id)
        assert controls, f"no job form on the {page} page"
        for control in controls:
            assert_bounds_match(control)
        seen |= {c.kind for c in controls}
    # Training starts from the models page's upload form, which checks the images first; a big
    # script's import from the script page's import form, which stores the file first.
    started_elsewhere = {"train_character_gan", "import_script"}
    assert seen == {k.name for k in kinds.available_kinds()} - started_elsewhere - {"worker_check"}


def test_a_field_the_kind_does_not_have_is_a_template_error() -> None:
    template = Template('{% load jobs %}{% jobform project "render_frame" %}{% jobfield "frames" %}{% endjobform %}')
    with pytest.raises(TemplateSyntaxError, match="has no field 'frames'"):
        template.render(Context({"project": None}))


@pytest.mark.django_db
def test_upscaling_another_characters_portrait_is_a_clear_400(cast: Cast) -> None:
    edward = CharacterFactory.create(project=cast.project, name="EDWARD")
    sandra = PortraitFactory.create(character=CharacterFactory.create(project=cast.project, name="SANDRA"))
    client = Client()
    client.force_login(cast.editor)
    url = reverse("jobs:create", kwargs={"project_id": cast.project.public_id})
    data = {"kind": "upscale_portrait", "character": str(edward.public_id), "portrait": str(sandra.public_id)}
    response = client.post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert "No such portrait of this character." in response.content.decode()
    assert GenerationJob.objects.count() == 0
