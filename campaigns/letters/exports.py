"""Supporters' letters as CSV that opens safely in a spreadsheet."""

import csv
from collections.abc import Iterable, Iterator

from django.utils import timezone

from campaigns.models import Letter
from campaigns.spreadsheets import BOM, neutralise

COLUMNS = [
    "reference",
    "created_at",
    "campaign",
    "parliament",
    "constituency",
    "area_code",
    "recipient_name",
    "recipient_title",
    "subject",
    "body",
    "supporter_name",
    "supporter_email",
    "supporter_address",
    "supporter_postcode",
    "marketing_consent",
    "consent_wording",
    "consented_at",
    "delivery",
    "personal_percent",
]

CHUNK_SIZE = 2000


def _when(moment) -> str:
    return timezone.localtime(moment).isoformat() if moment else ""


def letter_row(letter: Letter) -> list[str]:
    cells = [
        letter.reference,
        _when(letter.created_at),
        letter.campaign.title,
        letter.parliament.name,
        letter.constituency,
        letter.area_code,
        letter.recipient_name,
        letter.recipient_title,
        letter.subject,
        letter.body,
        letter.supporter_name,
        letter.supporter_email,
        letter.supporter_address,
        letter.supporter_postcode,
        "yes" if letter.marketing_consent else "no",
        letter.consent_wording,
        _when(letter.consented_at),
        letter.get_delivery_display(),
        str(letter.personal_percent),
    ]
    return [neutralise(cell) for cell in cells]


class _Line:
    """A file-like object that hands back what the csv writer writes, for streaming."""

    def write(self, text: str) -> str:
        return text


def letters_csv(letters: Iterable[Letter]) -> Iterator[str]:
    """The CSV, a line at a time: a byte-order mark and a header row, then one row a letter."""
    writer = csv.writer(_Line())
    yield BOM + writer.writerow(COLUMNS)
    for letter in letters:
        yield writer.writerow(letter_row(letter))


def campaign_letters(campaign_ids: Iterable[int]) -> Iterator[Letter]:
    """The campaigns' letters, oldest first, read in chunks so memory stays flat."""
    letters = Letter.objects.filter(campaign__in=list(campaign_ids))
    letters = letters.select_related("campaign", "parliament").order_by("created_at", "id")
    return letters.iterator(chunk_size=CHUNK_SIZE)
