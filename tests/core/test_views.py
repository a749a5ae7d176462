"""Who may preview: staff signed in; a request without a session cookie is no one."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.utils.functional import SimpleLazyObject

from core.views import can_preview, may_be_signed_in


def never_looked_up():
    pytest.fail("the user of a request without a session cookie was looked up")


def test_a_request_without_a_session_cookie_is_anonymous_unasked(rf):
    request = rf.get("/")
    request.session = SessionStore()  # as SessionMiddleware leaves it, no cookie sent
    request.user = SimpleLazyObject(never_looked_up)
    assert not may_be_signed_in(request)
    assert not can_preview(request)


def test_a_session_cookie_may_sign_someone_in(rf, settings):
    request = rf.get("/", HTTP_COOKIE=f"{settings.SESSION_COOKIE_NAME}=abc")
    request.session = SessionStore("abc")
    assert may_be_signed_in(request)


@pytest.mark.django_db
def test_a_request_that_did_not_pass_the_middleware_is_asked(rf, admin_user):
    request = rf.get("/")
    request.user = admin_user
    assert may_be_signed_in(request)
    assert can_preview(request)
