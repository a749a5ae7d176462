"""The links in a reply question: signed, expiring, one per letter.

A link names its letter and carries Django's signature and the time it was made, so it can be
neither forged nor used for another letter, and stops working once the letter would have been
anonymised anyway. Nothing is stored for it.
"""

from django.core import signing
from django.urls import reverse

from campaigns.letters.supporters import retention

SALT = "campaigns.replies.answer"
MAX_TOKEN = 200  # characters: longer is not one of ours


def reply_token(letter_id: int) -> str:
    return signing.dumps(letter_id, salt=SALT)


def reply_path(letter_id: int) -> str:
    """The answer page's path; the email adds ``?answer=`` to each link."""
    return reverse("campaigns:reply", args=[reply_token(letter_id)])


def letter_id_for(token: str) -> int | None:
    """The letter a link is for; None if it is forged, altered or older than the retention."""
    if not token or len(token) > MAX_TOKEN:
        return None
    try:
        letter_id = signing.loads(token, salt=SALT, max_age=retention())
    except signing.BadSignature:  # SignatureExpired is one too
        return None
    return letter_id if isinstance(letter_id, int) else None
