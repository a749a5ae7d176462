"""A change that waits: the rows hold what the public sees, a reversion revision the rest.

When staff change a published sensitive item, the public must go on seeing the version a
safeguarding reviewer approved. The database rows (the item, its inline rows, its links)
always hold that live version, so public pages read nothing else and cost no more queries;
the change waits as a django-reversion ``Revision`` named by the item's ``pending_revision``.
The rules (when a change waits, who approves it) are in ``core.workflow``; this module only
keeps and brings back versions.
"""

import reversion
from django.db import IntegrityError, connection, models, transaction
from reversion.errors import RevertError
from reversion.models import Revision, Version

LOST = (
    "The waiting change could not be brought back: it names something deleted since it was "
    "saved (a spokesperson, a country). Discard it, then make the change again."
)

# The workflow's own fields: bringing back a version (a waiting change, the live version, an
# old one from the history) brings back its text, never these.
WORKFLOW_STATE = ("status", "approved_version", "sensitive", "edited_by", "pending_revision")


def kept_fields(model: type[models.Model]) -> tuple[str, ...]:
    """What bringing back a version of a ``model`` item leaves as it is now."""
    return (*WORKFLOW_STATE, *getattr(model, "public_counts", ()))


def revision_of(item: models.Model, *, by, comment: str) -> Revision:
    """Store item as it is now, with the rows reversion follows from it, as a new revision."""
    if reversion.is_active():  # it would join the open revision, and not be saved on its own
        raise RuntimeError("revision_of() is called outside any reversion.create_revision().")
    with reversion.create_revision(manage_manually=True):
        reversion.set_user(by if getattr(by, "pk", None) else None)
        reversion.set_comment(comment)
        reversion.add_to_revision(item)
    return newest_revision(item)


def newest_revision(item: models.Model, *, after: Revision | None = None) -> Revision | None:
    """The newest revision that holds item (only one newer than ``after``, if given)."""
    versions = Version.objects.get_for_object(item).select_related("revision")
    if after is not None:
        versions = versions.filter(revision_id__gt=after.pk)
    version = versions.order_by("-pk").first()
    return version.revision if version else None


def revision_restore(revision: Revision, item: models.Model) -> None:
    """Make revision's version of item its rows again (rows it does not hold are deleted),
    keeping the workflow's fields and the public's counts as they are now.

    Raises RevertError, changing nothing, if the version links to rows deleted since.
    """
    rows = type(item)._base_manager.filter(pk=item.pk)
    kept = rows.values(*kept_fields(type(item))).get()
    try:
        with transaction.atomic():
            revision.revert(delete=True)
            # Links are checked only at commit: check them now, while this can be undone.
            connection.check_constraints(table_names=_tables(revision))
    except (IntegrityError, RevertError) as error:
        raise RevertError(LOST) from error
    rows.update(**kept)


def _tables(revision: Revision) -> list[str]:
    """The tables reverting revision writes to: its models' own and their links'."""
    models_in_it = {version._model for version in revision.version_set.all()}
    return sorted(
        table
        for model in models_in_it
        for table in (
            model._meta.db_table,
            *(field.remote_field.through._meta.db_table for field in model._meta.many_to_many),
        )
    )
