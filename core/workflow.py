"""The publishing workflow: the only way an item's status changes, one function per step.

Each transition checks, under a row lock, that it is allowed from the item's status, that the
user holds its permission, four eyes (nobody approves or publishes the version they edited or
submitted), and that a sensitive item's current version was approved by a safeguarding
reviewer. Each is recorded as a ``core.models.Transition``.

A published item stays up while a change to it waits for approval (``core.pending``): the
steps marked ``waiting_change`` approve, return or discard that change, and the status stays.

Permissions are per model, declared in each model's ``Meta.permissions`` (``PERMISSIONS``):
``change_<model>`` writes, submits and takes down; ``publish_<model>`` publishes what is not
sensitive and reviews it; ``approve_sensitive_<model>`` approves (and so publishes) sensitive
items and reviews them.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from django.db import models, transaction
from django.utils import timezone
from reversion.errors import RevertError
from reversion.models import Revision

from core.cache_version import content_version_bump
from core.models import Transition
from core.pending import newest_revision, revision_of, revision_restore
from core.publishing import Publishable, Status, publish_refusals
from core.takedown import item_restore, item_withdraw

Item = Publishable


def workflow_permissions(name: str) -> list[tuple[str, str]]:
    """The Meta.permissions a publishable model declares; ``name`` as in "prayer request"."""
    codename = name.replace(" ", "")
    return [
        (f"publish_{codename}", f"Can publish a {name} that is not sensitive"),
        (f"approve_sensitive_{codename}", f"Can approve a sensitive {name} and publish it"),
    ]


class TransitionRefused(Exception):
    """The step is not allowed: the message says why, in words staff understand."""


@dataclass(frozen=True)
class Step:
    """One transition: its button label, where from, where to, and who may take it."""

    name: str
    label: str
    sources: tuple[str, ...]
    target: str
    permission: str  # "change", "publish", "approve_sensitive" or "review"
    waiting_change: bool = False  # taken on a published item's waiting change

    @property
    def publishes(self) -> bool:
        """It puts a version on the site that was not there: four eyes apply."""
        return self.target == Status.PUBLISHED and self.name not in KEEPS_THE_LIVE_VERSION


D, R, S, P = Status.DRAFT, Status.REVIEW, Status.SAFEGUARDING, Status.PUBLISHED


def _on_waiting_change(name: str, label: str, permission: str) -> Step:
    """A step on a published item's waiting change: the item stays published."""
    return Step(name, label, (P,), P, permission, waiting_change=True)


STEPS = {
    step.name: step
    for step in (
        Step("submit", "Submit for review", (D,), R, "change"),
        Step("request_changes", "Request changes", (R, S), D, "review"),
        Step("approve", "Approve and publish", (R, S), P, "approve_sensitive"),
        Step("publish", "Publish", (D, R), P, "publish"),
        Step("unpublish", "Unpublish (back to draft)", (P,), D, "review"),
        Step("take_down", "Take down (to safeguarding review)", (P,), S, "change"),
        _on_waiting_change("approve_change", "Approve the waiting change", "approve_sensitive"),
        _on_waiting_change("return_change", "Request changes to the waiting change", "review"),
        _on_waiting_change("discard_change", "Discard the waiting change", "change"),
    )
}
KEEPS_THE_LIVE_VERSION = ("return_change", "discard_change")
WAITS_COMMENT = "Changed: waits for safeguarding approval; the approved version stays on the site."


def version_digest(item: Item) -> str:
    """A digest of what the public sees of item: an approval holds for this version only."""
    values = json.dumps(item.public_values(), sort_keys=True, default=str)
    return hashlib.sha256(values.encode()).hexdigest()


def permission_codename(model, action: str) -> str:
    """``app.<action>_<model>`` for a model or one of its items: the workflow's permissions."""
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def review_permission(item: Item) -> str:
    """Publishers review what is not sensitive, safeguarding reviewers what is."""
    action = "approve_sensitive" if item.sensitive or item.status == S else "publish"
    return permission_codename(item, action)


