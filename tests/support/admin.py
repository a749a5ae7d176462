"""The admin as staff use it: addresses, permissions, actions, and the rows they act on."""

import itertools

from django.contrib import admin
from django.contrib.auth.models import Permission
from django.test import Client, RequestFactory
from django.urls import reverse

from campaigns.models import Letter, LetterTemplate
from stories.models import Story

_references = itertools.count(1)


def make_letter(campaign, member, **overrides):
    """A letter as letters_create would store it, to ``member``, from a sample supporter."""
    area = member.area
    number = next(_references)
    fields = {
        "campaign": campaign,
        "parliament": area.parliament,
        "representative": member,
        "recipient_name": member.name,
        "recipient_title": f"MP for {area.name}",
        "constituency": area.name,
        "area_code": area.code,
        "variant": LetterTemplate.Variant.ASK,
        "subject": "North Korean refugees",
        "body": "Dear member,\n\nPlease act.",
        "personal_percent": 30,
        "supporter_name": f"Supporter {number}",
        "supporter_email": f"supporter{number}@example.org",
        "email_key": f"supporter{number}@example.org",
        "supporter_address": "2 High Street\nLeeds",
        "supporter_postcode": "LS1 1AA",
        "delivery": Letter.Delivery.EMAIL_APP,
        "reference": f"REF{number:05d}",
        "idempotency_key": f"key-{number}",
    }
    return Letter.objects.create(**{**fields, **overrides})


def staff_with(django_user_model, *codenames):
    """A logged-in staff member's browser, allowed exactly these campaigns permissions."""
    user = django_user_model.objects.create_user(username="-".join(codenames), is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="campaigns", codename__in=codenames)
    )
    client = Client()
    client.force_login(user)
    return client


def admin_url(name, *args):
    return reverse(f"admin:campaigns_{name}", args=args)


def act(client, name, objects, model="letter"):
    """Choose the objects on the list, pick the action, press Go; the page after."""
    ids = [obj.pk for obj in objects]
    data = {"action": name, "index": 0, "_selected_action": ids}
    return client.post(admin_url(f"{model}_changelist"), data, follow=True)


def story_admin_form(data, user):
    """The story admin's form, bound to ``data`` as ``user`` would post it."""
    request = RequestFactory().post("/admin/stories/story/add/")
    request.user = user
    form_class = admin.site._registry[Story].get_form(request)
    return form_class(data=data)


def staff_allowed(django_user_model, *permissions):
    """A logged-in staff member's browser, allowed exactly these "app_label.codename"s."""
    user = django_user_model.objects.create_user(username="allowed", is_staff=True)
    for label in permissions:
        app_label, codename = label.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    client = Client()
    client.force_login(user)
    return client
