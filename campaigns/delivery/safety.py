"""Who a letter really goes to: the member only where production says so."""

from django.conf import settings


def delivering_to_representatives() -> bool:
    """True only when the production settings have turned it on.

    Only advocacy/settings/production.py reads LETTERS_DELIVER_TO_REPRESENTATIVES from the
    environment; every other settings module fixes it to False.
    """
    return bool(getattr(settings, "LETTERS_DELIVER_TO_REPRESENTATIVES", False))


def letter_recipient(member_email: str) -> str:
    """The member's address in production, opted in; the test recipient everywhere else."""
    return member_email if delivering_to_representatives() else settings.LETTERS_TEST_RECIPIENT
