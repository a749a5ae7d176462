import time

from django.conf import settings
from django.contrib.auth import logout

from core.views import signed_in

STARTED = "staff_session_started"
SEEN = "staff_session_seen"
# Record activity at most once a minute, so a page of requests is not a page of writes.
REFRESH_SECONDS = 60


class StaffSessionMiddleware:
    """Log staff out after ``STAFF_SESSION_IDLE_SECONDS`` idle or ``STAFF_SESSION_MAX_SECONDS``.

    Goes after AuthenticationMiddleware. Only requests carrying a session cookie are looked
    at, so anonymous pages never touch the session (and stay cacheable).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if signed_in(request):
            self.enforce_time_limits(request)
        return self.get_response(request)

    def enforce_time_limits(self, request):
        session, now = request.session, time.time()
        started = session.setdefault(STARTED, now)
        seen = session.get(SEEN, now)
        idle = settings.STAFF_SESSION_IDLE_SECONDS
        if now - seen > idle or now - started > settings.STAFF_SESSION_MAX_SECONDS:
            logout(request)  # flushes the session: it cannot be used again
        elif SEEN not in session or now - seen >= REFRESH_SECONDS:
            session[SEEN] = now
            # The stored session and its cookie lapse on their own once idle, too.
            session.set_expiry(idle + REFRESH_SECONDS)
