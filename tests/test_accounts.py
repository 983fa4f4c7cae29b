"""Sign up, log in, log out, change password."""

from __future__ import annotations

from typing import Any

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


def test_after_failed_attempts_this_address_is_told_to_wait_and_others_may_still_log_in() -> None:
    """50 wrong passwords, then the right one: refused from here, accepted from elsewhere (no lockout a
    stranger can impose on someone else)."""
    UserFactory.create(username="pat")
    here = Client(REMOTE_ADDR="203.0.113.5")
    answers = [here.post(reverse("login"), {"username": "pat", "password": f"guess{n}"}) for n in range(50)]
    assert [a.status_code for a in answers[:4]] == [200] * 4  # the usual "enter a correct password"
    assert {a.status_code for a in answers[5:]} == {429}
    right = here.post(reverse("login"), {"username": "pat", "password": PASSWORD})
    assert right.status_code == 429
    page = right.content.decode()
    assert "Too many failed attempts from here; try again in 15 minutes." in page
    assert 'name="password"' in page  # still the login page
    assert here.get(reverse("projects:list")).status_code == 302  # not logged in

    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    assert elsewhere.post(reverse("login"), {"username": "pat", "password": PASSWORD}).status_code == 302
    assert elsewhere.get(reverse("projects:list")).status_code == 200
    # Another account from the same address is not locked either.
    UserFactory.create(username="sam")
    assert here.post(reverse("login"), {"username": "sam", "password": PASSWORD}).status_code == 302


def test_a_successful_login_forgets_earlier_failures() -> None:
    UserFactory.create(username="pat")
    client = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(4):
        client.post(reverse("login"), {"username": "pat", "password": "nope"})
    assert client.post(reverse("login"), {"username": "pat", "password": PASSWORD}).status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        assert client.post(reverse("login"), {"username": "pat", "password": "nope"}).status_code == 200


@pytest.mark.django_db(transaction=True)
async def test_the_lockout_page_also_comes_through_the_async_stack() -> None:
    """daphne serves Django as ASGI, where django-axes takes its async path."""
    from asgiref.sync import sync_to_async
    from django.test import AsyncClient

    await sync_to_async(UserFactory.create)(username="pat")
    client = AsyncClient(REMOTE_ADDR="203.0.113.7")
    for n in range(6):
        response = await client.post(reverse("login"), {"username": "pat", "password": f"guess{n}"})
    assert response.status_code == 429
    assert "try again in 15 minutes" in response.content.decode()


def test_behind_the_tls_proxy_the_address_is_the_one_the_proxy_saw(settings: Any) -> None:
    from django.test import RequestFactory

    from filmstudio.clients import client_ip

    spoofed = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.5")
    settings.BEHIND_TLS_PROXY = False
    assert client_ip(spoofed) == "10.0.0.2"
    settings.BEHIND_TLS_PROXY = True
    assert client_ip(spoofed) == "203.0.113.5"  # what the client wrote itself (1.1.1.1) is ignored
    assert client_ip(RequestFactory().get("/", REMOTE_ADDR="10.0.0.2")) == "10.0.0.2"
