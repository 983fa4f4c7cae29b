from __future__ import annotations

import uuid

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User

from generation.models import GenerationJob, JobStatus
from projects.models import Membership, Project, Role

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


class JobFactory(factory.django.DjangoModelFactory[GenerationJob]):
    class Meta:
        model = GenerationJob

    project = factory.SubFactory(ProjectFactory)
    kind = "test_steps"
    params = factory.LazyFunction(lambda: {"steps": 3})
    status = JobStatus.QUEUED
    seq = 1
    celery_task_id = factory.LazyFunction(lambda: str(uuid.uuid4()))
