"""Publishing from the admin for models with a status but no workflow (countries), and the
message every publishing action gives for what the registered publish checks refuse."""

from django.contrib import admin, messages

from core.publishing import Status, publish_refusals, publish_values


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


@admin.action(description="Publish selected items now")
def publish_now(modeladmin, request, queryset):
    # update() skips clean(), so the registered checks (the withheld-names guard) run here.
    publishable = without_refused(modeladmin, request, queryset)
    count = publishable.update(**publish_values(queryset.model))
    modeladmin.message_user(request, f"{count} published.", messages.SUCCESS)


@admin.action(description="Take selected items down (back to draft)")
def take_down(modeladmin, request, queryset):
    count = queryset.update(status=Status.DRAFT)
    modeladmin.message_user(request, f"{count} taken down from the site.", messages.SUCCESS)