def may_review(user, item: Item) -> bool:
    return user.has_perm(review_permission(item))


def _has_permission(user, item: Item, step: Step) -> bool:
    if step.permission == "review":
        return may_review(user, item)
    if step.permission == "publish" and item.sensitive:
        return False  # only a safeguarding reviewer's approval publishes it
    return user.has_perm(permission_codename(item, step.permission))


def last_submitter(item: Item):
    """Who last submitted item for review (None if nobody did)."""
    submitted = Transition.objects.for_item(item).filter(name="submit").first()
    return submitted.by if submitted else None


def own_change(user, item: Item) -> bool:
    """True when user last edited or submitted item: four eyes keeps them from publishing it."""
    return user.pk is not None and user.pk in (
        item.edited_by_id,
        getattr(last_submitter(item), "pk", None),
    )


def refusal(user, item: Item, step: Step, *, own: bool | None = None) -> str | None:
    """Why user may not take step on item now, or None if they may; ``own`` is
    ``own_change(user, item)`` when the caller already knows it."""
    if item.status not in step.sources:
        return f"“{step.label}” is not possible from {item.get_status_display()}."
    if step.waiting_change and not item.has_waiting_change:
        return "No change to it waits for approval."
    if not _has_permission(user, item, step):
        return f"You may not “{step.label.lower()}” this {item._meta.verbose_name}."
    if step.publishes and (own_change(user, item) if own is None else own):
        return "Four eyes: someone other than its last editor or submitter must approve it."
    if step.name == "approve" and not item.sensitive:
        return "Only a sensitive item needs a safeguarding approval: publish it instead."
    return None


def allowed_steps(user, item: Item) -> list[Step]:
    """The steps user may take on item now: the buttons the admin shows."""
    own = own_change(user, item)  # one query for every step, not one per publishing step
    return [step for step in STEPS.values() if refusal(user, item, step, own=own) is None]


def _check_publishable(item: Item) -> None:
    """The registered publish checks (the withheld-names guard) must refuse nothing."""
    for check, _refused in publish_refusals(type(item)._default_manager.filter(pk=item.pk)):
        raise TransitionRefused(f"Not published: {check.explanation}")


def _apply(item: Item, step: Step, at: datetime | None) -> list[str]:
    """Change the locked item for step; the fields to save."""
    item.status = step.target
    fields = ["status"]
    if step.name == "submit" and item.sensitive:
        item.status = S  # its review is the safeguarding review
    if step.name in ("approve", "approve_change"):
        item.approved_version = version_digest(item)
        fields.append("approved_version")
    if step.target == P and not step.waiting_change:
        item.published_at = at or timezone.now()
        fields.append("published_at")
    if step.name == "take_down":
        item.sensitive, item.approved_version = True, ""
        fields += ["sensitive", "approved_version"]
    if step.name != "return_change":  # approved, discarded, or set aside as it leaves the site
        item.pending_revision = None  # (a change set aside stays in the item's history)
        fields.append("pending_revision")
    return fields


def _locked(item: Item) -> Item:
    return type(item)._default_manager.select_for_update().get(pk=item.pk)


def _waiting_change_applied(item: Item) -> Item:
    """The waiting change becomes the item's rows, in the caller's transaction: the version
    the checks read and the reviewer approves. Returns the item as it is now."""
    try:
        revision_restore(item.pending_revision, item)
    except RevertError as error:
        raise TransitionRefused(str(error)) from error
    return _locked(item)


