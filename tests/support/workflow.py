"""Staff of each group, as the workflow's tests and journeys need them, and an item's change
form as they send it."""

import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from core.admin_urls import admin_url
from core.workflow import item_transition
from tests.support.html import content, form_fields


def member_of(group_name, username):
    """A staff member of the group (as migrated), with a password for browser journeys."""
    user = get_user_model().objects.create_user(username, password="x" * 12, is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


_publishers = itertools.count(1)


def publish_as_another_editor(item):
    """Publish item through the workflow as an Editor who did not write it (four eyes)."""
    publisher = member_of("Editors", f"publisher-{next(_publishers)}")
    item_transition(item, step="publish", by=publisher)
    return item


def as_sent(fields):
    """A form's fields as a browser sends them: without the empty inline rows' templates."""
    return {name: value for name, value in fields.items() if "__prefix__" not in name}


def change_form(client, item, *, url=None):
    """The item's change form (or the one at url, such as an old version's) as a browser
    would send it back unchanged."""
    page = content(client.get(url or admin_url(item, "change", item.pk)))
    return as_sent(form_fields(page, f"{item._meta.model_name}_form"))
