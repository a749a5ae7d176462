"""What makes a public item sensitive, and the version of it a safeguarding reviewer approves.

The workflow (core.workflow) asks each item for ``public_values()`` and ``needs_safeguarding()``;
models declared to the guard get both from ``Safeguarded``.
"""

from django.db import models

from safeguarding.guard import declared, field_text, withheld_fields, withheld_names_count


def public_values(obj: models.Model) -> dict:
    """The text of obj's declared public fields, and of the rows shown on its page."""
    entry = declared(obj)
    values = {name: field_text(obj, name) for name in entry.fields}
    for relation in entry.rows if obj.pk else ():
        values[relation] = [public_values(row) for row in getattr(obj, relation).all()]
    return values


def carries_withheld_names(obj: models.Model) -> bool:
    """Names are withheld on obj, or its public text holds one (what the guard flags)."""
    return withheld_names_count(owner=obj) > 0 or bool(withheld_fields(obj))


class Safeguarded:
    """For a Publishable model declared to the guard: its version, and when it is sensitive."""

    def public_values(self) -> dict:
        return public_values(self)

    def needs_safeguarding(self) -> bool:
        return self.sensitive or carries_withheld_names(self)
