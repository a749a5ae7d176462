"""Failed staff logins, counted in the shared cache, slow guessing without locking staff out.

Three counters, each over a 15-minute window:

- per (username, address): after 5 failures that pair is refused until the window ends. This
  is what stops a guesser at one address; the real user elsewhere is not affected.
- per address: after 30 failures (any usernames) the address is refused, against one machine
  spraying many accounts.
- per username: after 10 failures from all addresses together, the username is refused to
  addresses it has never logged in from, against a guesser spread over many machines. An
  address where the user logged in successfully in the last 30 days keeps working, so an
  attacker cannot lock the real user out from their usual place.

A refused attempt is not checked at all (no password hashing, nothing learned), and a refusal
is an immediate answer, never a sleep that would hold a server worker.
"""

from core.ratelimits import (
    cache_delete,
    cache_get,
    cache_set,
    client_ip,
    count_in_window,
    hashed_key,
)

__all__ = ["LoginAttempt", "client_ip"]

WINDOW_SECONDS = 15 * 60
FAILURES_PER_USER_AND_ADDRESS = 5
FAILURES_PER_ADDRESS = 30
FAILURES_PER_USER = 10
KNOWN_ADDRESS_SECONDS = 30 * 24 * 60 * 60


def _key(*parts):
    return hashed_key("staff-login", *parts)


def _count(key):
    return cache_get(key, 0)


class LoginAttempt:
    """One login attempt by ``username`` from ``address``."""

    def __init__(self, username, address):
        username = username.strip().lower()
        self.pair_key = _key("pair", username, address)
        self.address_key = _key("address", address)
        self.user_key = _key("user", username)
        self.known_key = _key("known", username, address)

    def is_blocked(self):
        if _count(self.pair_key) >= FAILURES_PER_USER_AND_ADDRESS:
            return True
        if _count(self.address_key) >= FAILURES_PER_ADDRESS:
            return True
        return _count(self.user_key) >= FAILURES_PER_USER and not cache_get(self.known_key)

    def failed(self):
        for key in (self.pair_key, self.address_key, self.user_key):
            count_in_window(key, WINDOW_SECONDS)

    def succeeded(self):
        cache_delete(self.pair_key)
        cache_set(self.known_key, True, KNOWN_ADDRESS_SECONDS)
