"""Publishing from the admin for models with a status but no workflow (countries), and the
message every publishing action gives for what the registered publish checks refuse.

Each step is recorded as a ``Transition`` and in the admin's history, like the workflow's, so a
country that was taken down answers 410 Gone and the trail says who took it down.
"""

from django.contrib import admin, messages

from core.cache_version import content_version_bump
from core.models import Transition
from core.publishing import Status, publish_refusals, publish_values
from core.takedown import TAKE_DOWN, item_restore, item_withdraw


def without_refused(modeladmin, request, queryset):
    """Tell staff what the registered publish checks refuse, and why; the rest of queryset."""
    refusals = publish_refusals(queryset)
    for check, items in refusals:
        modeladmin.message_user(
            request,
            f"{len(items)} not published: {check.explanation} "
            f"{'; '.join(str(item) for item in items)}.",
            messages.ERROR,
        )
    return queryset.exclude(pk__in={item.obj.pk for _check, items in refusals for item in items})


def _recorded(modeladmin, request, item, *, name: str, to_status: str, message: str) -> None:
    """The trail's row and the admin history's entry for one item's step."""
    Transition.objects.create(
        item=item, name=name, from_status=item.status, to_status=to_status, by=request.user
    )
    modeladmin.log_change(request, item, message)


@admin.action(description="Publish selected items now")
def publish_now(modeladmin, request, queryset):
    # update() skips clean(), so the registered checks (the withheld-names guard) run here.
    publishable = without_refused(modeladmin, request, queryset)
    returning = list(publishable.exclude(status=Status.PUBLISHED))
    for item in returning:
        item_restore(item)  # before the item is public again
    count = publishable.update(**publish_values(queryset.model))
    for item in returning:
        _recorded(
            modeladmin,
            request,
            item,
            name="publish",
            to_status=Status.PUBLISHED,
            message="Published.",
        )
    content_version_bump()
    modeladmin.message_user(request, f"{count} published.", messages.SUCCESS)


@admin.action(description="Take selected items down (back to draft)")
def take_down(modeladmin, request, queryset):
    leaving = list(queryset.filter(status=Status.PUBLISHED))
    queryset.filter(pk__in=[item.pk for item in leaving]).update(status=Status.DRAFT)
    for item in leaving:
        _recorded(
            modeladmin,
            request,
            item,
            name=TAKE_DOWN,
            to_status=Status.DRAFT,
            message="Taken down from the site.",
        )
        item_withdraw(item, by=request.user)
    content_version_bump()
    modeladmin.message_user(request, f"{len(leaving)} taken down from the site.", messages.SUCCESS)
