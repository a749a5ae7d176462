"""Per-member pacing: each member gets at most their campaign's rate of our letters in any
hour, only in its office hours, in their parliament's time zone; the rest wait their turn.

A letter's slot (Letter.send_after) is the start of the hour it goes in. It is given when the
letter becomes ready, under a lock on the member's row, so two confirmations at once never
take more of an hour than the rate allows, and letters queue in the order they were confirmed.
Every letter to the member with a slot counts against that hour, whatever its campaign or
state since: the office's mail server sees all our letters, and a letter held or failed after
taking its slot still took it (pacing errs on the side of fewer).
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count
from django.utils import timezone

from campaigns.models import Letter, Representative

HOUR = timedelta(hours=1)
SATURDAY = 5


@dataclass(frozen=True)
class Pace:
    """How fast and when a campaign's letters may go to one parliament's members."""

    per_hour: int
    opens: int  # the first office hour, 0-23, local time
    closes: int  # the hour it closes, 1-24, local time
    weekends: bool
    zone: ZoneInfo

    @classmethod
    def of(cls, letter: Letter) -> "Pace":
        campaign = letter.campaign
        return cls(
            per_hour=campaign.letters_per_hour,
            opens=campaign.office_opens,
            closes=campaign.office_closes,
            weekends=campaign.send_at_weekends,
            zone=letter.parliament.zone,
        )

    def is_open(self, hour: datetime) -> bool:
        """Whether the office is open in the hour starting at ``hour``."""
        local = hour.astimezone(self.zone)
        on_a_working_day = self.weekends or local.weekday() < SATURDAY
        return on_a_working_day and self.opens <= local.hour < self.closes


def hour_start(moment: datetime, zone: ZoneInfo) -> datetime:
    """The start of the local hour ``moment`` is in, in UTC."""
    local = moment.astimezone(zone)
    return local.replace(minute=0, second=0, microsecond=0).astimezone(UTC)


def first_free_hour(pace: Pace, now: datetime, taken: dict[datetime, int]) -> datetime:
    """The first office hour, from the one ``now`` is in, with fewer than the rate taken.

    Stepping an hour at a time in UTC from a local hour's start lands on each following
    local hour's start, across a change of clocks too (an hour skipped, or one lived twice).
    """
    start = hour_start(now, pace.zone)
    while not (pace.is_open(start) and taken.get(start, 0) < pace.per_hour):
        start += HOUR
    return start


def slots_taken(representative_id: int | None, since: datetime) -> dict[datetime, int]:
    """How many of the member's letters go in each hour from ``since``: one query."""
    if representative_id is None:
        return {}
    rows = (
        Letter.objects.filter(representative_id=representative_id, send_after__gte=since)
        .values("send_after")
        .annotate(letters=Count("pk"))
        .order_by()
    )
    return {row["send_after"]: row["letters"] for row in rows}


def letters_slot(letters: list[Letter], *, now: datetime | None = None) -> None:
    """Give each letter the first free hour of its member, in the order given, and save it.

    Call inside the transaction that makes the letters ready: the members' rows stay locked
    until it commits, so a second confirmation for the same member waits, then counts these.
    On SQLite, which has no row locks, the letters' own update before this holds the whole
    database's write lock to the same effect.
    """
    now = now or timezone.now()
    members = sorted({letter.representative_id for letter in letters} - {None})
    # In id order, so two confirmations naming the same members cannot deadlock.
    locked = Representative.objects.select_for_update().filter(pk__in=members).order_by("pk")
    list(locked.values_list("pk", flat=True))
    for letter in letters:
        pace = Pace.of(letter)
        taken = slots_taken(letter.representative_id, hour_start(now, pace.zone))
        letter.send_after = first_free_hour(pace, now, taken)
        Letter.objects.filter(pk=letter.pk).update(send_after=letter.send_after)


def waits(letter: Letter, now: datetime | None = None) -> bool:
    """Whether the letter's slot is still to come."""
    return letter.send_after is not None and letter.send_after > (now or timezone.now())


def slot_words(letter: Letter, now: datetime | None = None) -> str:
    """When a waiting letter goes, in words and its parliament's time: "Tuesday 8 December,
    between 9 and 10am (GMT)"; "" once its hour has come."""
    if not waits(letter, now):
        return ""
    zone = letter.parliament.zone
    start = letter.send_after.astimezone(zone)
    end = (letter.send_after + HOUR).astimezone(zone)
    day = f"{start:%A} {start.day} {start:%B}"
    first, last = _clock(start.hour), _clock(end.hour)
    hours = (
        f"{first[0]} and {last[0]}{last[1]}"
        if first[1] == last[1]
        else (f"{''.join(first)} and {''.join(last)}")
    )
    return f"{day}, between {hours} ({start:%Z})"


def _clock(hour: int) -> tuple[str, str]:
    """The hour on a 12-hour clock, and am or pm: (9, "am"), (12, "pm"), (12, "am")."""
    return str(hour % 12 or 12), "am" if hour < 12 else "pm"
