"""Taking an item down everywhere at once, and bringing it back, for every app.

The workflow's take-down step (and the countries' take-down action) call ``item_withdraw``
once the item is off the site; every publishing step calls ``item_restore`` before the item
is public again. What else must leave with an item (its image files) is registered here by
the app that knows it, so this layer imports no app: see ``register_take_down_hook``.

Whether an address belongs to an item that was taken down is read from the workflow's trail
(``was_taken_down``), only after the published lookup found nothing: public pages cost no
query more.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Q

from core.models import Transition
from core.publishing import Status

logger = logging.getLogger(__name__)

TAKE_DOWN = "take_down"


@dataclass(frozen=True)
class TakeDownHook:
    """What an app does when an item is taken down, and before it is public again."""

    withdraw: Callable[[models.Model], None]
    restore: Callable[[models.Model], None]


_hooks: list[TakeDownHook] = []


def register_take_down_hook(hook: TakeDownHook) -> None:
    """Called from an AppConfig.ready(); registering the same hook twice keeps one."""
    if hook not in _hooks:
        _hooks.append(hook)


def item_withdraw(item: models.Model, *, by) -> None:
    """After item left the site by a take-down: run every hook, and log who did it.

    Called once the take-down is committed, so the page is down even if a hook fails. Under
    the item's row lock, as the publishing steps' restore is: if it was published again in
    between, what it shows stays. The log line names the model, the row and the staff member,
    never the item's text.
    """
    with transaction.atomic():
        locked = type(item)._default_manager.select_for_update().filter(pk=item.pk).first()
        if locked is not None and locked.status != Status.PUBLISHED:
            for hook in _hooks:
                hook.withdraw(locked)
    logger.info(
        "Taken down: %s %s by %s",
        item._meta.label,
        item.pk,
        getattr(by, "username", None) or "nobody",
    )


def item_restore(item: models.Model) -> None:
    """Before item is public again: undo what every hook's withdraw did (nothing if not)."""
    for hook in _hooks:
        hook.restore(item)


def was_taken_down(queryset: models.QuerySet) -> bool:
    """Whether the item in queryset (one address) left the site by a take-down and has not
    been published since; one query. Its page then answers 410 Gone, not 404."""
    content_type = ContentType.objects.get_for_model(queryset.model)
    last = (
        Transition.objects.filter(content_type=content_type, object_id__in=queryset.values("pk"))
        .filter(Q(from_status=Status.PUBLISHED) | Q(to_status=Status.PUBLISHED))
        .values_list("name", flat=True)
        .first()
    )
    return last == TAKE_DOWN
