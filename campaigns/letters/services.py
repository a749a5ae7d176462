"""Writes that span models: making a supporter's letters and counting them."""

import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F

from campaigns.delivery.limits import normalise_email
from campaigns.letters import placeholders
from campaigns.letters.drafts import Draft, member_values
from campaigns.models import Campaign, Letter, Representative

BLANK_LINES = re.compile(r"\n\s*\n(\s*\n)+")
REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O or 1/I to misread


@dataclass(frozen=True)
class Supporter:
    name: str
    email: str
    address: str  # without the postcode
    postcode: str
    marketing_consent: bool = False
    consent_wording: str = ""
    consented_at: datetime | None = None

    @property
    def address_block(self):
        """The address, then the postcode (or Eircode, which an Irish supporter may omit)."""
        return "\n".join(part for part in (self.address.strip(), self.postcode) if part)

    def values(self, personal_paragraph: str) -> dict[str, str]:
        return {
            "supporter_name": self.name,
            "supporter_address": self.address_block,
            "supporter_postcode": self.postcode,
            "supporter_email": self.email,
            "personal_paragraph": personal_paragraph,
        }


@dataclass(frozen=True)
class Written:
    """A draft as the supporter left it: its template, members, subject and body."""

    draft: Draft
    subject: str
    body: str


def new_reference() -> str:
    """A short code for the letter, easy to read out over the phone: ``K7QX-3MPD``."""
    code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"{code[:4]}-{code[4:]}"


def letter_filled(subject: str, body: str, values: dict[str, str]) -> tuple[str, str]:
    """The subject and body as the supporter left them, with every placeholder filled."""
    # An empty personal paragraph would leave a gap of blank lines where it stood.
    filled = BLANK_LINES.sub("\n\n", placeholders.fill_remaining(body, values)).strip()
    return placeholders.fill_remaining(subject, values).strip(), filled


def letter_build(
    *,
    campaign: Campaign,
    member: Representative,
    written: Written,
    supporter: Supporter,
    personal_paragraph: str,
) -> Letter:
    """The final letter to one member: the supporter's text with the placeholders filled."""
    values = member_values(campaign, member) | supporter.values(personal_paragraph)
    subject, body = letter_filled(written.subject, written.body, values)
    untouched = placeholders.render(
        written.draft.template.body, values | {"personal_paragraph": ""}
    )
    area = member.area
    return Letter(
        campaign=campaign,
        parliament=area.parliament,
        representative=member,
        recipient_name=member.name,
        recipient_title=values["representative_title"],
        recipient_email=member.email,
        constituency=area.name,
        area_code=area.code,
        variant=written.draft.template.variant,
        subject=subject,
        body=body,
        personal_percent=round(100 * placeholders.personal_share(body, untouched)),
        supporter_name=supporter.name,
        supporter_email=supporter.email,
        email_key=normalise_email(supporter.email),
        supporter_address=supporter.address.strip(),
        supporter_postcode=supporter.postcode,
        marketing_consent=supporter.marketing_consent,
        consent_wording=supporter.consent_wording,
        consented_at=supporter.consented_at,
        reference=new_reference(),
    )


def letters_create(
    *,
    campaign: Campaign,
    written: list[Written],
    supporter: Supporter,
    personal_paragraph: str,
    delivery: str,
    key: str,
    confirmation_hash: str = "",
    hold_reason: str = "",
    source: str = "",
) -> tuple[list[Letter], bool]:
    """Make one letter per member and count them; return the letters and whether they are new.

    ``key`` comes from the form: posting the same form again, even at the same moment,
    returns the letters the first post made and counts nothing more. Letters we are to
    send wait for their writer's confirmation (``confirmation_hash``); ``hold_reason`` makes
    them wait for staff as well. ``source`` is the link's code (campaigns.reach.sources),
    already normalised.
    """
    letters = [
        letter_build(
            campaign=campaign,
            member=member,
            written=item,
            supporter=supporter,
            personal_paragraph=personal_paragraph,
        )
        for item in written
        for member in item.draft.members
    ]
    ours = delivery == Letter.Delivery.SEND_FOR_ME
    for letter in letters:
        letter.delivery, letter.idempotency_key = delivery, key
        letter.state = Letter.State.PENDING if ours else Letter.State.OWN
        letter.confirmation_hash, letter.hold_reason = confirmation_hash, hold_reason
        letter.source = source
    for _attempt in range(3):
        try:
            # Insert first, read only on a clash: the constraints, not a look beforehand, say
            # whether the letters exist (a look would cost every submission a query).
            with transaction.atomic():
                Letter.objects.bulk_create(letters)
                letters_count_add(campaign, letters)
            return letters, True
        except IntegrityError as clash:
            # The same form posted twice at once: the other request made the letters. (An
            # insert that meets a row another transaction is writing waits for it to end.)
            if earlier := letters_for_key(campaign, key):
                return earlier, False
            # Or another form from the same person to the same member, at the same time.
            members = [letter.representative for letter in letters]
            if ours and (names := already_written(campaign, supporter.email, members, key)):
                raise AlreadyWritten(names) from clash
            for letter in letters:  # or, once in a blue moon, a reference already used
                letter.pk, letter.reference = None, new_reference()
    raise IntegrityError("Could not store the letters: three clashes in a row.")


class AlreadyWritten(Exception):
    """This address has had us write to these members for the campaign already."""

    def __init__(self, names: list[str]):
        super().__init__(", ".join(names))
        self.names = names


def already_written(
    campaign: Campaign, email: str, members: list[Representative], key: str = ""
) -> list[str]:
    """The members this address has already had us write to for the campaign (not failed).

    Letters of the form ``key`` are not "already": they are this very submission.
    """
    earlier = campaign.letters.filter(
        delivery=Letter.Delivery.SEND_FOR_ME,
        email_key=normalise_email(email),
        representative__in=members,
    ).exclude(state=Letter.State.FAILED)
    earlier = earlier.exclude(idempotency_key=key) if key else earlier
    return sorted(set(earlier.values_list("recipient_name", flat=True)))


def letters_for_key(campaign: Campaign, key: str) -> list[Letter]:
    return list(campaign.letters.filter(idempotency_key=key).order_by("id"))


def letters_count_add(campaign: Campaign, letters: list[Letter]) -> None:
    """Add the new letters that count (``Letter.counts``) to the campaign's count, atomically.

    Letters we send count later, when their writer confirms them (delivery.states).
    """
    added = sum(letter.counts for letter in letters)
    if added:
        count = F("letter_count") + added
        Campaign.objects.filter(pk=campaign.pk).update(letter_count=count)


def letter_counts_refresh(campaign_ids):
    """Set each campaign's count to the letters it holds that count (Letter.objects.counted).

    The row is locked first: a supporter's letters made meanwhile are either seen by the
    count or added to it after, never lost.
    """
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().filter(pk__in=campaign_ids).order_by("pk")
        for pk in list(locked.values_list("pk", flat=True)):
            count = Letter.objects.counted().filter(campaign_id=pk).count()
            Campaign.objects.filter(pk=pk).update(letter_count=count)
