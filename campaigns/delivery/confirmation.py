"""The supporter's confirmation link: a random token, kept only as its hash."""

import hashlib
import secrets
from datetime import timedelta

from django.utils import timezone

from campaigns.models import Letter

TOKEN_BYTES = 32  # 256 random bits
CONFIRM_WITHIN = timedelta(days=7)  # how long a confirmation link works
REMIND_AFTER = timedelta(days=2)

State = Letter.State


def new_token() -> tuple[str, str]:
    """A token for the link, and the hash stored in its place."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def letters_for_token(token: str) -> list[Letter]:
    """The letters the link confirms (none for a forged or purged one)."""
    if not token or len(token) > 100:
        return []
    letters = Letter.objects.filter(confirmation_hash=token_hash(token))
    return list(letters.select_related("campaign", "parliament").order_by("id"))


def expired(letter: Letter) -> bool:
    return letter.state == State.PENDING and letter.created_at < timezone.now() - CONFIRM_WITHIN
