"""Mail to staff when the workflow puts an item in front of them.

When an item enters In review or Safeguarding review (submitted, sent back after a change,
taken down), everyone who may review it gets one email; when changes are requested, its
editor does. Never the person who acted, nor the item's last editor (four eyes: they may not
approve it). The admin calls ``transition_notify`` once the step's transaction commits;
nothing sends mail from save() or a signal.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import EmailMessage, get_connection
from django.db import models
from django.db.models import Q
from django.template.loader import render_to_string

from core.admin_urls import admin_url
from core.models import Transition
from core.publishing import Status
from core.workflow import last_submitter, review_permission

WAITING = (Status.REVIEW, Status.SAFEGUARDING)
WHAT_HAPPENED = {
    "submit": "submitted it for review",
    "sent_back": "changed it after it was approved",
    "take_down": "took it down from the site",
    "change_waits": "changed it: the live version stays up until the change is approved",
}


def change_url(item: models.Model) -> str:
    """The item's change form in the admin, as a full address for an email."""
    return settings.SITE_URL.rstrip("/") + admin_url(item, "change", item.pk)


def staff_with_permission(permission: str) -> models.QuerySet:
    """Active staff with an email address who hold ``app_label.codename``, however granted."""
    app_label, codename = permission.split(".")
    granted = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    holders = (
        Q(is_superuser=True) | Q(user_permissions__in=granted) | Q(groups__permissions__in=granted)
    )
    users = get_user_model().objects.filter(holders, is_active=True, is_staff=True)
    return users.exclude(email="").distinct()


def reviewers_of(item: models.Model, *, transition: Transition) -> list:
    """Who may review item now, without whoever took the step or last edited it."""
    users = staff_with_permission(review_permission(item))
    return list(users.exclude(pk__in=[transition.by_id, item.edited_by_id]).order_by("pk"))


def editor_of(item: models.Model, *, transition: Transition) -> list:
    """Whoever last submitted item (or else last edited it), unless they took the step."""
    editor = last_submitter(item) or item.edited_by
    usable = editor and editor.is_active and editor.email and editor.pk != transition.by_id
    return [editor] if usable else []


def _message(template: str, context: dict, user) -> EmailMessage:
    subject = render_to_string(f"core/email/{template}_subject.txt", context).strip()
    body = render_to_string(f"core/email/{template}_body.txt", {**context, "user": user})
    return EmailMessage(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [user.email])


def transition_notify(*, item: models.Model, transition: Transition) -> int:
    """Email whoever the step puts item in front of, one message each; how many were sent."""
    waits = transition.name == "change_waits"  # the item stays published; its change waits
    if transition.to_status in WAITING or waits:
        template, recipients = "waiting", reviewers_of(item, transition=transition)
    elif transition.name in ("request_changes", "return_change"):
        template, recipients = "changes_requested", editor_of(item, transition=transition)
    else:
        return 0
    context = {
        "item": item,
        "kind": item._meta.verbose_name,
        "transition": transition,
        "by": transition.by or "Someone",
        "what_happened": WHAT_HAPPENED.get(transition.name, "moved it"),
        "status": Status.SAFEGUARDING.label if waits else Status(transition.to_status).label,
        "url": change_url(item),
    }
    messages = [_message(template, context, user) for user in recipients]
    return get_connection().send_messages(messages) if messages else 0
