"""Quiet anti-abuse: per-network and per-address limits in the shared cache.

Over a limit, a letter is held for staff to review, never refused: a church hall on one
Wi-Fi address still gets its letters through. The counters live in Django's cache (Redis in
production), so every app server sees the same counts.
"""

from dataclasses import dataclass

from core.ratelimits import count_in_window, hashed_key


@dataclass(frozen=True)
class Limit:
    kind: str  # "network" or "address"
    seconds: int
    most: int
    says: str


LIMITS = [
    Limit("network", 10 * 60, 5, "more than 5 letters from one network in 10 minutes"),
    Limit("network", 24 * 60 * 60, 30, "more than 30 letters from one network in a day"),
    Limit("address", 10 * 60, 3, "more than 3 letters from one email address in 10 minutes"),
    Limit("address", 24 * 60 * 60, 10, "more than 10 letters from one email address in a day"),
]


def normalise_email(email: str) -> str:
    """One key per mailbox: case folded, and any +tag dropped (jo+x@ and Jo@ are one)."""
    local, _, domain = email.strip().casefold().rpartition("@")
    return f"{local.split('+', 1)[0]}@{domain}"


def count_submission(*, network: str, email_key: str) -> str:
    """Count one submission against every limit; the first limit now passed, or ""."""
    passed = ""
    for limit in LIMITS:
        value = network if limit.kind == "network" else email_key
        key = hashed_key(f"letters-{limit.kind}-{limit.seconds}", value)
        if count_in_window(key, limit.seconds) > limit.most and not passed:
            passed = f"Held: {limit.says}."
    return passed
