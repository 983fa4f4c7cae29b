"""Sign up, log in, log out, change password."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_sign_up_logs_the_new_user_in() -> None:
    client = Client()
    response = client.post(
        reverse("signup"),
        {
            "username": "newbie",
            "email": "n@example.com",
            "password1": "a-Long-passw0rd!",
            "password2": "a-Long-passw0rd!",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "Welcome, newbie" in response.content.decode()
    assert response.context["user"].username == "newbie"


def test_sign_up_rejects_a_taken_email_and_a_weak_password() -> None:
    UserFactory.create(username="taken", email="t@example.com")
    response = Client().post(
        reverse("signup"), {"username": "x", "email": "T@example.com", "password1": "123", "password2": "123"}
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "An account with this email already exists." in body
    assert "too short" in body
    assert get_user_model().objects.filter(username="x").count() == 0


def test_log_in_log_out_and_change_password() -> None:
    user = UserFactory.create(username="pat")
    client = Client()
    assert client.post(reverse("login"), {"username": "pat", "password": PASSWORD}).status_code == 302
    assert client.get(reverse("projects:list")).status_code == 200
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "An0ther-long-one", "new_password2": "An0ther-long-one"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("An0ther-long-one")
    client.post(reverse("logout"))
    assert client.get(reverse("projects:list")).status_code == 302


def test_wrong_password_is_refused_with_a_message() -> None:
    UserFactory.create(username="pat")
    response = Client().post(reverse("login"), {"username": "pat", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
