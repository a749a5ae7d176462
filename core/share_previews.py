"""Share-preview links: one saved version of an item, for a reviewer without an account.

A link shows the version saved when it was made (a reversion Revision made then), for
``SHARE_PREVIEW_HOURS``, until someone revokes it. Its token is random and only its hash is
kept. Each time it is opened, the version must still pass every publish check (the
withheld-names guard) and still be the text that was shared; otherwise the link is refused.
"""

import hashlib
import secrets

import reversion
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reversion.models import Revision, Version

from core.models import SharePreview, Transition
from core.publishing import publish_refusals
from core.workflow import version_digest


class SharePreviewRefused(Exception):
    """The link cannot be made or shown: the message says why, in words staff understand."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _refusal(item: models.Model) -> str:
    """Why the registered publish checks refuse item as it is in the rows now, or ""."""
    refusals = publish_refusals(type(item)._default_manager.filter(pk=item.pk))
    return " ".join(f"Not shared: {check.explanation}" for check, _items in refusals)


def share_preview_create(*, item: models.Model, by) -> tuple[SharePreview, str]:
    """A new link to item as saved now; returns it and its token (shown once, never kept)."""
    item = type(item)._default_manager.get(pk=item.pk)  # as saved, whatever the caller holds
    waiting = getattr(item, "pending_revision", None)  # a published item's change that waits
    digest, message = _waiting_version(item, waiting) if waiting else _as_saved(item)
    if message:
        raise SharePreviewRefused(message)
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        link = SharePreview.objects.create(
            content_type=ContentType.objects.get_for_model(item),
            object_id=item.pk,
            revision=waiting or _revision_as_saved(item, by=by),
            digest=digest,
            token_hash=token_hash(token),
            created_by=by,
        )
    return link, token


def _as_saved(item: models.Model) -> tuple[str, str]:
    """The digest of item as its rows hold it, and why a publish check refuses it ("")."""
    return version_digest(item), _refusal(item)


class _RolledBack(Exception):
    """Raised to undo putting a version into the rows once it has been read."""


def _waiting_version(item: models.Model, waiting: Revision) -> tuple[str, str]:
    """The same for the change waiting for approval: a reviewer shares what they will approve,
    not the live version. It is read with the change in the rows, then rolled back."""
    try:
        with transaction.atomic():
            waiting.revert(delete=True)
            found = _as_saved(type(item)._default_manager.get(pk=item.pk))
            raise _RolledBack
    except _RolledBack:
        return found


def _revision_as_saved(item: models.Model, *, by) -> Revision:
    """A revision holding item (and its rows) as saved now: its latest if that is the same,
    else a new one, so sharing twice does not fill its history with copies."""
    latest = Version.objects.get_for_object(item).select_related("revision").first()
    with reversion.create_revision(atomic=False):
        reversion.add_to_revision(item)
        reversion.set_user(by)
        reversion.set_comment("Shared as a preview link.")
    made = Version.objects.get_for_object(item).select_related("revision").first().revision
    if latest and _contents(latest.revision) == _contents(made):
        made.delete()
        return latest.revision
    return made


def _contents(revision: Revision) -> dict:
    versions = revision.version_set.all()
    return {
        (version.content_type_id, version.object_id): version.serialized_data
        for version in versions
    }


def share_preview_revoke(*, link: SharePreview, by) -> bool:
    """Stop link working now; False if it was revoked already."""
    revoked = SharePreview.objects.filter(pk=link.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=by
    )
    link.refresh_from_db()
    return bool(revoked)


def share_preview_find(token: str) -> SharePreview | None:
    link = SharePreview.objects.select_related("content_type", "created_by")
    return link.filter(token_hash=token_hash(token)).first()


def shared_version_write(link: SharePreview) -> models.Model:
    """Put the link's version into the rows (call inside a transaction that is rolled back)
    and return the item; refuse if it is gone, changed since, or refused by a publish check."""
    model = link.content_type.model_class()
    if not model._default_manager.filter(pk=link.object_id).exists():
        raise SharePreviewRefused("The item this link showed has been deleted.")
    if _taken_down_since(link):
        raise SharePreviewRefused("The item this link showed has been withdrawn.")
    link.revision.revert(delete=True)
    item = model._default_manager.get(pk=link.object_id)
    if version_digest(item) != link.digest or _refusal(item):
        raise SharePreviewRefused("The version this link showed has been withdrawn.")
    return item


def _taken_down_since(link: SharePreview) -> bool:
    """Taking an item down takes it down everywhere: its share links made before too."""
    steps = Transition.objects.filter(content_type=link.content_type, object_id=link.object_id)
    return steps.filter(name="take_down", at__gte=link.created_at).exists()


def share_preview_notice(link: SharePreview) -> str:
    """The banner on a shared preview: who shared it (first name only), and until when."""
    name = link.created_by.first_name if link.created_by else ""
    expires = formats.date_format(timezone.localtime(link.expires_at), "j F Y, H:i")
    return _("Preview shared by %(name)s: not published, expires %(expires)s.") % {
        "name": name or _("our team"),
        "expires": expires,
    }
