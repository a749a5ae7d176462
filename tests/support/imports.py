"""Running import_representatives in a test, at a fixed moment, and reading what it said."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine
from django.core.management import call_command

LONDON = ZoneInfo("Europe/London")
FIRST_IMPORT = datetime(2026, 7, 1, 9, 0, tzinfo=LONDON)
LATER = datetime(2026, 11, 28, 9, 0, tzinfo=LONDON)


def run_import(folder, *options, at=FIRST_IMPORT):
    output = io.StringIO()
    with time_machine.travel(at, tick=False):
        call_command("import_representatives", *options, source=folder, stdout=output)
    return output.getvalue()
