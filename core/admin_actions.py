"""Admin actions every app's publishable models share."""

from django.contrib import admin, messages

from core.publishing import Status, publish_refusals, publish_values


@admin.action(description="Publish selected items now")
def publish_now(modeladmin, request, queryset):
    # update() skips clean(), so the registered checks (the withheld-names guard) run here.
    refusals = publish_refusals(queryset)
    refused_pks = {item.obj.pk for _check, items in refusals for item in items}
    values = publish_values(queryset.model)
    count = queryset.exclude(pk__in=refused_pks).update(**values)
    modeladmin.message_user(request, f"{count} published.", messages.SUCCESS)
    for check, items in refusals:
        modeladmin.message_user(
            request,
            f"{len(items)} not published: {check.explanation} "
            f"{'; '.join(str(item) for item in items)}.",
            messages.ERROR,
        )


@admin.action(description="Take selected items down (back to draft)")
def take_down(modeladmin, request, queryset):
    count = queryset.update(status=Status.DRAFT)
    modeladmin.message_user(request, f"{count} taken down from the site.", messages.SUCCESS)
