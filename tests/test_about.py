# SPDX-License-Identifier: GPL-3.0-or-later
"""The About and licences page, and the credits that name which models made a project's media."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse

from generation import licences, registry
from generation.models import JobStatus, ModelEntry, ModelKind
from projects.about.selectors import project_credits
from projects.models import Animatic, Character, Project
from tests.conftest import Cast
from tests.factories import JobFactory, PortraitFactory

pytestmark = pytest.mark.django_db


def admin_model() -> ModelEntry:
    return ModelEntry.objects.create(
        name="Mistral 7B (local)",
        kind=ModelKind.TEXT,
        backend="gguf",
        location="/models/mistral.gguf",
        source="mistralai/Mistral-7B-Instruct-v0.3",
        license="Apache-2.0 (staff checked)",
    )


def team_model(project: Project, name: str = "Our cartoon faces") -> ModelEntry:
    return ModelEntry.objects.create(
        name=name,
        kind=ModelKind.GAN,
        backend="checkpoint",
        location=f"media:{project.public_id}/generator.pt",
        source="Trained in filmstudio",
        license="Your own: see the note",
        license_note="Drawn by our art department",
        project=project,
    )


def test_the_about_page_is_public_and_lists_every_models_licence(cast: Cast) -> None:
    registry.ensure_builtin_models()
    staff = admin_model()
    ours = team_model(cast.project)
    theirs = team_model(Project.objects.create(title="Elsewhere"), name="Someone else's faces")
    page = Client().get(reverse("about"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "GPL-3.0-or-later" in html and reverse("about-licence") in html
    for terms in licences.PACKAGED_MODELS:
        assert terms.name in html and terms.weights_licence in html, terms.name
    assert "DigiFace-1M" in html and "non-commercial research only" in html
    assert staff.name in html and staff.license in html
    # A team's own models are theirs: shown to its members, never to the public or another team.
    assert ours.name not in html and theirs.name not in html
    member = Client()
    member.force_login(cast.viewer)
    html = member.get(reverse("about")).content.decode()
    assert ours.name in html and ours.license in html and ours.license_note in html
    assert theirs.name not in html
    # The notices: the Python packages with their licences, the vendored scripts, fonts.
    assert "bpy" in html and "GPL-3.0" in html and "htmx" in html and "DejaVu" in html


def test_every_page_links_the_about_page_and_the_licence_texts_are_served(cast: Cast) -> None:
    login = Client().get(reverse("login")).content.decode()
    assert f'href="{reverse("about")}"' in login and "About and licences" in login
    text = Client().get(reverse("about-licence"))
    assert text["Content-Type"].startswith("text/plain")
    assert "GNU GENERAL PUBLIC LICENSE" in text.content.decode() and "Version 3, 29 June 2007" in text.content.decode()
    notices = Client().get(reverse("about-notices")).content.decode()
    assert notices.startswith("# Third-party notices")


def test_the_credits_name_each_model_that_made_the_projects_media_with_its_terms(cast: Cast) -> None:
    registry.ensure_builtin_models()
    gan = ModelEntry.objects.get(name=registry.BUILTIN_GAN_MODEL["name"])
    text = ModelEntry.objects.get(name=registry.BUILTIN_TEXT_MODEL["name"])
    brick = Character.objects.create(project=cast.project, name="BRICK")
    PortraitFactory.create(character=brick, model=gan, model_name=gan.name)
    PortraitFactory.create(
        character=brick, model=gan, model_name=gan.name, index=1, upscaler="Real-ESRGAN REALESRGAN_X4PLUS_UP4X (…)"
    )
    JobFactory.create(
        project=cast.project,
        kind="write_screenplay",
        status=JobStatus.SUCCEEDED,
        result={"provenance": {"model": text.name, "license": text.license, "seed": 1}},
    )
    JobFactory.create(  # a model since removed is still named, with the licence its job recorded
        project=cast.project,
        kind="shot_list",
        status=JobStatus.SUCCEEDED,
        result={"provenance": {"model": "Old endpoint", "license": "Llama 3 Community Licence"}},
    )
    JobFactory.create(  # a failed run made nothing
        project=cast.project,
        kind="character_bios",
        status=JobStatus.FAILED,
        result={"provenance": {"model": "Never used"}},
    )
    credits = {c.name: c for c in project_credits(project=cast.project)}
    assert set(credits) == {gan.name, licences.REALESRGAN_SHARP.name, text.name, "Old endpoint"}
    faces = credits[gan.name]
    assert (faces.role, faces.licence, faces.non_commercial) == ("Faces", "MIT", True)
    assert "DigiFace-1M" in faces.terms and "non-commercial research only" in faces.terms
    assert credits[text.name].role == "Text" and credits[text.name].licence == "Apache-2.0"
    assert credits["Old endpoint"].licence == "Llama 3 Community Licence"
    assert credits[licences.REALESRGAN_SHARP.name].licence == "BSD-3-Clause"
    # Voices: from the project's animatics, or as the animatic being rendered says.
    assert licences.ESPEAK_VOICES.name in {c.name for c in project_credits(project=cast.project, voices=True)}
    Animatic.objects.create(project=cast.project, voices=True)
    voices = next(c for c in project_credits(project=cast.project) if c.role == "Voices")
    assert voices.licence == "GPL-3.0-or-later"
    assert all(c.role != "Voices" for c in project_credits(project=cast.project, voices=False))
    # An animatic voiced by Piper credits its voice (CC0 voice data).
    Animatic.objects.create(project=cast.project, voices=True, timeline={"voice_engines": ["piper"]})
    piper = next(c for c in project_credits(project=cast.project) if c.role == "Voices")
    assert (piper.name, piper.licence) == (licences.PIPER_JOE.name, "CC0-1.0") and "CC0" in piper.terms


def test_another_teams_model_of_the_same_name_is_never_credited(cast: Cast) -> None:
    other = team_model(Project.objects.create(title="Elsewhere"))
    brick = Character.objects.create(project=cast.project, name="BRICK")
    PortraitFactory.create(character=brick, model=None, model_name=other.name)
    (credit,) = project_credits(project=cast.project)
    assert credit.name == other.name and credit.licence.startswith("unknown")


def test_the_storyboard_pdf_names_the_models_that_made_it_on_its_last_page(cast: Cast) -> None:
    from pypdf import PdfReader

    registry.ensure_builtin_models()
    gan = ModelEntry.objects.get(name=registry.BUILTIN_GAN_MODEL["name"])
    text = ModelEntry.objects.get(name=registry.BUILTIN_TEXT_MODEL["name"])
    PortraitFactory.create(
        character=Character.objects.create(project=cast.project, name="BRICK"), model=gan, model_name=gan.name
    )
    JobFactory.create(
        project=cast.project,
        kind="write_screenplay",
        status=JobStatus.SUCCEEDED,
        result={"provenance": {"model": text.name, "license": text.license}},
    )
    client = Client()
    client.force_login(cast.viewer)
    pdf = client.get(reverse("projects:export-storyboard", kwargs={"project_id": cast.project.public_id}))
    last = " ".join(PdfReader(io.BytesIO(pdf.content)).pages[-1].extract_text().split())
    assert last.startswith("Made with")
    assert f"Faces: {gan.name}" in last and "Licence: MIT." in last
    assert "DigiFace-1M" in last and "non-commercial research only" in last and "Non-commercial use only." in last
    assert f"Text: {text.name}" in last and "Licence: Apache-2.0." in last
    assert licences.STUDIO_LICENCE in last
