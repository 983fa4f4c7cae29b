from __future__ import annotations

import uuid

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.utils import timezone

from generation.models import GenerationJob, JobStatus
from projects.models import Character, Membership, Portrait, Project, Role

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password(PASSWORD)


class ProjectFactory(factory.django.DjangoModelFactory[Project]):
    class Meta:
        model = Project

    title = factory.Sequence(lambda n: f"Film {n}")
    logline = "A story."


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    project = factory.SubFactory(ProjectFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.EDITOR
    # Members of the cast have accepted; an invitation is a membership with accepted_at=None.
    accepted_at = factory.LazyFunction(timezone.now)


class JobFactory(factory.django.DjangoModelFactory[GenerationJob]):
    class Meta:
        model = GenerationJob

    project = factory.SubFactory(ProjectFactory)
    kind = "test_steps"
    params = factory.LazyFunction(lambda: {"steps": 3})
    status = JobStatus.QUEUED
    seq = 1
    celery_task_id = factory.LazyFunction(lambda: str(uuid.uuid4()))


class CharacterFactory(factory.django.DjangoModelFactory[Character]):
    class Meta:
        model = Character

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"PERSON {n}")


class PortraitFactory(factory.django.DjangoModelFactory[Portrait]):
    """A portrait row with a real (tiny) PNG behind it."""

    class Meta:
        model = Portrait
        skip_postgeneration_save = True

    character = factory.SubFactory(CharacterFactory)
    model_name = "DCGAN faces (embedded)"
    latent = factory.LazyFunction(lambda: [0.0] * 100)
    image = factory.Sequence(lambda n: f"jobs/test/faces/{n:02d}.png")

    @factory.post_generation
    def picture(obj: Portrait, create: bool, extracted: object, **kwargs: object) -> None:
        from PIL import Image

        from generation.paths import project_media_root

        path = project_media_root(obj.character.project.public_id) / obj.image
        path.parent.mkdir(parents=True, exist_ok=True)
        Image.new("RGB", (64, 64), (200, 150, 120)).save(path)
