"""The results page's figures as one CSV: a section per table, each with its own header."""

import csv
import io

from campaigns.results.figures import Results
from campaigns.spreadsheets import BOM, neutralise

MEMBER_COLUMNS = [
    "parliament",
    "constituency",
    "area_code",
    "member",
    "letters",
    "replied_yes",
    "replied_no",
    "replied_not_yet",
    "first_letter",
    "supported",
    "supported_on",
    "supported_after_first_letter",
]


def member_row(member) -> list:
    supported = "; ".join(f"{s['action']} ({s['kind']})" for s in member.supports)
    return [
        member.parliament,
        member.constituency,
        member.area_code,
        member.name,
        member.letters,
        member.replied_yes,
        member.replied_no,
        member.not_yet,
        member.first_letter.isoformat() if member.first_letter else "",
        supported,
        member.supported_on.isoformat() if member.supported_on else "",
        "yes" if member.supported_after_letter else "no",
    ]


def sections(results: Results):
    """(title, header, rows) for each table on the page, in its order."""
    yield "Letters per day", ["day", "letters"], [(d.isoformat(), n) for d, n in results.per_day]
    yield "Letters by delivery", ["delivery", "letters"], results.by_delivery
    yield "Letters by state", ["state", "letters"], results.by_state
    yield "Letters by source", ["source", "letters"], results.by_source
    replies = [(label, results.replies[value]) for value, label in results.reply_choices]
    yield "Did the member reply? (supporters' answers)", ["answer", "letters"], replies
    yield (
        "Supporters among members written to and not written to",
        [
            "parliament",
            "members",
            "written_to",
            "supported_after_letter",
            "not_written_to",
            "supported",
        ],
        [
            (
                c.parliament,
                c.members,
                c.written_to,
                c.written_supported,
                c.others,
                c.others_supported,
            )
            for c in results.comparisons
        ],
    )
    yield "Members", MEMBER_COLUMNS, [member_row(member) for member in results.members]


def results_csv(results: Results) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for number, (title, header, rows) in enumerate(sections(results)):
        if number:
            writer.writerow([])
        writer.writerow([title])
        writer.writerow(header)
        for row in rows:
            writer.writerow([neutralise(str(cell)) for cell in row])
    return BOM + buffer.getvalue()
