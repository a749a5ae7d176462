"""The checklist's blocking line (core.checklist): no name withheld to protect someone.

It asks the same guard the workflow asks before publishing (``withheld_faults``, registered as
a publish check in SafeguardingConfig.ready), so the checklist shows what will be refused.
"""

from django.db import models

from core.checklist import ContentCheck, Level
from safeguarding.guard import PUBLIC, withheld_faults


def withheld_failure(item: models.Model) -> str | None:
    """Where the saved item holds a withheld name, and what to do; None if nowhere."""
    if item._meta.label_lower not in PUBLIC:
        return None
    faults = withheld_faults(type(item)._default_manager.filter(pk=item.pk))
    if not faults:
        return None
    return (
        f"A name or word withheld to protect someone is in: {', '.join(faults[0].fields)}. "
        "Remove it and save: until then it cannot be published."
    )


NO_WITHHELD_NAME = ContentCheck(
    "No name withheld to protect someone", Level.BLOCK, withheld_failure
)
