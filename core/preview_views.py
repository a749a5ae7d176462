"""The public address of a share-preview link: the shared version, or why it no longer works."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from core import abuse
from core.previews import preview_render, private
from core.share_previews import (
    SharePreviewRefused,
    share_preview_find,
    share_preview_notice,
    shared_version_write,
)

# A reviewer reads a page and comes back to it a few times; a script guessing tokens, far more.
SHARE_PREVIEW_LIMIT = abuse.RateLimit("share-preview", most=60, seconds=10 * 60)


def share_preview(request, token):
    if abuse.over_limit(request, SHARE_PREVIEW_LIMIT):
        return private(abuse.too_many_requests(request, SHARE_PREVIEW_LIMIT, back_url="/"))
    link = share_preview_find(token)
    if link is None:
        return unavailable(request, _("There is no preview at this address."), status=404)
    if link.revoked_at:
        return unavailable(request, _("This preview link was withdrawn by our team."))
    if link.expires_at <= timezone.now():
        return unavailable(request, _("This preview link has expired."))
    try:
        return preview_render(
            request, write=lambda: shared_version_write(link), notice=share_preview_notice(link)
        )
    except SharePreviewRefused as refusal:
        return unavailable(request, str(refusal))


def unavailable(request, reason: str, *, status: int = 410):
    """A plain page in the site's layout: why the link does not work, and what to do."""
    response = render(request, "core/share_preview_gone.html", {"reason": reason}, status=status)
    return private(response)