def item_transition(
    item: Item, *, step: str, by, comment: str = "", at: datetime | None = None
) -> Transition:
    """Take step on item as user ``by``, under a row lock; record it. Raises TransitionRefused.

    ``at`` schedules a publishing step (default: now). Request changes needs a comment.
    """
    chosen = STEPS[step]
    with transaction.atomic():
        locked = _locked(item)
        if chosen.name == "approve_change" and refusal(by, locked, chosen) is None:
            locked = _waiting_change_applied(locked)
        locked.sensitive = locked.needs_safeguarding()  # saved or not, by staff or by a seed
        if chosen.publishes and locked.status in chosen.sources:
            _check_publishable(locked)  # first: what to remove helps more than who may publish
        if reason := refusal(by, locked, chosen):
            raise TransitionRefused(reason)
        if chosen.name in ("request_changes", "return_change") and not comment.strip():
            raise TransitionRefused("Say what needs to change: the comment is required.")
        from_status = locked.status
        fields = [*_apply(locked, chosen, at), "sensitive"]
        if chosen.target == P:
            item_restore(locked)  # what a take-down withdrew is back before the item is public
        locked.save(update_fields=[*fields, "updated_at"])
        record = _record(locked, chosen.name, from_status, by, comment)
    _copy(locked, item, fields)
    if chosen.name == "take_down":
        item_withdraw(locked, by=by)  # once committed: the page is down even if this fails
    if P in (from_status, chosen.target):
        content_version_bump()
    return record


def _record(item: Item, name: str, from_status: str, by, comment: str) -> Transition:
    return Transition.objects.create(
        item=item,
        name=name,
        from_status=from_status,
        to_status=item.status,
        by=by if getattr(by, "pk", None) else None,
        comment=comment,
    )


def _copy(source: models.Model, target: models.Model, fields: list[str]) -> None:
    for name in fields:
        setattr(target, name, getattr(source, name))


def item_edited(item: Item, *, by, live: Revision | None = None) -> Transition | None:
    """After staff save item: note who edited it, mark it sensitive when its app says so, and
    decide where a sensitive item whose public text changed since approval goes.

    Published, with ``live`` (a revision of its rows taken before the save): the live version
    stays up and the change waits for approval. In review, or published without ``live`` (so
    the live version cannot be kept): back to safeguarding review. Returns the transition
    recorded, if any. Call it once the item's rows and links are saved, so the version is the
    one staff see.
    """
    with transaction.atomic():
        locked = _locked(item)
        was_public = locked.status == P
        locked.edited_by = by
        locked.sensitive = locked.needs_safeguarding()
        fields = ["edited_by", "sensitive", "pending_revision"]
        recorded = None
        if not (locked.sensitive and locked.approved_version != version_digest(locked)):
            if locked.status == P:
                locked.pending_revision = None  # this version is live: nothing waits any more
        elif locked.status == P and live is not None:
            recorded = _change_waits(locked, live=live, by=by)
            fields += ["status", "approved_version"]
        else:
            recorded = _sent_back(locked, by, "Changed: needs safeguarding approval.")
            fields += ["status", "approved_version"]
        locked.save(update_fields=fields)
    _copy(locked, item, [*fields, "status"])
    if was_public:  # its page changed, or left the site: cached copies are stale
        content_version_bump()
    return recorded


def _sent_back(item: Item, by, comment: str) -> Transition | None:
    """Its approval no longer holds: from review or the site, back to safeguarding review."""
    item.approved_version, item.pending_revision = "", None
    if item.status not in (R, P):
        return None
    from_status, item.status = item.status, S
    return _record(item, "sent_back", from_status, by, comment)


class _LiveVersionRefused(Exception):
    """The live version is refused by a publish check: leave the rows as saved."""


def _change_waits(item: Item, *, live: Revision, by) -> Transition:
    """Keep the saved rows as the waiting change and bring back the ``live`` version.

    If a publish check now refuses the live version (a name withheld in this same save),
    it comes off the site and the change goes to safeguarding review instead.
    """
    waiting = newest_revision(item, after=live) or revision_of(item, by=by, comment="Changed.")
    rows = type(item)._default_manager.filter(pk=item.pk)
    try:
        with transaction.atomic():
            revision_restore(live, item)
            if publish_refusals(rows):
                raise _LiveVersionRefused
    except _LiveVersionRefused:
        comment = "The live version holds a withheld name: off the site, with the change."
        return _sent_back(item, by, comment)
    item.pending_revision = waiting
    return _record(item, "change_waits", P, by, WAITS_COMMENT)
